#include "gates/inference_prediction_json.h"

#include <algorithm>
#include <cmath>

#include "gates/inference_json.h"

namespace modelgate::gates {

void FillValueFromProbabilities(Prediction& prediction) {
  if (prediction.probabilities.empty()) return;
  auto largest = std::max_element(prediction.probabilities.begin(), prediction.probabilities.end());
  prediction.value = static_cast<double>(largest - prediction.probabilities.begin());
}

namespace {

const nlohmann::json* FindMember(const nlohmann::json& object,
                                 std::initializer_list<const char*> names) {
  for (const char* name : names) {
    auto it = object.find(name);
    if (it != object.end()) return &*it;
  }
  return nullptr;
}

}  // namespace

Result<Prediction> PredictionFromRowJson(const nlohmann::json& row, const std::string& what) {
  Prediction prediction;
  if (row.is_string()) {
    prediction.label = row.get<std::string>();
    return prediction;
  }
  if (row.is_number() || row.is_boolean()) {
    std::vector<double> numbers;
    MODELGATE_RETURN_IF_ERROR(FlattenNumbers(row, numbers, what));
    prediction.value = numbers[0];
    return prediction;
  }
  if (row.is_array()) {
    std::vector<double> numbers;
    MODELGATE_RETURN_IF_ERROR(FlattenNumbers(row, numbers, what));
    if (numbers.empty()) return Status::InvalidArgument(what + " is an empty list");
    if (numbers.size() == 1) {
      prediction.value = numbers[0];
    } else {
      prediction.probabilities = std::move(numbers);
      FillValueFromProbabilities(prediction);
    }
    return prediction;
  }
  if (row.is_object()) {
    const nlohmann::json* scores = FindMember(row, {"probabilities", "scores", "predict_proba"});
    const nlohmann::json* value =
        FindMember(row, {"predictions", "predict", "classes", "class", "value"});
    if (scores == nullptr && value == nullptr) {
      return Status::InvalidArgument(what + " is an object without a known prediction member");
    }
    if (scores != nullptr) {
      MODELGATE_RETURN_IF_ERROR(FlattenNumbers(*scores, prediction.probabilities, what));
      FillValueFromProbabilities(prediction);
    }
    if (value != nullptr) {
      Result<Prediction> inner = PredictionFromRowJson(*value, what);
      if (!inner.ok()) return inner.status();
      prediction.value = inner->value;
      prediction.label = inner->label;
    }
    return prediction;
  }
  return Status::InvalidArgument(what + " is " + std::string(row.type_name()) +
                                 ", not a prediction");
}

Result<std::vector<Prediction>> PredictionsFromRowList(const nlohmann::json& answer,
                                                       const std::string& key, std::size_t rows,
                                                       const std::string& origin) {
  const nlohmann::json* list = &answer;
  if (answer.is_object()) {
    auto it = answer.find(key);
    if (it == answer.end()) {
      return Status::InvalidArgument("answer from " + origin + " has no \"" + key + "\" member");
    }
    list = &*it;
  }
  if (!list->is_array()) {
    return Status::InvalidArgument("answer from " + origin + ": \"" + key + "\" is " +
                                   std::string(list->type_name()) + ", not a list");
  }
  if (list->size() != rows) {
    return Status::InvalidArgument("answer from " + origin + " has " +
                                   std::to_string(list->size()) + " predictions for " +
                                   std::to_string(rows) + " rows");
  }
  std::vector<Prediction> predictions;
  predictions.reserve(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    Result<Prediction> prediction = PredictionFromRowJson(
        (*list)[i], "answer from " + origin + ", prediction " + std::to_string(i));
    if (!prediction.ok()) return prediction.status();
    predictions.push_back(std::move(prediction).value());
  }
  return predictions;
}

}  // namespace modelgate::gates
