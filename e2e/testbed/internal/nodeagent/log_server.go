package nodeagent

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// kubeletPort is where the API server expects a node's kubelet API (kubectl logs).
const kubeletPort = 10250

// Bounds of a log request.
const (
	followPoll    = 250 * time.Millisecond
	maxTailLines  = 100000
	logReadChunks = 32 * 1024
)

// startLogServer serves the part of the kubelet API that `kubectl logs` uses,
// /containerLogs/NAMESPACE/POD/CONTAINER, over TLS on the bridge address. The API server
// does not verify a kubelet's serving certificate unless told to, so a self-signed one
// made at start-up serves.
// Returns the listen error.
func (a *Agent) startLogServer(ctx context.Context) error {
	cert, err := selfSignedCert(a.cfg.NodeName, a.cfg.bridgeIP())
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", net.JoinHostPort(a.cfg.bridgeIP(), strconv.Itoa(kubeletPort)))
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /containerLogs/{namespace}/{pod}/{container}", a.serveContainerLogs)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") })
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second,
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}}
	go func() {
		if err := srv.ServeTLS(l, "", ""); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Printf("log server: %v", err)
		}
	}()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	return nil
}

func (a *Agent) serveContainerLogs(w http.ResponseWriter, r *http.Request) {
	ns, name, container := r.PathValue("namespace"), r.PathValue("pod"), r.PathValue("container")
	pod := a.findPod(ns, name)
	if pod == nil {
		http.Error(w, fmt.Sprintf("pod %s/%s is not on node %s", ns, name, a.cfg.NodeName), http.StatusNotFound)
		return
	}
	q := r.URL.Query()
	runs := logRuns(a.layout.containerLogDir(ns, name, pod.UID, container))
	pick := len(runs) - 1
	if q.Get("previous") == "true" {
		pick--
	}
	if pick < 0 {
		http.Error(w, fmt.Sprintf("container %q in pod %s/%s has no logs", container, ns, name), http.StatusNotFound)
		return
	}
	data, err := os.ReadFile(runs[pick])
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	end := int64(len(data)) // following continues from here, whatever part was sent
	if n, err := strconv.Atoi(q.Get("tailLines")); err == nil && n >= 0 {
		data = LogTail(data, len(data), min(n, maxTailLines))
		if n == 0 {
			data = nil
		}
	}
	limit := int64(-1)
	if n, err := strconv.ParseInt(q.Get("limitBytes"), 10, 64); err == nil && n > 0 {
		limit = n
		if int64(len(data)) > n {
			data = data[:n]
		}
	}
	w.Header().Set("Content-Type", "text/plain")
	_, _ = w.Write(data)
	if q.Get("follow") != "true" || q.Get("previous") == "true" {
		return
	}
	a.followLog(r.Context(), w, runs[pick], end, int64(len(data)), limit, ns, name, container)
}

// followLog streams what is appended to path from offset (sent bytes went out already)
// until the run ends (the container stopped or was restarted into a new log), the client
// goes away or limit bytes were sent.
func (a *Agent) followLog(ctx context.Context, w http.ResponseWriter, path string, offset, sent, limit int64, ns, name, container string) {
	flusher, _ := w.(http.Flusher)
	runs := len(logRuns(filepath.Dir(path)))
	for {
		if flusher != nil {
			flusher.Flush()
		}
		chunk := readCapped(path, offset, logReadChunks)
		if limit >= 0 && sent+int64(len(chunk)) > limit {
			chunk = chunk[:limit-sent]
		}
		if len(chunk) > 0 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
			offset += int64(len(chunk))
			sent += int64(len(chunk))
			continue
		}
		if (limit >= 0 && sent >= limit) || !a.containerRunning(ns, name, container) ||
			len(logRuns(filepath.Dir(path))) != runs {
			return
		}
		if !sleepCtx(ctx, followPoll) {
			return
		}
	}
}

// logRuns returns a container's log files, one per run, oldest first.
func logRuns(dir string) []string {
	entries, _ := os.ReadDir(dir)
	type run struct {
		n    int
		path string
	}
	var runs []run
	for _, e := range entries {
		if n, err := strconv.Atoi(strings.TrimSuffix(e.Name(), ".log")); err == nil && strings.HasSuffix(e.Name(), ".log") {
			runs = append(runs, run{n, filepath.Join(dir, e.Name())})
		}
	}
	sort.Slice(runs, func(i, j int) bool { return runs[i].n < runs[j].n })
	out := make([]string, len(runs))
	for i, r := range runs {
		out[i] = r.path
	}
	return out
}

// findPod returns the latest object of a pod the agent runs, by namespace and name.
func (a *Agent) findPod(ns, name string) *corev1.Pod {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, w := range a.workers {
		if pod, _ := w.snapshot(); pod.Namespace == ns && pod.Name == name {
			return pod
		}
	}
	return nil
}

// containerRunning reports whether the pod's latest status shows the container running
// (or not started for the first time yet, which a follower also waits for).
func (a *Agent) containerRunning(ns, name, container string) bool {
	pod := a.findPod(ns, name)
	if pod == nil {
		return false
	}
	for _, list := range [][]corev1.ContainerStatus{pod.Status.InitContainerStatuses, pod.Status.ContainerStatuses} {
		if s, ok := findStatus(list, container); ok {
			// Waiting after an exit is a back-off: that run is over.
			return s.State.Running != nil || (s.State.Waiting != nil && s.LastTerminationState.Terminated == nil)
		}
	}
	return false
}

// selfSignedCert makes the log server's certificate for the node's name and address.
func selfSignedCert(name, ip string) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "system:node:" + name},
		DNSNames:     []string{name},
		IPAddresses:  []net.IP{net.ParseIP(ip)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}
