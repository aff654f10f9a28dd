#!/usr/bin/env bash
# `flowguard attribute` against a `flowguard dev-cluster`, checked by an independent reference
# (scripts/attribute_reference.py, confluent-kafka) record for record:
#  1. one instance, live: the hand-made edge cases (no click, clicks outside the window, several
#     clicks, a click written after its order, the same millisecond, a probe order) and a simulated
#     funnel whose --truth every order must follow; the metrics count the models and the probe.
#  2. kill -9 at random moments under load and restarts, and a second instance in the same group
#     stopped mid-way: still exactly one record per order, equal to the reference.
source "$(dirname "$0")/lib.sh"
case "${1:-}" in -h | --help) echo "Usage: scripts/test-attribute.sh"; exit 0 ;; esac

work="$(scratch_dir)"
cd "$work"
# The embedded cluster ignores LeaveGroup: a stopped member's partitions move after its session times out.
export KAFKA_CONSUMER__SESSION_TIMEOUT_MS=6000
"$FLOWGUARD_BIN" dev-cluster > cluster.out 2> cluster.err &
PIDS+=("$!")
wait_file .flowguard/cluster.json 60 || fail "dev-cluster did not start"
bootstrap="$("$PYTHON" -c 'import json; print(json.load(open(".flowguard/cluster.json"))["bootstrap_servers"])')"
reference() { # mode [args]
  local mode="$1"; shift
  "$PYTHON" "$ROOT/scripts/attribute_reference.py" "$mode" "$bootstrap" "$@" --click-window-ms 600000 --view-window-ms 300000
}

job_options=(--click-window 10m --view-window 5m --allowed-lateness 2s --transactions off --log-level info)
started=""
start_job() { # name metrics-port; sets $started to the process id
  "$FLOWGUARD_BIN" attribute "${job_options[@]}" --metrics-port "$2" >> "$1.out" 2>> "$1.err" &
  started=$!
  PIDS+=("$started")
}
# Waits until instance $1 (its log $1.err) has been given order partitions $2 times in all.
wait_assigned() {
  local i=0
  until [ "$(grep -c 'attribution.partitions=\[[0-9]' "$1.err")" -ge "$2" ]; do
    i=$((i + 1)); [ "$i" -le 600 ] || fail "instance $1 was not given partitions ($2)"; sleep 0.1
  done
}
metrics_port="$(free_port)"

# 1. One instance, reading while the events are written.
start_job a "$metrics_port"; a=$started
wait_http "http://127.0.0.1:$metrics_port/health" 60 || { cat a.err >&2; fail "attribute did not start"; }
cases="$(reference cases)" || fail "could not write the cases"
"$FLOWGUARD_BIN" simulate --target kafka --seed 7 --users 300 --ctr 0.2 --cvr 0.3 --rate 2000 --duration 10s \
  --truth truth-1.ndjson --progress off > sim-1.out 2>&1 || { cat sim-1.out >&2; fail "simulate failed"; }
reference wait 120 || { tail -20 a.err >&2; fail "the output did not catch up"; }
reference check --truth truth-1.ndjson --min-orders 500 || { tail -20 a.err >&2; fail "phase 1: output differs from the reference"; }
metrics="$(curl -fs "http://127.0.0.1:$metrics_port/metrics")"
echo "$metrics" | grep -q '^flowguard_attribution_probe_orders_total 1$' || fail "the probe order is not counted: $(echo "$metrics" | grep probe)"
echo "$metrics" | grep -q '^flowguard_attribution_orders_total{model="view_through"} [1-9]' || fail "no view-through order counted"
echo "$metrics" | grep -q '^flowguard_attribution_revenue_total{ad_type="carousel"} [0-9]' || fail "no revenue by ad_type"
echo "$metrics" | grep -q '^flowguard_attribution_lag_records{topic="raw.clicks.v1",partition="5"} ' || fail "no lag per partition"
echo "$metrics" | grep -q '^flowguard_attribution_records_read_total{topic="raw.clicks.v1"} [1-9]' || fail "no click records counted as read"
echo "$metrics" > metrics.txt
"$PYTHON" "$ROOT/scripts/deploy_checks.py" job-metrics "$ROOT/deploy/grafana/dashboards/flowguard.json" flowguard_attribution_ metrics.txt \
  || fail "the Grafana dashboard's attribution panels"
echo "phase 1: ok ($cases hand-made orders)"

# 2. Under load: kill -9 and restart at random moments, a second instance joins and is stopped.
"$FLOWGUARD_BIN" simulate --target kafka --seed 8 --users 300 --ctr 0.2 --cvr 0.3 --rate 1000 --duration 40s \
  --truth truth-2.ndjson --progress off > sim-2.out 2>&1 &
sim=$!
PIDS+=("$sim")
RANDOM=42
pause() { sleep "$((1 + RANDOM % 3)).$((RANDOM % 10))"; }
pause
kill -9 "$a"; wait "$a" 2>/dev/null || true
echo "killed instance a"
start_job a "$metrics_port"; a=$started
assigned_a="$(grep -c 'attribution.partitions=\[[0-9]' a.err)"
start_job b 0; b=$started
wait_assigned b 1
wait_assigned a "$((assigned_a + 1))"
echo "instances a and b share the partitions: $(grep 'order partitions assigned' b.err | tail -1 | grep -o 'partitions=\[[0-9, ]*\]')"
pause
kill -9 "$b"; wait "$b" 2>/dev/null || true
echo "killed instance b"
pause
kill -9 "$a"; wait "$a" 2>/dev/null || true
echo "killed instance a"
start_job a "$metrics_port"; a=$started
wait "$sim" || { cat sim-2.out >&2; fail "simulate (phase 2) failed"; }
reference wait 120 || { tail -20 a.err >&2; fail "the output did not catch up after the restarts"; }
reference check --truth truth-2.ndjson --min-orders 1000 || { tail -30 a.err >&2; fail "phase 2: output differs from the reference"; }
grep -q "output read back" a.err || fail "instance a never read its output back"
kill -TERM "$a"
status=0; wait "$a" || status=$?
[ "$status" = 0 ] || fail "attribute exited $status on SIGTERM"
echo "attribute: ok"
