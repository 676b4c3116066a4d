package controlplane

import (
	"context"
	"fmt"
	"os"
	"time"
)

// Restart stops component comp of the test bed in state and starts it again with the
// command line it last ran with, then waits until it is healthy again: etcd's /health,
// the API server's /readyz, the controller-manager's and scheduler's /healthz, or for
// the node agent a Ready Node whose Lease was renewed after the restart.
// REQUIRES: a test bed was started in state.
// Returns a *StartupError when the component does not come back before timeout.
func Restart(ctx context.Context, state StateDir, comp Component, grace, timeout time.Duration) error {
	c, err := LoadCluster(state)
	if err != nil {
		return err
	}
	argv, err := LoadArgv(state, comp)
	if os.IsNotExist(err) {
		argv, err = c.Argv(comp)
	}
	if err != nil {
		return err
	}
	if err := Stop(state, comp, grace); err != nil {
		return fmt.Errorf("stopping %s: %w", comp, err)
	}
	restartedAt := time.Now()
	p, err := Start(state, comp, argv)
	if err != nil {
		return &StartupError{comp, err}
	}
	var probe []Probe
	switch comp {
	case Etcd:
		probe = []Probe{EtcdHealthy(c)}
	case ControllerManager:
		probe = []Probe{Healthz(ControllerManager, c.Ports.ControllerManager)}
	case Scheduler:
		probe = []Probe{Healthz(Scheduler, c.Ports.Scheduler)}
	default:
		client, err := AdminClient(state)
		if err != nil {
			return err
		}
		if comp == APIServer {
			probe = []Probe{APIServerReady(client)}
		} else {
			probe = []Probe{NodeReady(client, c.NodeName),
				NodeLeaseRenewedAfter(client, c.NodeName, restartedAt)}
		}
	}
	return WaitReady(ctx, time.Now().Add(timeout), []*Process{p}, probe)
}
