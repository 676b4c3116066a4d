package nodeagent

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

const defaultTerminationMessagePath = "/dev/termination-log"

// restore creates the container records, rebuilding their history from the status a
// previous agent posted, so restart counts and finished init containers carry over.
func (w *podWorker) restore(pod *corev1.Pod, now time.Time) {
	w.containers = map[string]*containerRun{}
	w.wasTerminal = pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed
	if pod.Status.StartTime != nil {
		t := *pod.Status.StartTime
		w.startTime = &t
	}
	add := func(spec *corev1.Container, kind containerKind, statuses []corev1.ContainerStatus) {
		c := &containerRun{name: spec.Name, kind: kind}
		if s, ok := findStatus(statuses, spec.Name); ok && !w.wasTerminal {
			c.restore(s, pod.Spec.RestartPolicy, now)
		}
		w.containers[spec.Name] = c
	}
	for i := range pod.Spec.InitContainers {
		kind := kindInit
		if isSidecar(&pod.Spec.InitContainers[i]) {
			kind = kindSidecar
		}
		add(&pod.Spec.InitContainers[i], kind, pod.Status.InitContainerStatuses)
	}
	for i := range pod.Spec.Containers {
		add(&pod.Spec.Containers[i], kindMain, pod.Status.ContainerStatuses)
	}
	if w.wasTerminal {
		w.logf(pod, "already %s; nothing to run", pod.Status.Phase)
	}
}

// reap records the exits of containers whose processes have ended.
func (w *podWorker) reap(pod *corev1.Pod, now time.Time) {
	for _, spec := range allContainers(pod) {
		c := w.containers[spec.Name]
		if c == nil || c.proc == nil || !c.proc.exited() {
			continue
		}
		code, sig := exitStatus(c.proc.state)
		reason := "Completed"
		if code != 0 {
			reason = "Error"
		}
		message := w.terminationMessage(c, spec, code != 0)
		if OOMKilled(c.cgroup) {
			reason = "OOMKilled"
		}
		if code == exitStartFailure {
			if msg, err := os.ReadFile(c.base.StartErrorFile); err == nil && len(msg) > 0 {
				reason, message = "StartError", string(msg)
			}
		}
		removeCgroup(c.cgroup)
		c.cgroup = ""
		t := corev1.ContainerStateTerminated{
			ExitCode: code, Signal: sig, Reason: reason,
			Message:     message,
			StartedAt:   metav1.NewTime(c.startedAt),
			FinishedAt:  metav1.NewTime(now),
			ContainerID: "testbed://" + c.id,
		}
		if w.windingDown {
			c.stopping = true
		}
		c.recordExit(t, pod.Spec.RestartPolicy, now)
		w.logf(pod, "container %s exited with code %d (%s)", spec.Name, code, reason)
	}
}

// terminationMessage reads the run's terminationMessagePath file (and log, if the policy
// falls back to it).
func (w *podWorker) terminationMessage(c *containerRun, spec *corev1.Container, failed bool) string {
	file := readCapped(c.termFile, 0, maxTerminationMessageBytes)
	var tail []byte
	if len(file) == 0 && failed && spec.TerminationMessagePolicy == corev1.TerminationMessageFallbackToLogsOnError {
		tail = readTail(c.logPath, maxFallbackLogBytes)
	}
	return TerminationMessage(file, tail, spec.TerminationMessagePolicy, failed)
}

