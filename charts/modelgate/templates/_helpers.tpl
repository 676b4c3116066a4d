{{/* Names, labels and the pieces every modelgate pod shares. */}}

{{- define "modelgate.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The prefix of every object name: the release name, unless it already says "modelgate". */}}
{{- define "modelgate.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "modelgate.operatorName" -}}
{{- printf "%s-operator" (include "modelgate.fullname" .) }}
{{- end }}

{{- define "modelgate.webhookName" -}}
{{- printf "%s-webhook" (include "modelgate.fullname" .) }}
{{- end }}

{{/* The Secret holding the webhook's serving certificate (tls.crt, tls.key, ca.crt). */}}
{{- define "modelgate.webhookTlsSecret" -}}
{{- printf "%s-webhook-tls" (include "modelgate.fullname" .) }}
{{- end }}

{{- define "modelgate.webhookCertificate" -}}
{{- printf "%s-webhook" (include "modelgate.fullname" .) }}
{{- end }}

{{- define "modelgate.leaseName" -}}
{{- default (include "modelgate.operatorName" .) .Values.operator.leaderElection.leaseName }}
{{- end }}

{{/* The username the API server gives the operator's service account. */}}
{{- define "modelgate.operatorUsername" -}}
{{- printf "system:serviceaccount:%s:%s" .Release.Namespace (include "modelgate.operatorName" .) }}
{{- end }}

{{- define "modelgate.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{- define "modelgate.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "modelgate.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Selector labels of one component: pass (list $ "operator") or (list $ "webhook"). */}}
{{- define "modelgate.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ include "modelgate.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{- define "modelgate.componentLabels" -}}
{{ include "modelgate.labels" (index . 0) }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{/* Pod-level security: non-root, RuntimeDefault seccomp. */}}
{{- define "modelgate.podSecurityContext" -}}
runAsNonRoot: true
{{- if not (kindIs "invalid" .Values.runAsUser) }}
runAsUser: {{ .Values.runAsUser }}
{{- end }}
{{- if not (kindIs "invalid" .Values.runAsGroup) }}
runAsGroup: {{ .Values.runAsGroup }}
# Volumes (the webhook's certificate Secret) are owned by this group.
fsGroup: {{ .Values.runAsGroup }}
{{- end }}
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* Container-level security: read-only root, no privilege escalation, no capabilities. */}}
{{- define "modelgate.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop: [ALL]
{{- end }}

{{/* Default anti-affinity for a component: (list $ "webhook" required). */}}
{{- define "modelgate.antiAffinity" -}}
{{- $root := index . 0 -}}
{{- $component := index . 1 }}
{{- $term := dict "topologyKey" "kubernetes.io/hostname" "labelSelector" (dict "matchLabels" (include "modelgate.selectorLabels" (list $root $component) | fromYaml)) -}}
podAntiAffinity:
{{- if index . 2 }}
  requiredDuringSchedulingIgnoredDuringExecution:
  - {{ toYaml $term | nindent 4 | trim }}
{{- else }}
  preferredDuringSchedulingIgnoredDuringExecution:
  - weight: 100
    podAffinityTerm:
      {{- toYaml $term | nindent 6 }}
{{- end }}
{{- end }}
