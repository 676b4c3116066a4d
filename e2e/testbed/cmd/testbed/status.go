package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"modelgate.io/e2e/testbed/internal/controlplane"
)

func init() {
	commands["status"] = command{"show which components run and where they listen", statusCommand}
}

// statusCommand exits 0 when every component runs, 1 otherwise, so scripts can ask.
func statusCommand(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("status", stderr)
	state := fs.String("state", "", "the test bed's state directory (required)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	dir, err := stateDir(*state)
	if err != nil {
		fmt.Fprintf(stderr, "testbed status: %v\n", err)
		return 2
	}
	statuses, err := controlplane.Status(dir)
	if err != nil {
		fmt.Fprintf(stderr, "testbed status: %v\n", err)
		return 1
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "COMPONENT\tSTATE\tPID\tLISTENS")
	code := 0
	for _, s := range statuses {
		st, pid := "running", fmt.Sprint(s.Pid)
		if !s.Running {
			st, code = "stopped", 1
		}
		if s.Pid == 0 {
			pid = "-"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", s.Component, st, pid, s.Address)
	}
	w.Flush()
	return code
}
