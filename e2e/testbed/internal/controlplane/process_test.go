package controlplane

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func startSleeper(t *testing.T, state StateDir, script string) *Process {
	t.Helper()
	p, err := Start(state, Scheduler, []string{"/bin/sh", "-c", script})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = Stop(state, Scheduler, time.Second) })
	return p
}

func TestStartedComponentIsRunningAndRecorded(t *testing.T) {
	state := StateDir{Root: t.TempDir()}
	p := startSleeper(t, state, "sleep 60")
	pid, running := Running(state, Scheduler)
	if !running || pid != p.Pid {
		t.Fatalf("Running = %d, %v; started pid %d", pid, running, p.Pid)
	}
	argv, err := LoadArgv(state, Scheduler)
	if err != nil || argv[2] != "sleep 60" {
		t.Fatalf("LoadArgv = %v, %v", argv, err)
	}
}

func TestStopEndsTheWholeProcessGroup(t *testing.T) {
	state := StateDir{Root: t.TempDir()}
	p := startSleeper(t, state, "sleep 60 & sleep 60 & wait")
	if !waitFor(func() bool { return len(groupMembers(p.Pid, 0)) == 3 }, 5*time.Second) {
		t.Fatalf("group members = %v, want the shell and two sleeps", groupMembers(p.Pid, 0))
	}
	if err := Stop(state, Scheduler, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if _, running := Running(state, Scheduler); running {
		t.Fatal("still running after Stop")
	}
}

func TestStopKillsWhatIgnoresSIGTERM(t *testing.T) {
	state := StateDir{Root: t.TempDir()}
	p := startSleeper(t, state, "trap '' TERM; echo ready; while :; do sleep 1; done")
	if !waitFor(func() bool { return strings.Contains(TailLines(state.Log(Scheduler), 1), "ready") }, 5*time.Second) {
		t.Fatal("the script never started")
	}
	began := time.Now()
	if err := Stop(state, Scheduler, 300*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if _, running := Running(state, Scheduler); running {
		t.Fatalf("pid %d survived SIGKILL", p.Pid)
	}
	if time.Since(began) < 300*time.Millisecond {
		t.Fatal("Stop did not give the grace period")
	}
}

func TestRunningIgnoresAReusedPid(t *testing.T) {
	state := StateDir{Root: t.TempDir()}
	startSleeper(t, state, "sleep 60")
	pid, start := ReadPid(state, Scheduler)
	if members := groupMembers(pid, start+1); members != nil {
		t.Fatalf("a leader with another start time counted as ours: %v", members)
	}
}

func TestNothingRecordedIsNotRunning(t *testing.T) {
	if _, running := Running(StateDir{Root: t.TempDir()}, Etcd); running {
		t.Fatal("Running without a pid file")
	}
}

func TestWaitReadyNamesTheComponentThatExited(t *testing.T) {
	state := StateDir{Root: t.TempDir()}
	p := startSleeper(t, state, "exit 3")
	never := Probe{APIServer, "never", func(context.Context) error { return errors.New("no") }}
	err := WaitReady(context.Background(), time.Now().Add(10*time.Second), []*Process{p}, []Probe{never})
	var se *StartupError
	if !errors.As(err, &se) || se.Component != Scheduler || !strings.Contains(err.Error(), "exit status 3") {
		t.Fatalf("WaitReady = %v, want a StartupError for %s with its exit status", err, Scheduler)
	}
}

func TestWaitReadyTimesOutNamingTheFirstPendingProbe(t *testing.T) {
	ok := Probe{Etcd, "fine", func(context.Context) error { return nil }}
	never := Probe{NodeAgent, "Node Ready", func(context.Context) error { return errors.New("no node") }}
	err := WaitReady(context.Background(), time.Now().Add(300*time.Millisecond), nil, []Probe{ok, never})
	var se *StartupError
	if !errors.As(err, &se) || se.Component != NodeAgent || !strings.Contains(err.Error(), "no node") {
		t.Fatalf("WaitReady = %v, want a timeout naming %s and the last error", err, NodeAgent)
	}
}

func TestWaitReadyReturnsOnceEveryProbeHolds(t *testing.T) {
	calls := 0
	eventually := Probe{APIServer, "third time", func(context.Context) error {
		if calls++; calls < 3 {
			return errors.New("not yet")
		}
		return nil
	}}
	if err := WaitReady(context.Background(), time.Now().Add(10*time.Second), nil, []Probe{eventually}); err != nil {
		t.Fatal(err)
	}
}
