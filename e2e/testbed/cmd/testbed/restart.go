package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"modelgate.io/e2e/testbed/internal/controlplane"
)

func init() {
	commands["restart"] = command{"stop and start one component with the same flags", restartCommand}
}

func restartCommand(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("restart", stderr)
	state := fs.String("state", "", "the test bed's state directory (required)")
	grace := fs.Duration("grace", 10*time.Second, "how long the component may take to exit after SIGTERM")
	timeout := fs.Duration("timeout", 60*time.Second, "how long it may take to become healthy again")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	dir, err := stateDir(*state)
	if err != nil {
		fmt.Fprintf(stderr, "testbed restart: %v\n", err)
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(stderr, "testbed restart: name one component: %v\n", controlplane.StartOrder)
		return 2
	}
	comp, err := controlplane.ParseComponent(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "testbed restart: %v\n", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	began := time.Now()
	if err := controlplane.Restart(ctx, dir, comp, *grace, *timeout); err != nil {
		fmt.Fprintf(stderr, "testbed restart: %v\n", err)
		var se *controlplane.StartupError
		if errors.As(err, &se) {
			fmt.Fprintf(stderr, "---- last 40 lines of %s\n%s----\n", dir.Log(comp),
				controlplane.TailLines(dir.Log(comp), 40))
		}
		return 1
	}
	fmt.Fprintf(stdout, "testbed restart: %s healthy again after %.1fs\n", comp, time.Since(began).Seconds())
	return 0
}
