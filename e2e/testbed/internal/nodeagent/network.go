package nodeagent

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"

	"k8s.io/apimachinery/pkg/types"
)

// netnsRunDir is where `ip netns` keeps its namespace files.
const netnsRunDir = "/run/netns"

// hostRecord is what the agent changed on the host outside its pods, saved before the
// change so Cleanup can undo it.
type hostRecord struct {
	Bridge string `json:"bridge"`
	// NetnsDirMounted is true when `ip netns` had already made /run/netns a mount point
	// before the agent's first pod; when false, Cleanup unmounts it once it is empty.
	NetnsDirMounted bool `json:"netnsDirMounted"`
}

// sandboxRecord is one pod's network: its namespace, the host end of its veth and its IP.
type sandboxRecord struct {
	UID   types.UID `json:"uid"`
	Netns string    `json:"netns"`
	Veth  string    `json:"veth"`
	IP    string    `json:"ip"`
}

// netnsPath returns the file that pins a pod's network namespace.
func (s sandboxRecord) netnsPath() string { return netnsRunDir + "/" + s.Netns }

// runIP runs the `ip` command and returns its output in the error when it fails.
func runIP(args ...string) error {
	out, err := exec.Command("ip", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("ip %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

func linkExists(name string) bool {
	_, err := os.Stat("/sys/class/net/" + name)
	return err == nil
}

// setUpBridge creates the bridge with the gateway address, recording it first.
// Returns an error naming the failing command.
func setUpBridge(layout stateLayout, gatewayCIDR string) error {
	rec := hostRecord{Bridge: bridgeName, NetnsDirMounted: isMountPoint(netnsRunDir)}
	if old, err := readHostRecord(layout); err == nil {
		rec.NetnsDirMounted = old.NetnsDirMounted // a restarted agent keeps the first answer
	}
	if err := writeJSON(layout.hostFile(), rec); err != nil {
		return err
	}
	if !linkExists(bridgeName) {
		if err := runIP("link", "add", bridgeName, "type", "bridge"); err != nil {
			return err
		}
	}
	if err := runIP("addr", "replace", gatewayCIDR, "dev", bridgeName); err != nil {
		return err
	}
	return runIP("link", "set", bridgeName, "up")
}

func readHostRecord(layout stateLayout) (hostRecord, error) {
	var rec hostRecord
	data, err := os.ReadFile(layout.hostFile())
	if err != nil {
		return rec, err
	}
	return rec, json.Unmarshal(data, &rec)
}

// createSandbox makes the pod's network namespace with lo up, eth0 at ip on the bridge and
// a default route through the gateway. The record is written before anything is made.
// Returns an error naming the failing command; what was made stays recorded for clean-up.
func createSandbox(layout stateLayout, rec sandboxRecord, bits int, gateway netip.Addr) error {
	if err := os.MkdirAll(layout.podDir(rec.UID), 0o755); err != nil {
		return err
	}
	if err := writeJSON(layout.sandboxFile(rec.UID), rec); err != nil {
		return err
	}
	// Leftovers of an earlier attempt would make `add` fail.
	destroySandbox(rec)
	steps := [][]string{
		{"netns", "add", rec.Netns},
		{"link", "add", rec.Veth, "type", "veth", "peer", "name", "eth0", "netns", rec.Netns},
		{"link", "set", rec.Veth, "master", bridgeName, "up"},
		{"-n", rec.Netns, "link", "set", "lo", "up"},
		{"-n", rec.Netns, "addr", "add", rec.IP + "/" + strconv.Itoa(bits), "dev", "eth0"},
		{"-n", rec.Netns, "link", "set", "eth0", "up"},
		{"-n", rec.Netns, "route", "add", "default", "via", gateway.String()},
	}
	for _, args := range steps {
		if err := runIP(args...); err != nil {
			return err
		}
	}
	return nil
}

// destroySandbox kills whatever still runs in the pod's namespace and removes the
// namespace and the veth. Safe to call when none of it exists.
func destroySandbox(rec sandboxRecord) {
	if _, err := os.Stat(rec.netnsPath()); err == nil {
		killNetnsProcesses(rec.Netns)
		_ = runIP("netns", "del", rec.Netns)
	}
	if linkExists(rec.Veth) {
		_ = runIP("link", "del", rec.Veth)
	}
}

// killNetnsProcesses SIGKILLs every process inside the named namespace, which catches
// children that left their container's process group.
func killNetnsProcesses(netns string) {
	out, err := exec.Command("ip", "netns", "pids", netns).Output()
	if err != nil {
		return
	}
	for _, f := range strings.Fields(string(out)) {
		if pid, err := strconv.Atoi(f); err == nil && pid > 1 {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

// isMountPoint reports whether path is a mount point in this mount namespace.
func isMountPoint(path string) bool {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) > 4 && fields[4] == path {
			return true
		}
	}
	return false
}

// writeJSON writes v to path atomically (temporary file and rename).
func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(path, data, 0o644)
}

// writePrivateJSON is writeJSON for files only root may read.
func writePrivateJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(path, data, 0o600)
}

// writeFileAtomic replaces path with data so readers never see half a file.
func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, mode); err != nil {
		return err
	}
	if err := os.Chmod(tmp, mode); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return errors.Join(err, os.Remove(tmp))
	}
	return nil
}

// readJSON decodes the JSON file at path into v.
func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}
