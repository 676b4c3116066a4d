// The v2 client against a real MLServer serving scikit-learn models trained by
// e2e/modelserver/train.py. Needs the venv from e2e/modelserver/setup-venv.sh; skips with
// that instruction when it is absent.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "gates/inference_http_endpoint.h"
#include "tests/support/subprocess.h"

namespace modelgate::gates {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

fs::path VenvPath() {
  // The same default as e2e/modelserver/setup-venv.sh.
  const char* cache = std::getenv("MODELGATE_CACHE");
  fs::path base = cache != nullptr ? fs::path(cache) : fs::path("/var/cache/modelgate");
  return base / "venv";
}

std::vector<std::vector<std::string>> ReadCsv(const fs::path& path) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream fields(line);
    std::string cell;
    while (std::getline(fields, cell, ',')) cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

// The hold-out rows without the target column.
InferenceBatch HoldoutFeatures(const fs::path& csv) {
  auto rows = ReadCsv(csv);
  InferenceBatch batch;
  batch.columns.assign(rows[0].begin(), rows[0].end() - 1);
  for (std::size_t r = 1; r < rows.size(); ++r) {
    std::vector<FeatureValue> values;
    for (std::size_t c = 0; c + 1 < rows[r].size(); ++c) values.push_back(std::stod(rows[r][c]));
    batch.rows.push_back(std::move(values));
  }
  return batch;
}

class MlserverTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!fs::exists(VenvPath() / "bin/mlserver")) {
      skip_reason_ = "no MLServer venv at " + VenvPath().string() +
                     "; create it with e2e/modelserver/setup-venv.sh";
      return;
    }
    char pattern[] = "/tmp/modelgate-mlserver-XXXXXX";
    workdir_ = mkdtemp(pattern);
    const std::string source = MODELGATE_SOURCE_DIR;
    auto trained =
        modelgate::testing::RunShell((VenvPath() / "bin/python").string() + " " + source +
                                     "/e2e/modelserver/train.py " + workdir_.string());
    ASSERT_EQ(trained.exitCode, 0) << trained.output;

    const fs::path port_file = workdir_ / "port";
    const std::string serve = source + "/e2e/modelserver/serve.sh";
    const std::string models = (workdir_ / "models").string();
    const std::string log = (workdir_ / "mlserver.log").string();
    server_pid_ = fork();
    ASSERT_GE(server_pid_, 0);
    if (server_pid_ == 0) {
      FILE* out = freopen(log.c_str(), "w", stdout);
      FILE* err = freopen(log.c_str(), "a", stderr);
      (void)out;
      (void)err;
      execl(serve.c_str(), serve.c_str(), models.c_str(), port_file.c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
    // The script writes the port before MLServer starts; readiness is polled below.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!fs::exists(port_file) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_TRUE(fs::exists(port_file)) << "serve.sh wrote no port; see " << log;
    std::ifstream(port_file) >> port_;
    auto endpoint = Endpoint("good", V2InputLayout::kSingleTensor);
    Status ready =
        endpoint->WaitUntilReady(std::chrono::steady_clock::now() + std::chrono::seconds(120));
    ASSERT_TRUE(ready.ok()) << ready.ToString() << "; see " << log;
  }

  static void TearDownTestSuite() {
    if (server_pid_ > 0) {
      kill(server_pid_, SIGTERM);
      int status = 0;
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
      while (waitpid(server_pid_, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
          kill(server_pid_, SIGKILL);
          waitpid(server_pid_, &status, 0);
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      server_pid_ = -1;
    }
    if (!workdir_.empty()) fs::remove_all(workdir_);
  }

  void SetUp() override {
    if (!skip_reason_.empty()) GTEST_SKIP() << skip_reason_;
    ASSERT_GT(port_, 0) << "MLServer did not start";
  }

  static std::unique_ptr<HttpInferenceEndpoint> Endpoint(const std::string& model,
                                                         V2InputLayout layout) {
    V2Options v2;
    v2.model_name = model;
    v2.layout = layout;
    v2.requested_outputs = {"predict", "predict_proba"};
    HttpEndpointOptions options;
    options.base_url = "http://127.0.0.1:" + std::to_string(port_);
    auto endpoint = HttpInferenceEndpoint::Create(options, MakeV2Protocol(v2));
    return std::move(endpoint).value();
  }

  static void ExpectScikitLearnPredictions(InferenceEndpoint& endpoint) {
    InferenceBatch holdout = HoldoutFeatures(workdir_ / "data/holdout.csv");
    auto expected = ReadCsv(workdir_ / "data/holdout-expected.csv");
    auto predictions = PredictInBatches(endpoint, holdout, 50);
    ASSERT_TRUE(predictions.ok()) << predictions.status().ToString();
    ASSERT_EQ(predictions->size(), holdout.rows.size());
    ASSERT_EQ(expected.size(), holdout.rows.size() + 1);
    for (std::size_t i = 0; i < predictions->size(); ++i) {
      const Prediction& prediction = (*predictions)[i];
      EXPECT_EQ(prediction.value, std::stod(expected[i + 1][0])) << "row " << i;
      ASSERT_EQ(prediction.probabilities.size(), 2u) << "row " << i;
      EXPECT_NEAR(prediction.probabilities[1], std::stod(expected[i + 1][1]), 1e-12) << "row " << i;
    }
  }

  static inline std::string skip_reason_;
  static inline fs::path workdir_;
  static inline pid_t server_pid_ = -1;
  static inline int port_ = 0;
};

TEST_F(MlserverTest, SingleTensorRequestsGetScikitLearnPredictions) {
  auto endpoint = Endpoint("good", V2InputLayout::kSingleTensor);
  ExpectScikitLearnPredictions(*endpoint);
}

TEST_F(MlserverTest, PerColumnRequestsGetScikitLearnPredictions) {
  auto endpoint = Endpoint("good", V2InputLayout::kTensorPerColumn);
  ExpectScikitLearnPredictions(*endpoint);
}

TEST_F(MlserverTest, ModelWithoutImputerAnswers500ToANull) {
  auto endpoint = Endpoint("nullfail", V2InputLayout::kSingleTensor);
  InferenceBatch batch = HoldoutFeatures(workdir_ / "data/holdout.csv");
  batch.rows.resize(1);
  batch.rows[0][3] = std::monostate{};
  InferenceExchange exchange = endpoint->Exchange(batch);
  EXPECT_EQ(exchange.outcome, ExchangeOutcome::kAnswered);
  EXPECT_EQ(exchange.http_status, 500);
  InferenceExchange imputed = Endpoint("good", V2InputLayout::kSingleTensor)->Exchange(batch);
  EXPECT_TRUE(imputed.succeeded()) << imputed.error.ToString() << " " << imputed.response_body;
}

}  // namespace
}  // namespace modelgate::gates
