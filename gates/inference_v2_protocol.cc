// The Open Inference Protocol (KServe v2) over REST.
#include <algorithm>
#include <cmath>

#include "gates/inference_prediction_json.h"
#include "gates/inference_protocol.h"

namespace modelgate::gates {
namespace {

bool IsText(const FeatureValue& value) { return std::holds_alternative<std::string>(value); }

// The member `key` of `object` when it is a string, else `fallback` (json::value throws for a
// member of another type, and the answer comes from the candidate's server).
std::string StringMember(const nlohmann::json& object, const char* key, std::string fallback) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::move(fallback);
}

// BYTES when every present cell is text, FP64 otherwise: a server must see what a real
// client would send, and a wrong mixture is itself a robustness case.
const char* DatatypeOf(const InferenceBatch& batch, std::size_t column_begin,
                       std::size_t column_end) {
  bool any_text = false;
  bool any_other = false;
  for (const auto& row : batch.rows) {
    for (std::size_t c = column_begin; c < column_end; ++c) {
      if (std::holds_alternative<std::monostate>(row[c])) continue;
      (IsText(row[c]) ? any_text : any_other) = true;
    }
  }
  return any_text && !any_other ? "BYTES" : "FP64";
}

// The per-row shape of a column: the tensor's shape when the first present cell is a tensor.
std::vector<std::size_t> CellShape(const InferenceBatch& batch, std::size_t column) {
  for (const auto& row : batch.rows) {
    if (const auto* tensor = std::get_if<FeatureTensor>(&row[column])) return tensor->shape;
  }
  return {};
}

class V2Protocol final : public InferenceProtocol {
 public:
  explicit V2Protocol(V2Options options) : options_(std::move(options)) {}

  std::string Name() const override { return "v2"; }

  std::string InferPath() const override { return ModelPath() + "/infer"; }

  std::vector<std::string> ReadinessPaths() const override {
    return {"/v2/health/ready", ModelPath() + "/ready"};
  }

  std::string EncodeRequest(const InferenceBatch& batch) const override {
    std::string out = "{\"inputs\":[";
    const std::size_t rows = batch.rows.size();
    if (options_.layout == V2InputLayout::kSingleTensor) {
      AppendInput(out, options_.tensor_name, {rows, batch.columns.size()},
                  DatatypeOf(batch, 0, batch.columns.size()));
      for (std::size_t r = 0; r < rows; ++r) {
        if (r > 0) out += ',';
        out += '[';
        for (std::size_t c = 0; c < batch.columns.size(); ++c) {
          if (c > 0) out += ',';
          AppendJsonFeature(out, batch.rows[r][c]);
        }
        out += ']';
      }
      out += "]}";
    } else {
      for (std::size_t c = 0; c < batch.columns.size(); ++c) {
        if (c > 0) out += ',';
        std::vector<std::size_t> shape = {rows};
        for (std::size_t d : CellShape(batch, c)) shape.push_back(d);
        AppendInput(out, batch.columns[c], shape, DatatypeOf(batch, c, c + 1));
        for (std::size_t r = 0; r < rows; ++r) {
          if (r > 0) out += ',';
          AppendJsonFeature(out, batch.rows[r][c]);
        }
        out += "]}";
      }
    }
    out += ']';
    if (options_.layout == V2InputLayout::kTensorPerColumn) {
      // MLServer decodes a multi-input request as a table only when asked to.
      out += ",\"parameters\":{\"content_type\":\"pd\"}";
    }
    if (!options_.requested_outputs.empty()) {
      out += ",\"outputs\":[";
      for (std::size_t i = 0; i < options_.requested_outputs.size(); ++i) {
        if (i > 0) out += ',';
        out += "{\"name\":";
        AppendJsonString(out, options_.requested_outputs[i]);
        out += '}';
      }
      out += ']';
    }
    out += '}';
    return out;
  }

