package httpserver

import (
	"fmt"
	"net/http"
	"net/netip"
	"strconv"
	"strings"

	"github.com/mashang/mashang/ratelimit"
)

// ParseTrustedProxies reads MASHANG_TRUSTED_PROXIES: comma-separated CIDRs
// (or single addresses) of the reverse proxies and load balancers in front
// of the server.
func ParseTrustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q is neither a CIDR nor an address", f)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// clientAddr is the address of the client a request comes from: the socket
// peer, unless the peer is a trusted proxy; then X-Forwarded-For is read
// right to left, skipping trusted hops, and the first untrusted address is
// the client's.
// SECURITY: X-Forwarded-For from any other peer is ignored, so a client
// cannot choose the address its limits count on
// (TestASpoofedForwardedForFromAnUntrustedPeerIsIgnored); and only the hops
// our own proxies appended are believed, not what the client wrote before
// them.
func clientAddr(r *http.Request, trusted []netip.Prefix) string {
	peer, ok := parseHop(r.RemoteAddr)
	if !ok {
		return r.RemoteAddr
	}
	if !isTrusted(peer, trusted) {
		return peer.String()
	}
	client := peer
	hops := r.Header.Values("X-Forwarded-For")
	for i := len(hops) - 1; i >= 0; i-- {
		parts := strings.Split(hops[i], ",")
		for j := len(parts) - 1; j >= 0; j-- {
			a, ok := parseHop(parts[j])
			if !ok {
				return client.String() // garbage: the last hop we could read
			}
			client = a
			if !isTrusted(a, trusted) {
				return a.String()
			}
		}
	}
	return client.String()
}

// parseHop reads "1.2.3.4", "1.2.3.4:5678", "2001:db8::1" or
// "[2001:db8::1]:443".
func parseHop(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap().WithZone(""), true
	}
	a, err := netip.ParseAddr(strings.Trim(s, "[]"))
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap().WithZone(""), true
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// withClientIP records the client's address (clientAddr) for the rate
// limits (ratelimit.ClientAddr) and answers a request refused by one with
// Retry-After.
func withClientIP(trusted []netip.Prefix, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := ratelimit.WithClientAddr(r.Context(), clientAddr(r, trusted))
		ctx, retry := ratelimit.WithRetryHint(ctx)
		next.ServeHTTP(&retryAfterWriter{ResponseWriter: w, retry: retry}, r.WithContext(ctx))
	})
}

// retryAfterWriter adds Retry-After to the answer when a limit refused
// something during the request.
type retryAfterWriter struct {
	http.ResponseWriter
	retry       func() int
	wroteHeader bool
}

func (w *retryAfterWriter) WriteHeader(code int) {
	if !w.wroteHeader {
		w.wroteHeader = true
		if s := w.retry(); s > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(s))
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *retryAfterWriter) Write(b []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController and the websocket upgrade reach the
// underlying writer.
func (w *retryAfterWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
