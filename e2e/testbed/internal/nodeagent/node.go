package nodeagent

import (
	"bufio"
	"context"
	"fmt"
	"log"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// Timings of the node's heartbeats, as the kubelet's defaults.
const (
	leaseDuration      = 40 * time.Second
	leaseRenewInterval = 10 * time.Second
	nodeStatusInterval = 60 * time.Second
	maxPods            = 110
)

// nodeKeeper registers the Node and keeps its status and Lease fresh.
type nodeKeeper struct {
	client kubernetes.Interface
	name   string
	hostIP string
}

// desiredNodeStatus is the Node's status at now: its capacity, addresses and a Ready
// condition whose transition time is kept from old when the status did not change.
func (k *nodeKeeper) desiredNodeStatus(old *corev1.NodeStatus, now metav1.Time) corev1.NodeStatus {
	capacity := corev1.ResourceList{
		corev1.ResourceCPU:              *resource.NewQuantity(int64(runtime.NumCPU()), resource.DecimalSI),
		corev1.ResourceMemory:           *resource.NewQuantity(memTotalBytes(), resource.BinarySI),
		corev1.ResourcePods:             *resource.NewQuantity(maxPods, resource.DecimalSI),
		corev1.ResourceEphemeralStorage: resource.MustParse("20Gi"),
	}
	cond := func(t corev1.NodeConditionType, s corev1.ConditionStatus, reason, msg string) corev1.NodeCondition {
		c := corev1.NodeCondition{Type: t, Status: s, Reason: reason, Message: msg,
			LastHeartbeatTime: now, LastTransitionTime: now}
		if old != nil {
			for _, o := range old.Conditions {
				if o.Type == t && o.Status == s {
					c.LastTransitionTime = o.LastTransitionTime
				}
			}
		}
		return c
	}
	host, _ := os.Hostname()
	return corev1.NodeStatus{
		Capacity:    capacity,
		Allocatable: capacity,
		Phase:       corev1.NodeRunning,
		Conditions: []corev1.NodeCondition{
			cond(corev1.NodeMemoryPressure, corev1.ConditionFalse, "KubeletHasSufficientMemory", "node agent has sufficient memory available"),
			cond(corev1.NodeDiskPressure, corev1.ConditionFalse, "KubeletHasNoDiskPressure", "node agent has no disk pressure"),
			cond(corev1.NodePIDPressure, corev1.ConditionFalse, "KubeletHasSufficientPID", "node agent has sufficient PID available"),
			cond(corev1.NodeReady, corev1.ConditionTrue, "KubeletReady", "node agent is posting ready status"),
		},
		DaemonEndpoints: corev1.NodeDaemonEndpoints{KubeletEndpoint: corev1.DaemonEndpoint{Port: kubeletPort}},
		Addresses: []corev1.NodeAddress{
			{Type: corev1.NodeInternalIP, Address: k.hostIP},
			{Type: corev1.NodeHostName, Address: k.name},
		},
		NodeInfo: corev1.NodeSystemInfo{
			MachineID:               host,
			KernelVersion:           kernelVersion(),
			OSImage:                 "modelgate test bed",
			ContainerRuntimeVersion: "testbed://1",
			KubeletVersion:          "v1.37.2",
			OperatingSystem:         runtime.GOOS,
			Architecture:            runtime.GOARCH,
		},
	}
}

// register creates the Node, or refreshes its status when it already exists (a restarted
// agent). Returns the API error when neither works.
func (k *nodeKeeper) register(ctx context.Context) error {
	now := metav1.Now()
	node := &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: k.name, Labels: map[string]string{
			"kubernetes.io/hostname": k.name, "kubernetes.io/os": runtime.GOOS,
			"kubernetes.io/arch": runtime.GOARCH,
		}},
	}
	created, err := k.client.CoreV1().Nodes().Create(ctx, node, metav1.CreateOptions{})
	switch {
	case err == nil:
		log.Printf("node %s: registered", k.name)
		node = created
	case apierrors.IsAlreadyExists(err):
		if node, err = k.client.CoreV1().Nodes().Get(ctx, k.name, metav1.GetOptions{}); err != nil {
			return err
		}
		log.Printf("node %s: already registered, refreshing status", k.name)
	default:
		return fmt.Errorf("creating Node %s: %w", k.name, err)
	}
	node.Status = k.desiredNodeStatus(&node.Status, now)
	_, err = k.client.CoreV1().Nodes().UpdateStatus(ctx, node, metav1.UpdateOptions{})
	return err
}

