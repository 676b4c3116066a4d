package nodeagent

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// execSpec is everything the exec-container step needs to turn itself into a container
// process: it is written by the agent as JSON and read by the child.
type execSpec struct {
	Netns      string      `json:"netns"` // file of the pod's network namespace
	Hostname   string      `json:"hostname"`
	Mounts     []execMount `json:"mounts"`
	WorkingDir string      `json:"workingDir,omitempty"`
	Argv       []string    `json:"argv"`
	Env        []string    `json:"env"`
	UID        *int64      `json:"uid,omitempty"`
	GID        *int64      `json:"gid,omitempty"`
	Cgroup     string      `json:"cgroup,omitempty"` // cgroup v2 directory to join, if any
	// StartErrorFile receives the reason when the command cannot be started, so the agent
	// can report StartError rather than an exit code alone.
	StartErrorFile string `json:"startErrorFile,omitempty"`
}

// execMount is one bind mount made in the container's private mount namespace.
type execMount struct {
	Source   string `json:"source"`
	Target   string `json:"target"`
	ReadOnly bool   `json:"readOnly,omitempty"`
}

// exitStartFailure is the exit code of a container whose command could not be started
// (the kubelet reports 128 with reason StartError).
const exitStartFailure = 128

// execContainer is the hidden `node-agent exec-container SPECFILE` step. The agent starts
// it in a new mount and UTS namespace with / made private (Go's Unshareflags); here it
// joins the pod's network namespace, makes the volume mounts, takes the container's
// credentials and execs the command, so the container's process is this process.
func execContainer(args []string, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: testbed node-agent exec-container SPECFILE")
		return 2
	}
	data, err := os.ReadFile(args[0])
	if err != nil {
		fmt.Fprintf(stderr, "exec-container: %v\n", err)
		return exitStartFailure
	}
	var spec execSpec
	if err := json.Unmarshal(data, &spec); err != nil {
		fmt.Fprintf(stderr, "exec-container: %s: %v\n", args[0], err)
		return exitStartFailure
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "exec-container: %v\n", err)
		if spec.StartErrorFile != "" {
			_ = os.WriteFile(spec.StartErrorFile, []byte(err.Error()), 0o644)
		}
		return exitStartFailure
	}
	if err := enterContainer(&spec); err != nil {
		return fail(err)
	}
	path, err := lookPathIn(spec.Argv[0], spec.Env)
	if err != nil {
		return fail(err)
	}
	err = syscall.Exec(path, spec.Argv, spec.Env)
	return fail(fmt.Errorf("exec %s: %w", path, err))
}

// enterContainer does everything but the final exec. It runs on a locked OS thread
// because a network namespace belongs to a thread, and exec keeps the calling thread's.
func enterContainer(spec *execSpec) error {
	runtime.LockOSThread() // never unlocked: the thread becomes the container
	if len(spec.Argv) == 0 {
		return fmt.Errorf("empty argv")
	}
	if spec.Cgroup != "" {
		if err := os.WriteFile(filepath.Join(spec.Cgroup, "cgroup.procs"), []byte("0"), 0); err != nil {
			return fmt.Errorf("joining cgroup %s: %w", spec.Cgroup, err)
		}
	}
	if spec.Netns != "" {
		f, err := os.Open(spec.Netns)
		if err != nil {
			return fmt.Errorf("network namespace: %w", err)
		}
		err = unix.Setns(int(f.Fd()), unix.CLONE_NEWNET)
		f.Close()
		if err != nil {
			return fmt.Errorf("setns %s: %w", spec.Netns, err)
		}
	}
	if spec.Hostname != "" {
		if err := syscall.Sethostname([]byte(spec.Hostname)); err != nil {
			return fmt.Errorf("sethostname: %w", err)
		}
	}
	// Parents before children, so a mount inside another volume's mount point lands on top.
	mounts := append([]execMount(nil), spec.Mounts...)
	sort.SliceStable(mounts, func(i, j int) bool {
		return strings.Count(filepath.Clean(mounts[i].Target), "/") < strings.Count(filepath.Clean(mounts[j].Target), "/")
	})
	// Every source is opened before anything is mounted: a volume mounted at /tmp would
	// otherwise hide the sources of later mounts when the pod's state lives under /tmp.
	sources := make([]string, len(mounts))
	for i, m := range mounts {
		fd, err := unix.Open(m.Source, unix.O_PATH|unix.O_CLOEXEC, 0)
		if err != nil {
			return fmt.Errorf("opening %s for %s: %w", m.Source, m.Target, err)
		}
		defer unix.Close(fd)
		sources[i] = fmt.Sprintf("/proc/self/fd/%d", fd)
	}
	for i, m := range mounts {
		if err := syscall.Mount(sources[i], m.Target, "", syscall.MS_BIND|syscall.MS_REC, ""); err != nil {
			return fmt.Errorf("mounting %s at %s: %w", m.Source, m.Target, err)
		}
		if m.ReadOnly {
			flags := uintptr(syscall.MS_BIND | syscall.MS_REMOUNT | syscall.MS_RDONLY)
			if err := syscall.Mount("", m.Target, "", flags, ""); err != nil {
				return fmt.Errorf("making %s read-only: %w", m.Target, err)
			}
		}
	}
	if spec.GID != nil {
		if err := syscall.Setgroups([]int{int(*spec.GID)}); err != nil {
			return fmt.Errorf("setgroups: %w", err)
		}
		if err := syscall.Setgid(int(*spec.GID)); err != nil {
			return fmt.Errorf("setgid %d: %w", *spec.GID, err)
		}
	}
	if spec.UID != nil {
		if spec.GID == nil {
			// Without runAsGroup the image's group would apply; the image map has none,
			// so drop root's supplementary groups and keep gid 0 like a bare image.
			if err := syscall.Setgroups(nil); err != nil {
				return fmt.Errorf("setgroups: %w", err)
			}
		}
		if err := syscall.Setuid(int(*spec.UID)); err != nil {
			return fmt.Errorf("setuid %d: %w", *spec.UID, err)
		}
	}
	if spec.WorkingDir != "" {
		if err := os.Chdir(spec.WorkingDir); err != nil {
			return fmt.Errorf("workingDir: %w", err)
		}
	} else if err := os.Chdir("/"); err != nil {
		return err
	}
	return nil
}

// lookPathIn resolves name against the PATH in env, not the agent's own.
func lookPathIn(name string, env []string) (string, error) {
	if strings.Contains(name, "/") {
		return name, nil
	}
	path := defaultPath
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			path = v
		}
	}
	for _, dir := range filepath.SplitList(path) {
		candidate := filepath.Join(dir, name)
		if info, err := os.Stat(candidate); err == nil && !info.IsDir() && info.Mode()&0o111 != 0 {
			return candidate, nil
		}
	}
	return "", fmt.Errorf("%q: executable file not found in $PATH", name)
}

// execCommand builds the command that runs spec in its pod: the agent's own binary as
// `node-agent exec-container SPECFILE`, in new mount and UTS namespaces, in its own
// process group so stopping it reaches the whole container.
func execCommand(specFile string) *exec.Cmd {
	// /proc/self/exe is the running binary even if its file was replaced by a rebuild.
	cmd := exec.Command("/proc/self/exe", "node-agent", "exec-container", specFile)
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Setpgid:      true,
		Unshareflags: syscall.CLONE_NEWNS | syscall.CLONE_NEWUTS,
	}
	return cmd
}
