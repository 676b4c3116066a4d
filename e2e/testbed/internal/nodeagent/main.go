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
