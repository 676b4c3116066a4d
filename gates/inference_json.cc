#include "gates/inference_json.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace modelgate::gates {
namespace {

// Walks the text once, outside strings, to bound nesting before any parser recurses, and to
// recognise the NaN / Infinity literals that strict JSON parsers only call "invalid".
Status ScanStructure(std::string_view body, int max_depth, const std::string& origin) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        if (++depth > max_depth) {
          return Status::InvalidArgument("answer from " + origin + " is nested deeper than " +
                                         std::to_string(max_depth) + " levels (byte " +
                                         std::to_string(i) + ")");
        }
        break;
      case ']':
      case '}':
        --depth;
        break;
      case 'N':
      case 'I':
        return Status::InvalidArgument("answer from " + origin +
                                       " holds a non-finite number (NaN or Infinity) at byte " +
                                       std::to_string(i));
      default:
        break;
    }
  }
  return Status::Ok();
}

}  // namespace

const char* ExchangeOutcomeName(ExchangeOutcome outcome) {
  switch (outcome) {
    case ExchangeOutcome::kAnswered:
      return "answered";
    case ExchangeOutcome::kTimedOut:
      return "timed out";
    case ExchangeOutcome::kConnectionFailed:
      return "connection failed";
    case ExchangeOutcome::kAnswerTooLarge:
      return "answer too large";
  }
  return "unknown";
}

void AppendJsonNumber(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "Infinity" : "-Infinity";
  } else {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value);
    out.append(buf, end);
  }
}

void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

namespace {

void AppendTensorLevel(std::string& out, const FeatureTensor& tensor, std::size_t dim,
                       std::size_t& next) {
  out += '[';
  for (std::size_t i = 0; i < tensor.shape[dim]; ++i) {
    if (i > 0) out += ',';
    if (dim + 1 == tensor.shape.size()) {
      AppendJsonNumber(out, tensor.data[next++]);
    } else {
      AppendTensorLevel(out, tensor, dim + 1, next);
    }
  }
  out += ']';
}

}  // namespace

void AppendJsonTensor(std::string& out, const FeatureTensor& tensor) {
  if (tensor.shape.empty()) {
    AppendJsonNumber(out, tensor.data.empty() ? 0.0 : tensor.data[0]);
    return;
  }
  std::size_t next = 0;
  AppendTensorLevel(out, tensor, 0, next);
}

void AppendJsonFeature(std::string& out, const FeatureValue& value) {
  if (std::holds_alternative<std::monostate>(value)) {
    out += "null";
  } else if (const double* number = std::get_if<double>(&value)) {
    AppendJsonNumber(out, *number);
  } else if (const std::string* text = std::get_if<std::string>(&value)) {
    AppendJsonString(out, *text);
  } else {
    AppendJsonTensor(out, std::get<FeatureTensor>(value));
  }
}

Result<nlohmann::json> ParseAnswerJson(std::string_view body, const JsonLimits& limits,
                                       const std::string& origin) {
  if (body.size() > limits.max_bytes) {
    return Status::ResourceExhausted("answer from " + origin + " is " +
                                     std::to_string(body.size()) + " bytes, over the limit of " +
                                     std::to_string(limits.max_bytes));
  }
  MODELGATE_RETURN_IF_ERROR(ScanStructure(body, limits.max_depth, origin));
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    std::string start(body.substr(0, 80));
    return Status::InvalidArgument("answer from " + origin + " is not JSON: \"" + start +
                                   (body.size() > 80 ? "...\"" : "\""));
  }
  return parsed;
}

Status FlattenNumbers(const nlohmann::json& value, std::vector<double>& out,
                      const std::string& what) {
  if (value.is_array()) {
    for (const auto& element : value) {
      MODELGATE_RETURN_IF_ERROR(FlattenNumbers(element, out, what));
    }
    return Status::Ok();
  }
  if (value.is_boolean()) {
    out.push_back(value.get<bool>() ? 1.0 : 0.0);
    return Status::Ok();
  }
  if (!value.is_number()) {
    return Status::InvalidArgument(what + " holds " + std::string(value.type_name()) +
                                   " where a number was expected");
  }
  const double number = value.get<double>();
  if (!std::isfinite(number)) {
    return Status::InvalidArgument(what + " holds a non-finite number");
  }
  out.push_back(number);
  return Status::Ok();
}

}  // namespace modelgate::gates
