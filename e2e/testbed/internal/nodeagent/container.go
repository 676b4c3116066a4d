package nodeagent

import (
	"crypto/rand"
	"encoding/hex"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Restart back-off of crashing containers, as the kubelet's: the first restart is
// immediate, then 10 s doubling up to 5 min; a run longer than 10 min resets it.
const (
	initialBackoff = 10 * time.Second
	maxBackoff     = 5 * time.Minute
	backoffReset   = 10 * time.Minute
)

type containerKind int

const (
	kindInit containerKind = iota
	kindSidecar
	kindMain
)

// containerRun is the agent's state of one container of a pod across its restarts. It is
// owned by the pod's worker goroutine; only probe results arrive from elsewhere.
type containerRun struct {
	name string
	kind containerKind

	proc      *process
	id        string
	cgroup    string
	startedAt time.Time
	probes    *probeSet

	lastExit     *corev1.ContainerStateTerminated // most recent run's end
	prevExit     *corev1.ContainerStateTerminated // the run before that
	restartCount int32
	everStarted  bool
	restartDue   bool          // the last run ended and the policy starts it again
	nextStart    time.Time     // when a due restart may happen
	backoff      time.Duration // the delay before the next restart after this one
	delay        time.Duration // the delay applied to the restart now due
	stopping     bool          // the agent is stopping it: its exit starts nothing
	waiting      *corev1.ContainerStateWaiting
	logPath      string   // the current run's log
	termFile     string   // the current run's terminationMessagePath, on the host
	base         execSpec // the current run's spec, reused by exec probes
	imagePulls   int      // failed image look-ups, to switch ErrImagePull to ImagePullBackOff
}

func newContainerID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// nextRun numbers the run that starts next (its log is <n>.log): 0 for the first, then
// the restart count it will have.
func (c *containerRun) nextRun() int32 {
	if c.everStarted {
		return c.restartCount + 1
	}
	return c.restartCount
}

// running reports whether a process of the container is alive.
func (c *containerRun) running() bool { return c.proc != nil && !c.proc.exited() }

// succeeded reports whether the container's last run exited 0 and it is not running.
func (c *containerRun) succeeded() bool {
	return !c.running() && c.lastExit != nil && c.lastExit.ExitCode == 0 && !c.restartDue
}

// finished reports whether the container ran, ended and will not be started again.
func (c *containerRun) finished() bool {
	return !c.running() && c.lastExit != nil && !c.restartDue
}

// recordExit turns a reaped process into the container's last termination and decides
// on a restart under policy (never while the agent is stopping it).
func (c *containerRun) recordExit(t corev1.ContainerStateTerminated, policy corev1.RestartPolicy, now time.Time) {
	c.prevExit, c.lastExit = c.lastExit, &t
	c.proc = nil
	if c.probes != nil {
		c.probes.Stop()
		c.probes = nil
	}
	c.restartDue = !c.stopping && shouldRestart(policy, c.kind, t.ExitCode)
	if !c.restartDue {
		return
	}
	if now.Sub(c.startedAt) > backoffReset {
		c.backoff = 0
	}
	c.delay = c.backoff
	c.nextStart = now.Add(c.delay)
	switch {
	case c.backoff == 0:
		c.backoff = initialBackoff
	case c.backoff*2 > maxBackoff:
		c.backoff = maxBackoff
	default:
		c.backoff *= 2
	}
}

// status renders the container as the API reports it.
func (c *containerRun) status(spec *corev1.Container, imageID string, podInitializing bool, now time.Time) corev1.ContainerStatus {
	s := corev1.ContainerStatus{Name: c.name, Image: spec.Image, ImageID: imageID,
		RestartCount: c.restartCount}
	if c.id != "" {
		s.ContainerID = "testbed://" + c.id
	}
	started := false
	switch {
	case c.running():
		s.State.Running = &corev1.ContainerStateRunning{StartedAt: metav1.NewTime(c.startedAt)}
		if c.lastExit != nil {
			s.LastTerminationState.Terminated = c.lastExit
		}
		if c.probes != nil {
			s.Ready, started = c.probes.Ready(), c.probes.Started()
		}
	case c.lastExit != nil && c.restartDue:
		s.State.Waiting = c.waiting
		if s.State.Waiting == nil {
			s.State.Waiting = &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff",
				Message: "back-off " + c.delay.String() + " restarting failed container=" + c.name}
		}
		s.LastTerminationState.Terminated = c.lastExit
	case c.lastExit != nil:
		s.State.Terminated = c.lastExit
		if c.prevExit != nil {
			s.LastTerminationState.Terminated = c.prevExit
		}
	default:
		s.State.Waiting = c.waiting
		if s.State.Waiting == nil {
			reason := "ContainerCreating"
			if podInitializing {
				reason = "PodInitializing"
			}
			s.State.Waiting = &corev1.ContainerStateWaiting{Reason: reason}
		}
		if c.lastExit != nil {
			s.LastTerminationState.Terminated = c.lastExit
		}
	}
	s.Started = &started
	return s
}

// restore rebuilds the container's history from the status a previous agent posted. A
// container that was running then is gone now: it is recorded as killed.
func (c *containerRun) restore(s corev1.ContainerStatus, policy corev1.RestartPolicy, now time.Time) {
	c.restartCount = s.RestartCount
	c.everStarted = s.State.Running != nil || s.State.Terminated != nil || s.LastTerminationState.Terminated != nil
	switch {
	case s.State.Terminated != nil:
		c.lastExit = s.State.Terminated.DeepCopy()
		c.prevExit = s.LastTerminationState.Terminated.DeepCopy()
		// A stopped sidecar was stopped because the pod was ending.
		c.restartDue = c.kind != kindSidecar && shouldRestart(policy, c.kind, c.lastExit.ExitCode)
	case s.State.Running != nil:
		c.prevExit = s.LastTerminationState.Terminated.DeepCopy()
		c.lastExit = &corev1.ContainerStateTerminated{ExitCode: 137, Signal: 9, Reason: "Error",
			Message:   "the node agent restarted; the container's process did not survive it",
			StartedAt: s.State.Running.StartedAt, FinishedAt: metav1.NewTime(now), ContainerID: s.ContainerID}
		c.restartDue = shouldRestart(policy, c.kind, 137)
	case s.LastTerminationState.Terminated != nil:
		c.lastExit = s.LastTerminationState.Terminated.DeepCopy()
		c.restartDue = true
	}
	if c.restartDue {
		// Resume the back-off where the previous agent was, judging by the restart count.
		c.nextStart = now
		if c.restartCount > 0 {
			c.delay = initialBackoff << min(c.restartCount-1, 5)
			c.delay = min(c.delay, maxBackoff)
			c.backoff = min(c.delay*2, maxBackoff)
			c.nextStart = c.lastExit.FinishedAt.Add(c.delay)
		}
	}
}
