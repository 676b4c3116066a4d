package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"modelgate.io/e2e/testbed/internal/controlplane"
)

// newFlags returns a flag set for subcommand name whose errors and usage go to stderr.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("testbed "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// stateDir turns the --state flag's value into an absolute StateDir: the components run
// in directories of their own, so relative paths would point elsewhere for them.
func stateDir(value string) (controlplane.StateDir, error) {
	if value == "" {
		return controlplane.StateDir{}, errors.New("--state DIR is required")
	}
	abs, err := filepath.Abs(value)
	if err != nil {
		return controlplane.StateDir{}, fmt.Errorf("--state %s: %w", value, err)
	}
	return controlplane.StateDir{Root: abs}, nil
}

// nodeAgent holds the node agent's entry points; nodeagent.go fills them in. Without it
// the binary still builds: `node-agent` reports that it is missing and `down` has no
// node clean-up to run.
var nodeAgent struct {
	main    func(args []string) int
	cleanup controlplane.NodeCleanup
}
