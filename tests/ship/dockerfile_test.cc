// The Dockerfile is checked, not built (there is no container engine here): its build stage
// must set the machine up with scripts/setup.sh and compile like `make build`, so the image
// and the README's build cannot drift apart; its runtime stage must hold only the binary, the
// shared libraries it loads and the CA bundle, and run as a non-root user. The runtime
// stage's file set is made for real from this build's binary and run in a chroot.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "operator/validation_job.h"
#include "tests/ship/rendered_chart.h"
#include "tests/support/subprocess.h"

namespace modelgate::ship {
namespace {

using ::modelgate::testing::RunShell;

struct Instruction {
  std::string keyword;  // upper case: FROM, RUN, COPY, ...
  std::string text;     // the rest, continuation lines joined; a heredoc's body included
};

struct Stage {
  std::string from;
  std::vector<Instruction> instructions;
};

// Splits the Dockerfile into stages of instructions (comments dropped, `\` continuations
// joined, `<<'WORD'` heredocs kept whole).
std::vector<Stage> ParseDockerfile(const std::string& text) {
  std::vector<Stage> stages;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    while (!line.empty() && line.back() == '\\') {
      line.pop_back();
      std::string next;
      if (!std::getline(in, next)) break;
      line += next;
    }
    if (size_t heredoc = line.find("<<'"); heredoc != std::string::npos) {
      const size_t end = line.find('\'', heredoc + 3);
      const std::string word = line.substr(heredoc + 3, end - heredoc - 3);
      std::string body;
      while (std::getline(in, body) && body != word) line += "\n" + body;
    }
    const size_t space = line.find(' ');
    Instruction instruction{line.substr(0, space), line.substr(space + 1)};
    if (instruction.keyword == "FROM") {
      stages.push_back({instruction.text, {}});
    } else if (!stages.empty()) {
      stages.back().instructions.push_back(instruction);
    }
  }
  return stages;
}

std::vector<std::string> TextsOf(const Stage& stage, const std::string& keyword) {
  std::vector<std::string> out;
  for (const Instruction& i : stage.instructions) {
    if (i.keyword == keyword) out.push_back(i.text);
  }
  return out;
}

std::vector<Stage> Stages() { return ParseDockerfile(ReadSourceFile("Dockerfile")); }

// The body of the RUN heredoc that assembles the runtime file system.
std::string RootfsScript(const Stage& build) {
  for (const std::string& run : TextsOf(build, "RUN")) {
    if (run.rfind("<<'ROOTFS'", 0) == 0) return run.substr(run.find('\n') + 1);
  }
  return "";
}

TEST(DockerfileTest, HasABuildStageAndAScratchRuntimeStage) {
  const std::vector<Stage> stages = Stages();
  ASSERT_EQ(stages.size(), 2u);
  EXPECT_EQ(stages[0].from, "debian:12 AS build");
  EXPECT_EQ(stages[1].from, "scratch");
}

TEST(DockerfileTest, BuildStageSetsUpTheMachineWithTheSetupScript) {
  const std::vector<Stage> stages = Stages();
  ASSERT_FALSE(stages.empty());
  const std::vector<std::string> runs = TextsOf(stages[0], "RUN");
  ASSERT_FALSE(runs.empty());
  EXPECT_EQ(runs[0], "SETUP_BUILD_ONLY=1 scripts/setup.sh");
  // Nothing is installed except through the script.
  for (const std::string& run : runs) {
    for (const std::string installer :
         {"apt-get", "apt ", "dpkg", "pip", "curl", "wget", "go install", "go build"}) {
      EXPECT_EQ(run.find(installer), std::string::npos) << run;
    }
  }
  // The script stops after the packages when asked to, before anything needs Go.
  const std::string setup = ReadSourceFile("scripts/setup.sh");
  const size_t stop = setup.find("[ -z \"${SETUP_BUILD_ONLY:-}\" ] || exit 0");
  ASSERT_NE(stop, std::string::npos);
  EXPECT_LT(setup.find("apt-get install"), stop);
  EXPECT_GT(setup.find("command -v go"), stop);
  // The toolchain the build stage uses comes from the script's package list.
  for (const std::string package : {"g++", "cmake", "ninja-build", "ca-certificates"}) {
    EXPECT_NE(setup.find(" " + package + " "), std::string::npos) << package;
  }
}

TEST(DockerfileTest, BuildStageCompilesTheWayTheMakefileDoes) {
  // `make build`: cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS), then ninja -C $(BUILD).
  const std::string makefile = ReadSourceFile("Makefile");
  ASSERT_NE(makefile.find("@cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS)"), std::string::npos);
  ASSERT_NE(makefile.find("@ninja -C $(BUILD)"), std::string::npos);
  const std::vector<Stage> stages = Stages();
  ASSERT_FALSE(stages.empty());
  const std::vector<std::string> runs = TextsOf(stages[0], "RUN");
  ASSERT_GE(runs.size(), 2u);
  EXPECT_EQ(runs[1],
            "cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release && ninja -C build modelgate");
}

TEST(DockerfileTest, RuntimeStageCopiesOnlyTheAssembledRootAndRunsAsNonRoot) {
  const std::vector<Stage> stages = Stages();
  ASSERT_EQ(stages.size(), 2u);
  const Stage& runtime = stages[1];
  EXPECT_TRUE(TextsOf(runtime, "RUN").empty());
  EXPECT_TRUE(TextsOf(runtime, "ADD").empty());
  EXPECT_EQ(TextsOf(runtime, "COPY"), std::vector<std::string>{"--from=build /rootfs/ /"});
  const std::vector<std::string> user = TextsOf(runtime, "USER");
  ASSERT_EQ(user.size(), 1u);
  const std::string uid = std::to_string(op::ValidationJobOptions{}.run_as_user);
  EXPECT_EQ(user[0], uid + ":" + uid);
  EXPECT_NE(uid, "0");
  EXPECT_EQ(TextsOf(runtime, "ENTRYPOINT"),
            std::vector<std::string>{"[\"/usr/local/bin/modelgate\"]"});
}

TEST(DockerfileTest, BuildContextLeavesOutBuildTreesAndHistory) {
  std::set<std::string> ignored;
  std::istringstream in(ReadSourceFile(".dockerignore"));
  for (std::string line; std::getline(in, line);) ignored.insert(line);
  for (const std::string entry : {".git", "build", "build-*", ".cache"}) {
    EXPECT_EQ(ignored.count(entry), 1u) << entry;
  }
}

class RuntimeRootTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/modelgate-rootfs-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    root_ = dir;
    const std::vector<Stage> stages = Stages();
    ASSERT_FALSE(stages.empty());
    script_ = RootfsScript(stages[0]);
    ASSERT_FALSE(script_.empty()) << "no RUN <<'ROOTFS' in the build stage";
    auto made = RunShell("BINARY=" + ShellQuote(MODELGATE_BINARY) + " ROOTFS=" +
                         ShellQuote(root_ + "/root") + " /bin/sh -c " + ShellQuote(script_));
    ASSERT_EQ(made.exitCode, 0) << made.output;
  }
  void TearDown() override {
    if (!root_.empty()) RunShell("rm -rf " + ShellQuote(root_));
  }

  std::string root_;
  std::string script_;
};

