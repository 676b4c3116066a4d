package nodeagent

import (
	"context"
	"fmt"
	"log"
	"net"
	"net/netip"
	"os"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/clientcmd"
)

// shutdownGrace caps how long pods get to stop when the agent itself is stopped; the
// launcher SIGKILLs the agent 10 s after SIGTERM.
const shutdownGrace = 5 * time.Second

// Agent is the node agent: it registers the Node and runs the pods bound to it.
type Agent struct {
	cfg         Config
	layout      stateLayout
	client      kubernetes.Interface
	images      *imageCatalog
	cgroups     *cgroupTree
	mountPoints *mountPointSet
	objects     ObjectSource
	tokens      TokenSource
	caData      []byte

	ipamMu sync.Mutex
	ipam   *IPAllocator // guarded by ipamMu

	mu       sync.Mutex
	workers  map[types.UID]*podWorker // guarded by mu
	finished map[types.UID]bool       // pods whose worker is done; guarded by mu
	wg       sync.WaitGroup
}

// newAgent loads the kubeconfig and the CA and prepares the agent's parts.
// Returns an error naming the file that could not be read.
func newAgent(cfg Config) (*Agent, error) {
	rest, err := clientcmd.BuildConfigFromFlags("", cfg.Kubeconfig)
	if err != nil {
		return nil, fmt.Errorf("--kubeconfig %s: %w", cfg.Kubeconfig, err)
	}
	rest.QPS, rest.Burst = 50, 100
	rest.UserAgent = "modelgate-testbed-node-agent"
	client, err := kubernetes.NewForConfig(rest)
	if err != nil {
		return nil, err
	}
	ca, err := os.ReadFile(cfg.CAFile)
	if err != nil {
		return nil, fmt.Errorf("--ca-file: %w", err)
	}
	ipam, err := NewIPAllocator(cfg.BridgeCIDR)
	if err != nil {
		return nil, err
	}
	layout := stateLayout{root: cfg.StateDir}
	cgroups, why := newCgroupTree(cfg.NodeName)
	if !cgroups.Enabled() {
		log.Printf("memory limits are not enforced: %s", why)
	}
	return &Agent{
		cfg: cfg, layout: layout, client: client, images: newImageCatalog(cfg.ImagesFile),
		cgroups: cgroups, mountPoints: &mountPointSet{record: layout.mountPointsFile()},
		objects: apiObjects{client}, tokens: apiTokens{client}, caData: ca, ipam: ipam,
		workers: map[types.UID]*podWorker{}, finished: map[types.UID]bool{},
	}, nil
}

func (a *Agent) allocateIP(owner string) (netip.Addr, error) {
	a.ipamMu.Lock()
	defer a.ipamMu.Unlock()
	return a.ipam.Allocate(owner)
}

func (a *Agent) releaseIP(ip netip.Addr) {
	a.ipamMu.Lock()
	defer a.ipamMu.Unlock()
	a.ipam.Release(ip)
}

// Run starts the node and serves its pods until ctx ends, then stops every pod.
// Returns an error when the host network or the Node cannot be set up.
func (a *Agent) Run(ctx context.Context) error {
	if err := os.MkdirAll(a.cfg.StateDir, 0o755); err != nil {
		return err
	}
	// Whatever an earlier agent left running cannot be adopted: its processes are not our
	// children. Stop it; the pods' status says what to start again.
	if err := cleanupPods(a.layout); err != nil {
		log.Printf("cleaning up after the previous agent: %v", err)
	}
	if err := setUpBridge(a.layout, a.cfg.BridgeCIDR); err != nil {
		return err
	}
	listen := net.JoinHostPort(a.cfg.bridgeIP(), a.cfg.apiserverPort())
	target := net.JoinHostPort(a.cfg.APIServerHost, a.cfg.apiserverPort())
	fwdCtx, stopFwd := context.WithCancel(context.Background())
	defer stopFwd()
	fwd, err := startForwarder(fwdCtx, listen, target)
	if err != nil {
		return fmt.Errorf("API server forwarder on %s: %w", listen, err)
	}
	log.Printf("forwarding %s to %s for pods", listen, target)
	if err := a.startLogServer(fwdCtx); err != nil {
		// kubectl logs will not work, but pods still run.
		log.Printf("log server on port %d: %v", kubeletPort, err)
	}

	keeper := &nodeKeeper{client: a.client, name: a.cfg.NodeName, hostIP: a.cfg.bridgeIP()}
	for {
		err := keeper.register(ctx)
		if err == nil {
			break
		}
		log.Printf("registering node %s: %v", a.cfg.NodeName, err)
		if !sleepCtx(ctx, time.Second) {
			return nil
		}
	}
	go keeper.run(ctx)

	factory := informers.NewSharedInformerFactoryWithOptions(a.client, 0,
		informers.WithTweakListOptions(func(o *metav1.ListOptions) {
			o.FieldSelector = fields.OneTermEqualSelector("spec.nodeName", a.cfg.NodeName).String()
		}))
	podInformer := factory.Core().V1().Pods().Informer()
	_, err = podInformer.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    func(obj any) { a.podChanged(ctx, obj) },
		UpdateFunc: func(_, obj any) { a.podChanged(ctx, obj) },
		DeleteFunc: func(obj any) { a.podRemoved(obj) },
	})
	if err != nil {
		return err
	}
	factory.Start(ctx.Done())
	if !cache.WaitForCacheSync(ctx.Done(), podInformer.HasSynced) {
		return nil
	}
	log.Printf("node %s: watching its pods", a.cfg.NodeName)
	<-ctx.Done()
	factory.Shutdown()
	a.wg.Wait()
	stopFwd()
	fwd.Wait()
	log.Printf("node %s: stopped", a.cfg.NodeName)
	return nil
}

// podChanged hands a pod to its worker, starting one for a pod seen for the first time.
func (a *Agent) podChanged(ctx context.Context, obj any) {
	pod, ok := obj.(*corev1.Pod)
	if !ok {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if w, ok := a.workers[pod.UID]; ok {
		w.update(pod)
		return
	}
	if a.finished[pod.UID] || ctx.Err() != nil {
		return
	}
	w := newPodWorker(a, pod)
	a.workers[pod.UID] = w
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		if !w.run(ctx) {
			w.shutdown()
		}
		a.mu.Lock()
		delete(a.workers, pod.UID)
		a.finished[pod.UID] = true
		a.mu.Unlock()
	}()
}

// podRemoved tells a pod's worker that the pod is gone from the API.
func (a *Agent) podRemoved(obj any) {
	if tomb, ok := obj.(cache.DeletedFinalStateUnknown); ok {
		obj = tomb.Obj
	}
	pod, ok := obj.(*corev1.Pod)
	if !ok {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if w, ok := a.workers[pod.UID]; ok {
		w.markGone()
	}
}

// shutdown stops the pod's processes within the agent's shutdown grace and removes its
// sandbox; the pod's status is left for the next agent to pick up.
func (w *podWorker) shutdown() {
	pod, _ := w.snapshot()
	grace := terminationGrace(pod)
	if grace > shutdownGrace {
		grace = shutdownGrace
	}
	w.stopAll(grace)
	deadline := time.Now().Add(grace + 2*time.Second)
	for w.anyRunning() && time.Now().Before(deadline) {
		select {
		case <-w.wakeCh:
		case <-time.After(100 * time.Millisecond):
		}
	}
	w.teardown(pod)
	w.logf(pod, "stopped with the node agent")
}
