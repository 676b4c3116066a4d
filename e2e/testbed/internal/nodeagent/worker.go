package nodeagent

import (
	"context"
	"log"
	"net/netip"
	"os"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// syncInterval bounds how late timers (back-off, deadlines, image map changes) are noticed.
const syncInterval = time.Second

// podWorker runs one pod: its sandbox, volumes and containers, and reports its status.
// Everything but the latest pod object and the gone flag is owned by its goroutine.
type podWorker struct {
	agent  *Agent
	uid    types.UID
	wakeCh chan struct{}

	mu   sync.Mutex
	pod  *corev1.Pod // latest from the informer; guarded by mu
	gone bool        // the pod was removed from the API; guarded by mu

	containers  map[string]*containerRun
	sandbox     *sandboxRecord
	sandboxUp   bool // the pod's network is ready (its own namespace, or the host's)
	podIP       string
	volumes     *podVolumes
	volumeErr   string
	startTime   *metav1.Time
	initialized bool
	windingDown bool   // nothing starts any more; running containers are being stopped
	reason      string // pod status reason when the agent ended the pod (DeadlineExceeded)
	message     string
	terminal    bool // every container has stopped and the sandbox is gone
	tornDown    bool
	deleting    bool
	wasTerminal bool // the pod was already over when this agent first saw it
	lastPosted  *corev1.PodStatus
	postFailed  bool              // the last status update failed and must be retried
	lastLog     map[string]string // last logged message per topic, to log changes only
}

func newPodWorker(a *Agent, pod *corev1.Pod) *podWorker {
	return &podWorker{agent: a, uid: pod.UID, pod: pod, wakeCh: make(chan struct{}, 1),
		lastLog: map[string]string{}}
}

// update hands the worker a newer pod object.
func (w *podWorker) update(pod *corev1.Pod) {
	w.mu.Lock()
	w.pod = pod
	w.mu.Unlock()
	w.wake()
}

// markGone tells the worker the pod no longer exists in the API.
func (w *podWorker) markGone() {
	w.mu.Lock()
	w.gone = true
	w.mu.Unlock()
	w.wake()
}

func (w *podWorker) wake() {
	select {
	case w.wakeCh <- struct{}{}:
	default:
	}
}

func (w *podWorker) snapshot() (*corev1.Pod, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.pod, w.gone
}

// run syncs the pod until it is gone from the API (true) or ctx ends (false; the agent is
// shutting down and the caller stops the pod's processes).
func (w *podWorker) run(ctx context.Context) bool {
	ticker := time.NewTicker(syncInterval)
	defer ticker.Stop()
	for {
		if w.sync(ctx) {
			return true
		}
		// A finished pod has no timers left; only its deletion (a wake) matters.
		tick := ticker.C
		if (w.terminal || w.wasTerminal) && !w.postFailed {
			tick = nil
		}
		select {
		case <-ctx.Done():
			return false
		case <-w.wakeCh:
		case <-tick:
		}
	}
}

// logf logs one line about the pod.
func (w *podWorker) logf(pod *corev1.Pod, format string, args ...any) {
	log.Printf("pod %s/%s (%s): "+format, append([]any{pod.Namespace, pod.Name, pod.UID}, args...)...)
}

// logChange logs msg under topic only when it differs from the last one logged there.
func (w *podWorker) logChange(pod *corev1.Pod, topic, msg string) {
	if w.lastLog[topic] != msg {
		w.lastLog[topic] = msg
		if msg != "" {
			w.logf(pod, "%s: %s", topic, msg)
		}
	}
}

// sync moves the pod one step towards what its spec asks; true once the worker is done.
func (w *podWorker) sync(ctx context.Context) bool {
	pod, gone := w.snapshot()
	now := time.Now()
	if w.containers == nil {
		w.restore(pod, now)
	}
	w.reap(pod, now)

	if gone {
		w.stopAll(0)
		if w.anyRunning() {
			return false
		}
		w.teardown(pod)
		w.logf(pod, "removed from the API; stopped")
		return true
	}
	if pod.DeletionTimestamp != nil {
		return w.syncDeletion(ctx, pod)
	}
	if w.wasTerminal {
		return false
	}
	if w.terminal {
		w.postStatus(ctx, pod)
		return false
	}

	grace := terminationGrace(pod)
	if ads := pod.Spec.ActiveDeadlineSeconds; ads != nil && w.startTime != nil && !w.windingDown &&
		now.Sub(w.startTime.Time) >= time.Duration(*ads)*time.Second {
		w.reason, w.message = "DeadlineExceeded", "Pod was active on the node longer than the specified deadline"
		w.windingDown = true
		w.logf(pod, "active deadline of %ds exceeded; stopping", *ads)
	}
	if !w.windingDown {
		w.advance(ctx, pod, now)
	}
	if w.windingDown {
		w.stopAll(grace)
		if !w.anyRunning() {
			w.terminal = true
			w.teardown(pod)
			w.logf(pod, "all containers stopped")
		}
	}
	w.postStatus(ctx, pod)
	return false
}

// advance prepares the sandbox and volumes and starts what may start now.
func (w *podWorker) advance(ctx context.Context, pod *corev1.Pod, now time.Time) {
	if w.startTime == nil {
		t := metav1.NewTime(now)
		w.startTime = &t
	}
	if err := w.ensureSandbox(pod); err != nil {
		w.logChange(pod, "sandbox", err.Error())
		return
	}
	if err := w.volumes.Prepare(ctx, pod, now); err != nil {
		w.volumeErr = err.Error()
		w.logChange(pod, "volumes", w.volumeErr)
		return
	}
	w.volumeErr = ""
	w.logChange(pod, "volumes", "")

	if !w.initialized {
		initialized, initFailed := w.runInitContainers(ctx, pod, now)
		if initFailed {
			w.logf(pod, "an init container failed and restartPolicy is Never; stopping")
			w.windingDown = true
			return
		}
		if !initialized {
			return
		}
		w.initialized = true
		w.logf(pod, "initialized")
	}
	for i := range pod.Spec.InitContainers {
		c := w.containers[pod.Spec.InitContainers[i].Name]
		if c.kind == kindSidecar && c.restartDue && !now.Before(c.nextStart) {
			w.start(ctx, pod, &pod.Spec.InitContainers[i], c, now)
		}
	}
	allFinished := true
	for i := range pod.Spec.Containers {
		spec := &pod.Spec.Containers[i]
		c := w.containers[spec.Name]
		if !c.running() && ((!c.everStarted && c.lastExit == nil) || (c.restartDue && !now.Before(c.nextStart))) {
			w.start(ctx, pod, spec, c, now)
		}
		allFinished = allFinished && c.finished()
	}
	if allFinished {
		// Sidecars are stopped once every main container is done, so a Job's pod ends.
		if w.anyRunning() {
			w.logf(pod, "all main containers finished; stopping sidecars")
		}
		w.windingDown = true
	}
}

// runInitContainers starts the next init container when its turn has come: regular ones
// after the previous one succeeded, sidecars after the previous one started (and, when it
// has a readiness probe, became ready). It reports whether initialisation is complete and
// whether it failed for good.
func (w *podWorker) runInitContainers(ctx context.Context, pod *corev1.Pod, now time.Time) (done, failed bool) {
	for i := range pod.Spec.InitContainers {
		spec := &pod.Spec.InitContainers[i]
		c := w.containers[spec.Name]
		if c.kind == kindSidecar {
			switch {
			case c.running() && c.probes != nil && c.probes.Started() &&
				(spec.ReadinessProbe == nil || c.probes.Ready()):
				// A sidecar with a readiness probe gates the containers after it until it is
				// ready, so a main container does not race its sidecar's start-up.
				continue
			case c.running():
				return false, false
			case !c.everStarted || (c.restartDue && !now.Before(c.nextStart)):
				w.start(ctx, pod, spec, c, now)
				return false, false
			case c.everStarted:
				continue // crashed after starting; it restarts on its own back-off
			}
			return false, false
		}
		switch {
		case c.succeeded():
			continue
		case c.running():
			return false, false
		case c.lastExit != nil && !c.restartDue:
			return false, true
		case !c.everStarted || !now.Before(c.nextStart):
			w.start(ctx, pod, spec, c, now)
		}
		return false, false
	}
	return true, false
}

// syncDeletion stops everything within the grace period, then deletes the pod object
// with a zero grace period and a UID precondition, as the kubelet does.
func (w *podWorker) syncDeletion(ctx context.Context, pod *corev1.Pod) bool {
	if !w.deleting {
		w.deleting = true
		w.windingDown = true
		w.logf(pod, "deletion requested; stopping containers (grace %s)", deletionGrace(pod))
	}
	w.stopAll(deletionGrace(pod))
	if w.anyRunning() {
		return false
	}
	w.teardown(pod)
	if !w.wasTerminal {
		w.terminal = true
		w.postStatus(ctx, pod)
	}
	err := w.agent.client.CoreV1().Pods(pod.Namespace).Delete(ctx, pod.Name, metav1.DeleteOptions{
		GracePeriodSeconds: ptrTo(int64(0)),
		Preconditions:      &metav1.Preconditions{UID: &pod.UID},
	})
	if err != nil && !apierrors.IsNotFound(err) && !apierrors.IsConflict(err) {
		w.logChange(pod, "delete", err.Error())
		return false
	}
	w.logf(pod, "deleted")
	return true
}

// stopAll asks every running container to stop within grace.
func (w *podWorker) stopAll(grace time.Duration) {
	for _, c := range w.containers {
		c.restartDue = false
		if c.running() && !c.stopping {
			c.stopping = true
			c.proc.stop(grace)
		}
	}
}

func (w *podWorker) anyRunning() bool {
	for _, c := range w.containers {
		if c.running() {
			return true
		}
	}
	return false
}

// ensureSandbox gives the pod its network namespace and address once.
func (w *podWorker) ensureSandbox(pod *corev1.Pod) error {
	if w.sandboxUp {
		return nil
	}
	a := w.agent
	w.volumes = &podVolumes{dir: a.layout.volumesDir(pod.UID), objects: a.objects, tokens: a.tokens,
		isNotFound: apierrors.IsNotFound, caData: a.caData}
	if pod.Spec.HostNetwork {
		w.podIP, w.sandboxUp = a.cfg.bridgeIP(), true
		return os.MkdirAll(a.layout.podDir(pod.UID), 0o755)
	}
	ip, err := a.allocateIP(string(pod.UID))
	if err != nil {
		return err
	}
	rec := sandboxRecord{UID: pod.UID, Netns: netnsName(pod.UID), Veth: vethName(pod.UID), IP: ip.String()}
	if err := createSandbox(a.layout, rec, a.ipam.Bits(), a.ipam.Gateway()); err != nil {
		destroySandbox(rec)
		a.releaseIP(ip)
		return err
	}
	w.sandbox, w.podIP, w.sandboxUp = &rec, rec.IP, true
	w.logf(pod, "sandbox %s ready with IP %s", rec.Netns, rec.IP)
	return nil
}

// teardown removes the pod's sandbox, address and state; its logs stay.
func (w *podWorker) teardown(pod *corev1.Pod) {
	if w.tornDown {
		return
	}
	w.tornDown, w.sandboxUp = true, false
	for _, c := range w.containers {
		if c.probes != nil {
			c.probes.Stop()
			c.probes = nil
		}
		removeCgroup(c.cgroup)
	}
	if w.sandbox != nil {
		destroySandbox(*w.sandbox)
		if ip, err := netip.ParseAddr(w.sandbox.IP); err == nil {
			w.agent.releaseIP(ip)
		}
		w.sandbox = nil
	}
	_ = os.RemoveAll(w.agent.layout.podDir(pod.UID))
}

// terminationGrace is the pod's terminationGracePeriodSeconds (default 30 s).
func terminationGrace(pod *corev1.Pod) time.Duration {
	if g := pod.Spec.TerminationGracePeriodSeconds; g != nil {
		return time.Duration(*g) * time.Second
	}
	return 30 * time.Second
}

// deletionGrace is the grace period the deletion asked for.
func deletionGrace(pod *corev1.Pod) time.Duration {
	if g := pod.DeletionGracePeriodSeconds; g != nil {
		return time.Duration(*g) * time.Second
	}
	return terminationGrace(pod)
}
