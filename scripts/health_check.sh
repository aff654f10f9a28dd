#!/usr/bin/env bash
# Checks that FlowGuard and its Kafka are healthy: `flowguard health-check` with the same flags,
# waiting up to --wait SECONDS for health (for CI pipelines that just started the stack).
# Exit codes: 0 healthy, 1 unhealthy, 2 degraded, 64 usage error.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/health_check.sh [--wait SECONDS] [flowguard health-check options]

  --wait SECONDS   retry until healthy for at most SECONDS (default 0: check once)
  -h, --help       this help

Every other option goes to `flowguard health-check` (--gateway URL, --probe, --json, --topics FILE,
--timeout D, --bootstrap HOST:PORT). Exit codes: 0 healthy, 1 unhealthy, 2 degraded, 64 usage.
USAGE
}

root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${FLOWGUARD_BIN:-$root/.build/debug/flowguard}"
wait_seconds=0
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --wait)
      [ $# -ge 2 ] || { echo "health_check.sh: --wait needs a number of seconds" >&2; usage >&2; exit 64; }
      wait_seconds="$2"; shift 2 ;;
    --wait=*) wait_seconds="${1#--wait=}"; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
case "$wait_seconds" in '' | *[!0-9]*) echo "health_check.sh: --wait must be a whole number of seconds, got '$wait_seconds'" >&2; exit 64 ;; esac
if [ ! -x "$bin" ]; then
  (cd "$root" && swift build -q)
  bin="$root/.build/debug/flowguard"
fi

deadline=$(( $(date +%s) + wait_seconds ))
while true; do
  status=0
  "$bin" health-check "${args[@]+"${args[@]}"}" || status=$?
  if [ "$status" = 0 ] || [ "$status" = 64 ] || [ "$(date +%s)" -ge "$deadline" ]; then
    exit "$status"
  fi
  sleep 1
done