// start runs one attempt of a container. When the image, a referenced object or the
// process cannot be had, the container is left waiting with the kubelet's reason.
func (w *podWorker) start(ctx context.Context, pod *corev1.Pod, spec *corev1.Container, c *containerRun, now time.Time) {
	a := w.agent
	entry, ok, err := a.images.Lookup(spec.Image)
	if !ok {
		c.imagePulls++
		reason := "ErrImagePull"
		if c.imagePulls > 1 {
			reason = "ImagePullBackOff"
		}
		msg := fmt.Sprintf("image %q is not in the test bed's image map %s", spec.Image, a.cfg.ImagesFile)
		if err != nil {
			msg += ": " + err.Error()
		}
		c.waiting = &corev1.ContainerStateWaiting{Reason: reason, Message: msg}
		w.logChange(pod, "image "+spec.Name, msg)
		return
	}
	c.imagePulls = 0
	w.logChange(pod, "image "+spec.Name, "")
	execSpec, err := w.buildExecSpec(ctx, pod, spec, entry, c)
	if err != nil {
		c.waiting = &corev1.ContainerStateWaiting{Reason: "CreateContainerConfigError", Message: err.Error()}
		w.logChange(pod, "config "+spec.Name, err.Error())
		return
	}
	w.logChange(pod, "config "+spec.Name, "")
	if cg, err := a.cgroups.Create(pod.Namespace+"_"+pod.Name+"_"+spec.Name+"_"+strconv.Itoa(int(c.nextRun())), memoryLimit(spec)); err != nil {
		w.logChange(pod, "cgroup "+spec.Name, err.Error())
	} else {
		execSpec.Cgroup, c.cgroup = cg, cg
	}
	runDir := a.layout.runDir(pod.UID)
	specFile := filepath.Join(runDir, fmt.Sprintf("%s-%d.json", spec.Name, c.nextRun()))
	execSpec.StartErrorFile = filepath.Join(runDir, fmt.Sprintf("%s-%d.start-error", spec.Name, c.nextRun()))
	// The spec holds the container's environment, secrets included: owner-only.
	if err := writePrivateJSON(specFile, execSpec); err != nil {
		c.waiting = &corev1.ContainerStateWaiting{Reason: "RunContainerError", Message: err.Error()}
		return
	}
	id := newContainerID()
	logPath := filepath.Join(a.layout.containerLogDir(pod.Namespace, pod.Name, pod.UID, spec.Name),
		strconv.Itoa(int(c.nextRun()))+".log")
	proc, err := startProcess(execCommand(specFile), logPath,
		filepath.Join(a.layout.pidsDir(pod.UID), id), w.wake)
	if err != nil {
		c.waiting = &corev1.ContainerStateWaiting{Reason: "RunContainerError", Message: err.Error()}
		w.logChange(pod, "start "+spec.Name, err.Error())
		removeCgroup(c.cgroup)
		c.cgroup = ""
		return
	}
	if c.everStarted {
		c.restartCount++
	}
	c.everStarted, c.restartDue, c.stopping, c.waiting = true, false, false, nil
	c.proc, c.id, c.startedAt, c.logPath, c.base = proc, id, now, logPath, *execSpec
	target := probeTarget{podIP: w.podIP, container: spec, exec: w.probeExec(c)}
	c.probes = startProbes(target, w.wake, func(reason string) {
		w.logf(pod, "container %s: %s; killing it", spec.Name, reason)
		proc.stop(terminationGrace(pod))
	})
	// Only the program is logged: arguments may carry values expanded from Secrets.
	w.logf(pod, "container %s started (pid %d, testbed://%s): %s", spec.Name, proc.pid, id, execSpec.Argv[0])
}

// buildExecSpec resolves the container's command, environment and mounts.
func (w *podWorker) buildExecSpec(ctx context.Context, pod *corev1.Pod, spec *corev1.Container, image ImageEntry, c *containerRun) (*execSpec, error) {
	a := w.agent
	facts := PodFacts{PodIP: w.podIP, HostIP: a.cfg.bridgeIP(), NodeName: pod.Spec.NodeName,
		ServiceHost: a.cfg.bridgeIP(), ServicePort: a.cfg.apiserverPort()}
	env, err := BuildEnv(pod, spec, facts, a.objects, apierrors.IsNotFound)
	if err != nil {
		return nil, err
	}
	lookup := func(name string) (string, bool) {
		for i := len(env) - 1; i >= 0; i-- {
			if v, ok := strings.CutPrefix(env[i], name+"="); ok {
				return v, true
			}
		}
		return "", false
	}
	expand := func(in []string) []string {
		out := make([]string, len(in))
		for i, s := range in {
			out[i] = Expand(s, lookup)
		}
		return out
	}
	argv, err := ResolveArgv(image, expand(spec.Command), expand(spec.Args))
	if err != nil {
		return nil, err
	}
	hostname := pod.Name
	if pod.Spec.Hostname != "" {
		hostname = pod.Spec.Hostname
	}
	es := &execSpec{Hostname: hostname, Argv: argv, Env: env, WorkingDir: spec.WorkingDir}
	if w.sandbox != nil {
		es.Netns = w.sandbox.netnsPath()
	} else {
		es.Hostname = "" // a hostNetwork pod keeps the node's name
	}
	if es.WorkingDir == "" {
		es.WorkingDir = image.WorkingDir
	}
	if sc := effectiveSecurity(pod, spec); sc != nil {
		es.UID, es.GID = sc.uid, sc.gid
	}
	mounts, err := w.mounts(pod, spec, c)
	if err != nil {
		return nil, err
	}
	es.Mounts = mounts
	return es, nil
}

