#include "api/gates_spec_json.h"

#include <set>

#include "api/field_reader.h"

namespace modelgate::api_internal {
namespace {

using nlohmann::json;

constexpr int64_t kMaxInt = 2147483647;

void ReadCommon(FieldReader& r, GateCommon* common) {
  r.Bool("enabled", &common->enabled);
  r.Int("timeoutSeconds", &common->timeout_seconds, 1, kMaxInt);
}

void WriteCommon(const GateCommon& common, json& j) {
  j["enabled"] = common.enabled;
  j["timeoutSeconds"] = common.timeout_seconds;
}

// Decodes the object at `key` of `parent` with `decode(reader, out)`; absent leaves `out` as
// it is (its defaults).
template <typename T, typename Decode>
void ReadObject(FieldReader& parent, std::string_view key, T* out, Decode decode) {
  const json* v = parent.Get(key);
  if (v == nullptr || !parent.ok()) return;
  FieldReader r(*v, parent.PathOf(key), parent.options());
  decode(r, out);
  parent.Absorb(r.Finish());
}

template <typename T, typename Decode>
void ReadOptionalObject(FieldReader& parent, std::string_view key, std::optional<T>* out,
                        Decode decode) {
  if (!parent.Has(key)) return (void)parent.Get(key);
  T value{};
  ReadObject(parent, key, &value, decode);
  if (parent.ok()) *out = std::move(value);
}

void ReadColumns(FieldReader& r, std::vector<ColumnDrift>* out) {
  const json* v = r.Get("columns");
  if (v == nullptr || !r.ok()) return;
  if (!v->is_array()) return r.Fail("columns", "must be a list, got " + Shown(*v));
  std::set<std::string> names;
  for (size_t i = 0; i < v->size() && r.ok(); ++i) {
    FieldReader c((*v)[i], IndexPath(r.PathOf("columns"), i), r.options());
    ColumnDrift column;
    c.RequiredString("name", &column.name);
    c.OptionalEnum("method", &column.method, DriftMethodFromString);
    c.OptionalNumber("threshold", &column.threshold, kPositive);
    if (c.ok() && !names.insert(column.name).second) {
      c.Fail("name", "Duplicate value: \"" + column.name + "\"");
    }
    r.Absorb(c.Finish());
    out->push_back(std::move(column));
  }
}

void ReadData(FieldReader& r, DataGateSpec* d) {
  ReadCommon(r, &d->common);
  r.Number("maxDriftShare", &d->max_drift_share, kUnitInterval);
  r.Enum("method", &d->method, DriftMethodFromString);
  r.OptionalNumber("threshold", &d->threshold, kPositive);
  ReadColumns(r, &d->columns);
  r.OptionalNumber("maxNullRate", &d->max_null_rate, kUnitInterval);
  r.OptionalNumber("maxNullRateIncrease", &d->max_null_rate_increase, kUnitInterval);
  r.Bool("failOnUnseenCategories", &d->fail_on_unseen_categories);
  r.Bool("failOnOutOfRange", &d->fail_on_out_of_range);
}

void ReadChampion(FieldReader& r, ChampionComparison* c) {
  r.RequiredString("modelVersion", &c->model_version);
  r.OptionalNumber("maxDegradation", &c->max_degradation, kNonNegative);
  r.OptionalNumber("maxRelativeDegradation", &c->max_relative_degradation, kUnitInterval);
}

void ReadOverfitting(FieldReader& r, OverfittingCheck* o) {
  r.Int("patienceEpochs", &o->patience_epochs, 1, kMaxInt);
  r.OptionalNumber("maxTrainHoldoutGap", &o->max_train_holdout_gap, kUnitInterval);
}

void ReadQuality(FieldReader& r, QualityGateSpec* q) {
  ReadCommon(r, &q->common);
  r.OptionalEnum("metric", &q->metric, QualityMetricFromString);
  r.OptionalNumber("threshold", &q->threshold);
  r.Number("baselineMargin", &q->baseline_margin, kNonNegative);
  ReadOptionalObject(r, "champion", &q->champion, ReadChampion);
  r.Int("batchSize", &q->batch_size, 1, kMaxInt);
  r.OptionalString("positiveClass", &q->positive_class);
  ReadObject(r, "overfitting", &q->overfitting, ReadOverfitting);
}

void ReadCases(FieldReader& r, RobustnessCases* c) {
  r.RequiredString("uri", &c->uri);
  r.String("format", &c->format);
  if (r.ok() && c->format != "jsonl") {
    r.Fail("format", "must be one of jsonl, got \"" + c->format.substr(0, 64) + "\"");
  }
}

void ReadRobustness(FieldReader& r, RobustnessGateSpec* g) {
  ReadCommon(r, &g->common);
  ReadOptionalObject(r, "cases", &g->cases, ReadCases);
  r.Int("requestTimeoutSeconds", &g->request_timeout_seconds, 1, kMaxInt);
  r.Int("maxFailures", &g->max_failures, 0, kMaxInt);
}

void ReadCompareTo(FieldReader& r, LatencyComparison* c) {
  r.RequiredString("modelVersion", &c->model_version);
  r.Number("maxP99Ratio", &c->max_p99_ratio, kPositive);
}

void ReadStress(FieldReader& r, StressGateSpec* s) {
  ReadCommon(r, &s->common);
  r.Enum("mode", &s->mode, StressModeFromString);
  r.Int("concurrency", &s->concurrency, 1, kMaxInt);
  r.OptionalNumber("rate", &s->rate, kPositive);
  r.Int("durationSeconds", &s->duration_seconds, 1, kMaxInt);
  r.Int("warmupSeconds", &s->warmup_seconds, 0, kMaxInt);
  r.OptionalNumber("maxP50Ms", &s->max_p50_ms, kPositive);
  r.OptionalNumber("maxP95Ms", &s->max_p95_ms, kPositive);
  r.OptionalNumber("maxP99Ms", &s->max_p99_ms, kPositive);
  r.Number("maxErrorRate", &s->max_error_rate, kUnitInterval);
  ReadOptionalObject(r, "compareTo", &s->compare_to, ReadCompareTo);
  if (r.ok() && s->mode == StressMode::kOpen && !s->rate) {
    r.Fail("rate", "Required value: rate is required when mode is open");
  }
}

template <typename T>
void PutOptional(json& j, const char* key, const std::optional<T>& v) {
  if (v) j[key] = *v;
}

}  // namespace

Result<GatesSpec> GatesSpecFromJson(const json& j, const std::string& path,
                                    const DecodeOptions& options) {
  FieldReader r(j, path, options);
  GatesSpec gates;
  r.Bool("runAll", &gates.run_all);
  ReadObject(r, "data", &gates.data, ReadData);
  ReadObject(r, "quality", &gates.quality, ReadQuality);
  ReadObject(r, "robustness", &gates.robustness, ReadRobustness);
  ReadObject(r, "stress", &gates.stress, ReadStress);
  MODELGATE_RETURN_IF_ERROR(r.Finish());
  return gates;
}

json GatesSpecToJson(const GatesSpec& gates) {
  json data = json::object();
  const DataGateSpec& d = gates.data;
  WriteCommon(d.common, data);
  data["maxDriftShare"] = d.max_drift_share;
  data["method"] = ToString(d.method);
  PutOptional(data, "threshold", d.threshold);
  if (!d.columns.empty()) {
    json columns = json::array();
    for (const auto& c : d.columns) {
      json col = {{"name", c.name}};
      if (c.method) col["method"] = ToString(*c.method);
      PutOptional(col, "threshold", c.threshold);
      columns.push_back(std::move(col));
    }
    data["columns"] = std::move(columns);
  }
  PutOptional(data, "maxNullRate", d.max_null_rate);
  PutOptional(data, "maxNullRateIncrease", d.max_null_rate_increase);
  data["failOnUnseenCategories"] = d.fail_on_unseen_categories;
  data["failOnOutOfRange"] = d.fail_on_out_of_range;

  json quality = json::object();
  const QualityGateSpec& q = gates.quality;
  WriteCommon(q.common, quality);
  if (q.metric) quality["metric"] = ToString(*q.metric);
  PutOptional(quality, "threshold", q.threshold);
  quality["baselineMargin"] = q.baseline_margin;
  if (q.champion) {
    json champion = {{"modelVersion", q.champion->model_version}};
    PutOptional(champion, "maxDegradation", q.champion->max_degradation);
    PutOptional(champion, "maxRelativeDegradation", q.champion->max_relative_degradation);
    quality["champion"] = std::move(champion);
  }
  quality["batchSize"] = q.batch_size;
  PutOptional(quality, "positiveClass", q.positive_class);
  json overfitting = {{"patienceEpochs", q.overfitting.patience_epochs}};
  PutOptional(overfitting, "maxTrainHoldoutGap", q.overfitting.max_train_holdout_gap);
  quality["overfitting"] = std::move(overfitting);

  json robustness = json::object();
  const RobustnessGateSpec& g = gates.robustness;
  WriteCommon(g.common, robustness);
  if (g.cases) robustness["cases"] = {{"uri", g.cases->uri}, {"format", g.cases->format}};
  robustness["requestTimeoutSeconds"] = g.request_timeout_seconds;
  robustness["maxFailures"] = g.max_failures;

  json stress = json::object();
  const StressGateSpec& s = gates.stress;
  WriteCommon(s.common, stress);
  stress["mode"] = ToString(s.mode);
  stress["concurrency"] = s.concurrency;
  PutOptional(stress, "rate", s.rate);
  stress["durationSeconds"] = s.duration_seconds;
  stress["warmupSeconds"] = s.warmup_seconds;
  PutOptional(stress, "maxP50Ms", s.max_p50_ms);
  PutOptional(stress, "maxP95Ms", s.max_p95_ms);
  PutOptional(stress, "maxP99Ms", s.max_p99_ms);
  stress["maxErrorRate"] = s.max_error_rate;
  if (s.compare_to) {
    stress["compareTo"] = {{"modelVersion", s.compare_to->model_version},
                           {"maxP99Ratio", s.compare_to->max_p99_ratio}};
  }

  return {{"runAll", gates.run_all},
          {"data", std::move(data)},
          {"quality", std::move(quality)},
          {"robustness", std::move(robustness)},
          {"stress", std::move(stress)}};
}

}  // namespace modelgate::api_internal
