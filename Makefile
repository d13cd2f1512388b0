# Vigil's entry points. `make run` and `make test` work on a fresh Debian 12 machine as root:
# both install what is missing (scripts/install-deps), configure and build.

SHELL := /bin/bash
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1
export CCACHE_MAXSIZE ?= 5G

DATA_DIR ?= $(CURDIR)/var/data
LISTEN ?= 127.0.0.1:8443
GATEWAY_LISTEN ?= 127.0.0.1:8444
FUZZ_SECONDS ?= 60

.PHONY: all deps dev release fuzz-build web run test unit fuzz bench format lint clean

all: dev

deps:
	@scripts/install-deps

dev: deps
	@cmake --preset dev >/dev/null
	@cmake --build --preset dev

release: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release --target vigil

fuzz-build: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz

# The dashboard's static assets (web/dist), served by `vigil serve`.
web: deps
	@cd web && npm run build --silent >/dev/null

# Builds the hardened release binary and the dashboard, and starts the server on the embedded
# SQLite store.
run: release web
	@mkdir -p $(DATA_DIR)
	build/release/apps/vigil/vigil serve --data-dir $(DATA_DIR) --listen $(LISTEN) \
	  --gateway-listen $(GATEWAY_LISTEN)

# Everything CI checks: the dev tree (ASan/UBSan) with all tests (the dashboard's in a real
# browser among them), a short run of every fuzz target, the format and include-rule checks.
# The last line is ctest's summary.
test: dev fuzz-build web
	@ctest --preset fuzz -L fuzz-smoke --timeout 300
	@ctest --preset dev --timeout 600 -j2

# Only the unit tests, for quick loops.
unit: dev web
	@ctest --preset dev -L unit -j2

# Longer fuzzing of every target (FUZZ_SECONDS each).
fuzz: fuzz-build
	@VIGIL_FUZZ_SECONDS=$(FUZZ_SECONDS) ctest --preset fuzz -L fuzz-smoke --timeout 0

# Side-by-side benchmarks against reference tools (see docs/perf.md).
bench: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release --target vigil vigil-agent benchmarks
	@bench/run-all

format:
	@find src apps bench tests \( -name '*.h' -o -name '*.cc' \) -print0 2>/dev/null | \
	  xargs -0 -r clang-format-14 -i

lint: deps
	@scripts/check-format .
	@python3 scripts/check-deps .
	@cmake --preset fuzz >/dev/null && \
	  jq -r '.[].file' build/fuzz/compile_commands.json | grep -v '_fuzz.cc$$' | \
	  xargs -r clang-tidy-14 -p build/fuzz --quiet

clean:
	rm -rf build