// mounts lists the container's bind mounts and creates their mount points on the host
// when missing (recorded for Cleanup), plus a fresh termination-message file.
func (w *podWorker) mounts(pod *corev1.Pod, spec *corev1.Container, c *containerRun) ([]execMount, error) {
	a := w.agent
	var out []execMount
	for _, vm := range spec.VolumeMounts {
		var vol *corev1.Volume
		for i := range pod.Spec.Volumes {
			if pod.Spec.Volumes[i].Name == vm.Name {
				vol = &pod.Spec.Volumes[i]
			}
		}
		if vol == nil {
			return nil, fmt.Errorf("volumeMount %q: no such volume", vm.Name)
		}
		source := w.volumes.hostPath(vol)
		if vm.SubPath != "" {
			sub := filepath.Clean(vm.SubPath)
			if filepath.IsAbs(sub) || sub == ".." || strings.HasPrefix(sub, "../") {
				return nil, fmt.Errorf("volumeMount %q: subPath %q leaves the volume", vm.Name, vm.SubPath)
			}
			source = filepath.Join(source, sub)
			if _, err := os.Stat(source); os.IsNotExist(err) {
				if err := os.MkdirAll(source, 0o777); err != nil {
					return nil, fmt.Errorf("volumeMount %q: %w", vm.Name, err)
				}
			}
		}
		info, err := os.Stat(source)
		if err != nil {
			return nil, fmt.Errorf("volumeMount %q: %w", vm.Name, err)
		}
		if err := a.mountPoints.Ensure(vm.MountPath, info.IsDir()); err != nil {
			return nil, fmt.Errorf("volumeMount %q: mount point %s: %w", vm.Name, vm.MountPath, err)
		}
		out = append(out, execMount{Source: source, Target: vm.MountPath, ReadOnly: vm.ReadOnly})
	}
	termPath := spec.TerminationMessagePath
	if termPath == "" {
		termPath = defaultTerminationMessagePath
	}
	c.termFile = filepath.Join(a.layout.runDir(pod.UID), fmt.Sprintf("%s-%d.termination-log", spec.Name, c.nextRun()))
	if err := os.MkdirAll(filepath.Dir(c.termFile), 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(c.termFile, nil, 0o666); err != nil {
		return nil, err
	}
	_ = os.Chmod(c.termFile, 0o666) // writable whatever user the container runs as
	if err := a.mountPoints.Ensure(termPath, false); err != nil {
		return nil, fmt.Errorf("terminationMessagePath %s: %w", termPath, err)
	}
	return append(out, execMount{Source: c.termFile, Target: termPath}), nil
}

// probeExec runs an exec probe's command inside the container's namespaces and mounts.
func (w *podWorker) probeExec(c *containerRun) func(ctx context.Context, argv []string) error {
	spec := c.base
	spec.Argv, spec.Cgroup, spec.StartErrorFile = nil, "", ""
	dir := w.agent.layout.runDir(w.uid)
	return func(ctx context.Context, argv []string) error {
		s := spec
		s.Argv = argv
		data, _ := json.Marshal(s)
		sum := sha256.Sum256(data)
		file := filepath.Join(dir, "probe-"+hex.EncodeToString(sum[:8])+".json")
		if _, err := os.Stat(file); err != nil {
			if err := writePrivateJSON(file, s); err != nil {
				return err
			}
		}
		cmd := execCommand(file)
		done := make(chan error, 1)
		out := &cappedBuffer{max: 1024}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			return err
		}
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				return fmt.Errorf("%v: %s", err, out.String())
			}
			return nil
		case <-ctx.Done():
			_ = cmd.Process.Kill()
			<-done
			return fmt.Errorf("exec probe timed out")
		}
	}
}

// securityIDs are the user and group a container runs as.
type securityIDs struct{ uid, gid *int64 }

// effectiveSecurity merges the pod's and the container's securityContext (the
// container's wins).
func effectiveSecurity(pod *corev1.Pod, spec *corev1.Container) *securityIDs {
	var ids securityIDs
	if psc := pod.Spec.SecurityContext; psc != nil {
		ids.uid, ids.gid = psc.RunAsUser, psc.RunAsGroup
	}
	if sc := spec.SecurityContext; sc != nil {
		if sc.RunAsUser != nil {
			ids.uid = sc.RunAsUser
		}
		if sc.RunAsGroup != nil {
			ids.gid = sc.RunAsGroup
		}
	}
	if ids.uid == nil && ids.gid == nil {
		return nil
	}
	return &ids
}

// memoryLimit returns limits.memory in bytes, 0 when unset.
func memoryLimit(spec *corev1.Container) int64 {
	if q, ok := spec.Resources.Limits[corev1.ResourceMemory]; ok {
		return q.Value()
	}
	return 0
}

func allContainers(pod *corev1.Pod) []*corev1.Container {
	var out []*corev1.Container
	for i := range pod.Spec.InitContainers {
		out = append(out, &pod.Spec.InitContainers[i])
	}
	for i := range pod.Spec.Containers {
		out = append(out, &pod.Spec.Containers[i])
	}
	return out
}

// readCapped reads at most max bytes of path starting at offset; nil when unreadable.
func readCapped(path string, offset int64, max int) []byte {
	if path == "" {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	buf := make([]byte, max)
	n, _ := io.ReadFull(io.NewSectionReader(f, offset, int64(max)), buf)
	return buf[:n]
}

// readTail reads the last max bytes of path.
func readTail(path string, max int) []byte {
	info, err := os.Stat(path)
	if err != nil {
		return nil
	}
	off := info.Size() - int64(max)
	if off < 0 {
		off = 0
	}
	return readCapped(path, off, max)
}

// cappedBuffer keeps the first max bytes written to it.
type cappedBuffer struct {
	max int
	b   []byte
}

func (c *cappedBuffer) Write(p []byte) (int, error) {
	if room := c.max - len(c.b); room > 0 {
		if len(p) < room {
			room = len(p)
		}
		c.b = append(c.b, p[:room]...)
	}
	return len(p), nil
}

func (c *cappedBuffer) String() string { return strings.TrimSpace(string(c.b)) }
