package nodeagent

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// defaultPath is the PATH an image would normally bring; the image map has no env.
const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// ObjectSource fetches the ConfigMaps and Secrets a pod refers to. The node agent backs it
// with the API server (a node may read only those of its own pods); tests use maps.
type ObjectSource interface {
	// ConfigMap returns namespace/name; the error satisfies apierrors.IsNotFound when absent.
	ConfigMap(namespace, name string) (*corev1.ConfigMap, error)
	// Secret returns namespace/name; the error satisfies apierrors.IsNotFound when absent.
	Secret(namespace, name string) (*corev1.Secret, error)
}

// PodFacts are the run-time values the downward API exposes besides the pod object.
type PodFacts struct {
	PodIP       string
	HostIP      string
	NodeName    string
	ServiceHost string // where in-cluster clients reach the API server
	ServicePort string
}

// BuildEnv returns a container's environment as NAME=value lines in the kubelet's order:
// the defaults an image would bring, the API server's service variables, envFrom, then env
// (later entries win), with $(VAR) references expanded against what came before.
// Returns an error naming the variable and the missing object or key when a non-optional
// reference cannot be resolved (the kubelet's CreateContainerConfigError).
func BuildEnv(pod *corev1.Pod, c *corev1.Container, facts PodFacts, src ObjectSource, isNotFound func(error) bool) ([]string, error) {
	env := newEnvList()
	env.set("PATH", defaultPath)
	hostname := pod.Name
	if pod.Spec.Hostname != "" {
		hostname = pod.Spec.Hostname
	}
	env.set("HOSTNAME", hostname)
	env.set("KUBERNETES_SERVICE_HOST", facts.ServiceHost)
	env.set("KUBERNETES_SERVICE_PORT", facts.ServicePort)
	env.set("KUBERNETES_SERVICE_PORT_HTTPS", facts.ServicePort)
	env.set("KUBERNETES_PORT", "tcp://"+facts.ServiceHost+":"+facts.ServicePort)
	env.set("KUBERNETES_PORT_"+facts.ServicePort+"_TCP", "tcp://"+facts.ServiceHost+":"+facts.ServicePort)
	env.set("KUBERNETES_PORT_"+facts.ServicePort+"_TCP_PROTO", "tcp")
	env.set("KUBERNETES_PORT_"+facts.ServicePort+"_TCP_PORT", facts.ServicePort)
	env.set("KUBERNETES_PORT_"+facts.ServicePort+"_TCP_ADDR", facts.ServiceHost)

	for _, from := range c.EnvFrom {
		if err := addEnvFrom(env, pod.Namespace, from, src, isNotFound); err != nil {
			return nil, err
		}
	}
	for _, e := range c.Env {
		if e.ValueFrom == nil {
			env.set(e.Name, Expand(e.Value, env.lookup))
			continue
		}
		value, set, err := envValueFrom(pod, c, e, facts, src, isNotFound)
		if err != nil {
			return nil, fmt.Errorf("env %s: %w", e.Name, err)
		}
		if set {
			env.set(e.Name, value)
		}
	}
	return env.lines(), nil
}

