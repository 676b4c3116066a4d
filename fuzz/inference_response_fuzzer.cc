// Answers of model servers to inference requests, in the three protocols the quality and
// robustness gates speak: Open Inference Protocol (v2), MLflow and TensorFlow Serving. The
// serving image is the candidate's, so its answers are outside input. The first input byte
// chooses the protocol, its options and the number of rows asked for. Beyond not crashing, a
// decoded answer has one prediction per row, and every number in it is finite.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/invariant.h"
#include "gates/inference_json.h"
#include "gates/inference_protocol.h"

namespace {

namespace gates = modelgate::gates;

std::unique_ptr<gates::InferenceProtocol> ProtocolFor(uint8_t control) {
  switch (control % 3) {
    case 0: {
      gates::V2Options options;
      options.model_name = "iris";
      options.layout = (control & 0x10) ? gates::V2InputLayout::kTensorPerColumn
                                        : gates::V2InputLayout::kSingleTensor;
      if (control & 0x20) options.requested_outputs = {"predict", "predict_proba"};
      return gates::MakeV2Protocol(options);
    }
    case 1:
      return gates::MakeMlflowProtocol();
    default: {
      gates::TfServingOptions options;
      options.model_name = "iris";
      options.format = (control & 0x10) ? gates::TfServingInstanceFormat::kRowLists
                                        : gates::TfServingInstanceFormat::kNamedFeatures;
      return gates::MakeTfServingProtocol(options);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size == 0) return 0;
  const uint8_t control = bytes[0];
  const std::string_view body(reinterpret_cast<const char*>(bytes + 1), size - 1);
  const size_t rows = 1u + ((control >> 6) & 3);
  const std::unique_ptr<gates::InferenceProtocol> protocol = ProtocolFor(control);

  auto predictions = protocol->DecodeAnswer(body, rows, "http://127.0.0.1:8080/infer");
  if (!predictions.ok()) {
    MODELGATE_FUZZ_EXPECT(!predictions.status().message().empty(), "a refusal says why");
  } else {
    MODELGATE_FUZZ_EXPECT(predictions->size() == rows, "one prediction per row");
    for (const gates::Prediction& p : *predictions) {
      MODELGATE_FUZZ_EXPECT(std::isfinite(p.value), "a predicted value is finite");
      for (double q : p.probabilities) {
        MODELGATE_FUZZ_EXPECT(std::isfinite(q), "a probability is finite");
      }
    }
  }

  // The bounded parser under every protocol: what it accepts has only finite numbers.
  auto parsed = gates::ParseAnswerJson(body, gates::JsonLimits{}, "fuzz");
  if (parsed.ok()) {
    std::vector<double> numbers;
    if (gates::FlattenNumbers(*parsed, numbers, "answer").ok()) {
      for (double n : numbers) MODELGATE_FUZZ_EXPECT(std::isfinite(n), "numbers are finite");
    }
  }
  return 0;
}
