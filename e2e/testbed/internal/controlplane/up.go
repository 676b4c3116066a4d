package controlplane

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"modelgate.io/e2e/testbed/internal/pki"
)

// NodeCleanup removes everything the node agent made under its state directory (network
// namespaces, veths, the bridge, mounts, pod processes); nodeagent.Cleanup in the binary.
type NodeCleanup func(nodeStateDir string) error

// UpOptions says where a test bed lives and what it runs.
type UpOptions struct {
	State    StateDir
	BinDir   string // holds etcd, kube-apiserver, kube-controller-manager, kube-scheduler
	Images   string // the node agent's image map; "" writes a default one into State
	NodeName string
	Launcher string // the testbed binary, which runs the node agent
	Timeout  time.Duration
}

// Binaries are the programs `up` needs in UpOptions.BinDir.
var Binaries = []string{"etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"}

// ErrAlreadyRunning is returned by Up when its state directory holds a live test bed.
var ErrAlreadyRunning = errors.New("already holds a running test bed")

// Up starts a test bed in opts.State and returns once the API server is ready, the
// `default` ServiceAccount and the kube-root-ca.crt ConfigMap exist in namespace default
// and the Node is Ready. What an earlier, stopped test bed left in the state directory is
// cleaned away first. When a component fails to come up, Up writes the last 40 lines of
// its log to failures, stops everything it started and returns a *StartupError.
// REQUIRES: opts.State.Root is absolute; running as root (the node agent makes network
// namespaces).
// Returns ErrAlreadyRunning (wrapped) when a component of opts.State still runs.
func Up(ctx context.Context, opts UpOptions, cleanup NodeCleanup, failures io.Writer) (Cluster, error) {
	deadline := time.Now().Add(opts.Timeout)
	state := opts.State
	c := Cluster{State: state, BinDir: opts.BinDir, NodeName: opts.NodeName, Images: opts.Images,
		Launcher: opts.Launcher}
	for _, comp := range StartOrder {
		if pid, running := Running(state, comp); running {
			return c, fmt.Errorf("%s %w (%s is pid %d); stop it with `testbed down --state %s`",
				state.Root, ErrAlreadyRunning, comp, pid, state.Root)
		}
	}
	if err := checkBinaries(opts.BinDir); err != nil {
		return c, err
	}
	if err := pki.ValidNodeName(opts.NodeName); err != nil {
		return c, err
	}
	if err := clearStaleState(state, cleanup); err != nil {
		return c, err
	}
	if iface := interfaceWithAddress(BridgeIP); iface != "" && !reclaimStaleBridge(iface, failures) {
		return c, fmt.Errorf("the node bridge address %s is already on interface %s: another test bed "+
			"runs on this machine (one at a time: they share the bridge); stop it with `testbed down`",
			BridgeIP, iface)
	}
	if err := prepare(&c); err != nil {
		return c, err
	}

	var started []*Process
	fail := func(err error) (Cluster, error) {
		var se *StartupError
		if errors.As(err, &se) {
			fmt.Fprintf(failures, "---- last 40 lines of %s\n%s----\n",
				state.Log(se.Component), TailLines(state.Log(se.Component), 40))
		}
		if downErr := Down(state, cleanup, 10*time.Second); downErr != nil {
			fmt.Fprintf(failures, "testbed up: stopping what started: %v\n", downErr)
		}
		return c, err
	}
	start := func(comps ...Component) error {
		for _, comp := range comps {
			argv, err := c.Argv(comp)
			if err != nil {
				return err
			}
			p, err := Start(state, comp, argv)
			if err != nil {
				return &StartupError{comp, err}
			}
			started = append(started, p)
		}
		return nil
	}

	if err := start(Etcd); err != nil {
		return fail(err)
	}
	if err := WaitReady(ctx, deadline, started, []Probe{EtcdHealthy(c)}); err != nil {
		return fail(err)
	}
	if err := start(APIServer); err != nil {
		return fail(err)
	}
	client, err := AdminClient(state)
	if err != nil {
		return fail(err)
	}
	if err := WaitReady(ctx, deadline, started, []Probe{APIServerReady(client)}); err != nil {
		return fail(err)
	}
	if err := start(ControllerManager, Scheduler, NodeAgent); err != nil {
		return fail(err)
	}
	probes := []Probe{
		Healthz(ControllerManager, c.Ports.ControllerManager),
		Healthz(Scheduler, c.Ports.Scheduler),
		DefaultServiceAccount(client),
		RootCAConfigMap(client),
		NodeReady(client, c.NodeName),
	}
	if err := WaitReady(ctx, deadline, started, probes); err != nil {
		return fail(err)
	}
	if err := os.WriteFile(state.Env(), []byte(EnvFile(c)), 0o644); err != nil {
		return fail(err)
	}
	return c, nil
}

