// The row-oriented protocols: the MLflow scoring server and TensorFlow Serving REST.
#include "gates/inference_prediction_json.h"
#include "gates/inference_protocol.h"

namespace modelgate::gates {

bool InferenceProtocol::IsReadyAnswer(const std::string& /*path*/, int http_status,
                                      std::string_view /*body*/) const {
  return http_status / 100 == 2;
}

namespace {

void AppendRow(std::string& out, const std::vector<FeatureValue>& row) {
  out += '[';
  for (std::size_t c = 0; c < row.size(); ++c) {
    if (c > 0) out += ',';
    AppendJsonFeature(out, row[c]);
  }
  out += ']';
}

class MlflowProtocol final : public InferenceProtocol {
 public:
  std::string Name() const override { return "mlflow"; }
  std::string InferPath() const override { return "/invocations"; }
  std::vector<std::string> ReadinessPaths() const override { return {"/ping"}; }

  std::string EncodeRequest(const InferenceBatch& batch) const override {
    std::string out = "{\"dataframe_split\":{\"columns\":[";
    for (std::size_t c = 0; c < batch.columns.size(); ++c) {
      if (c > 0) out += ',';
      AppendJsonString(out, batch.columns[c]);
    }
    out += "],\"data\":[";
    for (std::size_t r = 0; r < batch.rows.size(); ++r) {
      if (r > 0) out += ',';
      AppendRow(out, batch.rows[r]);
    }
    out += "]}}";
    return out;
  }

  Result<std::vector<Prediction>> DecodeAnswer(std::string_view body, std::size_t rows,
                                               const std::string& origin) const override {
    Result<nlohmann::json> answer = ParseAnswerJson(body, limits_, origin);
    if (!answer.ok()) return answer.status();
    // MLflow 2 wraps the list in {"predictions": ...}; MLflow 1 answered the bare list.
    return PredictionsFromRowList(*answer, "predictions", rows, origin);
  }
};

class TfServingProtocol final : public InferenceProtocol {
 public:
  explicit TfServingProtocol(TfServingOptions options) : options_(std::move(options)) {}

  std::string Name() const override { return "tfserving"; }
  std::string InferPath() const override { return ModelPath() + ":predict"; }
  std::vector<std::string> ReadinessPaths() const override { return {ModelPath()}; }

  // TensorFlow Serving answers 200 for a model that is still loading; only a version in
  // state AVAILABLE can serve.
  bool IsReadyAnswer(const std::string& path, int http_status,
                     std::string_view body) const override {
    return InferenceProtocol::IsReadyAnswer(path, http_status, body) &&
           body.find("\"AVAILABLE\"") != std::string_view::npos;
  }

  std::string EncodeRequest(const InferenceBatch& batch) const override {
    std::string out = "{\"instances\":[";
    for (std::size_t r = 0; r < batch.rows.size(); ++r) {
      if (r > 0) out += ',';
      if (options_.format == TfServingInstanceFormat::kRowLists) {
        AppendRow(out, batch.rows[r]);
        continue;
      }
      out += '{';
      for (std::size_t c = 0; c < batch.columns.size(); ++c) {
        if (c > 0) out += ',';
        AppendJsonString(out, batch.columns[c]);
        out += ':';
        AppendJsonFeature(out, batch.rows[r][c]);
      }
      out += '}';
    }
    out += "]}";
    return out;
  }

  Result<std::vector<Prediction>> DecodeAnswer(std::string_view body, std::size_t rows,
                                               const std::string& origin) const override {
    Result<nlohmann::json> answer = ParseAnswerJson(body, limits_, origin);
    if (!answer.ok()) return answer.status();
    if (answer->is_object() && answer->contains("error")) {
      return Status::InvalidArgument("answer from " + origin +
                                     " is an error: " + (*answer)["error"].dump());
    }
    return PredictionsFromRowList(*answer, "predictions", rows, origin);
  }

 private:
  std::string ModelPath() const { return "/v1/models/" + options_.model_name; }

  TfServingOptions options_;
};

}  // namespace

std::unique_ptr<InferenceProtocol> MakeMlflowProtocol(MlflowOptions /*options*/) {
  return std::make_unique<MlflowProtocol>();
}

std::unique_ptr<InferenceProtocol> MakeTfServingProtocol(TfServingOptions options) {
  return std::make_unique<TfServingProtocol>(std::move(options));
}

Result<std::unique_ptr<InferenceProtocol>> MakeInferenceProtocol(const std::string& name,
                                                                 const std::string& model_name) {
  if (name == "v2") {
    V2Options options;
    options.model_name = model_name;
    return MakeV2Protocol(std::move(options));
  }
  if (name == "mlflow") return MakeMlflowProtocol();
  if (name == "tfserving") {
    TfServingOptions options;
    options.model_name = model_name;
    return MakeTfServingProtocol(std::move(options));
  }
  return Status::InvalidArgument("serving protocol \"" + name +
                                 "\" is not one of v2, mlflow, tfserving");
}

}  // namespace modelgate::gates
