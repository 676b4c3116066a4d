#include "kube/shutdown.h"

#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstring>
#include <thread>

namespace modelgate::kube {

Status StopOnTerminationSignals(StopSignal* stop) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int rc = pthread_sigmask(SIG_BLOCK, &set, nullptr);
  if (rc != 0) return Status::Internal(std::string("pthread_sigmask: ") + std::strerror(rc));
  try {
    std::thread([stop, set] {
      int received = 0;
      int count = 0;
      while (sigwait(&set, &received) == 0) {
        if (++count == 1) {
          spdlog::info("msg=\"shutting down\" signal={}",
                       received == SIGTERM ? "SIGTERM" : "SIGINT");
          stop->Stop();
        } else {
          spdlog::warn("msg=\"second signal, exiting now\"");
          _exit(1);
        }
      }
    }).detach();
  } catch (const std::exception& e) {
    return Status::Internal(std::string("starting the signal thread: ") + e.what());
  }
  return Status::Ok();
}

}  // namespace modelgate::kube
