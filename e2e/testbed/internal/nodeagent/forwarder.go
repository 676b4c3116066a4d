package nodeagent

import (
	"context"
	"io"
	"log"
	"net"
	"sync"
	"time"
)

// forwarder relays TCP connections from listen (the bridge address, reachable from pods)
// to target (the API server on loopback, which pods cannot reach).
type forwarder struct {
	listener net.Listener
	target   string
	wg       sync.WaitGroup
}

// startForwarder listens on listen and relays each connection to target until ctx ends.
// Returns the listen error, e.g. when the bridge address is not assigned.
func startForwarder(ctx context.Context, listen, target string) (*forwarder, error) {
	l, err := net.Listen("tcp", listen)
	if err != nil {
		return nil, err
	}
	f := &forwarder{listener: l, target: target}
	f.wg.Add(1)
	go f.serve(ctx)
	go func() {
		<-ctx.Done()
		l.Close()
	}()
	return f, nil
}

func (f *forwarder) serve(ctx context.Context) {
	defer f.wg.Done()
	for {
		conn, err := f.listener.Accept()
		if err != nil {
			if ctx.Err() == nil {
				log.Printf("forwarder: accept on %s: %v", f.listener.Addr(), err)
			}
			return
		}
		go f.relay(ctx, conn)
	}
}

func (f *forwarder) relay(ctx context.Context, in net.Conn) {
	defer in.Close()
	d := net.Dialer{Timeout: 5 * time.Second}
	out, err := d.DialContext(ctx, "tcp", f.target)
	if err != nil {
		log.Printf("forwarder: dial %s for %s: %v", f.target, in.RemoteAddr(), err)
		return
	}
	defer out.Close()
	done := make(chan struct{}, 2)
	pipe := func(dst, src net.Conn) {
		_, _ = io.Copy(dst, src)
		if tcp, ok := dst.(*net.TCPConn); ok {
			_ = tcp.CloseWrite()
		}
		done <- struct{}{}
	}
	go pipe(out, in)
	go pipe(in, out)
	select {
	case <-done:
		<-done
	case <-ctx.Done():
	}
}

// Wait returns once the accept loop has stopped.
func (f *forwarder) Wait() { f.wg.Wait() }
