// modelgate_admission_cost: what the webhook spends on one AdmissionReview outside the
// HTTPS layer (parsing it, deciding over the catalog, writing the answer), with the
// benchmark's objects in the catalog. Run it under `valgrind --tool=callgrind` for an
// instruction count that does not depend on how busy the machine is.
//
//   modelgate_admission_cost DIR --namespace NS [--iterations N]
//
// DIR holds make_objects.py's modelversions.json (with the statuses make_objects.py gives),
// policies.json and review.json. Every ModelVersion is put in NS. Prints one JSON object:
// the catalog's size, the decision of the last request, and nanoseconds per request: the mean
// and the 50th, 99th and 99.9th percentiles and the maximum of the requests one by one.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "api/model_gate_policy.h"
#include "api/model_version.h"
#include "policy/in_memory_catalog.h"
#include "webhook/admission_endpoints.h"
#include "webhook/admission_metrics.h"

namespace modelgate::bench {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "modelgate_admission_cost: cannot read " << path << "\n";
    std::exit(1);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int Run(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: modelgate_admission_cost DIR --namespace NS [--iterations N]\n";
    return 2;
  }
  const std::string dir = argv[1];
  std::string ns;
  long iterations = 100000;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--namespace") {
      ns = argv[i + 1];
    } else if (flag == "--iterations") {
      iterations = std::strtol(argv[i + 1], nullptr, 10);
    } else {
      std::cerr << "modelgate_admission_cost: unknown flag " << flag << "\n";
      return 2;
    }
  }
  if (ns.empty() || iterations <= 0) {
    std::cerr << "modelgate_admission_cost: --namespace and a positive --iterations needed\n";
    return 2;
  }

  policy::InMemoryCatalog catalog;
  const nlohmann::json mvs = nlohmann::json::parse(ReadFile(dir + "/modelversions.json"));
  for (nlohmann::json item : mvs.at("items")) {
    item["metadata"]["namespace"] = ns;
    if (!item["metadata"].contains("generation")) item["metadata"]["generation"] = 1;
    Result<ModelVersion> mv = ModelVersionFromJson(item);
    if (!mv.ok()) {
      std::cerr << "modelgate_admission_cost: " << mv.status().message() << "\n";
      return 1;
    }
    catalog.UpsertModelVersion(*mv);
  }
  const nlohmann::json policies = nlohmann::json::parse(ReadFile(dir + "/policies.json"));
  for (const nlohmann::json& item : policies.at("items")) {
    Result<ModelGatePolicy> policy = ModelGatePolicyFromJson(item);
    if (!policy.ok()) {
      std::cerr << "modelgate_admission_cost: " << policy.status().message() << "\n";
      return 1;
    }
    catalog.UpsertPolicy(std::move(policy).value());
  }
  catalog.UpsertNamespace(ns, {{"kubernetes.io/metadata.name", ns}});

  webhook::AdmissionMetrics metrics;
  const Timestamp now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  webhook::AdmissionEndpoints endpoints(
      catalog, [] { return true; }, [now] { return now; }, policy::DecisionOptions{}, metrics);
  const std::string review = ReadFile(dir + "/review.json");
  webhook::HttpRequest request{"POST", "/validate", "application/json", review};

  webhook::HttpResponse response;
  std::vector<std::int64_t> each(static_cast<size_t>(iterations));
  const auto start = std::chrono::steady_clock::now();
  auto before = start;
  for (long i = 0; i < iterations; ++i) {
    response = endpoints.Handle(request);
    const auto after = std::chrono::steady_clock::now();
    each[static_cast<size_t>(i)] =
        std::chrono::duration_cast<std::chrono::nanoseconds>(after - before).count();
    before = after;
  }
  const auto elapsed = before - start;
  std::sort(each.begin(), each.end());
  auto percentile = [&](double q) {
    return each[std::min(each.size() - 1,
                         static_cast<size_t>(q * static_cast<double>(each.size())))];
  };

  nlohmann::json out = {
      {"model_versions", catalog.model_version_count()},
      {"policies", policies.at("items").size()},
      {"review_bytes", review.size()},
      {"iterations", iterations},
      {"status", response.status},
      {"response", response.body},
      {"ns_per_request",
       std::chrono::duration<double, std::nano>(elapsed).count() / static_cast<double>(iterations)},
      {"ns_p50", percentile(0.5)},
      {"ns_p99", percentile(0.99)},
      {"ns_p999", percentile(0.999)},
      {"ns_max", each.back()},
  };
  std::cout << out.dump() << "\n";
  return response.status == 200 ? 0 : 1;
}

}  // namespace
}  // namespace modelgate::bench

int main(int argc, char** argv) { return modelgate::bench::Run(argc, argv); }
