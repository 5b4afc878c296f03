package httpserver

import "net/http"

// OnAdmit sets the hook that sees each admitted request (holding its slot)
// until the returned func restores none. Tests using it must not run in
// parallel.
func OnAdmit(f func(r *http.Request, c Class)) (restore func()) {
	onAdmit = f
	return func() { onAdmit = nil }
}