  Result<std::vector<Prediction>> DecodeAnswer(std::string_view body, std::size_t rows,
                                               const std::string& origin) const override {
    Result<nlohmann::json> answer = ParseAnswerJson(body, limits_, origin);
    if (!answer.ok()) return answer.status();
    const std::string where = "answer from " + origin;
    auto outputs = answer->find("outputs");
    if (!answer->is_object() || outputs == answer->end() || !outputs->is_array()) {
      return Status::InvalidArgument(where + " has no \"outputs\" list");
    }
    std::vector<Prediction> predictions(rows);
    bool have_value = false;
    bool have_scores = false;
    for (std::size_t i = 0; i < outputs->size(); ++i) {
      const nlohmann::json& output = (*outputs)[i];
      if (!output.is_object()) {
        return Status::InvalidArgument(where + ", output " + std::to_string(i) +
                                       " is not an object");
      }
      const std::string name = StringMember(output, "name", "output " + std::to_string(i));
      const std::string what = where + ", output \"" + name + "\"";
      auto data = output.find("data");
      if (data == output.end()) return Status::InvalidArgument(what + " has no data");
      if (StringMember(output, "datatype", "") == "BYTES") {
        if (have_value) continue;
        MODELGATE_RETURN_IF_ERROR(ReadLabels(*data, rows, what, predictions));
        have_value = true;
        continue;
      }
      std::vector<double> numbers;
      MODELGATE_RETURN_IF_ERROR(FlattenNumbers(*data, numbers, what));
      if (rows == 0 || numbers.size() % rows != 0 || numbers.empty()) {
        return Status::InvalidArgument(what + " has " + std::to_string(numbers.size()) +
                                       " values, not a whole number per row for " +
                                       std::to_string(rows) + " rows");
      }
      MODELGATE_RETURN_IF_ERROR(CheckLeadingDimension(output, rows, what));
      const std::size_t width = numbers.size() / rows;
      if (width == 1) {
        if (have_value) continue;
        for (std::size_t r = 0; r < rows; ++r) predictions[r].value = numbers[r];
        have_value = true;
      } else {
        if (have_scores) continue;
        for (std::size_t r = 0; r < rows; ++r) {
          predictions[r].probabilities.assign(numbers.begin() + r * width,
                                              numbers.begin() + (r + 1) * width);
        }
        have_scores = true;
      }
    }
    if (!have_value && !have_scores) {
      return Status::InvalidArgument(where + " has no output with predictions");
    }
    if (!have_value) {
      for (auto& prediction : predictions) FillValueFromProbabilities(prediction);
    }
    return predictions;
  }

 private:
  std::string ModelPath() const {
    std::string path = "/v2/models/" + options_.model_name;
    if (!options_.model_version.empty()) path += "/versions/" + options_.model_version;
    return path;
  }

  // Writes the head of one input tensor up to and including "data":[ .
  static void AppendInput(std::string& out, const std::string& name,
                          const std::vector<std::size_t>& shape, const char* datatype) {
    out += "{\"name\":";
    AppendJsonString(out, name);
    out += ",\"shape\":[";
    for (std::size_t i = 0; i < shape.size(); ++i) {
      if (i > 0) out += ',';
      out += std::to_string(shape[i]);
    }
    out += "],\"datatype\":\"";
    out += datatype;
    out += "\",\"data\":[";
  }

  static Status CheckLeadingDimension(const nlohmann::json& output, std::size_t rows,
                                      const std::string& what) {
    auto shape = output.find("shape");
    if (shape == output.end() || !shape->is_array() || shape->empty()) return Status::Ok();
    const nlohmann::json& first = (*shape)[0];
    if (first.is_number_integer() && first.get<long long>() != static_cast<long long>(rows)) {
      return Status::InvalidArgument(what + " has shape[0] = " + first.dump() + " for " +
                                     std::to_string(rows) + " rows");
    }
    return Status::Ok();
  }

  static Status ReadLabels(const nlohmann::json& data, std::size_t rows, const std::string& what,
                           std::vector<Prediction>& predictions) {
    if (!data.is_array() || data.size() != rows) {
      return Status::InvalidArgument(what + " does not hold one label per row");
    }
    for (std::size_t r = 0; r < rows; ++r) {
      if (!data[r].is_string()) return Status::InvalidArgument(what + " holds a non-text label");
      predictions[r].label = data[r].get<std::string>();
    }
    return Status::Ok();
  }

  V2Options options_;
};

}  // namespace

std::unique_ptr<InferenceProtocol> MakeV2Protocol(V2Options options) {
  return std::make_unique<V2Protocol>(std::move(options));
}

}  // namespace modelgate::gates
