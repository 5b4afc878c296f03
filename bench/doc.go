// Package bench holds the API benchmarks of `make bench`: they load the whole
// national division tree into PostgreSQL and drive the real HTTP handler
// over loopback with concurrent clients, reporting latency percentiles and
// SQL statements per request. Timings are never asserted in unit tests.
package bench
