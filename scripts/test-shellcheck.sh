#!/usr/bin/env bash
# Every shell script of the project passes shellcheck.
set -euo pipefail
case "${1:-}" in -h | --help) echo "Usage: scripts/test-shellcheck.sh"; exit 0 ;; esac
cd "$(dirname "$0")/.."
files=(scripts/*.sh bench/*.sh bench/*/run.sh .ci/run)
shellcheck -x -P scripts "${files[@]}"
echo "shellcheck: ${#files[@]} scripts clean"
