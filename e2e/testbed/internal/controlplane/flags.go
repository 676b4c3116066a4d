package controlplane

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"modelgate.io/e2e/testbed/internal/pki"
)

// Network settings shared with the node agent: pods live on the bridge network and reach
// the API server at the bridge address, where the agent forwards to loopback.
const (
	BridgeIP             = "198.18.0.1"
	BridgeCIDR           = BridgeIP + "/16"
	ServiceClusterRange  = "10.96.0.0/16"
	ServiceAccountIssuer = "https://kubernetes.default.svc.cluster.local"
)

// Controllers are the kube-controller-manager controllers the test bed runs: Jobs and what
// their pods need (service accounts, tokens, the root CA ConfigMap), Deployments with their
// ReplicaSets, CronJobs and PodDisruptionBudgets (what a Helm chart installs), Service
// endpoints, garbage collection of owned objects, namespace deletion, and clean-up of
// finished pods and Jobs. The
// node-lifecycle controller is left out on purpose: the node agent alone decides its
// Node's condition, so nothing taints or evicts behind a test's back.
var Controllers = []string{
	"job-controller",
	"garbage-collector-controller",
	"serviceaccount-controller",
	"serviceaccount-token-controller",
	"namespace-controller",
	"pod-garbage-collector-controller",
	"ttl-after-finished-controller",
	"root-ca-certificate-publisher-controller",
	"endpointslice-controller",
	"deployment-controller",
	"replicaset-controller",
	"cronjob-controller",
	"disruption-controller",
}

// Admission plugins enabled on top of the API server's defaults. TaintNodesByCondition is
// disabled because it taints a new Node not-ready and only the node-lifecycle controller
// (not run here) would remove that taint; a node may not remove it itself under
// NodeRestriction. StorageObjectInUseProtection is disabled because its finalizers are
// removed by protection controllers that are not run either.
var (
	EnabledAdmissionPlugins = []string{
		"NamespaceLifecycle", "ServiceAccount", "NodeRestriction", "LimitRanger",
		"DefaultTolerationSeconds", "Priority", "ResourceQuota", "MutatingAdmissionWebhook",
		"ValidatingAdmissionPolicy", "ValidatingAdmissionWebhook",
	}
	DisabledAdmissionPlugins = []string{"TaintNodesByCondition", "StorageObjectInUseProtection"}
)

// Ports are the loopback ports the components listen on.
type Ports struct {
	EtcdClient        int `json:"etcdClient"`
	EtcdPeer          int `json:"etcdPeer"`
	APIServer         int `json:"apiServer"`
	ControllerManager int `json:"controllerManager"`
	Scheduler         int `json:"scheduler"`
}

// Cluster is everything needed to build every component's command line; it is saved in
// the state directory so status and restart see what up chose.
type Cluster struct {
	State    StateDir `json:"-"`
	BinDir   string   `json:"binDir"`
	NodeName string   `json:"nodeName"`
	Images   string   `json:"images"`
	// Launcher is the testbed binary, which runs the node agent as `testbed node-agent`.
	Launcher string `json:"launcher"`
	Ports    Ports  `json:"ports"`
}

// APIServerURL returns the URL clients on the host reach the API server at.
func (c Cluster) APIServerURL() string {
	return "https://127.0.0.1:" + strconv.Itoa(c.Ports.APIServer)
}

// EtcdURL returns etcd's client URL.
func (c Cluster) EtcdURL() string { return "http://127.0.0.1:" + strconv.Itoa(c.Ports.EtcdClient) }

// Argv returns the full command line of component comp, program first.
// Returns an error for a component it does not know.
func (c Cluster) Argv(comp Component) ([]string, error) {
	switch comp {
	case Etcd:
		return c.etcdArgv(), nil
	case APIServer:
		return c.apiServerArgv(), nil
	case ControllerManager:
		return c.controllerManagerArgv(), nil
	case Scheduler:
		return c.schedulerArgv(), nil
	case NodeAgent:
		return c.nodeAgentArgv(), nil
	}
	return nil, fmt.Errorf("unknown component %q", comp)
}

func (c Cluster) bin(name string) string { return filepath.Join(c.BinDir, name) }

