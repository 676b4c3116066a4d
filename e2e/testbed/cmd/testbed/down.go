package main

import (
	"fmt"
	"io"
	"time"

	"modelgate.io/e2e/testbed/internal/controlplane"
)

func init() {
	commands["down"] = command{"stop everything and check that nothing is left behind", downCommand}
}

func downCommand(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("down", stderr)
	state := fs.String("state", "", "the test bed's state directory (required)")
	grace := fs.Duration("grace", 10*time.Second, "how long components may take to exit after SIGTERM")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	dir, err := stateDir(*state)
	if err != nil {
		fmt.Fprintf(stderr, "testbed down: %v\n", err)
		return 2
	}
	if err := controlplane.Down(dir, nodeAgent.cleanup, *grace); err != nil {
		fmt.Fprintf(stderr, "testbed down: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "testbed down: %s stopped, nothing left behind\n", dir.Root)
	return 0
}
