# The API server itself refuses invalid ModelVersions and ModelGatePolicies, with a message
# that names the field: a bad digest, a changed artifact, a share above 1, an unknown
# enforcement mode.
install_crds
ns=$(new_namespace invalid)
mv() {  # mv NAME DIGEST SHARE URI: a ModelVersion manifest
  cat <<YAML
apiVersion: modelgate.io/v1alpha1
kind: ModelVersion
metadata:
  name: $1
spec:
  model: fraud
  version: "1"
  artifact:
    uri: $4
    digest: $2
    format: sklearn
  serving:
    image: modelgate/mlserver-sklearn:1.0
  datasets:
    training: {uri: "file:///data/train.csv"}
    holdout: {uri: "file:///data/holdout.csv"}
    reference: {uri: "file:///data/reference.csv"}
  gates:
    data:
      maxDriftShare: $3
YAML
}
good_digest=sha256:$(printf '%064d' 0 | tr 0 a)

expect_fails kubectl apply -n "$ns" -f - <<<"$(mv bad-digest sha256:1234 0.5 s3://models/fraud/1)"
expect_contains "$OUT" "spec.artifact.digest" "bad digest refusal"

expect_fails kubectl apply -n "$ns" -f - <<<"$(mv big-share "$good_digest" 1.5 s3://models/fraud/1)"
expect_contains "$OUT" "spec.gates.data.maxDriftShare" "share above 1 refusal"

kubectl apply -n "$ns" -f - <<<"$(mv frozen "$good_digest" 0.5 s3://models/fraud/1)" >/dev/null
expect_fails kubectl apply -n "$ns" -f - <<<"$(mv frozen "$good_digest" 0.5 s3://models/fraud/2)"
expect_contains "$OUT" "spec.artifact" "changed artifact refusal"
expect_contains "$OUT" "immutable" "changed artifact refusal"

expect_fails kubectl apply -f - <<'YAML'
apiVersion: modelgate.io/v1alpha1
kind: ModelGatePolicy
metadata:
  name: e2e-bad-enforcement
spec:
  enforcement: Block
YAML
expect_contains "$OUT" "spec.enforcement" "unknown enforcement refusal"
expect_contains "$OUT" "Unsupported value" "unknown enforcement refusal"
