package nodeagent

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
)

func running(name string) corev1.ContainerStatus {
	return corev1.ContainerStatus{Name: name, State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}},
		Started: ptrTo(true)}
}

func exited(name string, code int32) corev1.ContainerStatus {
	return corev1.ContainerStatus{Name: name, State: corev1.ContainerState{
		Terminated: &corev1.ContainerStateTerminated{ExitCode: code}}}
}

func waitingFor(name, reason string) corev1.ContainerStatus {
	return corev1.ContainerStatus{Name: name, State: corev1.ContainerState{
		Waiting: &corev1.ContainerStateWaiting{Reason: reason}}}
}

func crashLooping(name string, code int32) corev1.ContainerStatus {
	s := waitingFor(name, "CrashLoopBackOff")
	s.LastTerminationState.Terminated = &corev1.ContainerStateTerminated{ExitCode: code}
	return s
}

func podSpec(policy corev1.RestartPolicy, init []corev1.Container, main ...string) *corev1.PodSpec {
	spec := &corev1.PodSpec{RestartPolicy: policy, InitContainers: init}
	for _, n := range main {
		spec.Containers = append(spec.Containers, corev1.Container{Name: n})
	}
	return spec
}

func sidecar(name string) corev1.Container {
	return corev1.Container{Name: name, RestartPolicy: ptrTo(corev1.ContainerRestartPolicyAlways)}
}

func TestPhaseIsPendingWhileContainersWait(t *testing.T) {
	spec := podSpec(corev1.RestartPolicyNever, nil, "a")
	got := PodPhase(spec, nil, []corev1.ContainerStatus{waitingFor("a", "ContainerCreating")}, false)
	if got != corev1.PodPending {
		t.Fatalf("phase = %s, want Pending", got)
	}
}

func TestPhaseIsPendingWhileRegularInitContainerRuns(t *testing.T) {
	spec := podSpec(corev1.RestartPolicyNever, []corev1.Container{{Name: "init"}}, "a")
	got := PodPhase(spec, []corev1.ContainerStatus{running("init")},
		[]corev1.ContainerStatus{waitingFor("a", "PodInitializing")}, false)
	if got != corev1.PodPending {
		t.Fatalf("phase = %s, want Pending", got)
	}
}

func TestPhaseIsFailedWhenInitContainerFailsUnderNever(t *testing.T) {
	spec := podSpec(corev1.RestartPolicyNever, []corev1.Container{{Name: "init"}}, "a")
	got := PodPhase(spec, []corev1.ContainerStatus{exited("init", 1)},
		[]corev1.ContainerStatus{waitingFor("a", "PodInitializing")}, false)
	if got != corev1.PodFailed {
		t.Fatalf("phase = %s, want Failed", got)
	}
}

func TestPhaseIsPendingWhenInitContainerFailsUnderOnFailure(t *testing.T) {
	spec := podSpec(corev1.RestartPolicyOnFailure, []corev1.Container{{Name: "init"}}, "a")
	got := PodPhase(spec, []corev1.ContainerStatus{crashLooping("init", 1)},
		[]corev1.ContainerStatus{waitingFor("a", "PodInitializing")}, false)
	if got != corev1.PodPending {
		t.Fatalf("phase = %s, want Pending", got)
	}
}

func TestPhaseIsRunningWithOneContainerRunning(t *testing.T) {
	spec := podSpec(corev1.RestartPolicyNever, nil, "a", "b")
	got := PodPhase(spec, nil, []corev1.ContainerStatus{running("a"), exited("b", 0)}, false)
	if got != corev1.PodRunning {
		t.Fatalf("phase = %s, want Running", got)
	}
}

func TestPhaseIsSucceededWhenAllExitZeroUnderNever(t *testing.T) {
	spec := podSpec(corev1.RestartPolicyNever, nil, "a", "b")
	got := PodPhase(spec, nil, []corev1.ContainerStatus{exited("a", 0), exited("b", 0)}, false)
	if got != corev1.PodSucceeded {
		t.Fatalf("phase = %s, want Succeeded", got)
	}
}

