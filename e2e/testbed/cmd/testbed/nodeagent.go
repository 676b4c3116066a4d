package main

import (
	"io"

	"modelgate.io/e2e/testbed/internal/nodeagent"
)

func init() {
	nodeAgent.main = nodeagent.Main
	nodeAgent.cleanup = nodeagent.Cleanup
	commands["node-agent"] = command{"run the node agent (up starts it)",
		func(args []string, _, _ io.Writer) int { return nodeagent.Main(args) }}
}
