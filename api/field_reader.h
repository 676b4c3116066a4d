// FieldReader: decodes the fields of one JSON object the way the CRD's structural schema
// checks them, keeping the first error with its full field path
// ("spec.gates.data.maxDriftShare: must be between 0 and 1, got 1.5"). Internal to api/.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "api/object_meta.h"
#include "api/status.h"
#include "api/timestamp.h"

namespace modelgate::api_internal {

// Bounds of a number field. Unset bounds do not apply.
struct NumberBounds {
  std::optional<double> min;
  std::optional<double> max;
  bool exclusive_min = false;  // min < value instead of min <= value
};

inline constexpr NumberBounds kUnitInterval{0.0, 1.0, false};
inline constexpr NumberBounds kPositive{0.0, std::nullopt, true};
inline constexpr NumberBounds kNonNegative{0.0, std::nullopt, false};

// A field path joined with a key: Join("spec", "model") is "spec.model"; Join("", "spec") is
// "spec".
std::string JoinPath(const std::string& path, std::string_view key);
// "path[i]".
std::string IndexPath(const std::string& path, size_t index);
// `value` shortened for an error message (its JSON, at most 64 characters).
std::string Shown(const nlohmann::json& value);

class FieldReader {
 public:
  // Reads `object` found at `path`. When `object` is not a JSON object the reader starts
  // with the error "<path>: must be an object, got ...". A null `object` counts as {}.
  FieldReader(const nlohmann::json& object, std::string path, const DecodeOptions& options);

  // True when the field exists and is not null.
  bool Has(std::string_view key) const;
  // The field's value, or nullptr when absent or null. Marks it as known.
  const nlohmann::json* Get(std::string_view key);
  // The field's path, for nested readers and messages.
  std::string PathOf(std::string_view key) const { return JoinPath(path_, key); }

  // Each reader leaves `out` unchanged when the field is absent (so it keeps its default),
  // and records an error when the field is present with the wrong type or out of bounds.
  void String(std::string_view key, std::string* out);
  void RequiredString(std::string_view key, std::string* out);  // also refuses ""
  void OptionalString(std::string_view key, std::optional<std::string>* out);
  void Bool(std::string_view key, bool* out);
  void Int(std::string_view key, int* out, int64_t min, int64_t max);
  void Int64(std::string_view key, int64_t* out, int64_t min, int64_t max);
  void Number(std::string_view key, double* out, const NumberBounds& bounds = {});
  void OptionalNumber(std::string_view key, std::optional<double>* out,
                      const NumberBounds& bounds = {});
  void OptionalTimestamp(std::string_view key, std::optional<Timestamp>* out);
  void StringList(std::string_view key, std::vector<std::string>* out);
  void StringMap(std::string_view key, std::map<std::string, std::string>* out);

  // Reads an enum with `parse` (an XFromString function).
  template <typename E, typename Parse>
  void Enum(std::string_view key, E* out, Parse parse) {
    const nlohmann::json* v = Get(key);
    if (v == nullptr) return;
    if (!v->is_string()) return Fail(key, "must be a string, got " + Shown(*v));
    auto parsed = parse(v->template get_ref<const std::string&>());
    if (!parsed.ok()) return Fail(key, parsed.status().message());
    *out = *parsed;
  }
  template <typename E, typename Parse>
  void OptionalEnum(std::string_view key, std::optional<E>* out, Parse parse) {
    if (!Has(key)) return (void)Get(key);
    E value{};
    Enum(key, &value, parse);
    if (ok()) *out = value;
  }
  template <typename E, typename Parse>
  void RequiredEnum(std::string_view key, E* out, Parse parse) {
    if (!Has(key)) return Fail(key, "Required value");
    Enum(key, out, parse);
  }

  // Records "<path>.<key>: <message>" unless an error is already recorded.
  void Fail(std::string_view key, const std::string& message);
  // Records "<path>: <message>" unless an error is already recorded.
  void FailHere(const std::string& message);
  // Records `status` (already carrying its path) unless an error is already recorded.
  void Absorb(const Status& status);

  bool ok() const { return status_.ok(); }
  // The first error, or, when options.reject_unknown_fields, an error naming the first field
  // that no reader asked for. OK otherwise.
  Status Finish();
  const DecodeOptions& options() const { return options_; }
  const std::string& path() const { return path_; }

 private:
  const nlohmann::json* object_ = nullptr;
  std::string path_;
  DecodeOptions options_;
  std::set<std::string, std::less<>> known_;
  Status status_;
};

}  // namespace modelgate::api_internal
