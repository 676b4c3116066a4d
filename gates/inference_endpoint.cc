#include "gates/inference_endpoint.h"

#include <algorithm>

namespace modelgate::gates {

Status ExchangeFailure(const InferenceExchange& exchange, const std::string& endpoint) {
  if (exchange.outcome != ExchangeOutcome::kAnswered) {
    std::string message = endpoint + ": " + ExchangeOutcomeName(exchange.outcome);
    if (!exchange.error.ok()) message += " (" + exchange.error.message() + ")";
    return exchange.outcome == ExchangeOutcome::kTimedOut ? Status::DeadlineExceeded(message)
                                                          : Status::Unavailable(message);
  }
  if (exchange.http_status / 100 != 2) {
    constexpr std::size_t kShown = 200;
    std::string body = exchange.response_body.substr(0, kShown);
    if (exchange.response_body.size() > kShown) body += "...";
    return Status::Unavailable(endpoint + " answered HTTP " + std::to_string(exchange.http_status) +
                               ": " + body);
  }
  return exchange.error;
}

Result<std::vector<Prediction>> PredictInBatches(InferenceEndpoint& endpoint,
                                                 const InferenceBatch& batch,
                                                 std::size_t batch_size) {
  std::vector<Prediction> predictions;
  predictions.reserve(batch.rows.size());
  InferenceBatch part;
  part.columns = batch.columns;
  for (std::size_t begin = 0; begin < batch.rows.size(); begin += batch_size) {
    const std::size_t end = std::min(batch.rows.size(), begin + batch_size);
    part.rows.assign(batch.rows.begin() + begin, batch.rows.begin() + end);
    InferenceExchange exchange = endpoint.Exchange(part);
    if (!exchange.succeeded()) {
      return ExchangeFailure(exchange, endpoint.Describe())
          .WithContext("rows " + std::to_string(begin) + ".." + std::to_string(end - 1));
    }
    for (auto& prediction : exchange.predictions) predictions.push_back(std::move(prediction));
  }
  return predictions;
}

}  // namespace modelgate::gates
