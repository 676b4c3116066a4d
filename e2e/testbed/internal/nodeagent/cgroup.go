package nodeagent

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// cgroupRoot is where cgroup v2 must be mounted for memory limits to be enforced.
const cgroupRoot = "/sys/fs/cgroup"

// cgroupTree puts each container in its own cgroup v2 directory under
// /sys/fs/cgroup/modelgate-testbed/<node>, with memory.max from limits.memory.
type cgroupTree struct {
	dir string // "" when cgroup v2 is not usable: limits are then not enforced
}

// newCgroupTree prepares the subtree for node, or returns a tree without dir and the
// reason when the machine has no writable cgroup v2 with the memory controller.
func newCgroupTree(node string) (*cgroupTree, string) {
	controllers, err := os.ReadFile(filepath.Join(cgroupRoot, "cgroup.controllers"))
	if err != nil {
		return &cgroupTree{}, cgroupRoot + " is not cgroup v2"
	}
	if !strings.Contains(" "+string(controllers)+" ", " memory ") {
		return &cgroupTree{}, "cgroup v2 has no memory controller"
	}
	base := filepath.Join(cgroupRoot, "modelgate-testbed")
	dir := filepath.Join(base, node)
	for _, d := range []string{cgroupRoot, base, dir} {
		if d != cgroupRoot {
			if err := os.Mkdir(d, 0o755); err != nil && !os.IsExist(err) {
				return &cgroupTree{}, fmt.Sprintf("cannot create %s: %v", d, err)
			}
		}
		if err := os.WriteFile(filepath.Join(d, "cgroup.subtree_control"), []byte("+memory"), 0); err != nil {
			return &cgroupTree{}, fmt.Sprintf("cannot enable memory in %s: %v", d, err)
		}
	}
	return &cgroupTree{dir: dir}, ""
}

// Enabled reports whether containers get cgroups.
func (t *cgroupTree) Enabled() bool { return t.dir != "" }

// Create makes the cgroup for one container run with memory.max (0: unlimited) and
// returns its directory. Returns "" and the error when it cannot.
func (t *cgroupTree) Create(name string, memoryMax int64) (string, error) {
	if !t.Enabled() {
		return "", nil
	}
	dir := filepath.Join(t.dir, name)
	if err := os.Mkdir(dir, 0o755); err != nil && !os.IsExist(err) {
		return "", err
	}
	if memoryMax > 0 {
		if err := os.WriteFile(filepath.Join(dir, "memory.max"), []byte(strconv.FormatInt(memoryMax, 10)), 0); err != nil {
			return "", err
		}
		// Without swap off, a limited container would swap instead of being OOM-killed.
		_ = os.WriteFile(filepath.Join(dir, "memory.swap.max"), []byte("0"), 0)
	}
	return dir, nil
}

// OOMKilled reports whether the kernel killed a process of the cgroup for memory.
func OOMKilled(dir string) bool {
	if dir == "" {
		return false
	}
	data, err := os.ReadFile(filepath.Join(dir, "memory.events"))
	if err != nil {
		return false
	}
	return parseOOMKills(string(data)) > 0
}

// parseOOMKills returns the oom_kill counter of a memory.events file.
func parseOOMKills(events string) int64 {
	for _, line := range strings.Split(events, "\n") {
		if v, ok := strings.CutPrefix(line, "oom_kill "); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			return n
		}
	}
	return 0
}

// removeCgroup kills what is left in dir and removes it; missing dirs are fine.
func removeCgroup(dir string) {
	if dir == "" {
		return
	}
	if err := os.WriteFile(filepath.Join(dir, "cgroup.kill"), []byte("1"), 0); err != nil {
		return
	}
	// rmdir fails while killed processes are still being reaped; a few tries suffice.
	for i := 0; i < 50; i++ {
		if err := syscall.Rmdir(dir); err == nil || os.IsNotExist(err) {
			return
		}
		waitBriefly()
	}
}
