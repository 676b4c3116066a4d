#include "api/field_reader.h"

#include <cmath>
#include <limits>

namespace modelgate::api_internal {
namespace {

using nlohmann::json;

const json& EmptyObject() {
  static const json* empty = new json(json::object());
  return *empty;
}

// A double in the shortest form that reads back the same ("1.5", "1e-06", "3").
std::string FormatNumber(double v) {
  if (std::floor(v) == v && std::fabs(v) < 1e15) return std::to_string(static_cast<int64_t>(v));
  return json(v).dump();
}

std::string DescribeBounds(const NumberBounds& b) {
  if (b.min && b.max && !b.exclusive_min) {
    return "must be between " + FormatNumber(*b.min) + " and " + FormatNumber(*b.max);
  }
  std::string out;
  if (b.min)
    out = (b.exclusive_min ? "must be greater than " : "must be at least ") + FormatNumber(*b.min);
  if (b.max) out += (out.empty() ? "must be at most " : " and at most ") + FormatNumber(*b.max);
  return out;
}

}  // namespace

std::string JoinPath(const std::string& path, std::string_view key) {
  if (path.empty()) return std::string(key);
  std::string out = path;
  out += '.';
  out += key;
  return out;
}

std::string IndexPath(const std::string& path, size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

std::string Shown(const json& value) {
  std::string s = value.dump(-1, ' ', false, json::error_handler_t::replace);
  if (s.size() > 64) s = s.substr(0, 61) + "...";
  return s;
}

FieldReader::FieldReader(const json& object, std::string path, const DecodeOptions& options)
    : path_(std::move(path)), options_(options) {
  if (object.is_null()) {
    object_ = &EmptyObject();
  } else if (object.is_object()) {
    object_ = &object;
  } else {
    object_ = &EmptyObject();
    FailHere("must be an object, got " + Shown(object));
  }
}

bool FieldReader::Has(std::string_view key) const {
  auto it = object_->find(key);
  return it != object_->end() && !it->is_null();
}

const json* FieldReader::Get(std::string_view key) {
  auto it = object_->find(key);
  if (it == object_->end()) return nullptr;
  known_.emplace(key);
  return it->is_null() ? nullptr : &*it;
}

void FieldReader::String(std::string_view key, std::string* out) {
  const json* v = Get(key);
  if (v == nullptr) return;
  if (!v->is_string()) return Fail(key, "must be a string, got " + Shown(*v));
  *out = v->get<std::string>();
}

void FieldReader::RequiredString(std::string_view key, std::string* out) {
  if (!Has(key)) return Fail(key, "Required value");
  String(key, out);
  if (ok() && out->empty()) Fail(key, "Required value: must not be empty");
}

void FieldReader::OptionalString(std::string_view key, std::optional<std::string>* out) {
  if (!Has(key)) return (void)Get(key);
  std::string value;
  String(key, &value);
  if (ok()) *out = std::move(value);
}

void FieldReader::Bool(std::string_view key, bool* out) {
  const json* v = Get(key);
  if (v == nullptr) return;
  if (!v->is_boolean()) return Fail(key, "must be a boolean, got " + Shown(*v));
  *out = v->get<bool>();
}

void FieldReader::Int64(std::string_view key, int64_t* out, int64_t min, int64_t max) {
  const json* v = Get(key);
  if (v == nullptr) return;
  int64_t value = 0;
  if (v->is_number_integer()) {
    if (v->is_number_unsigned() &&
        v->get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return Fail(key, "must be an integer that fits in 64 bits, got " + Shown(*v));
    }
    value = v->get<int64_t>();
  } else if (v->is_number_float() && std::isfinite(v->get<double>()) &&
             std::floor(v->get<double>()) == v->get<double>() &&
             std::fabs(v->get<double>()) < 9.0e15) {
    // JSON has one number type; 3.0 is the integer 3, as the API server accepts it.
    value = static_cast<int64_t>(v->get<double>());
  } else {
    return Fail(key, "must be an integer, got " + Shown(*v));
  }
  if (value < min || value > max) {
    std::string rule;
    // An int32 field's upper bound is the type's, not a rule worth telling the user.
    if (max >= std::numeric_limits<int32_t>::max()) {
      rule = "must be at least " + std::to_string(min);
    } else if (min == std::numeric_limits<int64_t>::min()) {
      rule = "must be at most " + std::to_string(max);
    } else {
      rule = "must be between " + std::to_string(min) + " and " + std::to_string(max);
    }
    return Fail(key, rule + ", got " + std::to_string(value));
  }
  *out = value;
}

void FieldReader::Int(std::string_view key, int* out, int64_t min, int64_t max) {
  int64_t value = *out;
  Int64(key, &value, std::max<int64_t>(min, std::numeric_limits<int>::min()),
        std::min<int64_t>(max, std::numeric_limits<int>::max()));
  if (ok()) *out = static_cast<int>(value);
}

void FieldReader::Number(std::string_view key, double* out, const NumberBounds& bounds) {
  const json* v = Get(key);
  if (v == nullptr) return;
  if (!v->is_number()) return Fail(key, "must be a number, got " + Shown(*v));
  double value = v->get<double>();
  if (!std::isfinite(value)) return Fail(key, "must be a finite number, got " + Shown(*v));
  bool below = bounds.min && (bounds.exclusive_min ? value <= *bounds.min : value < *bounds.min);
  bool above = bounds.max && value > *bounds.max;
  if (below || above) return Fail(key, DescribeBounds(bounds) + ", got " + Shown(*v));
  *out = value;
}

void FieldReader::OptionalNumber(std::string_view key, std::optional<double>* out,
                                 const NumberBounds& bounds) {
  if (!Has(key)) return (void)Get(key);
  double value = 0;
  Number(key, &value, bounds);
  if (ok()) *out = value;
}

void FieldReader::OptionalTimestamp(std::string_view key, std::optional<Timestamp>* out) {
  const json* v = Get(key);
  if (v == nullptr) return;
  if (!v->is_string()) return Fail(key, "must be an RFC 3339 date-time string, got " + Shown(*v));
  auto t = ParseTimestamp(v->get_ref<const std::string&>());
  if (!t.ok()) return Fail(key, t.status().message());
  *out = *t;
}

void FieldReader::StringList(std::string_view key, std::vector<std::string>* out) {
  const json* v = Get(key);
  if (v == nullptr) return;
  if (!v->is_array()) return Fail(key, "must be a list of strings, got " + Shown(*v));
  std::vector<std::string> values;
  for (size_t i = 0; i < v->size(); ++i) {
    const json& item = (*v)[i];
    if (!item.is_string()) {
      return Absorb(Status::InvalidArgument(IndexPath(PathOf(key), i) + ": must be a string, got " +
                                            Shown(item)));
    }
    values.push_back(item.get<std::string>());
  }
  *out = std::move(values);
}

void FieldReader::StringMap(std::string_view key, std::map<std::string, std::string>* out) {
  const json* v = Get(key);
  if (v == nullptr) return;
  if (!v->is_object()) return Fail(key, "must be a map of strings, got " + Shown(*v));
  std::map<std::string, std::string> values;
  for (const auto& [k, item] : v->items()) {
    if (!item.is_string()) {
      return Fail(key, "value of \"" + k + "\" must be a string, got " + Shown(item));
    }
    values[k] = item.get<std::string>();
  }
  *out = std::move(values);
}

void FieldReader::Fail(std::string_view key, const std::string& message) {
  if (ok()) status_ = Status::InvalidArgument(PathOf(key) + ": " + message);
}

void FieldReader::FailHere(const std::string& message) {
  if (!ok()) return;
  status_ = Status::InvalidArgument(path_.empty() ? message : path_ + ": " + message);
}

void FieldReader::Absorb(const Status& status) {
  if (ok() && !status.ok()) status_ = status;
}

Status FieldReader::Finish() {
  if (!ok() || !options_.reject_unknown_fields) return status_;
  for (const auto& [key, value] : object_->items()) {
    if (known_.find(key) == known_.end()) {
      return Status::InvalidArgument(PathOf(key) + ": unknown field");
    }
  }
  return status_;
}

}  // namespace modelgate::api_internal
