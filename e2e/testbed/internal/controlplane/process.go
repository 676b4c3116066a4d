package controlplane

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Process is a component this program started. Components outlive the `testbed up`
// that started them, so everything else about them is found through their pid file.
type Process struct {
	Component Component
	Pid       int
	exited    chan struct{}
	state     *os.ProcessState
}

// Exited is closed once the process has exited.
func (p *Process) Exited() <-chan struct{} { return p.exited }

// ExitStatus describes how the process ended. REQUIRES: Exited() is closed.
func (p *Process) ExitStatus() string {
	if p.state == nil {
		return "exited"
	}
	return p.state.String()
}

// Start runs argv as component c in a process group of its own, so a signal to the group
// reaches everything the component forked and nothing else (not the shell or test
// runner that started `testbed`). Its output is appended to the component's log, its
// command line is saved for restart and its pid is written last, once it runs.
// REQUIRES: argv[0] is an executable.
// Returns an error naming the component when it cannot start.
func Start(state StateDir, c Component, argv []string) (*Process, error) {
	for _, dir := range []string{filepath.Dir(state.Log(c)), filepath.Dir(state.Pid(c)),
		filepath.Dir(state.Argv(c)), state.Run(c)} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("%s: %w", c, err)
		}
	}
	encoded, err := json.MarshalIndent(argv, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(state.Argv(c), append(encoded, '\n'), 0o644); err != nil {
		return nil, fmt.Errorf("%s: %w", c, err)
	}
	log, err := os.OpenFile(state.Log(c), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c, err)
	}
	defer log.Close()
	fmt.Fprintf(log, "==== testbed: starting %s at %s\n", c, time.Now().Format(time.RFC3339))

	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = state.Run(c)
	cmd.Stdout = log
	cmd.Stderr = log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%s: starting %s: %w", c, argv[0], err)
	}
	p := &Process{Component: c, Pid: cmd.Process.Pid, exited: make(chan struct{})}
	// The pid file is written before anything waits for the process: until then it stays
	// at least a zombie, so its start time is readable even if it exited at once.
	pidErr := writePidFile(state.Pid(c), p.Pid)
	if pidErr != nil {
		_ = syscall.Kill(-p.Pid, syscall.SIGKILL)
	}
	go func() {
		_ = cmd.Wait()
		p.state = cmd.ProcessState
		close(p.exited)
	}()
	if pidErr != nil {
		return nil, fmt.Errorf("%s: %w", c, pidErr)
	}
	return p, nil
}

// LoadArgv returns the command line component c was last started with.
// Returns an error naming the file when it is missing or unreadable.
func LoadArgv(state StateDir, c Component) ([]string, error) {
	data, err := os.ReadFile(state.Argv(c))
	if err != nil {
		return nil, err
	}
	var argv []string
	if err := json.Unmarshal(data, &argv); err != nil || len(argv) == 0 {
		return nil, fmt.Errorf("%s: not a JSON list of arguments", state.Argv(c))
	}
	return argv, nil
}

// A pid file holds the group leader's pid and its start time (in clock ticks since boot),
// so a later pid reuse by an unrelated process is not mistaken for the component.
func writePidFile(path string, pid int) error {
	start, err := startTime(pid)
	if err != nil {
		return err
	}
	return os.WriteFile(path, []byte(fmt.Sprintf("%d %d\n", pid, start)), 0o644)
}

// ReadPid returns the process group recorded for component c, or 0 when none is recorded.
func ReadPid(state StateDir, c Component) (pid int, start uint64) {
	data, err := os.ReadFile(state.Pid(c))
	if err != nil {
		return 0, 0
	}
	fields := strings.Fields(string(data))
	if len(fields) != 2 {
		return 0, 0
	}
	pid, _ = strconv.Atoi(fields[0])
	start, _ = strconv.ParseUint(fields[1], 10, 64)
	return pid, start
}

// Running reports whether component c still has a live process in its group.
func Running(state StateDir, c Component) (pid int, running bool) {
	pid, start := ReadPid(state, c)
	if pid <= 0 {
		return 0, false
	}
	return pid, len(groupMembers(pid, start)) > 0
}

// Stop sends SIGTERM to component c's process group, and SIGKILL to what is left of it
// after grace. It returns once the group is gone, at once when nothing runs.
// Returns an error naming the processes that survived SIGKILL.
func Stop(state StateDir, c Component, grace time.Duration) error {
	pid, start := ReadPid(state, c)
	if pid <= 0 {
		return nil
	}
	return stopGroups([]group{{c, pid, start}}, grace)
}

type group struct {
	component Component
	pgid      int
	start     uint64
}

// stopGroups stops several groups at once, so their grace periods overlap.
func stopGroups(groups []group, grace time.Duration) error {
	signalAll := func(sig syscall.Signal) {
		for _, g := range groups {
			if len(groupMembers(g.pgid, g.start)) > 0 {
				_ = syscall.Kill(-g.pgid, sig)
			}
		}
	}
	gone := func() bool {
		for _, g := range groups {
			if len(groupMembers(g.pgid, g.start)) > 0 {
				return false
			}
		}
		return true
	}
	signalAll(syscall.SIGTERM)
	if waitFor(gone, grace) {
		return nil
	}
	signalAll(syscall.SIGKILL)
	if waitFor(gone, 5*time.Second) {
		return nil
	}
	var left []string
	for _, g := range groups {
		if m := groupMembers(g.pgid, g.start); len(m) > 0 {
			left = append(left, fmt.Sprintf("%s (pids %v)", g.component, m))
		}
	}
	return fmt.Errorf("still running after SIGKILL: %s", strings.Join(left, ", "))
}

// waitFor polls cond until it holds or timeout passes; it reports whether cond held.
func waitFor(cond func() bool, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// groupMembers lists the live (not zombie) processes of process group pgid. Zombies do
// not count: they run nothing and, once orphaned, may never be reaped on machines whose
// init does not reap. When the leader pgid itself is alive but started at another time
// than recorded, the pid was reused and the group is not ours: it has no members.
func groupMembers(pgid int, leaderStart uint64) []int {
	if st, err := readStat(pgid); err == nil && leaderStart != 0 && st.start != leaderStart {
		return nil
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var members []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		st, err := readStat(pid)
		if err != nil || st.pgrp != pgid || st.state == 'Z' || st.state == 'X' {
			continue
		}
		members = append(members, pid)
	}
	return members
}

type procStat struct {
	state byte
	pgrp  int
	start uint64
}

// readStat parses /proc/PID/stat. The command name (field 2) may hold spaces and
// parentheses, so fields are counted from the last ')'.
func readStat(pid int) (procStat, error) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return procStat{}, err
	}
	i := strings.LastIndexByte(string(data), ')')
	if i < 0 {
		return procStat{}, errors.New("malformed stat")
	}
	f := strings.Fields(string(data[i+1:]))
	// f[0] is field 3 (state); field 5 (pgrp) is f[2]; field 22 (starttime) is f[19].
	if len(f) < 20 || len(f[0]) != 1 {
		return procStat{}, errors.New("malformed stat")
	}
	pgrp, err := strconv.Atoi(f[2])
	if err != nil {
		return procStat{}, err
	}
	start, err := strconv.ParseUint(f[19], 10, 64)
	if err != nil {
		return procStat{}, err
	}
	return procStat{state: f[0][0], pgrp: pgrp, start: start}, nil
}

func startTime(pid int) (uint64, error) {
	st, err := readStat(pid)
	return st.start, err
}
