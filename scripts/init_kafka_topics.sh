#!/usr/bin/env bash
# Creates the topics of config/kafka/topics.yaml that the cluster lacks: `flowguard init-topics`
# with the same flags (--topics, --dry-run, --strict, --timeout, --bootstrap). For CI and operators.
# Runs in the caller's directory, so a dev-cluster started there is found.
set -euo pipefail
case "${1:-}" in -h | --help) echo "Usage: scripts/init_kafka_topics.sh [--topics FILE] [--dry-run] [--strict] [--timeout 30s] [--bootstrap HOST:PORT]"; echo "Runs flowguard init-topics with these flags in the current directory."; exit 0 ;; esac
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${FLOWGUARD_BIN:-$root/.build/debug/flowguard}"
if [ ! -x "$bin" ]; then
  (cd "$root" && swift build -q)
  bin="$root/.build/debug/flowguard"
fi
exec "$bin" init-topics "$@"
