package nodeagent

import (
	"fmt"
	"net/netip"
)

// IPAllocator hands out pod addresses from the bridge's prefix. It skips the network
// address, the gateway, the broadcast address and addresses ending in .0 or .255 (legal
// in a /16 but confusing to read), and cycles forward so a released address is not
// reused at once while a stale connection may still point at it.
type IPAllocator struct {
	prefix  netip.Prefix
	gateway netip.Addr
	last    netip.Addr // the broadcast address
	next    netip.Addr
	used    map[netip.Addr]string
}

// NewIPAllocator returns an allocator for gatewayCIDR's prefix, e.g. 198.18.0.1/16.
// REQUIRES: an IPv4 prefix of length 8..30.
// Returns an error naming the value when it is not one.
func NewIPAllocator(gatewayCIDR string) (*IPAllocator, error) {
	p, err := netip.ParsePrefix(gatewayCIDR)
	if err != nil {
		return nil, fmt.Errorf("--bridge-ip %q: %w", gatewayCIDR, err)
	}
	if !p.Addr().Is4() || p.Bits() < 8 || p.Bits() > 30 {
		return nil, fmt.Errorf("--bridge-ip %q: want an IPv4 prefix between /8 and /30", gatewayCIDR)
	}
	a := &IPAllocator{prefix: p.Masked(), gateway: p.Addr(), used: map[netip.Addr]string{}}
	a.next = a.prefix.Addr().Next()
	b := a.prefix.Addr().As4()
	host := uint32(1)<<(32-p.Bits()) - 1
	v := (uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])) | host
	a.last = netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
	return a, nil
}

// Gateway returns the bridge's own address.
func (a *IPAllocator) Gateway() netip.Addr { return a.gateway }

// Bits returns the prefix length pods use on their interface.
func (a *IPAllocator) Bits() int { return a.prefix.Bits() }

// Allocate returns a free address and records owner as its holder.
// Returns an error when the prefix is exhausted.
func (a *IPAllocator) Allocate(owner string) (netip.Addr, error) {
	start := a.next
	for addr := start; ; {
		if a.usable(addr) {
			if _, taken := a.used[addr]; !taken {
				a.used[addr] = owner
				a.next = a.advance(addr)
				return addr, nil
			}
		}
		addr = a.advance(addr)
		if addr == start {
			return netip.Addr{}, fmt.Errorf("no free pod address left in %s", a.prefix)
		}
	}
}

// Reserve marks addr as held by owner (used when recovering state).
// Returns an error when addr is outside the prefix or held by someone else.
func (a *IPAllocator) Reserve(addr netip.Addr, owner string) error {
	if !a.usable(addr) {
		return fmt.Errorf("%s is not a pod address in %s", addr, a.prefix)
	}
	if holder, taken := a.used[addr]; taken && holder != owner {
		return fmt.Errorf("%s is already held by %s", addr, holder)
	}
	a.used[addr] = owner
	return nil
}

// Release frees addr; releasing a free address does nothing.
func (a *IPAllocator) Release(addr netip.Addr) { delete(a.used, addr) }

func (a *IPAllocator) usable(addr netip.Addr) bool {
	if !a.prefix.Contains(addr) || addr == a.gateway || addr == a.prefix.Addr() || addr == a.last {
		return false
	}
	b := addr.As4()
	return b[3] != 0 && b[3] != 255
}

// advance returns the address after addr, wrapping to the start of the prefix.
func (a *IPAllocator) advance(addr netip.Addr) netip.Addr {
	n := addr.Next()
	if !n.IsValid() || !a.prefix.Contains(n) {
		return a.prefix.Addr()
	}
	return n
}