func (c Cluster) etcdArgv() []string {
	peer := "http://127.0.0.1:" + strconv.Itoa(c.Ports.EtcdPeer)
	return []string{
		c.bin("etcd"),
		"--name=testbed",
		"--data-dir=" + c.State.EtcdData(),
		"--listen-client-urls=" + c.EtcdURL(),
		"--advertise-client-urls=" + c.EtcdURL(),
		"--listen-peer-urls=" + peer,
		"--initial-advertise-peer-urls=" + peer,
		"--initial-cluster=testbed=" + peer,
		"--initial-cluster-state=new",
		// A test bed's data is thrown away with it: durability buys nothing, speed does.
		"--unsafe-no-fsync=true",
		"--quota-backend-bytes=" + strconv.Itoa(2<<30),
		"--log-level=warn",
	}
}

func (c Cluster) apiServerArgv() []string {
	p := c.State.PKI()
	return []string{
		c.bin("kube-apiserver"),
		"--etcd-servers=" + c.EtcdURL(),
		"--bind-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(c.Ports.APIServer),
		"--advertise-address=" + BridgeIP,
		"--cert-dir=" + c.State.Run(APIServer),
		"--tls-cert-file=" + p.Cert(pki.APIServer),
		"--tls-private-key-file=" + p.Key(pki.APIServer),
		"--client-ca-file=" + p.Cert(pki.ClusterCA.Name),
		"--service-cluster-ip-range=" + ServiceClusterRange,
		"--service-account-issuer=" + ServiceAccountIssuer,
		"--service-account-key-file=" + p.ServiceAccountPublicKey(),
		"--service-account-signing-key-file=" + p.ServiceAccountKey(),
		"--authorization-mode=Node,RBAC",
		"--enable-admission-plugins=" + strings.Join(EnabledAdmissionPlugins, ","),
		"--disable-admission-plugins=" + strings.Join(DisabledAdmissionPlugins, ","),
		"--allow-privileged=true",
		"--endpoint-reconciler-type=none",
		"--enable-aggregator-routing=true",
		// The node's name does not resolve; kubectl logs reaches the node agent by its IP.
		"--kubelet-preferred-address-types=InternalIP,Hostname",
		"--requestheader-client-ca-file=" + p.Cert(pki.FrontProxyCA.Name),
		"--requestheader-allowed-names=front-proxy-client",
		"--requestheader-username-headers=X-Remote-User",
		"--requestheader-group-headers=X-Remote-Group",
		"--requestheader-extra-headers-prefix=X-Remote-Extra-",
		"--proxy-client-cert-file=" + p.Cert(pki.FrontProxyClient),
		"--proxy-client-key-file=" + p.Key(pki.FrontProxyClient),
		// Without it, open watches hold shutdown for the full request timeout (a minute);
		// with it, they are ended and drained within the period.
		"--shutdown-watch-termination-grace-period=2s",
		"--profiling=false",
	}
}

func (c Cluster) controllerManagerArgv() []string {
	p := c.State.PKI()
	kubeconfig := c.State.ComponentKubeconfig(ControllerManager)
	return []string{
		c.bin("kube-controller-manager"),
		"--kubeconfig=" + kubeconfig,
		"--authentication-kubeconfig=" + kubeconfig,
		"--authorization-kubeconfig=" + kubeconfig,
		"--bind-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(c.Ports.ControllerManager),
		"--cert-dir=" + c.State.Run(ControllerManager),
		"--leader-elect=false",
		"--controllers=" + strings.Join(Controllers, ","),
		"--use-service-account-credentials=true",
		"--service-account-private-key-file=" + p.ServiceAccountKey(),
		"--root-ca-file=" + p.Cert(pki.ClusterCA.Name),
		"--profiling=false",
	}
}

func (c Cluster) schedulerArgv() []string {
	kubeconfig := c.State.ComponentKubeconfig(Scheduler)
	return []string{
		c.bin("kube-scheduler"),
		"--kubeconfig=" + kubeconfig,
		"--authentication-kubeconfig=" + kubeconfig,
		"--authorization-kubeconfig=" + kubeconfig,
		"--bind-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(c.Ports.Scheduler),
		"--cert-dir=" + c.State.Run(Scheduler),
		"--leader-elect=false",
		"--profiling=false",
	}
}

func (c Cluster) nodeAgentArgv() []string {
	return []string{
		c.Launcher, "node-agent",
		"--kubeconfig", c.State.NodeKubeconfig(),
		"--node-name", c.NodeName,
		"--state", c.State.NodeState(),
		"--images", c.Images,
		"--apiserver-host", "127.0.0.1",
		"--apiserver-port", strconv.Itoa(c.Ports.APIServer),
		"--bridge-ip", BridgeCIDR,
		"--ca-file", c.State.PKI().Cert(pki.ClusterCA.Name),
	}
}
