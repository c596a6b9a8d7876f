# presale — `make help` lists what is here.
BIN      := bin/presale
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
DATABASE ?= data/presale.db
# SQLite's full-text search (FTS5) is compiled into go-sqlite3 only with
# this tag; every go command here builds with it.
export GOFLAGS := -tags=sqlite_fts5

.DEFAULT_GOAL := help
.PHONY: help run build test generate lint fmt bench deps

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

run: build ## build, migrate, add the demo organisation to an empty ./data database and serve on :8080
	./$(BIN) serve --demo --db $(DATABASE)

build: ## build bin/presale
	@./.ci/deps build
	CGO_ENABLED=1 go build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/presale

test: ## run every test: SQLite, PostgreSQL and headless Chromium (installs what is missing)
	@./.ci/deps test
	@./.ci/test

generate: ## regenerate the templ components
	go tool templ generate

lint: generate ## gofmt, go vet, staticcheck, govulncheck, a tidy go.mod, and generated code up to date
	@./.ci/deps build
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (echo "gofmt would change:"; gofmt -l $$(git ls-files '*.go'); exit 1)
	@go mod tidy -diff || (echo "go.mod or go.sum is not tidy: run go mod tidy"; exit 1)
	go vet ./...
	go tool staticcheck ./...
	@./.ci/vulncheck
	@git diff --exit-code -- '*_templ.go' || (echo "generated templ files were stale: commit them"; exit 1)

fmt: ## format Go and templ sources
	gofmt -w $$(git ls-files '*.go')
	go tool templ fmt views

bench: build ## benchmarks: Go micro-benchmarks, then every page under 32 clients on a team of 50,000 synthetic deals
	go test -run '^$$' -bench . -benchmem ./...
	./$(BIN) bench --deals 50000 --team --concurrency 32
