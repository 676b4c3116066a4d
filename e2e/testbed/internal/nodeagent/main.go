// Package nodeagent is the test bed's node: a small kubelet that registers a Node, keeps
// its Lease fresh and runs the containers of the pods bound to it as local processes,
// each pod in its own network namespace on a bridge, with volumes bind-mounted in a
// private mount namespace. Images are entries of a JSON map from image names to commands.
package nodeagent

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"
)

// Main runs `testbed node-agent ARGS`: the agent until SIGTERM or SIGINT (then it stops
// every pod's processes and exits), or the hidden `exec-container SPECFILE` step that
// becomes a container's process. Returns the process exit code.
func Main(args []string) int {
	if len(args) > 0 && args[0] == "exec-container" {
		return execContainer(args[1:], os.Stderr)
	}
	cfg, err := ParseConfig(args, os.Stderr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "testbed node-agent: %v\n", err)
		return 2
	}
	log.SetFlags(log.LstdFlags | log.Lmicroseconds)
	agent, err := newAgent(cfg)
	if err != nil {
		fmt.Fprintf(os.Stderr, "testbed node-agent: %v\n", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if err := agent.Run(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "testbed node-agent: %v\n", err)
		return 1
	}
	return 0
}
