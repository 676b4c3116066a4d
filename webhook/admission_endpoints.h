// The webhook's HTTP routes: POST /validate (AdmissionReview v1), GET /healthz, GET /readyz
// (503 until the caches have synced) and GET /metrics. Decisions read only the catalog.
#pragma once

#include <functional>

#include "api/timestamp.h"
#include "policy/admission_catalog.h"
#include "policy/admission_decision.h"
#include "webhook/admission_metrics.h"
#include "webhook/admission_review.h"
#include "webhook/http_types.h"

namespace modelgate::webhook {

class AdmissionEndpoints {
 public:
  // REQUIRES: catalog and metrics outlive this object; ready and now are callable from any
  // server thread.
  AdmissionEndpoints(const policy::AdmissionCatalog& catalog, std::function<bool()> ready,
                     std::function<Timestamp()> now, policy::DecisionOptions options,
                     AdmissionMetrics& metrics);

  // Answers one request; never throws for bad input (400 with a message instead). Until
  // `ready` returns true, AdmissionReviews are refused with code 503: the caches are empty.
  HttpResponse Handle(const HttpRequest& request) const;

  // The AdmissionResponse for a parsed request; the decision path without HTTP.
  AdmissionResponse Review(const AdmissionRequest& request) const;

 private:
  HttpResponse Validate(const HttpRequest& request) const;

  const policy::AdmissionCatalog& catalog_;
  const std::function<bool()> ready_;
  const std::function<Timestamp()> now_;
  const policy::DecisionOptions options_;
  AdmissionMetrics& metrics_;
};

}  // namespace modelgate::webhook
