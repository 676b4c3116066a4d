package controlplane

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"modelgate.io/e2e/testbed/internal/pki"
)

// WriteKubeconfig writes a kubeconfig at path for the identity whose certificate and key
// are called certName in the PKI. Certificates are embedded rather than referenced, so the
// file works for every client, whatever it resolves relative paths against. Mode 0600:
// it holds a private key.
// Returns an error naming the file that could not be read or written.
func WriteKubeconfig(c Cluster, path, certName, user string) error {
	p := c.State.PKI()
	ca, err := os.ReadFile(p.Cert(pki.ClusterCA.Name))
	if err != nil {
		return err
	}
	cert, err := os.ReadFile(p.Cert(certName))
	if err != nil {
		return err
	}
	key, err := os.ReadFile(p.Key(certName))
	if err != nil {
		return err
	}
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["testbed"] = &clientcmdapi.Cluster{
		Server: c.APIServerURL(), CertificateAuthorityData: ca,
	}
	cfg.AuthInfos[user] = &clientcmdapi.AuthInfo{ClientCertificateData: cert, ClientKeyData: key}
	cfg.Contexts["testbed"] = &clientcmdapi.Context{Cluster: "testbed", AuthInfo: user}
	cfg.CurrentContext = "testbed"
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	if err := clientcmd.WriteToFile(*cfg, path); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return os.Chmod(path, 0o600)
}

// WriteKubeconfigs writes the administrator's, the node agent's and each control-plane
// component's kubeconfig.
// Returns the first error of WriteKubeconfig.
func WriteKubeconfigs(c Cluster) error {
	files := []struct{ path, cert, user string }{
		{c.State.Kubeconfig(), pki.Admin, "admin"},
		{c.State.NodeKubeconfig(), pki.Node, "system:node:" + c.NodeName},
		{c.State.ComponentKubeconfig(ControllerManager), pki.ControllerManager,
			"system:kube-controller-manager"},
		{c.State.ComponentKubeconfig(Scheduler), pki.Scheduler, "system:kube-scheduler"},
	}
	for _, f := range files {
		if err := WriteKubeconfig(c, f.path, f.cert, f.user); err != nil {
			return err
		}
	}
	return nil
}

// imageEntry is one image of the node agent's image map, in Docker's terms.
type imageEntry struct {
	Entrypoint []string `json:"entrypoint"`
	Cmd        []string `json:"cmd"`
}

// DefaultImages is the image map the node agent gets when `up` is given none: a shell,
// sleep and Python, found on this machine's PATH.
func DefaultImages() map[string]imageEntry {
	return map[string]imageEntry{
		"testbed/sh:1":     {Entrypoint: []string{lookPath("sh"), "-c"}, Cmd: []string{}},
		"testbed/sleep:1":  {Entrypoint: []string{lookPath("sleep")}, Cmd: []string{"3600"}},
		"testbed/python:1": {Entrypoint: []string{lookPath("python3")}, Cmd: []string{}},
	}
}

func lookPath(name string) string {
	if path, err := exec.LookPath(name); err == nil {
		return path
	}
	return name
}

// WriteDefaultImages writes DefaultImages() as the node agent's image map at path.
func WriteDefaultImages(path string) error {
	data, err := json.MarshalIndent(map[string]any{"images": DefaultImages()}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// EnvFile returns the shell lines that point kubectl, the control-plane binaries and the
// end-to-end scenarios at this test bed.
func EnvFile(c Cluster) string {
	return fmt.Sprintf("export KUBECONFIG=%s\nexport PATH=%s:\"$PATH\"\nexport MODELGATE_TESTBED_STATE=%s\n",
		shellQuote(c.State.Kubeconfig()), shellQuote(c.BinDir), shellQuote(c.State.Root))
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// SaveCluster records c in the state directory for status and restart.
func SaveCluster(c Cluster) error {
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(c.State.Cluster(), append(data, '\n'), 0o644)
}

// LoadCluster reads what SaveCluster recorded in state.
// Returns an error naming the file when it is missing or malformed.
func LoadCluster(state StateDir) (Cluster, error) {
	c := Cluster{State: state}
	data, err := os.ReadFile(state.Cluster())
	if err != nil {
		return c, fmt.Errorf("no test bed recorded in %s: %w", state.Root, err)
	}
	if err := json.Unmarshal(data, &c); err != nil {
		return c, fmt.Errorf("%s: %w", state.Cluster(), err)
	}
	c.State = state
	return c, nil
}

// TailLines returns at most the last n lines of the file at path, bounded to its last
// 256 KiB so a huge log cannot exhaust memory.
func TailLines(path string, n int) string {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Sprintf("(no log: %v)\n", err)
	}
	defer f.Close()
	const window = 256 << 10
	if info, err := f.Stat(); err == nil && info.Size() > window {
		_, _ = f.Seek(info.Size()-window, 0)
	}
	data, _ := io.ReadAll(io.LimitReader(f, window))
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n") + "\n"
}
