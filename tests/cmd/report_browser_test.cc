// The HTML report in a real browser: `modelgate validate -f` runs every gate against MLServer
// (e2e/modelserver) with a candidate that fails robustness, writes --report report.html into
// the build directory, and headless Chromium (Debian's chromium package) takes a screenshot
// of it there. e2e/browser/png_check.py decodes the PNG and requires a drawn page: many
// colours, little blank, and the colours of the charts and of a Failed badge. The path of
// the screenshot is printed for people to look at. Skips, saying how to set up, without
// the MLServer venv or Chromium.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "tests/support/subprocess.h"

namespace modelgate::cmd {
namespace {

namespace fs = std::filesystem;
using ::modelgate::testing::RunModelgate;
using ::modelgate::testing::RunShell;
using ::testing::HasSubstr;

// Colours of gates/svg_chart.cc and gates/report_html.cc that only a drawn page has: the
// reference and training bars, the robustness bars (passed, failed) and a Failed badge.
constexpr char kChartColors[] = "'#4e79a7' '#f28e2b' '#59a14f' '#e15759' '#c62828'";

fs::path VenvPath() {
  const char* cache = std::getenv("MODELGATE_CACHE");
  return (cache != nullptr ? fs::path(cache) : fs::path("/var/cache/modelgate")) / "venv";
}

fs::path BuildDir() { return fs::path(MODELGATE_BINARY).parent_path(); }

std::string Quote(const std::string& s) { return "'" + s + "'"; }

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

int WaitForPort(const fs::path& file) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    int port = 0;
    if (fs::exists(file) && (std::ifstream(file) >> port) && port > 0) return port;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return 0;
}

class ReportBrowserTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!fs::exists(VenvPath() / "bin/mlserver")) {
      skip_reason_ = "no MLServer venv at " + VenvPath().string() +
                     "; create it with e2e/modelserver/setup-venv.sh";
      return;
    }
    if (RunShell("command -v chromium").exitCode != 0) {
      skip_reason_ = "no chromium; install it with scripts/setup.sh (apt-get install chromium)";
      return;
    }
    char pattern[] = "/tmp/modelgate-report-browser-XXXXXX";
    workdir_ = mkdtemp(pattern);
    const std::string source = MODELGATE_SOURCE_DIR;
    auto trained = RunShell(Quote((VenvPath() / "bin/python").string()) + " " + source +
                            "/e2e/modelserver/train.py " + workdir_.string());
    ASSERT_EQ(trained.exitCode, 0) << trained.output;
    server_pid_ = Spawn({source + "/e2e/modelserver/serve.sh", (workdir_ / "models").string(),
                         (workdir_ / "port").string()},
                        workdir_ / "mlserver.log");
    port_ = WaitForPort(workdir_ / "port");
    ASSERT_GT(port_, 0) << "serve.sh wrote no port; see " << workdir_ / "mlserver.log";
  }

  static void TearDownTestSuite() {
    Stop(&server_pid_);
    if (!workdir_.empty()) fs::remove_all(workdir_);
  }

  void SetUp() override {
    if (!skip_reason_.empty()) GTEST_SKIP() << skip_reason_;
    ASSERT_GT(port_, 0) << "MLServer did not start";
    out_ = BuildDir() / "report-browser";
    fs::create_directories(out_);
  }

  static std::string Url(const std::string& model) {
    return "http://127.0.0.1:" + std::to_string(port_) + "/v2/models/" + model;
  }

  // Every gate runs (runAll) so every section has something to draw; nulls reach the model
  // because every feature is nullable, and the candidate without an imputer fails on them.
  static std::string Manifest() {
    std::ifstream in(workdir_ / "data/training.csv");
    std::string header;
    std::getline(in, header);
    std::stringstream columns(header);
    std::string column, features;
    while (std::getline(columns, column, ',')) {
      if (column != "target") features += "      - name: " + column + "\n        nullable: true\n";
    }
    const std::string data = "file://" + (workdir_ / "data").string() + "/";
    return "apiVersion: modelgate.io/v1alpha1\nkind: ModelVersion\n"
           "metadata:\n  name: cancer-v3\n  namespace: ml\n"
           "spec:\n  model: cancer\n  version: \"3\"\n"
           "  artifact:\n    uri: file://" +
           (workdir_ / "models/nullfail/model.joblib").string() +
           "\n    format: sklearn\n"
           "  serving:\n    image: mlserver:1.6\n    protocol: v2\n"
           "  datasets:\n    training:\n      uri: " +
           data + "training.csv\n    holdout:\n      uri: " + data +
           "holdout.csv\n    reference:\n      uri: " + data +
           "reference.csv\n"
           "  schema:\n    task: classification\n    target: target\n    features:\n" +
           features +
           "  gates:\n    runAll: true\n"
           "    data:\n      maxDriftShare: 0.25\n"
           "    quality:\n      timeoutSeconds: 120\n      threshold: 0.9\n"
           "      baselineMargin: 0.1\n"
           "      champion:\n        modelVersion: cancer-v1\n        maxDegradation: 0.02\n"
           "    robustness:\n      timeoutSeconds: 120\n"
           "    stress:\n      timeoutSeconds: 120\n      concurrency: 2\n"
           "      durationSeconds: 3\n      warmupSeconds: 1\n      maxP99Ms: 180\n"
           "      compareTo:\n        modelVersion: cancer-v1\n        maxP99Ratio: 3\n";
  }

  // Screenshots `url` with headless Chromium into `png`; returns its output.
  static ::modelgate::testing::ProcessOutput Screenshot(const std::string& url,
                                                        const fs::path& png) {
    fs::remove(png);
    return RunShell(
        "timeout 180 chromium --headless --no-sandbox --disable-gpu "
        "--disable-dev-shm-usage --hide-scrollbars --no-first-run "
        "--user-data-dir=" +
        Quote((workdir_ / "chromium-profile").string()) +
        " --window-size=1280,6400 --screenshot=" + Quote(png.string()) + " " + Quote(url));
  }

  static ::modelgate::testing::ProcessOutput CheckPng(const fs::path& png) {
    return RunShell(Quote((VenvPath() / "bin/python").string()) + " " + MODELGATE_SOURCE_DIR +
                    "/e2e/browser/png_check.py " + Quote(png.string()) + " " + kChartColors);
  }

  static inline std::string skip_reason_;
  static inline fs::path workdir_;
  static inline pid_t server_pid_ = -1;
  static inline int port_ = 0;
  fs::path out_;
};

