#include "webhook/admission_endpoints.h"

#include <spdlog/spdlog.h>

#include <chrono>

namespace modelgate::webhook {
namespace {

constexpr const char* kTextPlain = "text/plain; charset=utf-8";

bool IsJsonContentType(std::string_view type) {
  if (type.empty()) return true;
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  return type == "application/json";
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
  AdmissionResponse response = Review(*parsed);
  HttpResponse http{200, "application/json", SerializeAdmissionReview(response)};
  const char* decision = !response.allowed            ? "denied"
                         : !response.warnings.empty() ? "warned"
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
        request.kind, request.ns, request.name, request.user.username, request.dry_run,
        response.message);
  }
  response.warnings = std::move(decision.warnings);
  response.audit_annotations = std::move(decision.audit_annotations);
  return response;
}

}  // namespace modelgate::webhook
