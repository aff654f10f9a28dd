#!/usr/bin/env bash
# Issue 17's figures for the console (run by hand, never by `make test`): page times with 20 topics x 12
# partitions, the newest 50 records of a full partition, and a value-contains scan's rate. Release
# binary from .build-release (BIN= to override); results in bench/results/console-<UTC date>.md.
set -euo pipefail
case "${1:-}" in -h | --help) echo "Usage: bench/console/run.sh   (BIN=path/to/flowguard; RECORDS=N for the full partition)"; exit 0 ;; esac
root="$(cd "$(dirname "$0")/../.." && pwd)"
BIN="${BIN:-$root/.build-release/release/flowguard}"
case "$BIN" in /*) ;; *) BIN="$(pwd)/$BIN" ;; esac
PYTHON="${PYTHON:-$root/.venv/bin/python}"
[ -x "$BIN" ] || { echo "no release binary at $BIN (swift build -c release --scratch-path .build-release --product flowguard)" >&2; exit 1; }
work="$(mktemp -d "${TMPDIR:-/tmp}/flowguard-console-bench.XXXXXX")"
pids=()
cleanup() {
  for pid in "${pids[@]:-}"; do
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
  done
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/config/kafka"
{
  echo "topics:"
  for i in $(seq -w 0 19); do
    printf '  - name: bench.t%s\n    partitions: 12\n    replication_factor: 1\n' "$i"
  done
  printf '  - name: bench.big\n    partitions: 1\n    replication_factor: 1\n'
} > "$work/config/kafka/topics.yaml"
cd "$work"
"$BIN" dev-cluster --log-level warning > cluster.out 2> cluster.err &
pids+=("$!")
for _ in $(seq 1 600); do [ -s .flowguard/cluster.json ] && break; sleep 0.1; done
[ -s .flowguard/cluster.json ] || { cat cluster.err >&2; echo "the dev-cluster did not start" >&2; exit 1; }
bootstrap="$("$PYTHON" -c 'import json; print(json.load(open(".flowguard/cluster.json"))["bootstrap_servers"])')"
port="$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$BIN" console --port "$port" --bootstrap "$bootstrap" --scan-limit 100000000 --kafka-timeout 30s --log-level warning > console.out 2> console.err &
pids+=("$!")
out="$root/bench/results/console-$(date -u +%Y-%m-%d).md"
mkdir -p "$root/bench/results"
"$PYTHON" "$root/bench/console/bench.py" --console "http://127.0.0.1:$port" --bootstrap "$bootstrap" --records "${RECORDS:-1000000}" | tee "$out"
echo "written: $out"
