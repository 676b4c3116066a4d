package controlplane

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
)

// Probe is one condition of a healthy test bed. When it does not come true in time,
// Component's log is the one that explains why.
type Probe struct {
	Component Component
	What      string
	Check     func(ctx context.Context) error // nil when the condition holds
}

// AdminClient returns a client-go clientset authenticated as the test bed's administrator.
// Returns an error naming the kubeconfig when it cannot be loaded.
func AdminClient(state StateDir) (kubernetes.Interface, error) {
	cfg, err := clientcmd.BuildConfigFromFlags("", state.Kubeconfig())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", state.Kubeconfig(), err)
	}
	cfg.Timeout = 5 * time.Second
	cfg.QPS, cfg.Burst = 50, 100
	return kubernetes.NewForConfig(cfg)
}

// EtcdHealthy holds when etcd answers its /health endpoint with health "true".
func EtcdHealthy(c Cluster) Probe {
	return Probe{Etcd, "etcd " + c.EtcdURL() + "/health", func(ctx context.Context) error {
		body, err := get(ctx, http.DefaultClient, c.EtcdURL()+"/health")
		if err != nil {
			return err
		}
		var h struct {
			Health string `json:"health"`
		}
		if err := json.Unmarshal(body, &h); err != nil || h.Health != "true" {
			return fmt.Errorf("unhealthy: %s", body)
		}
		return nil
	}}
}

// APIServerReady holds when the API server's /readyz passes every check.
func APIServerReady(client kubernetes.Interface) Probe {
	return Probe{APIServer, "kube-apiserver /readyz", func(ctx context.Context) error {
		body, err := client.Discovery().RESTClient().Get().AbsPath("/readyz").DoRaw(ctx)
		if err == nil {
			return nil
		}
		if failing := failingChecks(string(body)); failing != "" {
			return fmt.Errorf("failing checks: %s", failing)
		}
		return err
	}}
}

// failingChecks picks the names of the failed checks ("[-]name failed: ...") out of a
// /readyz body, which otherwise lists every passing check too.
func failingChecks(body string) string {
	var names []string
	for _, line := range strings.Split(body, "\n") {
		if rest, ok := strings.CutPrefix(line, "[-]"); ok {
			name, _, _ := strings.Cut(rest, " ")
			names = append(names, name)
		}
	}
	return strings.Join(names, ", ")
}

// insecureLoopback talks to kube-controller-manager's and kube-scheduler's /healthz: they
// serve it with a self-signed certificate they make at start, which no CA vouches for.
// Only loopback addresses are ever dialled with it.
var insecureLoopback = &http.Client{Transport: &http.Transport{
	TLSClientConfig: &tls.Config{InsecureSkipVerify: true},
}}

// Healthz holds when component comp (kube-controller-manager or kube-scheduler) answers
// /healthz with "ok" on its loopback port.
func Healthz(comp Component, port int) Probe {
	url := "https://127.0.0.1:" + strconv.Itoa(port) + "/healthz"
	return Probe{comp, string(comp) + " " + url, func(ctx context.Context) error {
		body, err := get(ctx, insecureLoopback, url)
		if err != nil {
			return err
		}
		if string(body) != "ok" {
			return fmt.Errorf("unhealthy: %s", body)
		}
		return nil
	}}
}

// DefaultServiceAccount holds when the service-account controller has made the `default`
// ServiceAccount of namespace default: before that, pods cannot be created there.
func DefaultServiceAccount(client kubernetes.Interface) Probe {
	return Probe{ControllerManager, "ServiceAccount default/default", func(ctx context.Context) error {
		_, err := client.CoreV1().ServiceAccounts("default").Get(ctx, "default", metav1.GetOptions{})
		return err
	}}
}

// RootCAConfigMap holds when the root-CA publisher has made ConfigMap kube-root-ca.crt in
// namespace default: the projected service-account volume of every pod needs it.
func RootCAConfigMap(client kubernetes.Interface) Probe {
	return Probe{ControllerManager, "ConfigMap default/kube-root-ca.crt", func(ctx context.Context) error {
		_, err := client.CoreV1().ConfigMaps("default").Get(ctx, "kube-root-ca.crt", metav1.GetOptions{})
		return err
	}}
}

// NodeReady holds when Node name reports condition Ready=True.
func NodeReady(client kubernetes.Interface, name string) Probe {
	return Probe{NodeAgent, "Node " + name + " Ready", func(ctx context.Context) error {
		node, err := client.CoreV1().Nodes().Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		for _, c := range node.Status.Conditions {
			if c.Type == corev1.NodeReady {
				if c.Status == corev1.ConditionTrue {
					return nil
				}
				return fmt.Errorf("Ready=%s: %s", c.Status, c.Message)
			}
		}
		return fmt.Errorf("no Ready condition yet")
	}}
}

// NodeLeaseRenewedAfter holds when the node's Lease in kube-node-lease was renewed after t:
// the sign that a restarted node agent is back at work.
func NodeLeaseRenewedAfter(client kubernetes.Interface, name string, t time.Time) Probe {
	return Probe{NodeAgent, "Lease kube-node-lease/" + name + " renewed", func(ctx context.Context) error {
		lease, err := client.CoordinationV1().Leases("kube-node-lease").Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		if lease.Spec.RenewTime == nil || !lease.Spec.RenewTime.After(t) {
			return fmt.Errorf("last renewed %v", lease.Spec.RenewTime)
		}
		return nil
	}}
}

func get(ctx context.Context, client *http.Client, url string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return body, fmt.Errorf("%s: HTTP %d: %s", url, resp.StatusCode, body)
	}
	return body, nil
}
