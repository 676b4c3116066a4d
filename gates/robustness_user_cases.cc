#include "gates/robustness_user_cases.h"

#include <nlohmann/json.hpp>

#include "gates/inference_json.h"

namespace modelgate::gates {
namespace {

using OrderedJson = nlohmann::ordered_json;

// The shape of a rectangular nested list of numbers, or an error naming `where`.
Status ReadTensor(const OrderedJson& value, FeatureTensor& tensor, std::size_t depth,
                  const std::string& where) {
  if (!value.is_array()) {
    if (!value.is_number()) return Status::InvalidArgument(where + ": a list holds a non-number");
    if (depth != tensor.shape.size()) {
      return Status::InvalidArgument(where + ": the nested list is not rectangular");
    }
    tensor.data.push_back(value.get<double>());
    return Status::Ok();
  }
  if (depth == tensor.shape.size()) {
    if (!tensor.data.empty()) {
      return Status::InvalidArgument(where + ": the nested list is not rectangular");
    }
    tensor.shape.push_back(value.size());
  } else if (depth > tensor.shape.size() || tensor.shape[depth] != value.size()) {
    return Status::InvalidArgument(where + ": the nested list is not rectangular");
  }
  for (const auto& element : value) {
    MODELGATE_RETURN_IF_ERROR(ReadTensor(element, tensor, depth + 1, where));
  }
  return Status::Ok();
}

Result<FeatureValue> ReadValue(const OrderedJson& value, const std::string& where) {
  if (value.is_null()) return FeatureValue(std::monostate{});
  if (value.is_boolean()) return FeatureValue(value.get<bool>() ? 1.0 : 0.0);
  if (value.is_number()) return FeatureValue(value.get<double>());
  if (value.is_string()) return FeatureValue(value.get<std::string>());
  if (value.is_array()) {
    FeatureTensor tensor;
    MODELGATE_RETURN_IF_ERROR(ReadTensor(value, tensor, 0, where));
    return FeatureValue(std::move(tensor));
  }
  return Status::InvalidArgument(where +
                                 " is an object; expected null, a number, a text or a list");
}

Result<RobustnessCase> ReadCase(std::string_view line, const std::string& where,
                                const UserCaseLimits& limits) {
  JsonLimits json_limits;
  json_limits.max_bytes = limits.max_line_bytes;
  json_limits.max_depth = limits.max_depth;
  // The structural scan bounds depth and finds NaN before a parser sees the line.
  Result<nlohmann::json> checked = ParseAnswerJson(line, json_limits, where);
  if (!checked.ok()) {
    std::string message = checked.status().message();
    if (message.find("is not JSON") != std::string::npos) {
      try {
        OrderedJson ignored = OrderedJson::parse(line);
      } catch (const nlohmann::json::parse_error& e) {
        // Point at the column the parser stopped at; `where` ends in ":1" for column 1.
        return Status::InvalidArgument(where.substr(0, where.size() - 1) + std::to_string(e.byte) +
                                       ": not JSON");
      }
    }
    const std::string prefix = "answer from " + where;
    if (message.rfind(prefix, 0) == 0) message = where + ":" + message.substr(prefix.size());
    return Status::InvalidArgument(message);
  }
  OrderedJson object = OrderedJson::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!object.is_object()) return Status::InvalidArgument(where + ": a case must be an object");

  RobustnessCase robustness_case;
  robustness_case.origin = where;
  auto name = object.find("name");
  if (name == object.end() || !name->is_string() || name->get<std::string>().empty()) {
    return Status::InvalidArgument(where + ": \"name\" must be a non-empty text");
  }
  robustness_case.name = name->get<std::string>();
  auto expect = object.find("expect");
  const std::string expectation = expect != object.end() && expect->is_string() ? *expect : "";
  if (expectation == "valid") {
    robustness_case.expect = CaseExpectation::kValid;
  } else if (expectation == "invalid") {
    robustness_case.expect = CaseExpectation::kInvalid;
  } else if (expectation == "handled") {
    robustness_case.expect = CaseExpectation::kHandled;
  } else {
    return Status::InvalidArgument(where +
                                   ": \"expect\" must be \"valid\", \"invalid\" or \"handled\"");
  }
  auto input = object.find("input");
  if (input == object.end() || !input->is_object()) {
    return Status::InvalidArgument(where + ": \"input\" must be an object of feature values");
  }
  robustness_case.input.rows.emplace_back();
  for (auto it = input->begin(); it != input->end(); ++it) {
    Result<FeatureValue> value = ReadValue(it.value(), where + ": input." + it.key());
    if (!value.ok()) return value.status();
    robustness_case.input.columns.push_back(it.key());
    robustness_case.input.rows[0].push_back(std::move(value).value());
  }
  return robustness_case;
}

}  // namespace

Result<std::vector<RobustnessCase>> ParseUserCases(std::string_view text, const std::string& source,
                                                   const UserCaseLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return Status::ResourceExhausted(source + ": robustness cases are " +
                                     std::to_string(text.size()) + " bytes, over the limit of " +
                                     std::to_string(limits.max_bytes));
  }
  std::vector<RobustnessCase> cases;
  std::size_t line_number = 0;
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(begin, end - begin);
    begin = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    const std::string where = source + ":" + std::to_string(line_number) + ":1";
    if (line.size() > limits.max_line_bytes) {
      return Status::ResourceExhausted(where + ": line is longer than " +
                                       std::to_string(limits.max_line_bytes) + " bytes");
    }
    if (cases.size() == limits.max_cases) {
      return Status::ResourceExhausted(where + ": more than " + std::to_string(limits.max_cases) +
                                       " cases");
    }
    Result<RobustnessCase> robustness_case = ReadCase(line, where, limits);
    if (!robustness_case.ok()) return robustness_case.status();
    cases.push_back(std::move(robustness_case).value());
  }
  return cases;
}

}  // namespace modelgate::gates