func addEnvFrom(env *envList, namespace string, from corev1.EnvFromSource, src ObjectSource, isNotFound func(error) bool) error {
	var data map[string]string
	switch {
	case from.ConfigMapRef != nil:
		cm, err := src.ConfigMap(namespace, from.ConfigMapRef.Name)
		if err != nil {
			if isNotFound(err) && optional(from.ConfigMapRef.Optional) {
				return nil
			}
			return fmt.Errorf("envFrom configmap %q: %w", from.ConfigMapRef.Name, err)
		}
		data = cm.Data
	case from.SecretRef != nil:
		s, err := src.Secret(namespace, from.SecretRef.Name)
		if err != nil {
			if isNotFound(err) && optional(from.SecretRef.Optional) {
				return nil
			}
			return fmt.Errorf("envFrom secret %q: %w", from.SecretRef.Name, err)
		}
		data = map[string]string{}
		for k, v := range s.Data {
			data[k] = string(v)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(data)) {
		env.set(from.Prefix+k, data[k])
	}
	return nil
}

// envValueFrom resolves one valueFrom; set is false when an optional source is missing.
func envValueFrom(pod *corev1.Pod, c *corev1.Container, e corev1.EnvVar, facts PodFacts, src ObjectSource, isNotFound func(error) bool) (value string, set bool, err error) {
	vf := e.ValueFrom
	switch {
	case vf.FieldRef != nil:
		v, err := podField(pod, vf.FieldRef.FieldPath, facts)
		return v, err == nil, err
	case vf.ResourceFieldRef != nil:
		v, err := resourceField(c, vf.ResourceFieldRef)
		return v, err == nil, err
	case vf.ConfigMapKeyRef != nil:
		ref := vf.ConfigMapKeyRef
		cm, err := src.ConfigMap(pod.Namespace, ref.Name)
		if err != nil {
			if isNotFound(err) && optional(ref.Optional) {
				return "", false, nil
			}
			return "", false, fmt.Errorf("configmap %q: %w", ref.Name, err)
		}
		if v, ok := cm.Data[ref.Key]; ok {
			return v, true, nil
		}
		if v, ok := cm.BinaryData[ref.Key]; ok {
			return string(v), true, nil
		}
		if optional(ref.Optional) {
			return "", false, nil
		}
		return "", false, fmt.Errorf("configmap %q has no key %q", ref.Name, ref.Key)
	case vf.SecretKeyRef != nil:
		ref := vf.SecretKeyRef
		s, err := src.Secret(pod.Namespace, ref.Name)
		if err != nil {
			if isNotFound(err) && optional(ref.Optional) {
				return "", false, nil
			}
			return "", false, fmt.Errorf("secret %q: %w", ref.Name, err)
		}
		if v, ok := s.Data[ref.Key]; ok {
			return string(v), true, nil
		}
		if optional(ref.Optional) {
			return "", false, nil
		}
		return "", false, fmt.Errorf("secret %q has no key %q", ref.Name, ref.Key)
	}
	return "", false, fmt.Errorf("valueFrom names no source")
}

// podField returns a downward-API field of the pod.
// Returns an error naming the path when it is not one the kubelet supports.
func podField(pod *corev1.Pod, path string, facts PodFacts) (string, error) {
	switch path {
	case "metadata.name":
		return pod.Name, nil
	case "metadata.namespace":
		return pod.Namespace, nil
	case "metadata.uid":
		return string(pod.UID), nil
	case "spec.nodeName":
		return facts.NodeName, nil
	case "spec.serviceAccountName":
		return pod.Spec.ServiceAccountName, nil
	case "status.podIP", "status.podIPs":
		return facts.PodIP, nil
	case "status.hostIP", "status.hostIPs":
		return facts.HostIP, nil
	case "metadata.labels":
		return formatMap(pod.Labels), nil
	case "metadata.annotations":
		return formatMap(pod.Annotations), nil
	}
	for prefix, m := range map[string]map[string]string{
		"metadata.labels['": pod.Labels, "metadata.annotations['": pod.Annotations,
	} {
		if strings.HasPrefix(path, prefix) && strings.HasSuffix(path, "']") {
			return m[strings.TrimSuffix(strings.TrimPrefix(path, prefix), "']")], nil
		}
	}
	return "", fmt.Errorf("fieldRef %q is not supported", path)
}

func formatMap(m map[string]string) string {
	var b strings.Builder
	for i, k := range slices.Sorted(maps.Keys(m)) {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%s=%q", k, m[k])
	}
	return b.String()
}

// resourceField returns limits.* or requests.* of c divided by the divisor, rounded up.
// An unset limit is reported as the node's whole capacity by the kubelet; here, as 0.
func resourceField(c *corev1.Container, ref *corev1.ResourceFieldSelector) (string, error) {
	var list corev1.ResourceList
	name := ref.Resource
	switch {
	case strings.HasPrefix(name, "limits."):
		list, name = c.Resources.Limits, strings.TrimPrefix(name, "limits.")
	case strings.HasPrefix(name, "requests."):
		list, name = c.Resources.Requests, strings.TrimPrefix(name, "requests.")
	default:
		return "", fmt.Errorf("resourceFieldRef %q is not supported", ref.Resource)
	}
	q := list[corev1.ResourceName(name)]
	divisor := ref.Divisor
	if divisor.IsZero() {
		divisor = resource.MustParse("1")
	}
	v := math.Ceil(q.AsApproximateFloat64() / divisor.AsApproximateFloat64())
	return fmt.Sprintf("%d", int64(v)), nil
}

func optional(b *bool) bool { return b != nil && *b }

func ptrTo[T any](v T) *T { return &v }

// Expand replaces $(NAME) with lookup(NAME) when defined, keeps unknown references as
// written and turns $$ into $, as the kubelet does for env values, command and args.
func Expand(s string, lookup func(string) (string, bool)) string {
	if !strings.Contains(s, "$") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		switch s[i+1] {
		case '$':
			b.WriteByte('$')
			i++
		case '(':
			end := strings.IndexByte(s[i+2:], ')')
			if end < 0 {
				b.WriteString(s[i:])
				return b.String()
			}
			name := s[i+2 : i+2+end]
			if v, ok := lookup(name); ok {
				b.WriteString(v)
			} else {
				b.WriteString(s[i : i+3+end])
			}
			i += 2 + end
		default:
			b.WriteByte('$')
		}
	}
	return b.String()
}

// envList keeps variables in first-set order with later values replacing earlier ones.
type envList struct {
	order  []string
	values map[string]string
}

func newEnvList() *envList { return &envList{values: map[string]string{}} }

func (l *envList) set(name, value string) {
	if _, ok := l.values[name]; !ok {
		l.order = append(l.order, name)
	}
	l.values[name] = value
}

func (l *envList) lookup(name string) (string, bool) {
	v, ok := l.values[name]
	return v, ok
}

func (l *envList) lines() []string {
	out := make([]string, 0, len(l.order))
	for _, k := range l.order {
		out = append(out, k+"="+l.values[k])
	}
	return out
}
