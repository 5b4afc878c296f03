package httpserver

import (
	"net/http"
	"testing"
)

func TestClientAddrBelievesOnlyTrustedHops(t *testing.T) {
	trusted, err := ParseTrustedProxies("10.0.0.0/8, 2001:db8:ffff::/48,192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, peer string
		xff        []string
		want       string
	}{
		{"no proxy", "198.51.100.7:5000", nil, "198.51.100.7"},
		{"an untrusted peer's header is ignored", "198.51.100.7:5000", []string{"203.0.113.1"}, "198.51.100.7"},
		{"a trusted proxy names the client", "10.1.2.3:80", []string{"203.0.113.1"}, "203.0.113.1"},
		{"a single trusted address", "192.0.2.1:80", []string{"203.0.113.1"}, "203.0.113.1"},
		{"what the client wrote before our proxy is not believed", "10.1.2.3:80", []string{"1.1.1.1, 203.0.113.1"}, "203.0.113.1"},
		{"trusted hops are skipped right to left", "10.1.2.3:80", []string{"1.1.1.1, 203.0.113.1, 10.9.9.9"}, "203.0.113.1"},
		{"several header lines", "10.1.2.3:80", []string{"1.1.1.1, 203.0.113.1", "10.9.9.9"}, "203.0.113.1"},
		{"IPv6 proxy and client", "[2001:db8:ffff::1]:443", []string{"2001:db8:1:2::7"}, "2001:db8:1:2::7"},
		{"garbage stops at the last readable hop", "10.1.2.3:80", []string{"not-an-ip, 10.9.9.9"}, "10.9.9.9"},
		{"only trusted hops", "10.1.2.3:80", []string{"10.9.9.9"}, "10.9.9.9"},
		{"a trusted proxy without the header", "10.1.2.3:80", nil, "10.1.2.3"},
	} {
		r := &http.Request{RemoteAddr: tc.peer, Header: http.Header{}}
		for _, v := range tc.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := clientAddr(r, trusted); got != tc.want {
			t.Errorf("%s: clientAddr = %q, want %q", tc.name, got, tc.want)
		}
	}
	if _, err := ParseTrustedProxies("10.0.0.0/8,proxy.example"); err == nil {
		t.Error("a host name was accepted as a trusted proxy")
	}
}
