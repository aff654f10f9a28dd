# FlowGuard: `make run` starts the gateway on the embedded cluster, `make test` runs every test.
SWIFT ?= swift
BIN_DEBUG = .build/debug/flowguard
BIN_RELEASE = .build/release/flowguard

.PHONY: deps test-deps build release run test test-swift test-scripts reliability bench bench-legacy clean

# What building and running need (Debian packages); the tests' tools come with test-deps.
deps:
	@./scripts/install-deps.sh

test-deps:
	@./scripts/install-deps.sh --test

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

run: build
	$(BIN_DEBUG) start-gateway $(ARGS)

test: test-deps
	$(SWIFT) build --build-tests
	$(MAKE) test-swift
	$(MAKE) test-scripts

# Swift Testing starts every test at once; each Kafka test holds dozens of descriptors (sockets and
# librdkafka's wake-up pipes), about 800 in all at the start, and the 2.0.2 mock cluster aborts when
# one cannot be opened. So: the soft open-file limit raised to the hard one, and at most 12 tests at a
# time (about 490 descriptors; the run takes as long: the fault suite sets its length).
test-swift:
	@ulimit -Sn "$$(ulimit -Hn)" 2>/dev/null || true; \
	echo "open-file limit for the tests: $$(ulimit -Sn) (hard $$(ulimit -Hn))"; \
	if [ "$$(ulimit -Sn)" != unlimited ] && [ "$$(ulimit -Sn)" -lt 1024 ]; then \
		echo "warning: under 1,024 open files the embedded clusters of parallel tests can run out (raise ulimit -Hn)"; fi; \
	SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=12 $(SWIFT) test --skip-build

test-scripts:
	FLOWGUARD_BIN=$(BIN_DEBUG) ./scripts/test-scripts.sh

# Issue 7's benchmark against .build-release/release/flowguard (bench/run.sh -h for its knobs; QUICK=1
# for a smoke run): results and report in bench/results/<UTC date>/. Never part of `make test`.
bench: test-deps
	$(SWIFT) build -c release --scratch-path .build-release --product flowguard
	./bench/run.sh

# The older benchmarks (each builds the release binary itself): flood and dedup memory, simulate's rate accuracy.
bench-legacy: test-deps
	./bench/gateway/run.sh
	@if [ -x bench/simulate/run.sh ]; then ./bench/simulate/run.sh; fi

reliability: test-deps
	./scripts/reliability-report.sh

clean:
	rm -rf .build .flowguard
