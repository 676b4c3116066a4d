package controlplane

import (
	"slices"
	"strings"
	"testing"
)

func testCluster() Cluster {
	return Cluster{
		State:    StateDir{Root: "/state"},
		BinDir:   "/bin-dir",
		NodeName: "node-a",
		Images:   "/images.json",
		Launcher: "/usr/local/bin/testbed",
		Ports:    Ports{EtcdClient: 2001, EtcdPeer: 2002, APIServer: 2003, ControllerManager: 2004, Scheduler: 2005},
	}
}

func argv(t *testing.T, comp Component) []string {
	t.Helper()
	a, err := testCluster().Argv(comp)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// flagValue returns the value of --name=value in a, and whether it is there exactly once.
func flagValue(a []string, name string) (string, bool) {
	var values []string
	for _, arg := range a {
		if v, ok := strings.CutPrefix(arg, "--"+name+"="); ok {
			values = append(values, v)
		}
	}
	if len(values) != 1 {
		return "", false
	}
	return values[0], true
}

func expectFlag(t *testing.T, a []string, name, want string) {
	t.Helper()
	got, ok := flagValue(a, name)
	if !ok {
		t.Fatalf("--%s missing or repeated in %v", name, a)
	}
	if got != want {
		t.Fatalf("--%s = %q, want %q", name, got, want)
	}
}

func TestEveryComponentRunsFromItsBinary(t *testing.T) {
	want := map[Component]string{Etcd: "/bin-dir/etcd", APIServer: "/bin-dir/kube-apiserver",
		ControllerManager: "/bin-dir/kube-controller-manager", Scheduler: "/bin-dir/kube-scheduler",
		NodeAgent: "/usr/local/bin/testbed"}
	for comp, program := range want {
		if got := argv(t, comp)[0]; got != program {
			t.Errorf("%s runs %s, want %s", comp, got, program)
		}
	}
}

func TestEtcdListensOnLoopbackOnlyWithoutFsync(t *testing.T) {
	a := argv(t, Etcd)
	expectFlag(t, a, "listen-client-urls", "http://127.0.0.1:2001")
	expectFlag(t, a, "listen-peer-urls", "http://127.0.0.1:2002")
	expectFlag(t, a, "data-dir", "/state/etcd")
	expectFlag(t, a, "unsafe-no-fsync", "true")
}

func TestAPIServerUsesStateAndPKI(t *testing.T) {
	a := argv(t, APIServer)
	expectFlag(t, a, "etcd-servers", "http://127.0.0.1:2001")
	expectFlag(t, a, "bind-address", "127.0.0.1")
	expectFlag(t, a, "secure-port", "2003")
	expectFlag(t, a, "client-ca-file", "/state/pki/ca.crt")
	expectFlag(t, a, "tls-cert-file", "/state/pki/apiserver.crt")
	expectFlag(t, a, "service-account-key-file", "/state/pki/sa.pub")
	expectFlag(t, a, "service-account-signing-key-file", "/state/pki/sa.key")
	expectFlag(t, a, "requestheader-client-ca-file", "/state/pki/front-proxy-ca.crt")
	expectFlag(t, a, "proxy-client-cert-file", "/state/pki/front-proxy-client.crt")
}

func TestAPIServerAdvertisesTheBridgeAndReconcilesNoEndpoints(t *testing.T) {
	a := argv(t, APIServer)
	expectFlag(t, a, "advertise-address", "198.18.0.1")
	expectFlag(t, a, "endpoint-reconciler-type", "none")
	expectFlag(t, a, "enable-aggregator-routing", "true")
	expectFlag(t, a, "kubelet-preferred-address-types", "InternalIP,Hostname")
	expectFlag(t, a, "service-cluster-ip-range", "10.96.0.0/16")
	expectFlag(t, a, "authorization-mode", "Node,RBAC")
	expectFlag(t, a, "profiling", "false")
}

func TestAPIServerEnablesTheAdmissionPluginsTestsRelyOn(t *testing.T) {
	value, ok := flagValue(argv(t, APIServer), "enable-admission-plugins")
	if !ok {
		t.Fatal("--enable-admission-plugins missing")
	}
	enabled := strings.Split(value, ",")
	for _, p := range []string{"NodeRestriction", "ServiceAccount", "NamespaceLifecycle",
		"ValidatingAdmissionWebhook", "MutatingAdmissionWebhook", "ValidatingAdmissionPolicy"} {
		if !slices.Contains(enabled, p) {
			t.Errorf("admission plugin %s is not enabled", p)
		}
	}
}

func TestAPIServerDoesNotTaintNewNodes(t *testing.T) {
	value, _ := flagValue(argv(t, APIServer), "disable-admission-plugins")
	if !slices.Contains(strings.Split(value, ","), "TaintNodesByCondition") {
		t.Fatalf("TaintNodesByCondition must be disabled: nothing here would lift its taint")
	}
}

func TestControllerManagerRunsExactlyTheListedControllers(t *testing.T) {
	a := argv(t, ControllerManager)
	expectFlag(t, a, "controllers", "job-controller,garbage-collector-controller,"+
		"serviceaccount-controller,serviceaccount-token-controller,namespace-controller,"+
		"pod-garbage-collector-controller,ttl-after-finished-controller,"+
		"root-ca-certificate-publisher-controller,endpointslice-controller,"+
		"deployment-controller,replicaset-controller,cronjob-controller,disruption-controller")
	expectFlag(t, a, "leader-elect", "false")
	expectFlag(t, a, "use-service-account-credentials", "true")
	expectFlag(t, a, "service-account-private-key-file", "/state/pki/sa.key")
	expectFlag(t, a, "root-ca-file", "/state/pki/ca.crt")
	expectFlag(t, a, "kubeconfig", "/state/kubeconfigs/kube-controller-manager.kubeconfig")
	expectFlag(t, a, "secure-port", "2004")
}

func TestSchedulerHasItsOwnKubeconfigAndNoLeaderElection(t *testing.T) {
	a := argv(t, Scheduler)
	expectFlag(t, a, "kubeconfig", "/state/kubeconfigs/kube-scheduler.kubeconfig")
	expectFlag(t, a, "leader-elect", "false")
	expectFlag(t, a, "secure-port", "2005")
}

func TestNodeAgentGetsTheContractFlags(t *testing.T) {
	want := []string{"/usr/local/bin/testbed", "node-agent",
		"--kubeconfig", "/state/node.kubeconfig", "--node-name", "node-a",
		"--state", "/state/node", "--images", "/images.json",
		"--apiserver-host", "127.0.0.1", "--apiserver-port", "2003",
		"--bridge-ip", "198.18.0.1/16", "--ca-file", "/state/pki/ca.crt"}
	if got := argv(t, NodeAgent); !slices.Equal(got, want) {
		t.Fatalf("node agent argv =\n%v\nwant\n%v", got, want)
	}
}

func TestArgvRejectsUnknownComponent(t *testing.T) {
	if _, err := testCluster().Argv("kubelet"); err == nil {
		t.Fatal("Argv accepted an unknown component")
	}
}

func TestParseComponentNamesTheValidChoices(t *testing.T) {
	if c, err := ParseComponent("kube-scheduler"); err != nil || c != Scheduler {
		t.Fatalf("ParseComponent(kube-scheduler) = %q, %v", c, err)
	}
	_, err := ParseComponent("kubelet")
	if err == nil || !strings.Contains(err.Error(), "node-agent") {
		t.Fatalf("ParseComponent(kubelet) error = %v", err)
	}
}
