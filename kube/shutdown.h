// Graceful shutdown: SIGTERM and SIGINT stop a StopSignal; a second signal exits at once,
// as controller-runtime's SetupSignalHandler does.
#pragma once

#include "api/status.h"
#include "kube/stop_signal.h"

namespace modelgate::kube {

// Blocks SIGTERM and SIGINT in the calling thread (and so in every thread it starts later)
// and starts a thread that waits for them: the first one calls stop->Stop(), a second one
// ends the process with exit code 1.
// REQUIRES: called once, from main, before other threads start; `stop` outlives the process.
// Returns Internal when the signal mask or the thread cannot be set up.
Status StopOnTerminationSignals(StopSignal* stop);

}  // namespace modelgate::kube
