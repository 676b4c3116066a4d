package nodeagent

import (
	"flag"
	"fmt"
	"io"
	"net/netip"
	"path/filepath"
	"strconv"
)

// Config is the node agent's command line.
type Config struct {
	Kubeconfig    string
	NodeName      string
	StateDir      string
	ImagesFile    string
	APIServerHost string
	APIServerPort int
	BridgeCIDR    string // the bridge's own address with the pod prefix, e.g. 198.18.0.1/16
	CAFile        string // the cluster CA, published to pods as ca.crt
}

// ParseConfig parses the agent's flags (see the launcher contract in the package doc).
// Returns an error naming the flag that is missing or malformed.
func ParseConfig(args []string, stderr io.Writer) (Config, error) {
	var c Config
	fs := flag.NewFlagSet("testbed node-agent", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Kubeconfig, "kubeconfig", "", "the node's kubeconfig (system:node:NAME)")
	fs.StringVar(&c.NodeName, "node-name", "", "the Node to register")
	fs.StringVar(&c.StateDir, "state", "", "directory for pod state, logs and records for clean-up")
	fs.StringVar(&c.ImagesFile, "images", "", "image map (JSON) from image names to commands")
	fs.StringVar(&c.APIServerHost, "apiserver-host", "127.0.0.1", "where the API server listens on the host")
	fs.IntVar(&c.APIServerPort, "apiserver-port", 0, "the API server's port")
	fs.StringVar(&c.BridgeCIDR, "bridge-ip", "198.18.0.1/16", "the bridge address and pod prefix")
	fs.StringVar(&c.CAFile, "ca-file", "", "the cluster CA certificate")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	for _, req := range []struct{ flag, value string }{
		{"--kubeconfig", c.Kubeconfig}, {"--node-name", c.NodeName}, {"--state", c.StateDir},
		{"--images", c.ImagesFile}, {"--ca-file", c.CAFile},
	} {
		if req.value == "" {
			return c, fmt.Errorf("%s is required", req.flag)
		}
	}
	if c.APIServerPort <= 0 || c.APIServerPort > 65535 {
		return c, fmt.Errorf("--apiserver-port %d: want a TCP port", c.APIServerPort)
	}
	if _, err := netip.ParseAddr(c.APIServerHost); err != nil {
		return c, fmt.Errorf("--apiserver-host %q: %w", c.APIServerHost, err)
	}
	if _, err := NewIPAllocator(c.BridgeCIDR); err != nil {
		return c, err
	}
	abs, err := filepath.Abs(c.StateDir)
	if err != nil {
		return c, fmt.Errorf("--state %s: %w", c.StateDir, err)
	}
	c.StateDir = abs
	return c, nil
}

// bridgeIP returns the bridge's address without the prefix length.
func (c Config) bridgeIP() string {
	return netip.MustParsePrefix(c.BridgeCIDR).Addr().String()
}

func (c Config) apiserverPort() string { return strconv.Itoa(c.APIServerPort) }
