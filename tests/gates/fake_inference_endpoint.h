// An InferenceEndpoint for unit tests: answers each row with a function of its first cell,
// or fails every request with a fixed HTTP status. Counts requests and rows.
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <string>
#include <utility>
#include <variant>

#include "gates/inference_endpoint.h"

namespace modelgate::gates::testing {

class FakeInferenceEndpoint : public InferenceEndpoint {
 public:
  using Answer = std::function<Prediction(double first_cell)>;

  FakeInferenceEndpoint(std::string name, Answer answer)
      : name_(std::move(name)), answer_(std::move(answer)) {}

  // Every request is answered with `http_status` and `body`.
  void FailWith(int http_status, std::string body) {
    fail_status_ = http_status;
    fail_body_ = std::move(body);
  }

  InferenceExchange Exchange(const InferenceBatch& batch) override {
    ++requests_;
    largest_batch_ = std::max(largest_batch_, batch.rows.size());
    InferenceExchange exchange;
    exchange.outcome = ExchangeOutcome::kAnswered;
    if (fail_status_ != 0) {
      exchange.http_status = fail_status_;
      exchange.response_body = fail_body_;
      return exchange;
    }
    exchange.http_status = 200;
    for (const auto& row : batch.rows) {
      const double* first = row.empty() ? nullptr : std::get_if<double>(&row[0]);
      exchange.predictions.push_back(answer_(first != nullptr ? *first : 0.0));
    }
    return exchange;
  }

  Status WaitUntilReady(std::chrono::steady_clock::time_point) override { return Status::Ok(); }
  std::string Describe() const override { return name_; }

  int requests() const { return requests_; }
  std::size_t largest_batch() const { return largest_batch_; }

 private:
  std::string name_;
  Answer answer_;
  int fail_status_ = 0;
  std::string fail_body_;
  int requests_ = 0;
  std::size_t largest_batch_ = 0;
};

// A binary classifier that reads the probability of class 1 from the row's first cell.
inline Prediction ProbabilityFromCell(double p) {
  Prediction prediction;
  prediction.value = p >= 0.5 ? 1 : 0;
  prediction.probabilities = {1 - p, p};
  return prediction;
}

}  // namespace modelgate::gates::testing
