package nodeagent

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// probeTarget says how to reach a container for probing.
type probeTarget struct {
	podIP     string
	container *corev1.Container
	// exec runs argv inside the container's namespaces and returns its error, if any.
	exec func(ctx context.Context, argv []string) error
}

// probeSet runs a container's startup, readiness and liveness probes and holds their
// results. A failed startup or liveness probe calls kill, as the kubelet restarts such
// containers.
type probeSet struct {
	cancel context.CancelFunc
	wake   func()

	mu      sync.Mutex
	started bool // guarded by mu
	ready   bool // guarded by mu
}

// startProbes starts probing target; wake is called whenever a result changes.
func startProbes(target probeTarget, wake func(), kill func(reason string)) *probeSet {
	ctx, cancel := context.WithCancel(context.Background())
	p := &probeSet{cancel: cancel, wake: wake}
	c := target.container
	go func() {
		if c.StartupProbe != nil {
			if !runUntil(ctx, target, c.StartupProbe, true) {
				if ctx.Err() == nil {
					kill("startup probe failed")
				}
				return
			}
		}
		p.set(func() { p.started = true })
		if c.LivenessProbe != nil {
			go func() {
				if !runUntil(ctx, target, c.LivenessProbe, false) && ctx.Err() == nil {
					kill("liveness probe failed")
				}
			}()
		}
		if c.ReadinessProbe == nil {
			p.set(func() { p.ready = true })
			return
		}
		runReadiness(ctx, target, c.ReadinessProbe, func(ok bool) { p.set(func() { p.ready = ok }) })
	}()
	return p
}

func (p *probeSet) set(f func()) {
	p.mu.Lock()
	f()
	p.mu.Unlock()
	p.wake()
}

// Started reports whether the startup probe (if any) has succeeded.
func (p *probeSet) Started() bool { p.mu.Lock(); defer p.mu.Unlock(); return p.started }

// Ready reports the readiness probe's verdict (true without one, once started).
func (p *probeSet) Ready() bool { p.mu.Lock(); defer p.mu.Unlock(); return p.ready }

// Stop ends all probing.
func (p *probeSet) Stop() { p.cancel() }

// probeTimings returns a probe's settings with the API's defaults applied.
func probeTimings(pr *corev1.Probe) (delay, period, timeout time.Duration, success, failure int32) {
	period, timeout, success, failure = 10*time.Second, time.Second, 1, 3
	if pr.PeriodSeconds > 0 {
		period = time.Duration(pr.PeriodSeconds) * time.Second
	}
	if pr.TimeoutSeconds > 0 {
		timeout = time.Duration(pr.TimeoutSeconds) * time.Second
	}
	if pr.SuccessThreshold > 0 {
		success = pr.SuccessThreshold
	}
	if pr.FailureThreshold > 0 {
		failure = pr.FailureThreshold
	}
	return time.Duration(pr.InitialDelaySeconds) * time.Second, period, timeout, success, failure
}

// runUntil probes until the outcome is settled: for a startup probe (untilSuccess) true
// at the first success and false after failureThreshold failures; for a liveness probe
// false after failureThreshold consecutive failures (it never returns true).
func runUntil(ctx context.Context, t probeTarget, pr *corev1.Probe, untilSuccess bool) bool {
	delay, period, timeout, _, failure := probeTimings(pr)
	if !sleepCtx(ctx, delay) {
		return false
	}
	failures := int32(0)
	for {
		err := probeOnce(ctx, t, pr, timeout)
		switch {
		case err == nil && untilSuccess:
			return true
		case err == nil:
			failures = 0
		default:
			failures++
			if failures >= failure {
				return false
			}
		}
		if !sleepCtx(ctx, period) {
			return false
		}
	}
}

// runReadiness probes for as long as ctx lives and reports each change of verdict.
func runReadiness(ctx context.Context, t probeTarget, pr *corev1.Probe, report func(bool)) {
	delay, period, timeout, success, failure := probeTimings(pr)
	if !sleepCtx(ctx, delay) {
		return
	}
	ready := false
	okRun, failRun := int32(0), int32(0)
	for {
		if err := probeOnce(ctx, t, pr, timeout); err == nil {
			okRun, failRun = okRun+1, 0
			if !ready && okRun >= success {
				ready = true
				report(true)
			}
		} else {
			okRun, failRun = 0, failRun+1
			if ready && failRun >= failure {
				ready = false
				report(false)
			}
		}
		if !sleepCtx(ctx, period) {
			return
		}
	}
}

// probeOnce runs one probe attempt; nil means success.
func probeOnce(ctx context.Context, t probeTarget, pr *corev1.Probe, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	switch {
	case pr.Exec != nil:
		return t.exec(ctx, pr.Exec.Command)
	case pr.HTTPGet != nil:
		return probeHTTP(ctx, t, pr.HTTPGet)
	case pr.TCPSocket != nil:
		port, err := resolvePort(pr.TCPSocket.Port, t.container)
		if err != nil {
			return err
		}
		host := pr.TCPSocket.Host
		if host == "" {
			host = t.podIP
		}
		var d net.Dialer
		conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(host, strconv.Itoa(port)))
		if err != nil {
			return err
		}
		return conn.Close()
	case pr.GRPC != nil:
		return fmt.Errorf("gRPC probes are not supported by the test bed")
	}
	return fmt.Errorf("probe has no handler")
}

func probeHTTP(ctx context.Context, t probeTarget, h *corev1.HTTPGetAction) error {
	port, err := resolvePort(h.Port, t.container)
	if err != nil {
		return err
	}
	host := h.Host
	if host == "" {
		host = t.podIP
	}
	scheme := "http"
	if h.Scheme == corev1.URISchemeHTTPS {
		scheme = "https"
	}
	path := h.Path
	if path == "" || path[0] != '/' {
		path = "/" + path
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet,
		scheme+"://"+net.JoinHostPort(host, strconv.Itoa(port))+path, nil)
	if err != nil {
		return err
	}
	for _, hd := range h.HTTPHeaders {
		if hd.Name == "Host" {
			req.Host = hd.Value
		} else {
			req.Header.Add(hd.Name, hd.Value)
		}
	}
	req.Header.Set("User-Agent", "kube-probe/1.37")
	// The kubelet does not verify probe certificates and does not follow redirects off-host.
	client := &http.Client{Transport: &http.Transport{
		TLSClientConfig:   &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // as the kubelet
		DisableKeepAlives: true,
	}}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode >= 400 {
		return fmt.Errorf("HTTP probe failed with statuscode: %d", resp.StatusCode)
	}
	return nil
}

// resolvePort turns a probe's port (number or container port name) into a number.
func resolvePort(p intstr.IntOrString, c *corev1.Container) (int, error) {
	if p.Type == intstr.Int {
		return p.IntValue(), nil
	}
	for _, cp := range c.Ports {
		if cp.Name == p.StrVal {
			return int(cp.ContainerPort), nil
		}
	}
	return 0, fmt.Errorf("container %q has no port named %q", c.Name, p.StrVal)
}

// sleepCtx waits d or until ctx ends; false means ctx ended.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
