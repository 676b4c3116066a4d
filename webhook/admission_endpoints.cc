#include "webhook/admission_endpoints.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace modelgate::webhook {
namespace {

constexpr const char* kTextPlain = "text/plain; charset=utf-8";

bool IsJsonContentType(std::string_view type) {
  if (type.empty()) return true;
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  return type == "application/json";
}

// A value for a quoted key="value" log field: quotes and backslashes escaped, so reasons
// that quote a digest stay one field.
std::string Quoted(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c == '\n' ? ' ' : c);
  }
  return out;
}

std::string JoinAnnotations(const std::map<std::string, std::string>& annotations) {
  std::string out;
  for (const auto& [key, value] : annotations) {
    if (!out.empty()) out += "; ";
    out += key + "=" + value;
  }
  return out;
}

std::string JoinWarnings(const std::vector<std::string>& warnings) {
  std::string out;
  for (const std::string& w : warnings) {
    if (!out.empty()) out += "; ";
    out += w;
  }
  return out;
}

}  // namespace

AdmissionEndpoints::AdmissionEndpoints(const policy::AdmissionCatalog& catalog,
                                       std::function<bool()> ready, std::function<Timestamp()> now,
                                       policy::DecisionOptions options, AdmissionMetrics& metrics)
    : catalog_(catalog),
      ready_(std::move(ready)),
      now_(std::move(now)),
      options_(std::move(options)),
      metrics_(metrics) {}

HttpResponse AdmissionEndpoints::Handle(const HttpRequest& request) const {
  const std::string_view path = TargetPath(request.target);
  const bool get = request.method == "GET" || request.method == "HEAD";
  if (path == "/validate") {
    if (request.method != "POST") return {405, kTextPlain, "/validate accepts POST only\n"};
    return Validate(request);
  }
  if (path == "/healthz" && get) return {200, kTextPlain, "ok\n"};
  if (path == "/readyz" && get) {
    if (ready_()) return {200, kTextPlain, "ok\n"};
    return {503, kTextPlain,
            "not ready: the ModelVersion, policy and namespace caches have not synced\n"};
  }
  if (path == "/metrics" && get) {
    return {200, "text/plain; version=0.0.4; charset=utf-8", metrics_.RenderPrometheus()};
  }
  return {404, kTextPlain, "no such endpoint; try /validate, /healthz, /readyz or /metrics\n"};
}

HttpResponse AdmissionEndpoints::Validate(const HttpRequest& request) const {
  const auto start = std::chrono::steady_clock::now();
  if (!IsJsonContentType(request.content_type)) {
    metrics_.Record("", "", "invalid", std::chrono::steady_clock::now() - start);
    return {415, kTextPlain,
            "AdmissionReview must be sent as application/json, not " +
                std::string(request.content_type) + "\n"};
  }
  auto parsed = ParseAdmissionReview(request.body.data(), request.body.size());
  if (!parsed.ok()) {
    metrics_.Record("", "", "invalid", std::chrono::steady_clock::now() - start);
    return {400, kTextPlain, parsed.status().message() + "\n"};
  }
  if (!ready_()) {
    // With empty caches every workload would look unguarded and be admitted: until they
    // have synced, refuse instead (failing closed, like failurePolicy Fail).
    AdmissionResponse unready;
    unready.uid = parsed->uid;
    unready.allowed = false;
    unready.code = 503;
    unready.message =
        "modelgate's webhook is starting: its ModelVersion, policy and namespace caches have "
        "not synced yet; retry shortly";
    metrics_.Record(parsed->kind, parsed->operation, "unready",
                    std::chrono::steady_clock::now() - start);
    return {200, "application/json", SerializeAdmissionReview(unready)};
  }
  AdmissionResponse response = Review(*parsed);
  HttpResponse http{200, "application/json", SerializeAdmissionReview(response)};
  const char* decision = !response.allowed                     ? "denied"
                         : !response.warnings.empty()          ? "warned"
                         : !response.audit_annotations.empty() ? "audited"
                                                               : "allowed";
  metrics_.Record(parsed->kind, parsed->operation, decision,
                  std::chrono::steady_clock::now() - start);
  return http;
}

AdmissionResponse AdmissionEndpoints::Review(const AdmissionRequest& request) const {
  policy::AdmissionAttributes attributes;
  attributes.group = request.kind_group;
  attributes.kind = request.kind;
  attributes.resource = request.resource;
  attributes.sub_resource = request.sub_resource;
  attributes.ns = request.ns;
  attributes.name = request.name;
  attributes.operation = request.operation;
  attributes.username = request.user.username;
  attributes.groups = request.user.groups;
  attributes.object = request.object.is_null() ? nullptr : &request.object;
  attributes.old_object = request.old_object.is_null() ? nullptr : &request.old_object;
  // Deciding has no side effects, so a dry run gets exactly the answer a real request would.
  policy::AdmissionDecision decision = policy::Decide(attributes, catalog_, now_(), options_);
  AdmissionResponse response;
  response.uid = request.uid;
  response.allowed = decision.allowed;
  if (!decision.allowed) {
    response.code = 403;
    response.message = std::move(decision.message);
    spdlog::info(
        "msg=\"admission denied\" kind={} namespace={} name={} user=\"{}\" dryRun={} "
        "reason=\"{}\"",
        request.kind, request.ns, request.name, Quoted(request.user.username), request.dry_run,
        Quoted(response.message));
  }
  response.warnings = std::move(decision.warnings);
  response.audit_annotations = std::move(decision.audit_annotations);
  if (response.allowed && (!response.warnings.empty() || !response.audit_annotations.empty())) {
    // Audit annotations reach the API server's audit log only where one is configured; this
    // line records them either way.
    spdlog::info(
        "msg=\"admission allowed with findings\" kind={} namespace={} name={} user=\"{}\" "
        "dryRun={} warnings=\"{}\" auditAnnotations=\"{}\"",
        request.kind, request.ns, request.name, Quoted(request.user.username), request.dry_run,
        Quoted(JoinWarnings(response.warnings)),
        Quoted(JoinAnnotations(response.audit_annotations)));
  }
  return response;
}

}  // namespace modelgate::webhook
