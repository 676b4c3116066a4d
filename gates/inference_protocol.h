// The wire format of a serving protocol: which paths to call, how a batch becomes a request
// body, and how an answer becomes predictions. Pure (no I/O), so each protocol is tested on
// bytes alone; HttpInferenceEndpoint carries the bytes.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/status.h"
#include "gates/inference_json.h"
#include "gates/inference_types.h"

namespace modelgate::gates {

class InferenceProtocol {
 public:
  virtual ~InferenceProtocol() = default;

  // The protocol's name as written in ModelVersion.spec.serving.protocol ("v2", ...).
  virtual std::string Name() const = 0;

  // The path that takes inference requests, such as "/v2/models/iris/infer".
  virtual std::string InferPath() const = 0;

  // The paths to GET, in order, to learn whether the server is ready to answer.
  virtual std::vector<std::string> ReadinessPaths() const = 0;

  // Whether the answer to a readiness GET of `path` means ready. Default: a 2xx status.
  virtual bool IsReadyAnswer(const std::string& path, int http_status, std::string_view body) const;

  // The request body for `batch`.
  // REQUIRES: every row of batch has batch.columns.size() cells.
  virtual std::string EncodeRequest(const InferenceBatch& batch) const = 0;

  // The predictions in a 2xx answer `body` to a request of `rows` rows, one per row in
  // order. Fails with a message naming `origin` when the answer is not JSON, has the wrong
  // shape or row count, or holds non-finite numbers.
  virtual Result<std::vector<Prediction>> DecodeAnswer(std::string_view body, std::size_t rows,
                                                       const std::string& origin) const = 0;

 protected:
  JsonLimits limits_;
};

// How the Open Inference Protocol request carries features.
enum class V2InputLayout {
  kTensorPerColumn,  // one named 1-D input per feature column (pandas-style servers)
  kSingleTensor,     // one 2-D FP64 input [rows, columns] (numpy-style servers)
};

struct V2Options {
  std::string model_name;
  std::string model_version;  // empty: the server's default version
  V2InputLayout layout = V2InputLayout::kSingleTensor;
  std::string tensor_name = "input-0";  // for kSingleTensor
  // Outputs to ask for; empty asks for the server's default. MLServer's scikit-learn runtime
  // knows "predict" and "predict_proba".
  std::vector<std::string> requested_outputs;
};

struct MlflowOptions {};

enum class TfServingInstanceFormat {
  kNamedFeatures,  // {"instances": [{"feature": value, ...}, ...]}
  kRowLists,       // {"instances": [[value, ...], ...]}
};

struct TfServingOptions {
  std::string model_name;
  TfServingInstanceFormat format = TfServingInstanceFormat::kNamedFeatures;
};

// The Open Inference Protocol (KServe v2: KServe, MLServer, Triton).
std::unique_ptr<InferenceProtocol> MakeV2Protocol(V2Options options);
// The MLflow scoring server (/invocations with dataframe_split, /ping).
std::unique_ptr<InferenceProtocol> MakeMlflowProtocol(MlflowOptions options = {});
// TensorFlow Serving's REST API (/v1/models/NAME:predict).
std::unique_ptr<InferenceProtocol> MakeTfServingProtocol(TfServingOptions options);

// The protocol named `name` ("v2", "mlflow" or "tfserving") for model `model_name`, with
// default options. Fails with InvalidArgument naming the unknown protocol.
Result<std::unique_ptr<InferenceProtocol>> MakeInferenceProtocol(const std::string& name,
                                                                 const std::string& model_name);

}  // namespace modelgate::gates
