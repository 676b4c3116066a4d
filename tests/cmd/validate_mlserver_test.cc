// `modelgate validate -f` against a real MLServer serving the scikit-learn models of
// e2e/modelserver/train.py: a good candidate passes all four gates, and each gate fails for the
// candidate built to fail it. Needs the venv of e2e/modelserver/setup-venv.sh; skips with that
// instruction when it is absent.
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

#include "tests/support/subprocess.h"

namespace modelgate::cmd {
namespace {

namespace fs = std::filesystem;
using ::modelgate::testing::RunModelgate;
using ::modelgate::testing::RunShell;
using ::testing::HasSubstr;

fs::path VenvPath() {
  // The same default as e2e/modelserver/setup-venv.sh.
  const char* cache = std::getenv("MODELGATE_CACHE");
  fs::path base = cache != nullptr ? fs::path(cache) : fs::path("/var/cache/modelgate");
  return base / "venv";
}

// Starts `argv` with stdout and stderr to `log`; returns its process id.
pid_t Spawn(const std::vector<std::string>& argv, const fs::path& log) {
  pid_t pid = fork();
  if (pid == 0) {
    FILE* out = freopen(log.c_str(), "w", stdout);
    FILE* err = freopen(log.c_str(), "a", stderr);
    (void)out;
    (void)err;
    std::vector<char*> args;
    for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  return pid;
}

void Stop(pid_t* pid) {
  if (*pid <= 0) return;
  kill(*pid, SIGTERM);
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (waitpid(*pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(*pid, SIGKILL);
      waitpid(*pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  *pid = -1;
}

// Waits until `file` exists and holds a port, with a deadline.
int WaitForPort(const fs::path& file) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    int port = 0;
    if (fs::exists(file) && (std::ifstream(file) >> port) && port > 0) return port;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return 0;
}

// An HTTP server that answers every request with 200 and a body that is not JSON.
constexpr char kGarbageServer[] = R"(
import http.server, sys
class Garbage(http.server.BaseHTTPRequestHandler):
    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        body = b"<html>\x00\xff not json {{"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    do_GET = answer
    do_POST = answer
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), Garbage)
open(sys.argv[1] + ".tmp", "w").write(str(server.server_port))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
server.serve_forever()
)";

class ValidateMlserverTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!fs::exists(VenvPath() / "bin/mlserver")) {
      skip_reason_ = "no MLServer venv at " + VenvPath().string() +
                     "; create it with e2e/modelserver/setup-venv.sh";
      return;
    }
    char pattern[] = "/tmp/modelgate-validate-mlserver-XXXXXX";
    workdir_ = mkdtemp(pattern);
    const std::string source = MODELGATE_SOURCE_DIR;
    const std::string python = (VenvPath() / "bin/python").string();
    auto trained =
        RunShell(python + " " + source + "/e2e/modelserver/train.py " + workdir_.string());
    ASSERT_EQ(trained.exitCode, 0) << trained.output;

    server_pid_ = Spawn({source + "/e2e/modelserver/serve.sh", (workdir_ / "models").string(),
                         (workdir_ / "port").string()},
                        workdir_ / "mlserver.log");
    port_ = WaitForPort(workdir_ / "port");
    ASSERT_GT(port_, 0) << "serve.sh wrote no port; see " << workdir_ / "mlserver.log";

    std::ofstream(workdir_ / "garbage.py") << kGarbageServer;
    garbage_pid_ =
        Spawn({python, (workdir_ / "garbage.py").string(), (workdir_ / "garbage-port").string()},
              workdir_ / "garbage.log");
    garbage_port_ = WaitForPort(workdir_ / "garbage-port");
    ASSERT_GT(garbage_port_, 0) << "the garbage server did not start";
    WriteSchema();
  }

  static void TearDownTestSuite() {
    Stop(&server_pid_);
    Stop(&garbage_pid_);
    if (!workdir_.empty()) fs::remove_all(workdir_);
  }

  void SetUp() override {
    if (!skip_reason_.empty()) GTEST_SKIP() << skip_reason_;
    ASSERT_GT(port_, 0) << "MLServer did not start";
  }

  // spec.schema with every feature of the training data nullable, so the robustness gate sends
  // nulls to the model.
  static void WriteSchema() {
    std::ifstream in(workdir_ / "data/training.csv");
    std::string header;
    std::getline(in, header);
    std::stringstream columns(header);
    std::string column;
    schema_ = "  schema:\n    task: classification\n    target: target\n    features:\n";
    while (std::getline(columns, column, ',')) {
      if (column == "target") continue;
      schema_ += "      - name: " + column + "\n        nullable: true\n";
    }
  }

  static std::string Url(const std::string& model) {
    return "http://127.0.0.1:" + std::to_string(port_) + "/v2/models/" + model;
  }

  // A ModelVersion of the trained models, with thresholds a good model meets and each
  // deliberately bad one misses.
  static std::string Manifest(const std::string& training = "training.csv",
                              const std::string& holdout = "holdout.csv") {
    const std::string data = "file://" + (workdir_ / "data").string() + "/";
    return "apiVersion: modelgate.io/v1alpha1\nkind: ModelVersion\n"
           "metadata:\n  name: cancer-v2\n  namespace: ml\n"
           "spec:\n  model: cancer\n  version: \"2\"\n"
           "  artifact:\n    uri: file://" +
           (workdir_ / "models/good/model.joblib").string() +
           "\n    format: sklearn\n"
           "  serving:\n    image: mlserver:1.6\n    protocol: v2\n"
           "  datasets:\n"
           "    training:\n      uri: " +
           data + training +
           "\n"
           "    holdout:\n      uri: " +
           data + holdout +
           "\n"
           "    reference:\n      uri: " +
           data + "reference.csv\n" + schema_ +
           "  gates:\n"
           "    data:\n      maxDriftShare: 0.25\n"
           "    quality:\n      timeoutSeconds: 120\n      threshold: 0.9\n"
           "      baselineMargin: 0.1\n"
           "      champion:\n        modelVersion: cancer-v1\n        maxDegradation: 0.02\n"
           "    robustness:\n      timeoutSeconds: 120\n"
           "    stress:\n      timeoutSeconds: 120\n      concurrency: 2\n"
           "      durationSeconds: 3\n      warmupSeconds: 1\n      maxP99Ms: 180\n"
           "      maxErrorRate: 0.01\n";
  }

  static ::modelgate::testing::ProcessOutput Validate(const std::string& manifest,
                                                      const std::string& flags) {
    static int count = 0;
    const fs::path file = workdir_ / ("mv-" + std::to_string(++count) + ".yaml");
    std::ofstream(file) << manifest;
    return RunModelgate("validate -f " + file.string() + " " + flags);
  }

  static std::string Endpoints(const std::string& candidate) {
    return "--endpoint " + Url(candidate) + " --champion-endpoint " + Url("good");
  }

  static inline std::string skip_reason_;
  static inline fs::path workdir_;
  static inline pid_t server_pid_ = -1;
  static inline pid_t garbage_pid_ = -1;
  static inline int port_ = 0;
  static inline int garbage_port_ = 0;
  static inline std::string schema_;
};

