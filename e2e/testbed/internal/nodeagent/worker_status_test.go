package nodeagent

import (
	"os"
	"path/filepath"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

func testAgent(t *testing.T) *Agent {
	t.Helper()
	images := filepath.Join(t.TempDir(), "images.json")
	if err := os.WriteFile(images, []byte(`{"images": {"testbed/sh:1": {"entrypoint": ["/bin/sh", "-c"]}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	return &Agent{cfg: Config{BridgeCIDR: "198.18.0.1/16", ImagesFile: images}, images: newImageCatalog(images)}
}

// runningContainer is a container whose process is alive and whose probes say ready.
func runningContainer(name string, kind containerKind, ready bool) *containerRun {
	return &containerRun{name: name, kind: kind, everStarted: true, id: "abc",
		proc:   &process{done: make(chan struct{})},
		probes: &probeSet{cancel: func() {}, wake: func() {}, started: true, ready: ready}}
}

func finishedContainer(name string, kind containerKind, code int32) *containerRun {
	c := &containerRun{name: name, kind: kind, everStarted: true, stopping: true}
	c.recordExit(corev1.ContainerStateTerminated{ExitCode: code}, corev1.RestartPolicyNever, t0)
	return c
}

func statusPod() *corev1.Pod {
	pod := testPod()
	pod.Spec.RestartPolicy = corev1.RestartPolicyNever
	pod.Spec.InitContainers = []corev1.Container{sidecar("proxy")}
	pod.Spec.InitContainers[0].Image = "testbed/sh:1"
	pod.Spec.Containers = []corev1.Container{{Name: "main", Image: "testbed/sh:1"}}
	return pod
}

func condition(st corev1.PodStatus, t corev1.PodConditionType) corev1.PodCondition {
	for _, c := range st.Conditions {
		if c.Type == t {
			return c
		}
	}
	return corev1.PodCondition{}
}

func TestPodIsReadyWhenMainContainerAndSidecarAreReady(t *testing.T) {
	w := &podWorker{agent: testAgent(t), initialized: true, sandboxUp: true, podIP: "198.18.0.9",
		containers: map[string]*containerRun{
			"proxy": runningContainer("proxy", kindSidecar, true),
			"main":  runningContainer("main", kindMain, true),
		}}
	st := w.buildStatus(statusPod(), t0)
	if st.Phase != corev1.PodRunning || condition(st, corev1.PodReady).Status != corev1.ConditionTrue ||
		condition(st, corev1.PodInitialized).Status != corev1.ConditionTrue {
		t.Fatalf("phase %s, conditions %+v", st.Phase, st.Conditions)
	}
	if st.PodIP != "198.18.0.9" || st.HostIP != "198.18.0.1" {
		t.Fatalf("podIP %q hostIP %q", st.PodIP, st.HostIP)
	}
}

func TestPodIsNotReadyWhileSidecarIsUnready(t *testing.T) {
	w := &podWorker{agent: testAgent(t), initialized: true, sandboxUp: true,
		containers: map[string]*containerRun{
			"proxy": runningContainer("proxy", kindSidecar, false),
			"main":  runningContainer("main", kindMain, true),
		}}
	st := w.buildStatus(statusPod(), t0)
	if c := condition(st, corev1.ContainersReady); c.Status != corev1.ConditionFalse || c.Reason != "ContainersNotReady" {
		t.Fatalf("ContainersReady = %+v", c)
	}
}

func TestFinishedPodIsSucceededWithPodCompletedConditions(t *testing.T) {
	w := &podWorker{agent: testAgent(t), initialized: true, terminal: true,
		containers: map[string]*containerRun{
			"proxy": finishedContainer("proxy", kindSidecar, 143),
			"main":  finishedContainer("main", kindMain, 0),
		}}
	st := w.buildStatus(statusPod(), t0)
	if st.Phase != corev1.PodSucceeded {
		t.Fatalf("phase = %s, want Succeeded", st.Phase)
	}
	if c := condition(st, corev1.PodReady); c.Status != corev1.ConditionFalse || c.Reason != "PodCompleted" {
		t.Fatalf("Ready = %+v", c)
	}
	if c := condition(st, corev1.PodReadyToStartContainers); c.Status != corev1.ConditionFalse {
		t.Fatalf("PodReadyToStartContainers = %+v after the sandbox went", c)
	}
}

func TestDeadlineExceededPodIsFailedWithReason(t *testing.T) {
	w := &podWorker{agent: testAgent(t), initialized: true, terminal: true, reason: "DeadlineExceeded",
		containers: map[string]*containerRun{
			"proxy": finishedContainer("proxy", kindSidecar, 143),
			"main":  finishedContainer("main", kindMain, 0),
		}}
	st := w.buildStatus(statusPod(), t0)
	if st.Phase != corev1.PodFailed || st.Reason != "DeadlineExceeded" {
		t.Fatalf("phase %s reason %q", st.Phase, st.Reason)
	}
}

func TestTerminalPhaseNeverChanges(t *testing.T) {
	pod := statusPod()
	pod.Status.Phase = corev1.PodFailed
	w := &podWorker{agent: testAgent(t), containers: map[string]*containerRun{
		"proxy": runningContainer("proxy", kindSidecar, true),
		"main":  runningContainer("main", kindMain, true),
	}}
	if st := w.buildStatus(pod, t0); st.Phase != corev1.PodFailed {
		t.Fatalf("phase = %s, want Failed kept", st.Phase)
	}
}

func TestImageIDNamesTheImageMapEntry(t *testing.T) {
	w := &podWorker{agent: testAgent(t), containers: map[string]*containerRun{
		"proxy": runningContainer("proxy", kindSidecar, true),
		"main":  runningContainer("main", kindMain, true),
	}}
	st := w.buildStatus(statusPod(), t0)
	if id := st.ContainerStatuses[0].ImageID; len(id) < len("testbed://testbed/sh:1@sha256:") {
		t.Fatalf("imageID = %q", id)
	}
}
