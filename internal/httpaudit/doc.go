// Package httpaudit holds tests that drive the real server with Node tools
// pinned in package-lock.json: the graphql-http audit of GraphQL over HTTP
// (audit.mjs) and GraphiQL in Debian's headless Chromium with the network
// off (graphiql.mjs). The tests install the tools with `npm ci` into
// .cache/ at the module root. Without node and npm (or chromium) they are
// skipped, except on CI (CI=true), where that is a failure.
package httpaudit