// updateStatus posts a fresh heartbeat in the Node's conditions.
func (k *nodeKeeper) updateStatus(ctx context.Context) error {
	node, err := k.client.CoreV1().Nodes().Get(ctx, k.name, metav1.GetOptions{})
	if err != nil {
		return err
	}
	node.Status = k.desiredNodeStatus(&node.Status, metav1.Now())
	_, err = k.client.CoreV1().Nodes().UpdateStatus(ctx, node, metav1.UpdateOptions{})
	return err
}

// renewLease creates or renews the Node's Lease in kube-node-lease.
func (k *nodeKeeper) renewLease(ctx context.Context) error {
	leases := k.client.CoordinationV1().Leases(corev1.NamespaceNodeLease)
	now := metav1.NewMicroTime(time.Now())
	lease, err := leases.Get(ctx, k.name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		lease = &coordinationv1.Lease{
			ObjectMeta: metav1.ObjectMeta{Name: k.name, Namespace: corev1.NamespaceNodeLease},
			Spec: coordinationv1.LeaseSpec{
				HolderIdentity:       ptrTo(k.name),
				LeaseDurationSeconds: ptrTo(int32(leaseDuration / time.Second)),
				RenewTime:            &now,
			},
		}
		if node, err := k.client.CoreV1().Nodes().Get(ctx, k.name, metav1.GetOptions{}); err == nil {
			// The kubelet owns its Lease by its Node so the Lease goes when the Node does.
			lease.OwnerReferences = []metav1.OwnerReference{{APIVersion: "v1", Kind: "Node",
				Name: node.Name, UID: node.UID}}
		}
		_, err = leases.Create(ctx, lease, metav1.CreateOptions{})
		return err
	}
	if err != nil {
		return err
	}
	lease.Spec.HolderIdentity = ptrTo(k.name)
	lease.Spec.LeaseDurationSeconds = ptrTo(int32(leaseDuration / time.Second))
	lease.Spec.RenewTime = &now
	_, err = leases.Update(ctx, lease, metav1.UpdateOptions{})
	return err
}

// run keeps the Lease and the Node status fresh until ctx ends.
func (k *nodeKeeper) run(ctx context.Context) {
	leaseTick := time.NewTicker(leaseRenewInterval)
	defer leaseTick.Stop()
	statusTick := time.NewTicker(nodeStatusInterval)
	defer statusTick.Stop()
	if err := k.renewLease(ctx); err != nil {
		log.Printf("node %s: lease: %v", k.name, err)
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-leaseTick.C:
			if err := k.renewLease(ctx); err != nil && ctx.Err() == nil {
				log.Printf("node %s: renewing lease: %v", k.name, err)
			}
		case <-statusTick.C:
			if err := k.updateStatus(ctx); err != nil && ctx.Err() == nil {
				log.Printf("node %s: updating status: %v", k.name, err)
			}
		}
	}
}

func memTotalBytes() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 8 << 30
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemTotal:" {
			if kb, err := strconv.ParseInt(fields[1], 10, 64); err == nil {
				return kb * 1024
			}
		}
	}
	return 8 << 30
}

func kernelVersion() string {
	data, err := os.ReadFile("/proc/sys/kernel/osrelease")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(data))
}
