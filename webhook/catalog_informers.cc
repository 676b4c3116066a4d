#include "webhook/catalog_informers.h"

#include <spdlog/spdlog.h>

#include "api/model_gate_policy.h"
#include "api/model_version.h"

namespace modelgate::webhook {
namespace {

using kube::Json;

std::string MetaString(const Json& object, const char* key) {
  auto meta = object.find("metadata");
  if (meta == object.end() || !meta->is_object()) return "";
  auto it = meta->find(key);
  return it != meta->end() && it->is_string() ? it->get<std::string>() : "";
}

void PutModelVersion(policy::InMemoryCatalog& catalog, const Json& object) {
  auto mv = ModelVersionFromJson(object);
  if (!mv.ok()) {
    // Left out of the catalog, the model counts as unknown: workloads naming it are refused
    // under Enforce, which is the safe side.
    spdlog::warn(
        "msg=\"ModelVersion not understood; treating it as unknown\" namespace={} "
        "name={} error=\"{}\"",
        MetaString(object, "namespace"), MetaString(object, "name"), mv.status().message());
    catalog.RemoveModelVersion(MetaString(object, "namespace"), MetaString(object, "name"));
    return;
  }
  catalog.UpsertModelVersion(std::move(mv).value());
}

void PutPolicy(policy::InMemoryCatalog& catalog, const Json& object) {
  auto p = ModelGatePolicyFromJson(object);
  if (!p.ok()) {
    spdlog::warn("msg=\"ModelGatePolicy not understood; ignoring it\" name={} error=\"{}\"",
                 MetaString(object, "name"), p.status().message());
    catalog.RemovePolicy(MetaString(object, "name"));
    return;
  }
  catalog.UpsertPolicy(std::move(p).value());
}

void PutNamespace(policy::InMemoryCatalog& catalog, const Json& object) {
  policy::NamespaceLabels labels;
  if (auto meta = object.find("metadata"); meta != object.end() && meta->is_object()) {
    if (auto l = meta->find("labels"); l != meta->end() && l->is_object()) {
      for (const auto& [k, v] : l->items()) {
        if (v.is_string()) labels.emplace(k, v.get<std::string>());
      }
    }
  }
  catalog.UpsertNamespace(MetaString(object, "name"), std::move(labels));
}

}  // namespace

CatalogInformers::CatalogInformers(kube::Client& client, const kube::Clock& clock,
                                   policy::InMemoryCatalog& catalog)
    : model_versions_(
          std::make_unique<kube::Informer>(client, kube::ModelVersionsResource(), "", clock)),
      policies_(
          std::make_unique<kube::Informer>(client, kube::ModelGatePoliciesResource(), "", clock)),
      namespaces_(std::make_unique<kube::Informer>(client, kube::NamespacesResource(), "", clock)) {
  policy::InMemoryCatalog* c = &catalog;
  model_versions_->AddEventHandlers({[c](const Json& o) { PutModelVersion(*c, o); },
                                     [c](const Json&, const Json& o) { PutModelVersion(*c, o); },
                                     [c](const Json& o) {
                                       c->RemoveModelVersion(MetaString(o, "namespace"),
                                                             MetaString(o, "name"));
                                     }});
  policies_->AddEventHandlers({[c](const Json& o) { PutPolicy(*c, o); },
                               [c](const Json&, const Json& o) { PutPolicy(*c, o); },
                               [c](const Json& o) { c->RemovePolicy(MetaString(o, "name")); }});
  namespaces_->AddEventHandlers(
      {[c](const Json& o) { PutNamespace(*c, o); },
       [c](const Json&, const Json& o) { PutNamespace(*c, o); },
       [c](const Json& o) { c->RemoveNamespace(MetaString(o, "name")); }});
}

CatalogInformers::~CatalogInformers() { Stop(); }

void CatalogInformers::Start() {
  model_versions_->Start();
  policies_->Start();
  namespaces_->Start();
}

void CatalogInformers::Stop() {
  model_versions_->Stop();
  policies_->Stop();
  namespaces_->Stop();
}

bool CatalogInformers::HasSynced() const {
  return model_versions_->HasSynced() && policies_->HasSynced() && namespaces_->HasSynced();
}

bool CatalogInformers::WaitForSync(const kube::StopSignal& stop,
                                   kube::Clock::TimePoint deadline) const {
  return model_versions_->WaitForSync(stop, deadline) && policies_->WaitForSync(stop, deadline) &&
         namespaces_->WaitForSync(stop, deadline);
}

}  // namespace modelgate::webhook
