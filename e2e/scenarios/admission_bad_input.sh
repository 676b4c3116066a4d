# Bad input sent straight to the webhook gets a clear 4xx and never a crash: malformed JSON
# (with line and column), a wrong apiVersion, a missing request.uid, a 3 MiB body, JSON nested
# too deep, a wrong content type, a GET on /validate, and plain HTTP on the TLS port. After
# all of it the same process is healthy and answers a good AdmissionReview.
# shellcheck source=../harness/webhook.sh
. "$MODELGATE_ROOT/e2e/harness/webhook.sh"
install_crds
webhook_start
pid=$WEBHOOK_PID
url=$(webhook_url /validate)

# post BODY_FILE [CURL_ARGS...]: POSTs the file as JSON; prints the body, then the status.
post() {
  local file=$1
  shift
  webhook_curl -H 'Content-Type: application/json' --data-binary "@$file" "$@" "$url"
}
# expect_answer WANT_STATUS WANT_TEXT OUTPUT: OUTPUT is a body ending with the status line.
expect_answer() {
  expect_eq "$1" "${3##*$'\n'}" "status for: $2"
  expect_contains "${3%$'\n'*}" "$2" "body"
}
review() {  # review API_VERSION UID: a small AdmissionReview for a Deployment
  cat <<JSON
{"apiVersion": "$1", "kind": "AdmissionReview",
 "request": {$2 "kind": {"group": "apps", "version": "v1", "kind": "Deployment"},
   "resource": {"group": "apps", "version": "v1", "resource": "deployments"},
   "namespace": "default", "name": "api", "operation": "CREATE",
   "userInfo": {"username": "alice"},
   "object": {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api"}}}}
JSON
}
d=$WEBHOOK_DIR

printf '{"apiVersion": "admission.k8s.io/v1",\n "kind": ' >"$d/malformed.json"
expect_answer 400 "AdmissionReview: malformed JSON: " "$(post "$d/malformed.json")"
expect_answer 400 "line 2, column" "$(post "$d/malformed.json")"

review admission.k8s.io/v1beta1 '"uid": "u-1",' >"$d/v1beta1.json"
expect_answer 400 'AdmissionReview: apiVersion must be "admission.k8s.io/v1", got "admission.k8s.io/v1beta1"' \
  "$(post "$d/v1beta1.json")"

review admission.k8s.io/v1 '' >"$d/no-uid.json"
expect_answer 400 "AdmissionReview: request.uid is missing" "$(post "$d/no-uid.json")"

# 3 MiB: a well-formed review whose object carries a 3 MiB annotation.
{
  printf '{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {"uid": "u-2", "operation": "CREATE", "object": {"metadata": {"annotations": {"big": "'
  head -c $((3 << 20)) /dev/zero | tr '\0' 'a'
  printf '"}}}}}'
} >"$d/big.json"
expect_answer 413 "request body exceeds the limit of 1048576 bytes" "$(post "$d/big.json")"

{
  printf '{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {"uid": "u-3", "operation": "CREATE", "object": '
  for _ in $(seq 100); do printf '{"a": '; done
  printf '1'
  for _ in $(seq 100); do printf '}'; done
  printf '}}'
} >"$d/deep.json"
expect_answer 400 "AdmissionReview: JSON nested deeper than 64 levels" "$(post "$d/deep.json")"

review admission.k8s.io/v1 '"uid": "u-4",' >"$d/good.json"
expect_answer 415 "AdmissionReview must be sent as application/json, not text/yaml" \
  "$(webhook_curl -H 'Content-Type: text/yaml' --data-binary "@$d/good.json" "$url")"
expect_answer 405 "/validate accepts POST only" "$(webhook_curl "$url")"

plain=$(curl -sS -w '\n%{http_code}' "http://127.0.0.1:$WEBHOOK_PORT/validate")
expect_answer 400 "this port speaks HTTPS; plain HTTP is not accepted" "$plain"

# Still the same process, healthy, deciding good reviews, and having counted the six bad
# ones that reached the handler (the 413 and the plain HTTP are turned away before it).
webhook_alive || fail "the webhook is not healthy after bad input"
expect_eq "$pid" "$WEBHOOK_PID" "webhook process"
out=$(post "$d/good.json")
expect_eq 200 "${out##*$'\n'}" "status for a good AdmissionReview"
expect_eq '{"allowed":true,"uid":"u-4"}' "$(jq -cS .response <<<"${out%$'\n'*}")" "response"
expect_contains "$(webhook_curl "$(webhook_url /metrics)")" \
  'modelgate_admission_requests_total{kind="",operation="",decision="invalid"} 6' "metrics"
