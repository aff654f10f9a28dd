# shellcheck shell=bash
# Helpers shared by the script tests. Source it; it sets FLOWGUARD_BIN, PYTHON and a scratch dir.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FLOWGUARD_BIN="${FLOWGUARD_BIN:-$ROOT/.build/debug/flowguard}"
case "$FLOWGUARD_BIN" in /*) ;; *) FLOWGUARD_BIN="$ROOT/$FLOWGUARD_BIN" ;; esac
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
PIDS=()

# A scratch working directory with a copy of the config, removed on exit with every process started.
scratch_dir() {
  local dir
  dir="$(mktemp -d "${TMPDIR:-/tmp}/flowguard-script.XXXXXX")"
  mkdir -p "$dir/config/kafka"
  cp "$ROOT/config/kafka/topics.yaml" "$dir/config/kafka/"
  echo "$dir"
}

cleanup() {
  for pid in "${PIDS[@]:-}"; do
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
  done
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# A free TCP port on loopback.
free_port() { "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Waits until a URL answers 200, at most $2 seconds.
wait_http() {
  local url="$1" limit="${2:-30}" i=0
  until curl -fs -o /dev/null "$url"; do
    i=$((i + 1)); [ "$i" -le $((limit * 10)) ] || return 1; sleep 0.1
  done
}

# Waits until a file exists, at most $2 seconds.
wait_file() {
  local file="$1" limit="${2:-30}" i=0
  until [ -s "$file" ]; do
    i=$((i + 1)); [ "$i" -le $((limit * 10)) ] || return 1; sleep 0.1
  done
}
