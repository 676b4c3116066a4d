package nodeagent

import (
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

// process is one running container process (the exec-container step that became it).
type process struct {
	cmd    *exec.Cmd
	pid    int
	done   chan struct{} // closed once the process was reaped
	state  *os.ProcessState
	record string // pid file for Cleanup
}

// startProcess starts cmd with output appended to logPath and records its pid (with the
// process's start time, so Cleanup never kills a recycled pid) in recordPath.
// onExit runs after the process was reaped.
func startProcess(cmd *exec.Cmd, logPath, recordPath string, onExit func()) (*process, error) {
	if err := os.MkdirAll(filepath.Dir(logPath), 0o755); err != nil {
		return nil, err
	}
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &process{cmd: cmd, pid: cmd.Process.Pid, done: make(chan struct{}), record: recordPath}
	if err := os.MkdirAll(filepath.Dir(recordPath), 0o755); err == nil {
		_ = os.WriteFile(recordPath, []byte(fmt.Sprintf("%d %d\n", p.pid, processStartTime(p.pid))), 0o644)
	}
	go func() {
		_ = cmd.Wait()
		p.state = cmd.ProcessState
		// A container ends with its first process: whatever it left in its group goes too.
		_ = syscall.Kill(-p.pid, syscall.SIGKILL)
		_ = os.Remove(p.record)
		close(p.done)
		onExit()
	}()
	return p, nil
}

// exited reports whether the process has been reaped.
func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// signal sends sig to the process's whole group.
func (p *process) signal(sig syscall.Signal) {
	if !p.exited() {
		_ = syscall.Kill(-p.pid, sig)
	}
}

// stop sends SIGTERM and, if the process is still there after grace, SIGKILL. It returns
// at once; the kill happens in the background.
func (p *process) stop(grace time.Duration) {
	p.signal(syscall.SIGTERM)
	go func() {
		t := time.NewTimer(grace)
		defer t.Stop()
		select {
		case <-p.done:
		case <-t.C:
			p.signal(syscall.SIGKILL)
		}
	}()
}

// exitStatus returns the exit code the kubelet would report (128+n for signal n) and the
// signal, 0 when the process exited normally.
func exitStatus(state *os.ProcessState) (code int32, signal int32) {
	if state == nil {
		return 137, int32(syscall.SIGKILL)
	}
	ws, ok := state.Sys().(syscall.WaitStatus)
	if !ok {
		return int32(state.ExitCode()), 0
	}
	if ws.Signaled() {
		return 128 + int32(ws.Signal()), int32(ws.Signal())
	}
	return int32(ws.ExitStatus()), 0
}

// processStartTime returns field 22 of /proc/PID/stat (start time in clock ticks), or 0.
func processStartTime(pid int) uint64 {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// The command name may contain spaces; fields are counted after its closing paren.
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0
	}
	fields := strings.Fields(s[i+1:])
	if len(fields) < 20 {
		return 0
	}
	v, _ := strconv.ParseUint(fields[19], 10, 64)
	return v
}

// killRecorded SIGKILLs the process group named by a pid file if that pid still is the
// process that was recorded.
func killRecorded(recordPath string) error {
	data, err := os.ReadFile(recordPath)
	if err != nil {
		return err
	}
	var pid int
	var start uint64
	if _, err := fmt.Sscanf(string(data), "%d %d", &pid, &start); err != nil || pid <= 1 {
		return fmt.Errorf("%s: malformed pid record", recordPath)
	}
	if got := processStartTime(pid); got == 0 || got != start {
		return nil // gone, or the pid now belongs to someone else
	}
	err = syscall.Kill(-pid, syscall.SIGKILL)
	if err2 := syscall.Kill(pid, syscall.SIGKILL); err != nil && !errors.Is(err2, syscall.ESRCH) {
		return err2
	}
	return nil
}

// waitBriefly pauses between retries of operations the kernel completes asynchronously.
func waitBriefly() { time.Sleep(20 * time.Millisecond) }
