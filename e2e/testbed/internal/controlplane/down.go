package controlplane

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// stopPhases is the order Down stops components in: the node agent first, while the API
// server can still take its last pod updates; then the API server and its clients
// together; etcd last, so the API server shuts down against a live store.
var stopPhases = [][]Component{{NodeAgent}, {Scheduler, ControllerManager, APIServer}, {Etcd}}

// Down stops the test bed in state: SIGTERM to each component's process group, SIGKILL
// after grace, then the node agent's cleanup and the removal of etcd's data. It works on
// a half-started or half-dead test bed and does nothing when state does not exist. Then
// it checks that no component process, listening port or mount under state is left.
// Returns an error listing everything that was left behind; nil means clean.
func Down(state StateDir, cleanup NodeCleanup, grace time.Duration) error {
	if _, err := os.Stat(state.Root); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	var errs []error
	for _, phase := range stopPhases {
		var groups []group
		for _, c := range phase {
			if pid, start := ReadPid(state, c); pid > 0 {
				groups = append(groups, group{c, pid, start})
			}
		}
		if err := stopGroups(groups, grace); err != nil {
			errs = append(errs, err)
		}
	}
	if cleanup != nil {
		if err := cleanup(state.NodeState()); err != nil {
			errs = append(errs, fmt.Errorf("node agent cleanup: %w", err))
		}
	}
	if err := os.RemoveAll(state.EtcdData()); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, leftBehind(state)...)
	if len(errs) == 0 {
		for _, c := range StartOrder {
			_ = os.Remove(state.Pid(c))
		}
	}
	return errors.Join(errs...)
}

// leftBehind lists what of the test bed in state still exists after it was stopped.
func leftBehind(state StateDir) []error {
	var errs []error
	for _, c := range StartOrder {
		if pid, running := Running(state, c); running {
			errs = append(errs, fmt.Errorf("left behind: %s (process group %d)", c, pid))
		}
	}
	if c, err := LoadCluster(state); err == nil {
		p := c.Ports
		for _, port := range []int{p.EtcdClient, p.EtcdPeer, p.APIServer, p.ControllerManager, p.Scheduler} {
			if port > 0 && PortInUse(port) {
				errs = append(errs, fmt.Errorf("left behind: a listener on 127.0.0.1:%d", port))
			}
		}
	}
	mounts, err := mountsUnder(state.Root)
	if err != nil {
		errs = append(errs, err)
	}
	for _, m := range mounts {
		errs = append(errs, fmt.Errorf("left behind: mount %s", m))
	}
	return errs
}

// mountsUnder lists the mount points at or below dir in this mount namespace.
func mountsUnder(dir string) ([]string, error) {
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		root = dir
	}
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var found []string
	scanner := bufio.NewScanner(f)
	scanner.Buffer(make([]byte, 64<<10), 1<<20)
	for scanner.Scan() {
		fields := strings.Fields(scanner.Text())
		if len(fields) < 5 {
			continue
		}
		// Field 5 is the mount point, with spaces and the like octal-escaped.
		point := unescapeMountPoint(fields[4])
		if point == root || strings.HasPrefix(point, root+"/") {
			found = append(found, point)
		}
	}
	return found, scanner.Err()
}

func unescapeMountPoint(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			var v int
			if _, err := fmt.Sscanf(s[i+1:i+4], "%03o", &v); err == nil {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
