#!/usr/bin/env bash
# scripts/health_check.sh against a `flowguard dev-cluster` process: waits for health and exits 0;
# an explicit gateway that does not answer is unhealthy (1); a topic missing from the cluster is
# unhealthy (1); a bad --wait is a usage error (64).
source "$(dirname "$0")/lib.sh"
case "${1:-}" in -h | --help) echo "Usage: scripts/test-health-check.sh"; exit 0 ;; esac

work="$(scratch_dir)"
cd "$work"
"$FLOWGUARD_BIN" dev-cluster > cluster.out 2> cluster.err &
PIDS+=("$!")
status=0
out="$(FLOWGUARD_BIN="$FLOWGUARD_BIN" "$ROOT/scripts/health_check.sh" --wait 30 --gateway-skip 2>&1)" || status=$?
[ "$status" = 64 ] || fail "an unknown option should be a usage error (64), got $status: $out"

status=0
out="$(FLOWGUARD_BIN="$FLOWGUARD_BIN" "$ROOT/scripts/health_check.sh" --wait 30 --timeout 2s)" || status=$?
echo "$out"
[ "$status" = 0 ] || fail "health_check.sh --wait 30 on a dev-cluster exited $status"
echo "$out" | grep -q '✓ kafka: 3/3 brokers up' || fail "no Kafka line"

status=0
out="$(FLOWGUARD_BIN="$FLOWGUARD_BIN" "$ROOT/scripts/health_check.sh" --gateway http://127.0.0.1:9 --timeout 1s)" || status=$?
[ "$status" = 1 ] || fail "a gateway that does not answer should be unhealthy (1), got $status"
echo "$out" | grep -q '✗ gateway' || fail "no failed gateway line: $out"

cp config/kafka/topics.yaml extra.yaml
printf '  - name: missing.topic.v1\n    partitions: 1\n    replication_factor: 1\n' >> extra.yaml
status=0
out="$(FLOWGUARD_BIN="$FLOWGUARD_BIN" "$ROOT/scripts/health_check.sh" --file extra.yaml --timeout 2s)" || status=$?
[ "$status" = 1 ] || fail "a missing topic should be unhealthy (1), got $status"
echo "$out" | grep -q '✗ topic missing.topic.v1: missing' || fail "no missing-topic line: $out"

status=0
FLOWGUARD_BIN="$FLOWGUARD_BIN" "$ROOT/scripts/health_check.sh" --wait soon >/dev/null 2>&1 || status=$?
[ "$status" = 64 ] || fail "--wait soon should be a usage error (64), got $status"
cd / && rm -rf "$work"
echo "health_check.sh: ok"
