package ratelimit

import (
	"context"
	"net/netip"
	"strings"
)

type addrKey struct{}

// WithClientAddr records the client's address for the limits: httpserver
// sets it from the socket peer or, behind a trusted proxy, from
// X-Forwarded-For (httpserver/clientip.go).
func WithClientAddr(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, addrKey{}, addr)
}

// ClientAddr returns the client's address as WithClientAddr recorded it;
// "" when unknown.
func ClientAddr(ctx context.Context) string {
	a, _ := ctx.Value(addrKey{}).(string)
	return a
}

// AddressKey reduces a client address ("1.2.3.4:5678", "[2001:db8::1]:443",
// or a bare address) to what a limit counts: the IPv4 address, or the IPv6
// /64 network (one subscriber usually holds a whole /64, so counting single
// IPv6 addresses would limit nothing). "" means unknown.
func AddressKey(addr string) string {
	s := strings.TrimSpace(addr)
	if s == "" {
		return ""
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		s = ap.Addr().String()
	}
	a, err := netip.ParseAddr(strings.Trim(s, "[]"))
	if err != nil {
		if len(s) > 100 {
			s = s[:100]
		}
		return s
	}
	a = a.Unmap().WithZone("")
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}
