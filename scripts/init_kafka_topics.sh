#!/usr/bin/env bash
# Creates the topics of config/kafka/topics.yaml that the cluster lacks: `flowguard init-topics`
# with the same flags (--file, --dry-run, --strict, --timeout, --bootstrap). For CI and operators.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${FLOWGUARD_BIN:-.build/debug/flowguard}"
[ -x "$bin" ] || bin="$(swift build --show-bin-path)/flowguard"
exec "$bin" init-topics "$@"
