// Turning the per-row answers of row-oriented protocols (MLflow, TensorFlow Serving) into
// predictions. Shared by both so a number, a list of scores, a text label or an object of
// named outputs mean the same thing everywhere.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/status.h"
#include "gates/inference_types.h"

namespace modelgate::gates {

// One row's answer: a number (the value), a text (the label), a list (probabilities; a
// one-element list is the value), or an object whose "probabilities"/"scores"/"predict_proba"
// member gives probabilities and whose "predictions"/"predict"/"classes"/"class"/"value"
// member gives the value. `what` names the row in messages.
Result<Prediction> PredictionFromRowJson(const nlohmann::json& row, const std::string& what);

// Sets value to the index of the largest probability for predictions that only had scores.
void FillValueFromProbabilities(Prediction& prediction);

// The list of row answers in `answer`: the member `key` of an object, or the answer itself
// when it is a bare array. Checks it has `rows` entries. `origin` names the endpoint.
Result<std::vector<Prediction>> PredictionsFromRowList(const nlohmann::json& answer,
                                                       const std::string& key, std::size_t rows,
                                                       const std::string& origin);

}  // namespace modelgate::gates
