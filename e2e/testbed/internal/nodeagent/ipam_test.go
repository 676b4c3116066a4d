package nodeagent

import (
	"net/netip"
	"testing"
)

func TestAllocatorSkipsNetworkAndGateway(t *testing.T) {
	a, err := NewIPAllocator("198.18.0.1/16")
	if err != nil {
		t.Fatal(err)
	}
	ip, err := a.Allocate("pod-a")
	if err != nil || ip != netip.MustParseAddr("198.18.0.2") {
		t.Fatalf("first address = %v, %v; want 198.18.0.2", ip, err)
	}
}

func TestAllocatorNeverHandsOutAnAddressTwice(t *testing.T) {
	a, _ := NewIPAllocator("198.18.0.1/16")
	seen := map[netip.Addr]bool{}
	for i := 0; i < 600; i++ {
		ip, err := a.Allocate("p")
		if err != nil {
			t.Fatal(err)
		}
		if seen[ip] {
			t.Fatalf("%s handed out twice", ip)
		}
		b := ip.As4()
		if b[3] == 0 || b[3] == 255 {
			t.Fatalf("%s ends in .0 or .255", ip)
		}
		seen[ip] = true
	}
}

func TestReleasedAddressIsNotReusedAtOnce(t *testing.T) {
	a, _ := NewIPAllocator("198.18.0.1/16")
	first, _ := a.Allocate("a")
	a.Release(first)
	next, _ := a.Allocate("b")
	if next == first {
		t.Fatalf("released %s came back immediately", first)
	}
}

func TestSmallPrefixIsExhausted(t *testing.T) {
	a, err := NewIPAllocator("10.0.0.1/30") // .0 network, .1 gateway, .2 usable, .3 broadcast-ish
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Allocate("a"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Allocate("b"); err == nil {
		t.Fatal("want an exhaustion error")
	}
}

func TestReserveRejectsAddressHeldByAnother(t *testing.T) {
	a, _ := NewIPAllocator("198.18.0.1/16")
	ip, _ := a.Allocate("a")
	if err := a.Reserve(ip, "b"); err == nil {
		t.Fatal("want an error reserving a held address")
	}
}

func TestBadBridgeCIDRNamesTheFlag(t *testing.T) {
	if _, err := NewIPAllocator("198.18.0.1"); err == nil {
		t.Fatal("want an error for an address without prefix")
	}
}
