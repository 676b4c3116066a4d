package controlplane

import (
	"fmt"
	"strconv"
)

// ComponentStatus is what `testbed status` shows of one component.
type ComponentStatus struct {
	Component Component
	Pid       int // 0 when none is recorded
	Running   bool
	Address   string
}

// Status reports, for every component of the test bed in state, whether it runs and where
// it listens.
// Returns an error when state holds no test bed.
func Status(state StateDir) ([]ComponentStatus, error) {
	c, err := LoadCluster(state)
	if err != nil {
		return nil, err
	}
	loopback := func(port int) string { return "127.0.0.1:" + strconv.Itoa(port) }
	address := map[Component]string{
		Etcd: fmt.Sprintf("client http://%s, peer http://%s", loopback(c.Ports.EtcdClient),
			loopback(c.Ports.EtcdPeer)),
		APIServer: fmt.Sprintf("%s (pods: https://%s:%d)", c.APIServerURL(), BridgeIP,
			c.Ports.APIServer),
		ControllerManager: "https://" + loopback(c.Ports.ControllerManager) + "/healthz",
		Scheduler:         "https://" + loopback(c.Ports.Scheduler) + "/healthz",
		NodeAgent:         "node " + c.NodeName + ", bridge " + BridgeCIDR,
	}
	var out []ComponentStatus
	for _, comp := range StartOrder {
		pid, running := Running(state, comp)
		out = append(out, ComponentStatus{comp, pid, running, address[comp]})
	}
	return out, nil
}