func TestPhaseIsFailedWhenOneFailsUnderNever(t *testing.T) {
	spec := podSpec(corev1.RestartPolicyNever, nil, "a", "b")
	got := PodPhase(spec, nil, []corev1.ContainerStatus{exited("a", 0), exited("b", 2)}, false)
	if got != corev1.PodFailed {
		t.Fatalf("phase = %s, want Failed", got)
	}
}

func TestPhaseStaysRunningWhileOnFailureRestarts(t *testing.T) {
	spec := podSpec(corev1.RestartPolicyOnFailure, nil, "a")
	got := PodPhase(spec, nil, []corev1.ContainerStatus{crashLooping("a", 1)}, false)
	if got != corev1.PodRunning {
		t.Fatalf("phase = %s, want Running", got)
	}
}

func TestPhaseStaysRunningUnderAlwaysAfterSuccess(t *testing.T) {
	spec := podSpec(corev1.RestartPolicyAlways, nil, "a")
	got := PodPhase(spec, nil, []corev1.ContainerStatus{exited("a", 0)}, false)
	if got != corev1.PodRunning {
		t.Fatalf("phase = %s, want Running", got)
	}
}

func TestPhaseIsFailedWhenTerminalPodHasFailure(t *testing.T) {
	spec := podSpec(corev1.RestartPolicyAlways, nil, "a")
	got := PodPhase(spec, nil, []corev1.ContainerStatus{exited("a", 137)}, true)
	if got != corev1.PodFailed {
		t.Fatalf("phase = %s, want Failed", got)
	}
}

func TestPhaseStaysRunningWhileSidecarOutlivesMainContainers(t *testing.T) {
	spec := podSpec(corev1.RestartPolicyNever, []corev1.Container{sidecar("proxy")}, "a")
	got := PodPhase(spec, []corev1.ContainerStatus{running("proxy")}, []corev1.ContainerStatus{exited("a", 0)}, false)
	if got != corev1.PodRunning {
		t.Fatalf("phase = %s, want Running", got)
	}
}

func TestPhaseIsSucceededOnceSidecarStoppedAfterMainContainers(t *testing.T) {
	spec := podSpec(corev1.RestartPolicyNever, []corev1.Container{sidecar("proxy")}, "a")
	got := PodPhase(spec, []corev1.ContainerStatus{exited("proxy", 143)}, []corev1.ContainerStatus{exited("a", 0)}, true)
	if got != corev1.PodSucceeded {
		t.Fatalf("phase = %s, want Succeeded", got)
	}
}

func TestPhaseIsPendingUntilSidecarStarted(t *testing.T) {
	spec := podSpec(corev1.RestartPolicyNever, []corev1.Container{sidecar("proxy")}, "a")
	notStarted := running("proxy")
	notStarted.Started = ptrTo(false)
	got := PodPhase(spec, []corev1.ContainerStatus{notStarted},
		[]corev1.ContainerStatus{waitingFor("a", "PodInitializing")}, false)
	if got != corev1.PodPending {
		t.Fatalf("phase = %s, want Pending", got)
	}
}

func TestRegularInitContainerIsNotRestartedAfterSuccess(t *testing.T) {
	if shouldRestart(corev1.RestartPolicyAlways, kindInit, 0) {
		t.Fatal("a succeeded init container must not run again")
	}
}

func TestOnFailureRestartsOnlyFailedContainers(t *testing.T) {
	if shouldRestart(corev1.RestartPolicyOnFailure, kindMain, 0) || !shouldRestart(corev1.RestartPolicyOnFailure, kindMain, 1) {
		t.Fatal("OnFailure restarts exactly the containers that failed")
	}
}

func TestSidecarRestartsEvenUnderNever(t *testing.T) {
	if !shouldRestart(corev1.RestartPolicyNever, kindSidecar, 0) {
		t.Fatal("a sidecar restarts whatever the pod's policy")
	}
}