// interfaceWithAddress returns the name of the network interface that holds ip, or "".
func interfaceWithAddress(ip string) string {
	ifaces, err := net.Interfaces()
	if err != nil {
		return ""
	}
	for _, iface := range ifaces {
		addrs, err := iface.Addrs()
		if err != nil {
			continue
		}
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok && n.IP.String() == ip {
				return iface.Name
			}
		}
	}
	return ""
}

// staleBridgeName is the bridge every test bed's node agent makes (nodeagent's bridgeName).
const staleBridgeName = "mgbr0"

// reclaimStaleBridge deletes iface when it is a test bed's bridge that no running test bed
// owns any more (one whose processes died without `testbed down`, such as after a machine
// restart) and reports whether it did. A bridge is owned while any process on the machine
// is a kube-apiserver advertising BridgeIP.
func reclaimStaleBridge(iface string, log io.Writer) bool {
	if iface != staleBridgeName || apiServerAdvertisingBridge() {
		return false
	}
	out, err := exec.Command("ip", "link", "delete", iface).CombinedOutput()
	if err != nil {
		fmt.Fprintf(log, "testbed up: deleting the stale bridge %s: %v: %s\n", iface, err,
			strings.TrimSpace(string(out)))
		return false
	}
	fmt.Fprintf(log, "testbed up: deleted the bridge %s that a stopped test bed left behind\n", iface)
	return true
}

// apiServerAdvertisingBridge reports whether a live process runs kube-apiserver with
// --advertise-address=BridgeIP.
func apiServerAdvertisingBridge() bool {
	procs, err := filepath.Glob("/proc/[0-9]*/cmdline")
	if err != nil {
		return true
	}
	want := "--advertise-address=" + BridgeIP
	for _, p := range procs {
		raw, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		args := strings.Split(string(raw), "\x00")
		if len(args) == 0 || filepath.Base(args[0]) != "kube-apiserver" {
			continue
		}
		for _, a := range args[1:] {
			if a == want {
				return true
			}
		}
	}
	return false
}

func checkBinaries(dir string) error {
	for _, name := range Binaries {
		path := filepath.Join(dir, name)
		info, err := os.Stat(path)
		if err != nil {
			return fmt.Errorf("control-plane binary %s: %w (build them with e2e/testbed/tools/build.sh)", path, err)
		}
		if info.Mode()&0o111 == 0 {
			return fmt.Errorf("control-plane binary %s is not executable", path)
		}
	}
	return nil
}

// generated are the state directory's entries `up` makes; a new test bed replaces them.
var generated = []string{"pki", "logs", "pids", "argv", "run", "etcd", "node", "kubeconfigs",
	"kubeconfig", "node.kubeconfig", "env", "cluster.json", "images.json"}

// clearStaleState stops whatever an earlier test bed in state left behind (its processes
// are known dead, but the node agent's namespaces and mounts may remain) and removes
// its files, so the new test bed starts from nothing.
func clearStaleState(state StateDir, cleanup NodeCleanup) error {
	if _, err := os.Stat(state.Root); errors.Is(err, os.ErrNotExist) {
		return os.MkdirAll(state.Root, 0o755)
	}
	if err := Down(state, cleanup, 10*time.Second); err != nil {
		return fmt.Errorf("%s holds the remains of an earlier test bed that could not be cleaned up: %w",
			state.Root, err)
	}
	for _, name := range generated {
		if err := os.RemoveAll(filepath.Join(state.Root, name)); err != nil {
			return err
		}
	}
	return nil
}

// prepare makes the PKI, chooses ports and writes the files the components read.
func prepare(c *Cluster) error {
	state := c.State
	if err := pki.Create(state.PKI(), c.NodeName); err != nil {
		return fmt.Errorf("making the PKI: %w", err)
	}
	ports, err := FreePorts(5)
	if err != nil {
		return err
	}
	c.Ports = Ports{EtcdClient: ports[0], EtcdPeer: ports[1], APIServer: ports[2],
		ControllerManager: ports[3], Scheduler: ports[4]}
	if c.Images == "" {
		c.Images = state.DefaultImages()
		if err := WriteDefaultImages(c.Images); err != nil {
			return err
		}
	} else if _, err := os.Stat(c.Images); err != nil {
		return fmt.Errorf("image map: %w", err)
	}
	if err := WriteKubeconfigs(*c); err != nil {
		return err
	}
	if err := os.MkdirAll(state.NodeState(), 0o755); err != nil {
		return err
	}
	return SaveCluster(*c)
}
