// modelgate_data_gate_bench: the data gate on two CSV files, as `modelgate validate` runs it
// (one streaming pass over each file, then the checks and Evidently's default drift method
// per feature), plus every drift statistic of every feature computed from the same profiles,
// so bench/gates/compare.py can hold them against pandas + scipy and DuckDB.
//
//   modelgate_data_gate_bench REFERENCE.csv TRAINING.csv [--exclude COLUMN]...
//       [--max-drift-share X] [--exact] [--sketch-k K] [--threads N]
//
// --exact keeps every numeric value (memory grows with the row count; statistics are exact,
// as scipy's); the default switches to the KLL sketch past ProfileOptions::exact_value_limit
// values per column, as the gate does. Prints one JSON object on stdout; exit 0 with a
// verdict, 2 when a file cannot be read or a flag is wrong.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "gates/byte_source.h"
#include "gates/column_profile.h"
#include "gates/data_gate.h"
#include "gates/dataset.h"
#include "gates/drift.h"
#include "gates/feature_drift.h"
#include "gates/kolmogorov_smirnov.h"
#include "gates/quantile_sketch.h"

namespace modelgate::bench {
namespace {

using gates::ColumnKind;
using gates::ColumnProfile;
using gates::DatasetProfile;
using gates::DriftMethod;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// A positive number from a flag, or false.
bool ParsePositive(const char* text, double* value) {
  char* end = nullptr;
  *value = std::strtod(text, &end);
  return end != text && *end == '\0' && *value > 0;
}

struct Flags {
  std::string reference;
  std::string training;
  gates::DataGateConfig config;
};

bool ParseFlags(int argc, char** argv, Flags* flags) {
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (arg == "--exact") {
      flags->config.profile.exact_value_limit = std::numeric_limits<std::size_t>::max();
    } else if (arg == "--sketch-k" || arg == "--max-drift-share" || arg == "--exclude" ||
               arg == "--threads") {
      const char* v = value();
      double number = 0;
      if (v == nullptr) return false;
      if (arg == "--exclude") {
        flags->config.excluded_columns.emplace_back(v);
      } else if (!ParsePositive(v, &number)) {
        return false;
      } else if (arg == "--threads") {
        flags->config.profile.threads = static_cast<int>(number);
      } else if (arg == "--sketch-k") {
        if (number < 8 || number > 1 << 20) return false;
        flags->config.profile.sketch_k = static_cast<std::uint32_t>(number);
      } else {
        flags->config.max_drift_share = number;
      }
    } else if (arg.rfind("--", 0) == 0) {
      return false;
    } else {
      positional.push_back(arg);
    }
  }
  if (positional.size() != 2) return false;
  flags->reference = positional[0];
  flags->training = positional[1];
  return true;
}

Result<DatasetProfile> Profile(const std::string& path, const gates::ProfileOptions& options) {
  auto bytes = gates::OpenFileByteSource(path);
  if (!bytes.ok()) return bytes.status();
  auto rows = gates::OpenDataset(std::move(bytes).value(), gates::DatasetFormat::kCsv);
  if (!rows.ok()) return rows.status();
  return gates::ProfileDataset(**rows, path, options);
}

// A drift method's score, or null when it does not apply to the column.
nlohmann::json Score(const std::string& column, const ColumnProfile& reference,
                     const ColumnProfile& training, ColumnKind kind, DriftMethod method) {
  auto drift = gates::ComputeFeatureDrift(column, reference, training, kind, method, std::nullopt);
  if (!drift.ok()) return nullptr;
  return drift->score;
}

// Every statistic of a numeric column, from one distribution per side (sorting the values
// of an exact profile is the expensive part, so it is done once).
nlohmann::json NumericStatistics(const ColumnProfile& reference, const ColumnProfile& training) {
  const gates::EmpiricalDistribution r = reference.NumericDistribution();
  const gates::EmpiricalDistribution c = training.NumericDistribution();
  const double d = gates::KsStatistic(r, c);
  const std::vector<double> edges = gates::DecileEdges(r);
  return {
      {"ks_d", d},
      {"ks_p", gates::KsPValue(d, reference.numeric_count(), training.numeric_count()).p_value},
      {"psi",
       gates::PopulationStabilityIndex(gates::BinCounts(r, edges), gates::BinCounts(c, edges))},
      {"wasserstein", gates::NormedWassersteinDistance(r, c, reference.population_std())},
      {"sketched", !reference.exact() || !training.exact()},
  };
}

nlohmann::json ColumnJson(const std::string& name, const ColumnProfile& reference,
                          const ColumnProfile& training) {
  nlohmann::json column = {{"null_rate", training.null_rate()},
                           {"reference_null_rate", reference.null_rate()}};
  const bool numeric = reference.numeric() && training.non_numeric_count() == 0;
  column["kind"] = numeric ? "numeric" : "categorical";
  if (numeric) {
    column["min"] = training.min();
    column["max"] = training.max();
    column.update(NumericStatistics(reference, training));
  } else {
    column["jensenshannon"] =
        Score(name, reference, training, ColumnKind::kCategorical, DriftMethod::kJensenShannon);
    column["chisquare_p"] =
        Score(name, reference, training, ColumnKind::kCategorical, DriftMethod::kChiSquare);
    column["psi"] = Score(name, reference, training, ColumnKind::kCategorical, DriftMethod::kPsi);
  }
  return column;
}

int Run(int argc, char** argv) {
  Flags flags;
  if (!ParseFlags(argc, argv, &flags)) {
    std::cerr << "usage: modelgate_data_gate_bench REFERENCE.csv TRAINING.csv [--exclude C]...\n"
                 "       [--max-drift-share X] [--exact] [--sketch-k K] [--threads N]\n";
    return 2;
  }
  const Clock::time_point start = Clock::now();
  Result<DatasetProfile> reference = Profile(flags.reference, flags.config.profile);
  if (!reference.ok()) {
    std::cerr << reference.status().message() << "\n";
    return 2;
  }
  Result<DatasetProfile> training = Profile(flags.training, flags.config.profile);
  if (!training.ok()) {
    std::cerr << training.status().message() << "\n";
    return 2;
  }
  const Clock::time_point profiled = Clock::now();
  gates::GateResult result = gates::EvaluateDataGate(*reference, *training, flags.config);
  const Clock::time_point evaluated = Clock::now();

  nlohmann::json out = {
      {"verdict", gates::GateVerdictName(result.verdict)},
      {"message", result.message},
      {"drift_share", result.metrics["drift_share"]},
      {"reference_rows", reference->rows},
      {"training_rows", training->rows},
      {"profile_seconds", Seconds(profiled - start)},
      {"evaluate_seconds", Seconds(evaluated - profiled)},
      {"sketch_rank_error_bound",
       gates::QuantileSketch::RankErrorBound(flags.config.profile.sketch_k)},
  };
  nlohmann::json findings = nlohmann::json::array();
  for (const auto& finding : result.details["findings"]) {
    if (finding["severity"] != "info") findings.push_back(finding);
  }
  out["findings"] = findings;
  nlohmann::json columns = nlohmann::json::object();
  for (const auto& drift : result.details["drift"]) {
    const std::string name = drift["column"];
    const ColumnProfile* r = reference->Find(name);
    const ColumnProfile* c = training->Find(name);
    nlohmann::json column = ColumnJson(name, *r, *c);
    column["method"] = drift["method"];
    column["score"] = drift["score"];
    column["drifted"] = drift["drifted"];
    columns[name] = std::move(column);
  }
  out["columns"] = std::move(columns);
  std::cout << out.dump(1) << "\n";
  return 0;
}

}  // namespace
}  // namespace modelgate::bench

int main(int argc, char** argv) { return modelgate::bench::Run(argc, argv); }
