package nodeagent

import (
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func crash(c *containerRun, at time.Time) {
	c.startedAt = at
	c.everStarted = true
	c.recordExit(corev1.ContainerStateTerminated{ExitCode: 1, Reason: "Error"}, corev1.RestartPolicyAlways, at)
}

func TestFirstRestartIsImmediateThenBackOffDoubles(t *testing.T) {
	c := &containerRun{name: "c", kind: kindMain}
	var delays []time.Duration
	for i := 0; i < 4; i++ {
		crash(c, t0)
		delays = append(delays, c.nextStart.Sub(t0))
	}
	want := []time.Duration{0, 10 * time.Second, 20 * time.Second, 40 * time.Second}
	for i := range want {
		if delays[i] != want[i] {
			t.Fatalf("delays = %v, want %v", delays, want)
		}
	}
}

func TestBackOffIsCappedAtFiveMinutes(t *testing.T) {
	c := &containerRun{name: "c", kind: kindMain}
	for i := 0; i < 20; i++ {
		crash(c, t0)
	}
	if d := c.nextStart.Sub(t0); d != maxBackoff {
		t.Fatalf("delay = %s, want %s", d, maxBackoff)
	}
}

func TestLongRunResetsBackOff(t *testing.T) {
	c := &containerRun{name: "c", kind: kindMain}
	for i := 0; i < 5; i++ {
		crash(c, t0)
	}
	c.startedAt = t0
	c.recordExit(corev1.ContainerStateTerminated{ExitCode: 1}, corev1.RestartPolicyAlways, t0.Add(11*time.Minute))
	if d := c.nextStart.Sub(t0.Add(11 * time.Minute)); d != 0 {
		t.Fatalf("delay after a long run = %s, want 0", d)
	}
}

func TestStoppedContainerIsNotRestarted(t *testing.T) {
	c := &containerRun{name: "c", kind: kindMain, stopping: true}
	c.recordExit(corev1.ContainerStateTerminated{ExitCode: 143}, corev1.RestartPolicyAlways, t0)
	if c.restartDue {
		t.Fatal("a container the agent stopped must not be restarted")
	}
}

func TestCrashLoopingContainerReportsWaitingWithLastState(t *testing.T) {
	c := &containerRun{name: "c", kind: kindMain}
	crash(c, t0)
	crash(c, t0)
	s := c.status(&corev1.Container{Name: "c", Image: "i"}, "", false, t0)
	if s.State.Waiting == nil || s.State.Waiting.Reason != "CrashLoopBackOff" {
		t.Fatalf("state = %+v, want waiting CrashLoopBackOff", s.State)
	}
	if s.LastTerminationState.Terminated == nil || s.LastTerminationState.Terminated.ExitCode != 1 {
		t.Fatalf("lastState = %+v, want the exit", s.LastTerminationState)
	}
}

func TestFinishedContainerReportsTerminated(t *testing.T) {
	c := &containerRun{name: "c", kind: kindMain, everStarted: true}
	c.recordExit(corev1.ContainerStateTerminated{ExitCode: 0, Reason: "Completed", Message: "hi"}, corev1.RestartPolicyNever, t0)
	s := c.status(&corev1.Container{Name: "c"}, "", false, t0)
	if s.State.Terminated == nil || s.State.Terminated.Message != "hi" || s.Ready {
		t.Fatalf("status = %+v", s)
	}
}

func TestUnstartedMainContainerWaitsForInitialisation(t *testing.T) {
	c := &containerRun{name: "c", kind: kindMain}
	s := c.status(&corev1.Container{Name: "c"}, "", true, t0)
	if s.State.Waiting == nil || s.State.Waiting.Reason != "PodInitializing" {
		t.Fatalf("state = %+v, want PodInitializing", s.State)
	}
}

func TestContainerRunningBeforeAgentRestartCountsAsKilled(t *testing.T) {
	c := &containerRun{name: "c", kind: kindMain}
	c.restore(corev1.ContainerStatus{Name: "c", RestartCount: 2,
		State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}}, corev1.RestartPolicyAlways, t0)
	if c.lastExit == nil || c.lastExit.ExitCode != 137 || !c.restartDue || c.restartCount != 2 {
		t.Fatalf("restored = %+v (exit %+v)", c, c.lastExit)
	}
}

func TestSucceededInitContainerIsNotRerunAfterAgentRestart(t *testing.T) {
	c := &containerRun{name: "init", kind: kindInit}
	c.restore(exited("init", 0), corev1.RestartPolicyAlways, t0)
	if !c.succeeded() {
		t.Fatal("an init container that succeeded before the restart must count as done")
	}
}

func TestEachRunGetsItsOwnNumber(t *testing.T) {
	c := &containerRun{name: "c", kind: kindMain}
	if c.nextRun() != 0 {
		t.Fatalf("first run = %d, want 0", c.nextRun())
	}
	crash(c, t0)
	if c.nextRun() != 1 {
		t.Fatalf("run after a crash = %d, want 1", c.nextRun())
	}
}
