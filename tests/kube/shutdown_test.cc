#include "kube/shutdown.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace modelgate::kube {
namespace {

// Signal dispositions are per process, so the handler is exercised in a child.
TEST(ShutdownTest, SigtermStopsTheStopSignal) {
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    alarm(10);  // a broken handler must not hang the test
    static StopSignal stop;
    if (!StopOnTerminationSignals(&stop).ok()) _exit(3);
    kill(getpid(), SIGTERM);
    stop.Wait();
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << "child ended by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(ShutdownTest, SecondSignalExitsAtOnce) {
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    alarm(10);
    static StopSignal stop;
    if (!StopOnTerminationSignals(&stop).ok()) _exit(3);
    kill(getpid(), SIGINT);
    stop.Wait();
    kill(getpid(), SIGTERM);
    pause();  // the signal thread ends the process with exit code 1
    _exit(4);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << "child ended by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 1);
}

}  // namespace
}  // namespace modelgate::kube
