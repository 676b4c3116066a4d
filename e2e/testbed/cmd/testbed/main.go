// Command testbed runs modelgate's end-to-end test bed: a real Kubernetes control plane
// (etcd, kube-apiserver, kube-controller-manager, kube-scheduler) on loopback and a node
// agent that runs pods as local processes.
//
//	testbed up --state DIR --bin BINDIR [--images FILE] [--node-name N] [--timeout D]
//	testbed down --state DIR
//	testbed status --state DIR
//	testbed restart --state DIR COMPONENT
//	testbed node-agent ...   (started by `up`)
package main

import (
	"fmt"
	"io"
	"os"
)

// command is one subcommand: it parses its own flags and returns the exit code.
type command struct {
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

// commands is filled by each subcommand's file, so adding one touches no other file.
var commands = map[string]command{}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		return 2
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "testbed: unknown command %q\n", args[0])
		usage(stderr)
		return 2
	}
	return cmd.run(args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: testbed COMMAND [flags]\n\ncommands:")
	for _, name := range []string{"up", "down", "status", "restart", "node-agent"} {
		if c, ok := commands[name]; ok {
			fmt.Fprintf(w, "  %-11s %s\n", name, c.summary)
		}
	}
}