TEST_F(ReportBrowserTest, ValidateReportRendersInChromium) {
  std::ofstream(workdir_ / "mv.yaml") << Manifest();
  const fs::path html = out_ / "report.html";
  auto validated = RunModelgate("validate -f " + (workdir_ / "mv.yaml").string() + " --endpoint " +
                                Url("nullfail") + " --champion-endpoint " + Url("good") +
                                " --report " + html.string());
  ASSERT_EQ(validated.exitCode, 1) << validated.output;  // robustness fails on nulls
  ASSERT_THAT(validated.output, HasSubstr("robustness  Failed"));

  const fs::path png = out_ / "report.png";
  auto shot = Screenshot("file://" + html.string(), png);
  ASSERT_TRUE(fs::exists(png)) << shot.output;
  EXPECT_GT(fs::file_size(png), 50'000u) << "a page of charts compresses to more than this";
  auto checked = CheckPng(png);
  EXPECT_EQ(checked.exitCode, 0) << checked.output;
  // Flushed now: a later fork in this process would otherwise write the buffer again.
  std::cout << "screenshot: " << png.string() << "\npng: " << checked.output << std::flush;
  RecordProperty("screenshot", png.string());
}

TEST_F(ReportBrowserTest, BlankPageFailsTheScreenshotCheck) {
  std::ofstream(out_ / "blank.html") << "<!DOCTYPE html><html><body></body></html>\n";
  const fs::path png = out_ / "blank.png";
  auto shot = Screenshot("file://" + (out_ / "blank.html").string(), png);
  ASSERT_TRUE(fs::exists(png)) << shot.output;
  EXPECT_EQ(CheckPng(png).exitCode, 1);
}

}  // namespace
}  // namespace modelgate::cmd
