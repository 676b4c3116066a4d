package nodeagent

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ownedConditions are the pod conditions the node reports; others (PodScheduled,
// DisruptionTarget, ...) belong to other components and are kept as they are.
var ownedConditions = map[corev1.PodConditionType]bool{
	corev1.PodReadyToStartContainers: true, corev1.PodInitialized: true,
	corev1.ContainersReady: true, corev1.PodReady: true,
}

// buildStatus renders the pod's status from the worker's state.
func (w *podWorker) buildStatus(pod *corev1.Pod, now time.Time) corev1.PodStatus {
	st := corev1.PodStatus{
		QOSClass:           pod.Status.QOSClass,
		NominatedNodeName:  pod.Status.NominatedNodeName,
		StartTime:          w.startTime,
		Reason:             w.reason,
		Message:            w.message,
		HostIP:             w.agent.cfg.bridgeIP(),
		HostIPs:            []corev1.HostIP{{IP: w.agent.cfg.bridgeIP()}},
		ObservedGeneration: pod.Generation,
	}
	if st.QOSClass == "" {
		st.QOSClass = QOSClass(&pod.Spec)
	}
	if w.podIP != "" {
		st.PodIP, st.PodIPs = w.podIP, []corev1.PodIP{{IP: w.podIP}}
	}
	for i := range pod.Spec.InitContainers {
		spec := &pod.Spec.InitContainers[i]
		st.InitContainerStatuses = append(st.InitContainerStatuses,
			w.containers[spec.Name].status(spec, w.imageID(spec.Image), false, now))
	}
	for i := range pod.Spec.Containers {
		spec := &pod.Spec.Containers[i]
		s := w.containers[spec.Name].status(spec, w.imageID(spec.Image), !w.initialized, now)
		if w.volumeErr != "" && s.State.Waiting != nil && s.State.Waiting.Reason == "ContainerCreating" {
			s.State.Waiting.Message = w.volumeErr
		}
		st.ContainerStatuses = append(st.ContainerStatuses, s)
	}
	st.Phase = PodPhase(&pod.Spec, st.InitContainerStatuses, st.ContainerStatuses, w.terminal)
	if w.reason == "DeadlineExceeded" && w.terminal {
		st.Phase = corev1.PodFailed
	}
	if old := pod.Status.Phase; old == corev1.PodSucceeded || old == corev1.PodFailed {
		st.Phase = old // a terminal phase never changes
	}
	st.Conditions = w.conditions(pod, &st, now)
	return st
}

// conditions computes the node-owned conditions, keeping transition times that did not
// change, and carries over everyone else's.
func (w *podWorker) conditions(pod *corev1.Pod, st *corev1.PodStatus, now time.Time) []corev1.PodCondition {
	terminal := st.Phase == corev1.PodSucceeded || st.Phase == corev1.PodFailed
	var unready, uninitialised []string
	for _, s := range st.InitContainerStatuses {
		c := w.containers[s.Name]
		switch {
		case c.kind == kindSidecar && !s.Ready:
			unready = append(unready, s.Name)
			if !(s.Started != nil && *s.Started) && !w.initialized {
				uninitialised = append(uninitialised, s.Name)
			}
		case c.kind == kindInit && !(s.State.Terminated != nil && s.State.Terminated.ExitCode == 0):
			uninitialised = append(uninitialised, s.Name)
		}
	}
	for _, s := range st.ContainerStatuses {
		if !s.Ready {
			unready = append(unready, s.Name)
		}
	}
	mk := func(t corev1.PodConditionType, ok bool, reason, msg string) corev1.PodCondition {
		c := corev1.PodCondition{Type: t, Status: corev1.ConditionFalse, Reason: reason, Message: msg,
			ObservedGeneration: pod.Generation}
		if ok {
			c.Status, c.Reason, c.Message = corev1.ConditionTrue, "", ""
		}
		return c
	}
	list := func(names []string) string { return "[" + strings.Join(names, " ") + "]" }
	readyReason := "ContainersNotReady"
	if terminal {
		readyReason = "PodCompleted"
	}
	containersReady := len(unready) == 0 && !terminal
	podReady := containersReady
	for _, gate := range pod.Spec.ReadinessGates {
		found := false
		for _, c := range pod.Status.Conditions {
			found = found || (c.Type == gate.ConditionType && c.Status == corev1.ConditionTrue)
		}
		podReady = podReady && found
	}
	initialized := w.initialized || w.wasTerminal
	initReason := "ContainersNotInitialized"
	if terminal && initialized {
		initReason = "PodCompleted"
	}
	owned := []corev1.PodCondition{
		mk(corev1.PodReadyToStartContainers, w.sandboxUp, "", ""),
		mk(corev1.PodInitialized, initialized || len(uninitialised) == 0, initReason,
			"containers with incomplete status: "+list(uninitialised)),
		mk(corev1.ContainersReady, containersReady, readyReason, "containers with unready status: "+list(unready)),
		mk(corev1.PodReady, podReady, readyReason, "containers with unready status: "+list(unready)),
	}
	var out []corev1.PodCondition
	for _, c := range pod.Status.Conditions {
		if !ownedConditions[c.Type] {
			out = append(out, c)
		}
	}
	for _, c := range owned {
		c.LastTransitionTime = metav1.NewTime(now)
		for _, old := range pod.Status.Conditions {
			if old.Type == c.Type && old.Status == c.Status {
				c.LastTransitionTime = old.LastTransitionTime
			}
		}
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool { return conditionOrder(out[i].Type) < conditionOrder(out[j].Type) })
	return out
}

func conditionOrder(t corev1.PodConditionType) int {
	for i, o := range []corev1.PodConditionType{corev1.PodReadyToStartContainers, corev1.PodInitialized,
		corev1.PodReady, corev1.ContainersReady, corev1.PodScheduled} {
		if t == o {
			return i
		}
	}
	return 100
}

// imageID names the image's entry in the map by its content, as a digest would.
func (w *podWorker) imageID(image string) string {
	entry, ok, _ := w.agent.images.Lookup(image)
	if !ok {
		return ""
	}
	data, _ := json.Marshal(entry)
	sum := sha256.Sum256(data)
	return "testbed://" + image + "@sha256:" + hex.EncodeToString(sum[:])
}

// postStatus sends the pod's status when it differs from what was last sent.
func (w *podWorker) postStatus(ctx context.Context, pod *corev1.Pod) {
	st := w.buildStatus(pod, time.Now())
	// Compared as JSON: that is what the API stores, with times in whole seconds.
	if w.lastPosted != nil && sameJSON(*w.lastPosted, st) {
		return
	}
	w.postFailed = true // until an update goes through
	pods := w.agent.client.CoreV1().Pods(pod.Namespace)
	current := pod
	for attempt := 0; attempt < 3; attempt++ {
		if attempt > 0 {
			fresh, err := pods.Get(ctx, pod.Name, metav1.GetOptions{})
			if err != nil {
				w.logChange(pod, "status", err.Error())
				return
			}
			if fresh.UID != pod.UID {
				w.postFailed = false // a new pod of the same name: this one is gone
				return
			}
			current = fresh
			st = w.buildStatus(current, time.Now())
		}
		updated := current.DeepCopy()
		updated.Status = st
		_, err := pods.UpdateStatus(ctx, updated, metav1.UpdateOptions{})
		if err == nil {
			if w.lastPosted == nil || w.lastPosted.Phase != st.Phase {
				w.logf(pod, "phase %s", st.Phase)
			}
			w.lastPosted, w.postFailed = &st, false
			w.logChange(pod, "status", "")
			return
		}
		if !apierrors.IsConflict(err) {
			w.logChange(pod, "status", err.Error())
			return
		}
	}
}

func sameJSON(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}
