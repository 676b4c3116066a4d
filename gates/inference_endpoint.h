// A model's serving endpoint as the gates see it. The quality, robustness and stress gates
// talk to this interface; HttpInferenceEndpoint is the real one, tests use fakes.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "api/status.h"
#include "gates/inference_types.h"

namespace modelgate::gates {

class InferenceEndpoint {
 public:
  virtual ~InferenceEndpoint() = default;

  // Sends `batch` as one request and returns the whole exchange: how it ended, the status
  // code, both bodies, and for a 2xx answer the decoded predictions (or in `error`, why
  // they could not be decoded). Never throws; transport failures are outcomes.
  // REQUIRES: every row of batch has batch.columns.size() cells.
  virtual InferenceExchange Exchange(const InferenceBatch& batch) = 0;

  // Polls the server's readiness until it says ready or `deadline` passes. Returns OK when
  // ready, DeadlineExceeded naming the endpoint and the last answer otherwise.
  virtual Status WaitUntilReady(std::chrono::steady_clock::time_point deadline) = 0;

  // The endpoint for messages, such as "v2 http://127.0.0.1:8080/v2/models/iris/infer".
  virtual std::string Describe() const = 0;
};

// Sends the rows of `batch` in requests of at most `batch_size` rows and returns one
// prediction per row, in order. Fails with the first failed exchange's error, which names
// the endpoint, the rows and the status code or transport outcome.
// REQUIRES: batch_size > 0.
Result<std::vector<Prediction>> PredictInBatches(InferenceEndpoint& endpoint,
                                                 const InferenceBatch& batch,
                                                 std::size_t batch_size);

// A readable one-line reason for a failed exchange, naming `endpoint`.
Status ExchangeFailure(const InferenceExchange& exchange, const std::string& endpoint);

}  // namespace modelgate::gates