TEST_F(ValidateMlserverTest, GoodCandidatePassesAllFourGates) {
  auto r = Validate(Manifest(), Endpoints("good"));
  EXPECT_EQ(r.exitCode, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("data        Passed"));
  EXPECT_THAT(r.output, HasSubstr("quality     Passed"));
  EXPECT_THAT(r.output, HasSubstr("robustness  Passed"));
  EXPECT_THAT(r.output, HasSubstr("stress      Passed"));
}

TEST_F(ValidateMlserverTest, SchemaNamingOnlyTaskAndTargetGetsItsFeaturesFromTheReference) {
  std::string manifest = Manifest();
  const size_t begin = manifest.find("  schema:\n");
  const size_t end = manifest.find("  gates:\n");
  ASSERT_NE(begin, std::string::npos);
  manifest.replace(begin, end - begin, "  schema:\n    task: classification\n    target: target\n");
  auto r = Validate(manifest, Endpoints("good") + " --gate quality");
  EXPECT_EQ(r.exitCode, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("quality     Passed"));
}

TEST_F(ValidateMlserverTest, DriftedTrainingDataFailsTheDataGate) {
  auto r = Validate(Manifest("training-drifted.csv"), Endpoints("good"));
  EXPECT_EQ(r.exitCode, 1) << r.output;
  EXPECT_THAT(r.output, HasSubstr("data        Failed"));
  EXPECT_THAT(r.output, HasSubstr("quality     Skipped"));
}

TEST_F(ValidateMlserverTest, ModelWorseThanTheChampionFailsTheQualityGate) {
  auto r = Validate(Manifest(), Endpoints("worse") + " --gate quality");
  EXPECT_EQ(r.exitCode, 1) << r.output;
  EXPECT_THAT(r.output, HasSubstr("quality     Failed"));
  EXPECT_THAT(r.output, HasSubstr("vs champion"));
}

TEST_F(ValidateMlserverTest, ServerAnswering500ToNullsFailsTheRobustnessGate) {
  auto r = Validate(Manifest(), Endpoints("nullfail") + " --gate robustness");
  EXPECT_EQ(r.exitCode, 1) << r.output;
  EXPECT_THAT(r.output, HasSubstr("robustness  Failed"));
  EXPECT_THAT(r.output, HasSubstr("HTTP 500"));
}

TEST_F(ValidateMlserverTest, SlowModelFailsTheStressGate) {
  auto r = Validate(Manifest(), Endpoints("slow") + " --gate stress");
  EXPECT_EQ(r.exitCode, 1) << r.output;
  EXPECT_THAT(r.output, HasSubstr("stress      Failed"));
  EXPECT_THAT(r.output, HasSubstr("> max 180 ms"));
}

TEST_F(ValidateMlserverTest, ServerAnsweringGarbageIsAnErrorNamingTheEndpoint) {
  const std::string garbage = "http://127.0.0.1:" + std::to_string(garbage_port_);
  auto r = Validate(Manifest(),
                    "--gate quality --endpoint " + garbage + " --champion-endpoint " + Url("good"));
  EXPECT_EQ(r.exitCode, 2) << r.output;
  EXPECT_THAT(r.output, HasSubstr("quality     Error"));
  EXPECT_THAT(r.output, HasSubstr(garbage));
}

TEST_F(ValidateMlserverTest, WrongTypeInTheHoldoutIsAnErrorNamingFileLineAndColumn) {
  std::ifstream in(workdir_ / "data/holdout.csv");
  std::ofstream out(workdir_ / "data/holdout-text.csv");
  std::string line;
  for (int i = 0; std::getline(in, line); ++i) {
    out << (i == 2 ? "twelve" + line.substr(line.find(',')) : line) << "\n";
  }
  out.close();
  auto r =
      Validate(Manifest("training.csv", "holdout-text.csv"), Endpoints("good") + " --gate quality");
  EXPECT_EQ(r.exitCode, 2) << r.output;
  EXPECT_THAT(r.output, HasSubstr("holdout-text.csv:3"));
  EXPECT_THAT(r.output, HasSubstr("\"twelve\" is not a number"));
}

}  // namespace
}  // namespace modelgate::cmd
