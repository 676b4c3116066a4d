package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"modelgate.io/e2e/testbed/internal/controlplane"
)

func init() {
	commands["up"] = command{"start the control plane and the node agent", upCommand}
}

func upCommand(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("up", stderr)
	state := fs.String("state", "", "directory for the test bed's state, logs and kubeconfig (required)")
	bin := fs.String("bin", "", "directory holding etcd, kube-apiserver, kube-controller-manager, kube-scheduler (required)")
	images := fs.String("images", "", "the node agent's image map (JSON); default: sh, sleep and python3")
	node := fs.String("node-name", "testbed", "name of the one Node")
	timeout := fs.Duration("timeout", 120*time.Second, "how long the test bed may take to come up")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "testbed up: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	opts, err := upOptions(*state, *bin, *images, *node, *timeout)
	if err != nil {
		fmt.Fprintf(stderr, "testbed up: %v\n", err)
		return 2
	}
	if nodeAgent.main == nil {
		fmt.Fprintln(stderr, "testbed up: this testbed binary was built without the node agent")
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	began := time.Now()
	c, err := controlplane.Up(ctx, opts, nodeAgent.cleanup, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "testbed up: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "testbed up in %.1fs: kube-apiserver %s, node %s Ready; use it with: . %s\n",
		time.Since(began).Seconds(), c.APIServerURL(), c.NodeName, opts.State.Env())
	return 0
}

func upOptions(state, bin, images, node string, timeout time.Duration) (controlplane.UpOptions, error) {
	var opts controlplane.UpOptions
	dir, err := stateDir(state)
	if err != nil {
		return opts, err
	}
	if bin == "" {
		return opts, fmt.Errorf("--bin BINDIR is required")
	}
	if bin, err = filepath.Abs(bin); err != nil {
		return opts, err
	}
	if images != "" {
		if images, err = filepath.Abs(images); err != nil {
			return opts, err
		}
	}
	launcher, err := os.Executable()
	if err != nil {
		return opts, fmt.Errorf("finding the testbed binary: %w", err)
	}
	return controlplane.UpOptions{State: dir, BinDir: bin, Images: images, NodeName: node,
		Launcher: launcher, Timeout: timeout}, nil
}
