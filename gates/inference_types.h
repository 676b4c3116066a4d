// The values that travel between a gate and a model's serving endpoint: rows of features
// going in, predictions coming out, and the record of one request and its answer.
#pragma once

#include <cstddef>
#include <string>
#include <variant>
#include <vector>

#include "api/status.h"

namespace modelgate::gates {

// A dense numeric tensor, row-major: an image or any other fixed-shape feature.
struct FeatureTensor {
  std::vector<std::size_t> shape;
  std::vector<double> data;  // product(shape) values
};

// One cell of a request row: null (missing), a number, a text, or a tensor.
using FeatureValue = std::variant<std::monostate, double, std::string, FeatureTensor>;

// Rows of features sent to a model in one or more requests.
struct InferenceBatch {
  std::vector<std::string> columns;             // feature names, in the model's order
  std::vector<std::vector<FeatureValue>> rows;  // each row has columns.size() cells
};

// What a model answered for one row.
struct Prediction {
  double value = 0;                   // regression value or class; argmax when only scores came
  std::string label;                  // the class as text, when the model answers text labels
  std::vector<double> probabilities;  // per class, when the model returns them
};

// How one request ended on the transport level.
enum class ExchangeOutcome {
  kAnswered,          // an HTTP answer arrived (any status code)
  kTimedOut,          // no complete answer within the per-request timeout
  kConnectionFailed,  // refused, reset or dropped before a complete answer
  kAnswerTooLarge,    // the answer exceeded the configured size bound
};

// "answered", "timed out", "connection failed" or "answer too large".
const char* ExchangeOutcomeName(ExchangeOutcome outcome);

// One request to an endpoint and what came back, kept whole for reports.
struct InferenceExchange {
  ExchangeOutcome outcome = ExchangeOutcome::kConnectionFailed;
  int http_status = 0;                  // when outcome == kAnswered
  std::string request_body;             // as sent
  std::string response_body;            // as received (bounded by the endpoint's size limit)
  Status error;                         // why the exchange failed or the answer could not be read
  std::vector<Prediction> predictions;  // decoded from a 2xx answer, one per row

  // True for a 2xx answer whose predictions were decoded.
  bool succeeded() const {
    return outcome == ExchangeOutcome::kAnswered && http_status / 100 == 2 && error.ok();
  }
};

}  // namespace modelgate::gates
