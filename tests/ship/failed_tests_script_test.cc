// scripts/failed-tests.sh, which `make test` runs last when a test failed: the end of a CI log
// names every test that did not pass, how, and the end of its output.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "tests/support/subprocess.h"

namespace modelgate::ship {
namespace {

using ::modelgate::testing::RunShell;

// The console output of `ctest --output-on-failure`: a passed, a skipped, a failed test with
// output, a timed-out one, a crashed one, one that passed on its second attempt and one that
// failed both (ctest --repeat until-pass:2).
constexpr const char* kLog = R"(Test project /build
          Start    1: Suite.Passes
   1/7 Test    #1: Suite.Passes .......................   Passed    0.01 sec
          Start    2: Suite.IsSkipped
   2/7 Test    #2: Suite.IsSkipped ....................***Skipped   0.01 sec
          Start    3: e2e.scenario
   3/7 Test    #3: e2e.scenario .......................***Failed   12.50 sec
early output
FAIL: phase of mv/good is Pending, expected Passed
          Start    4: Suite.Hangs
   4/7 Test    #4: Suite.Hangs ........................***Timeout 900.02 sec
still waiting
          Start    5: Suite.Crashes
   5/7 Test    #5: Suite.Crashes ......................***Exception: SegFault  0.20 sec
stack of the crash

          Start    6: e2e.flaky
   6/7 Test    #6: e2e.flaky ..........................***Failed    3.00 sec
deadline passed
          Start    6: e2e.flaky
       Test    #6: e2e.flaky ..........................   Passed    2.00 sec
          Start    7: e2e.broken
   7/7 Test    #7: e2e.broken .........................***Failed    1.00 sec
first try output
          Start    7: e2e.broken
       Test    #7: e2e.broken .........................***Failed    1.00 sec
second try output

43% tests passed, 4 tests failed out of 7

The following tests FAILED:
	  3 - e2e.scenario (Failed)
	  4 - Suite.Hangs (Timeout)
	  5 - Suite.Crashes (SEGFAULT)
	  7 - e2e.broken (Failed)
Errors while running CTest
)";

class FailedTestsScriptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "failed_tests_script_test.log";
    std::ofstream(path_) << kLog;
  }
  void TearDown() override { std::remove(path_.c_str()); }

  std::string Run(const std::string& env) {
    auto out = RunShell(env + " " + std::string(MODELGATE_SOURCE_DIR) +
                        "/scripts/failed-tests.sh gcc " + path_);
    EXPECT_EQ(out.exitCode, 0) << out.output;
    return out.output;
  }

  std::string path_;
};

TEST_F(FailedTestsScriptTest, NamesEachTestThatDidNotPassWithTheEndOfItsOutput) {
  const std::string out = Run("FAILED_TEST_LINES=1");
  EXPECT_NE(out.find("---- gcc: e2e.scenario (Failed), last 1 lines of its output:\n"
                     "  FAIL: phase of mv/good is Pending, expected Passed\n"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("early output"), std::string::npos) << out;
  EXPECT_NE(out.find("---- gcc: Suite.Hangs (Timeout), last 1 lines of its output:\n"
                     "  still waiting\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("---- gcc: Suite.Crashes (Exception: SegFault), last 1 lines of its output:\n"
                     "  stack of the crash\n"),
            std::string::npos)
      << out;
  // A failed attempt is named even when the second one passed.
  EXPECT_NE(out.find("---- gcc: e2e.flaky (Failed), last 1 lines of its output:\n"
                     "  deadline passed\n"),
            std::string::npos)
      << out;
  // And each attempt of one that failed twice.
  EXPECT_NE(out.find("---- gcc: e2e.broken (Failed), last 1 lines of its output:\n"
                     "  first try output\n"
                     "---- gcc: e2e.broken (Failed), last 1 lines of its output:\n"
                     "  second try output\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("gcc: \t  5 - Suite.Crashes (SEGFAULT)\ngcc: \t  7 - e2e.broken (Failed)\n"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("Suite.Passes"), std::string::npos) << out;
  EXPECT_EQ(out.find("Suite.IsSkipped"), std::string::npos) << out;
}

TEST_F(FailedTestsScriptTest, KeepsFortyLinesByDefault) {
  const std::string out = Run("");
  EXPECT_NE(out.find("e2e.scenario (Failed), last 2 lines of its output:\n  early output\n"),
            std::string::npos)
      << out;
}

TEST_F(FailedTestsScriptTest, AMissingLogIsSaidAndNotAnError) {
  auto out = RunShell(std::string(MODELGATE_SOURCE_DIR) + "/scripts/failed-tests.sh sanitize " +
                      path_ + ".missing");
  EXPECT_EQ(out.exitCode, 0);
  EXPECT_NE(out.output.find("sanitize: no test log at"), std::string::npos) << out.output;
}

}  // namespace
}  // namespace modelgate::ship
