#!/usr/bin/env bash
# Prints modelgate's ValidatingWebhookConfiguration, ready for kubectl apply.
#
#   render.sh --ca-file FILE (--url URL | --service NAMESPACE/NAME[:PORT])
#             [--namespace modelgate-system] [--operator-username USERNAME]
#             [--name modelgate]
#
#   --ca-file            PEM bundle of the CA that signed the webhook's serving certificate
#   --url                the webhook reached by URL, e.g. https://127.0.0.1:8443/validate
#                        (a webhook run outside the cluster, as the end-to-end tests do)
#   --service            the webhook reached through a Service in the cluster; path /validate
#   --namespace          modelgate's own namespace, left out of admission (default
#                        modelgate-system)
#   --operator-username  the only user whose modelversions/status writes are admitted
#                        (default system:serviceaccount:NAMESPACE:modelgate-operator)
#   --name               the configuration's name (default modelgate)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

usage() {
  sed -n '3,16p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

ca_file="" url="" service="" namespace=modelgate-system operator="" name=modelgate
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || usage
  case "$1" in
    --ca-file) ca_file=$2 ;;
    --url) url=$2 ;;
    --service) service=$2 ;;
    --namespace) namespace=$2 ;;
    --operator-username) operator=$2 ;;
    --name) name=$2 ;;
    *) echo "render.sh: unknown flag $1" >&2; usage ;;
  esac
  shift 2
done
[ -n "$ca_file" ] || { echo "render.sh: --ca-file is required" >&2; usage; }
if { [ -n "$url" ] && [ -n "$service" ]; } || { [ -z "$url" ] && [ -z "$service" ]; }; then
  echo "render.sh: give exactly one of --url and --service" >&2
  usage
fi
[ -r "$ca_file" ] || { echo "render.sh: cannot read --ca-file $ca_file" >&2; exit 1; }
grep -q -- '-----BEGIN CERTIFICATE-----' "$ca_file" ||
  { echo "render.sh: $ca_file holds no PEM certificate" >&2; exit 1; }
operator=${operator:-system:serviceaccount:$namespace:modelgate-operator}

ca_bundle=$(base64 -w0 <"$ca_file")
if [ -n "$url" ]; then
  [[ "$url" == https://* ]] || { echo "render.sh: --url must start with https://" >&2; exit 1; }
  client_config="{url: \"$url\", caBundle: $ca_bundle}"
else
  svc_ns=${service%%/*}
  svc_name=${service#*/}
  port=443
  if [[ "$svc_name" == *:* ]]; then
    port=${svc_name##*:}
    svc_name=${svc_name%%:*}
  fi
  [[ "$svc_ns" != "$service" && -n "$svc_ns" && -n "$svc_name" && "$port" =~ ^[0-9]+$ ]] ||
    { echo "render.sh: --service must be NAMESPACE/NAME[:PORT], not $service" >&2; exit 1; }
  client_config="{service: {namespace: $svc_ns, name: $svc_name, path: /validate, port: $port}, caBundle: $ca_bundle}"
fi

# Plain string replacement (index/substr), so no character in a URL or bundle is special.
awk -v cc="$client_config" -v ns="$namespace" -v op="$operator" -v name="$name" '
function put(line, key, value,   at, out) {
  out = ""
  while ((at = index(line, key)) > 0) {
    out = out substr(line, 1, at - 1) value
    line = substr(line, at + length(key))
  }
  return out line
}
{
  $0 = put($0, "${MODELGATE_CLIENT_CONFIG}", cc)
  $0 = put($0, "${MODELGATE_NAMESPACE}", ns)
  $0 = put($0, "${MODELGATE_OPERATOR_USERNAME}", op)
  $0 = put($0, "${MODELGATE_CONFIGURATION_NAME}", name)
  print
}' "$here/validating-webhook-configuration.yaml"
