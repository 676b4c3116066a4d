package nodeagent

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// Cleanup removes everything a node agent with this state directory made: pod processes,
// network namespaces and veths, the bridge, cgroups and mount points it created on the
// host, and the /run/netns mount `ip netns` made for it. It reads only the records in
// stateDir, so it works after the agent was SIGKILLed, and is safe to call repeatedly or
// when nothing exists. Logs stay.
// Returns the errors of the removals that failed.
func Cleanup(stateDir string) error {
	layout := stateLayout{root: stateDir}
	var errs []error
	if err := cleanupPods(layout); err != nil {
		errs = append(errs, err)
	}
	rec, err := readHostRecord(layout)
	if err == nil {
		if rec.Bridge != "" && linkExists(rec.Bridge) {
			if err := runIP("link", "del", rec.Bridge); err != nil {
				errs = append(errs, err)
			}
		}
		if !rec.NetnsDirMounted && isMountPoint(netnsRunDir) && dirEmpty(netnsRunDir) {
			if err := syscall.Unmount(netnsRunDir, syscall.MNT_DETACH); err != nil {
				errs = append(errs, fmt.Errorf("unmounting %s: %w", netnsRunDir, err))
			}
		}
	} else if !os.IsNotExist(err) {
		errs = append(errs, err)
	}
	if err := removeMountPoints(layout.mountPointsFile()); err != nil && !os.IsNotExist(err) {
		errs = append(errs, err)
	}
	if err := os.Remove(layout.hostFile()); err != nil && !os.IsNotExist(err) {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// cleanupPods kills every recorded pod process and removes each pod's sandbox, cgroups
// and state directory.
func cleanupPods(layout stateLayout) error {
	entries, err := os.ReadDir(layout.podsDir())
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(layout.podsDir(), e.Name())
		pids, _ := os.ReadDir(filepath.Join(dir, "pids"))
		for _, p := range pids {
			if err := killRecorded(filepath.Join(dir, "pids", p.Name())); err != nil && !os.IsNotExist(err) {
				errs = append(errs, err)
			}
		}
		runs, _ := os.ReadDir(filepath.Join(dir, "run"))
		for _, r := range runs {
			if strings.HasSuffix(r.Name(), ".json") && !strings.HasPrefix(r.Name(), "probe-") {
				var spec execSpec
				if readJSON(filepath.Join(dir, "run", r.Name()), &spec) == nil {
					removeCgroup(spec.Cgroup)
				}
			}
		}
		var sb sandboxRecord
		if err := readJSON(filepath.Join(dir, "sandbox.json"), &sb); err == nil && sb.Netns != "" {
			destroySandbox(sb)
		}
		if err := os.RemoveAll(dir); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func dirEmpty(path string) bool {
	entries, err := os.ReadDir(path)
	return err == nil && len(entries) == 0
}
