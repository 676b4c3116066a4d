# A serving certificate rotated on disk (new files renamed into place, as a Secret update or
# a cert-manager renewal lands them) is served to new connections without a restart: the
# TLS handshake shows the new serial, the process is the same, and the kube-apiserver keeps
# getting answers.
# shellcheck source=../harness/webhook.sh
. "$MODELGATE_ROOT/e2e/harness/webhook.sh"
install_crds
ns=$(new_namespace admission-rotate)

# served_serial: the serial of the certificate a new TLS connection is shown, verified
# against the CA (openssl prints it in hex, upper case).
served_serial() {
  openssl s_client -connect "127.0.0.1:$WEBHOOK_PORT" -verify_ip 127.0.0.1 \
    -CAfile "$WEBHOOK_DIR/ca.crt" -verify_return_error </dev/null 2>/dev/null |
    openssl x509 -noout -serial
}
serial_is() {
  [ "$(served_serial)" == "serial=$1" ]
}

webhook_certs 1001
webhook_start
pid=$WEBHOOK_PID
webhook_register "$ns"
expect_eq serial=1001 "$(served_serial)" "serial before rotation"

webhook_certs 2002
wait_until 30 serial_is 2002 || fail "the rotated certificate was not served"
expect_eq "$pid" "$WEBHOOK_PID" "webhook process"
kill -0 "$pid" || fail "the webhook exited during the rotation"

expect_contains "$(webhook_log_lines "serving certificate reloaded")" "generation=2" \
  "the webhook's log of the reload"

# The API server keeps getting answers (over connections it may have opened before the
# rotation: those keep the certificate they started with).
before=$(webhook_requests Pod CREATE)
kubectl run -n "$ns" after-rotation --image=testbed/sleep:1 --restart=Never --dry-run=server \
  >/dev/null
(($(webhook_requests Pod CREATE) > before)) || fail "the API server stopped calling the webhook"
