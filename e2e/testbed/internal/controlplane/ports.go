package controlplane

import (
	"fmt"
	"net"
)

// FreePorts returns n distinct loopback TCP ports that were free a moment ago. All n
// listeners stay open until every port is chosen, so the kernel cannot hand out one port
// twice. Another program may still take a port before the component binds it; the
// component then fails to start and `up` reports its log.
// Returns an error when the kernel has no port to give.
func FreePorts(n int) ([]int, error) {
	var listeners []net.Listener
	defer func() {
		for _, l := range listeners {
			l.Close()
		}
	}()
	ports := make([]int, 0, n)
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("finding a free loopback port: %w", err)
		}
		listeners = append(listeners, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// PortInUse reports whether something listens on loopback port.
func PortInUse(port int) bool {
	l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return true
	}
	l.Close()
	return false
}
