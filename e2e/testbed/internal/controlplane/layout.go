// Package controlplane starts, watches and stops the test bed's processes: etcd,
// kube-apiserver, kube-controller-manager, kube-scheduler and the node agent, each in its
// own process group, with everything they need kept in one state directory.
package controlplane

import (
	"fmt"
	"path/filepath"

	"modelgate.io/e2e/testbed/internal/pki"
)

// Component names one process of the test bed.
type Component string

const (
	Etcd              Component = "etcd"
	APIServer         Component = "kube-apiserver"
	ControllerManager Component = "kube-controller-manager"
	Scheduler         Component = "kube-scheduler"
	NodeAgent         Component = "node-agent"
)

// StartOrder lists the components in the order they depend on each other; they stop in
// the reverse order so the node agent can still report its pods while it shuts down.
var StartOrder = []Component{Etcd, APIServer, ControllerManager, Scheduler, NodeAgent}

// ParseComponent returns the component called name.
// Returns an error listing the valid names when there is none.
func ParseComponent(name string) (Component, error) {
	for _, c := range StartOrder {
		if string(c) == name {
			return c, nil
		}
	}
	return "", fmt.Errorf("unknown component %q (want one of %v)", name, StartOrder)
}

// StateDir names the files of one test bed. Everything a test bed makes lives below Root,
// so removing Root after Down leaves nothing of it on the machine.
type StateDir struct {
	Root string
}

// PKI returns the files of the test bed's certificates and keys.
func (s StateDir) PKI() pki.Files { return pki.Files{Dir: filepath.Join(s.Root, "pki")} }

// Log returns the file a component's stdout and stderr go to.
func (s StateDir) Log(c Component) string { return filepath.Join(s.Root, "logs", string(c)+".log") }

// Pid returns the file holding the process id of a component's process (and group).
func (s StateDir) Pid(c Component) string { return filepath.Join(s.Root, "pids", string(c)+".pid") }

// Argv returns the file holding a component's full command line, so restart reuses it.
func (s StateDir) Argv(c Component) string {
	return filepath.Join(s.Root, "argv", string(c)+".json")
}

// Run returns a component's working directory, where it may write what it makes by
// itself (self-signed serving certificates, for one).
func (s StateDir) Run(c Component) string { return filepath.Join(s.Root, "run", string(c)) }

// EtcdData returns etcd's data directory.
func (s StateDir) EtcdData() string { return filepath.Join(s.Root, "etcd") }

// NodeState returns the node agent's own state directory.
func (s StateDir) NodeState() string { return filepath.Join(s.Root, "node") }

// Kubeconfig returns the administrator's kubeconfig (system:masters).
func (s StateDir) Kubeconfig() string { return filepath.Join(s.Root, "kubeconfig") }

// ComponentKubeconfig returns the kubeconfig a component authenticates with.
func (s StateDir) ComponentKubeconfig(c Component) string {
	return filepath.Join(s.Root, "kubeconfigs", string(c)+".kubeconfig")
}

// NodeKubeconfig returns the node agent's kubeconfig (system:node:<name>).
func (s StateDir) NodeKubeconfig() string { return filepath.Join(s.Root, "node.kubeconfig") }

// Env returns the shell file that points kubectl and scripts at this test bed.
func (s StateDir) Env() string { return filepath.Join(s.Root, "env") }

// DefaultImages returns where the image map is written when `up` is given none.
func (s StateDir) DefaultImages() string { return filepath.Join(s.Root, "images.json") }

// Cluster returns the file recording the test bed's ports and settings.
func (s StateDir) Cluster() string { return filepath.Join(s.Root, "cluster.json") }