TEST_F(RuntimeRootTest, HoldsTheBinaryItsLibrariesAndTheCaBundleOnly) {
  std::set<std::string> expected = {"/usr/local/bin/modelgate",
                                    "/etc/ssl/certs/ca-certificates.crt"};
  auto ldd = RunShell("ldd " + ShellQuote(MODELGATE_BINARY) + " | grep -o '/[^ ]*'");
  ASSERT_EQ(ldd.exitCode, 0) << ldd.output;
  std::istringstream libs(ldd.output);
  for (std::string lib; std::getline(libs, lib);) expected.insert(lib);
  auto files = RunShell("cd " + ShellQuote(root_ + "/root") + " && find . ! -type d | cut -c2-");
  ASSERT_EQ(files.exitCode, 0) << files.output;
  std::set<std::string> actual;
  std::istringstream listed(files.output);
  for (std::string f; std::getline(listed, f);) actual.insert(f);
  EXPECT_EQ(actual, expected);
}

TEST_F(RuntimeRootTest, BinaryRunsInsideTheRootAsTheImageUser) {
  if (geteuid() != 0) GTEST_SKIP() << "chroot needs root";
  const std::string uid = std::to_string(op::ValidationJobOptions{}.run_as_user);
  auto run = RunShell("env -i \"$(command -v chroot)\" --userspec=" + uid + ":" + uid + " " +
                      ShellQuote(root_ + "/root") + " /usr/local/bin/modelgate version -o json");
  ASSERT_EQ(run.exitCode, 0) << run.output;
  const nlohmann::json version = nlohmann::json::parse(run.output, nullptr, false);
  ASSERT_TRUE(version.is_object()) << run.output;
  EXPECT_EQ(version.value("apiVersion", ""), "modelgate.io/v1alpha1");
}

}  // namespace
}  // namespace modelgate::ship
