#!/usr/bin/env bash
# Runs the scripted tests (each a scripts/*.sh that exits non-zero on failure) and prints a summary.
set -uo pipefail
case "${1:-}" in -h | --help) echo "Usage: scripts/test-scripts.sh"; exit 0 ;; esac
cd "$(dirname "$0")/.." || exit 1
tests=(scripts/test-shellcheck.sh scripts/smoke.sh scripts/test-init-topics.sh scripts/test-health-check.sh scripts/test-deploy.sh scripts/test-prometheus.sh scripts/test-fuzz.sh scripts/test-attribute.sh scripts/test-attribute-200k.sh scripts/test-console-browser.sh scripts/test-dump.sh scripts/test-dump-s3.sh)
passed=0; failed=0
for test in "${tests[@]}"; do
  echo "== $test"
  if "$test"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $test"; fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
