#!/usr/bin/env bash
# A real Prometheus (Debian's) on the project's scrape config and alert rules, pointed at a gateway
# on its embedded cluster: after a duplicate, a 422 and a constant 50 events/s from
# `flowguard simulate`, every expression of the Grafana dashboard is evaluated through Prometheus's
# HTTP API without error, and the request-rate panel agrees with the rate simulate sent within 10 %.
# Every alert rule is loaded and evaluated without error. Waits by polling Prometheus, never by sleeping.
source "$(dirname "$0")/lib.sh"
case "${1:-}" in -h | --help) echo "Usage: scripts/test-prometheus.sh"; exit 0 ;; esac

deploy="$ROOT/deploy"
checks=("$PYTHON" "$ROOT/scripts/deploy_checks.py")
work="$(scratch_dir)"
cd "$work"

port="$(free_port)"
base="http://127.0.0.1:$port"
"$FLOWGUARD_BIN" start-gateway --host 127.0.0.1 --port "$port" --log-level warning --access-log off > gateway.out 2> gateway.err &
PIDS+=("$!")
wait_http "$base/health" 60 || { cat gateway.err >&2; fail "gateway did not become healthy"; }

"${checks[@]}" prometheus-config "$deploy/prometheus/prometheus.yml" "$port" prometheus.yml || fail "rewriting the scrape config"
cp "$deploy/prometheus/alerts.yml" .
promtool check config prometheus.yml > /dev/null || fail "the rewritten scrape config"
prometheus_port="$(free_port)"
prometheus="http://127.0.0.1:$prometheus_port"
prometheus --config.file=prometheus.yml --storage.tsdb.path="$work/data" --web.listen-address="127.0.0.1:$prometheus_port" \
  --log.level=warn > prometheus.out 2> prometheus.err &
PIDS+=("$!")
wait_http "$prometheus/-/ready" 60 || { cat prometheus.err >&2; fail "Prometheus did not become ready"; }
echo "prometheus $(prometheus --version 2>&1 | head -n1 | awk '{print $3}') on :$prometheus_port, scraping the gateway on :$port every second"

# The value of a scalar PromQL expression now, or nothing while it has no result.
value() {
  curl -fs --get "$prometheus/api/v1/query" --data-urlencode "query=$1" \
    | "$PYTHON" -c 'import json, sys; r = json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "")'
}
# Waits until Prometheus has a sample of the gateway's requests at least as large as the gateway's
# own count of them now, at most 30 s.
wait_scraped() {
  local wanted seen i=0
  wanted="$(curl -fs "$base/metrics" | awk '/^flowguard_http_requests_total\{route="\/api\// { total += $2 } END { print total + 0 }')"
  until seen="$(value 'sum(flowguard_http_requests_total{job="flowguard-gateway", route=~"/api/.*"})')" \
    && [ -n "$seen" ] && awk -v s="$seen" -v w="$wanted" 'BEGIN { exit !(s >= w) }'; do
    i=$((i + 1)); [ "$i" -le 300 ] || fail "Prometheus never saw $wanted event requests (last: ${seen:-none})"; sleep 0.1
  done
}

# Before the run: an event of each kind, a duplicate and an invalid event, so that the series the
# panels read exist before the window (at 0 during the run for duplicates and rejections), and the
# rate of the run's first seconds is not lost to series that start inside it.
for request in 'clicks/impression {"event_id":"prometheus-i","user_id":1001,"ad_id":"ad_1","ad_type":"banner"}' \
  'clicks {"event_id":"prometheus-c","user_id":1001,"ad_id":"ad_1","ad_type":"banner","is_click":true}'; do
  status="$(curl -s -o /dev/null -w '%{http_code}' -X POST "$base/api/v1/${request%% *}" -H 'Content-Type: application/json' -d "${request#* }")"
  [ "$status" = 202 ] || fail "${request%% *}: $status"
done
order='{"event_id":"prometheus-1","user_id":1001,"order_id":"ORD-1","item_id":501,"item_name":"Biryani","price":299.99}'
for expected in 202 200; do
  status="$(curl -s -o /dev/null -w '%{http_code}' -X POST "$base/api/v1/orders" -H 'Content-Type: application/json' -d "$order")"
  [ "$status" = "$expected" ] || fail "order: $status, wanted $expected"
done
status="$(curl -s -o /dev/null -w '%{http_code}' -X POST "$base/api/v1/orders" -H 'Content-Type: application/json' -d '{"event_id":"prometheus-2"}')"
[ "$status" = 422 ] || fail "invalid order: $status"
wait_scraped

# 50 events/s: far below what even the debug build serves on a busy 2-core machine, so that the
# gateway receives them at the rate they are sent (at 200/s a host stall of 2 s once held back a
# tenth of the window's requests; the test compares Prometheus with simulate, not the host's speed).
"$FLOWGUARD_BIN" simulate --target "$base" --rate 50 --duration 20s --seed 18 --progress off --output simulate.json \
  --log-level warning > simulate.out 2> simulate.err || { cat simulate.out simulate.err >&2; fail "simulate failed"; }
ended="$(date +%s.%N)"
grep -E 'achieved|sent' simulate.out | head -n3 || true
wait_scraped

# The panels at 3 s before the run ended, over 14 s: a window inside the run's 20 s of constant rate.
at="$(awk -v t="$ended" 'BEGIN { printf "%.3f", t - 3 }')"
"${checks[@]}" evaluate "$deploy/grafana/dashboards/flowguard.json" "$prometheus" "$at" 14s simulate.json \
  || fail "the dashboard against a real Prometheus"

# Every rule of alerts.yml loaded and evaluated (evaluation every second) without error.
for _ in $(seq 1 100); do
  curl -fs "$prometheus/api/v1/rules" > rules.json
  "$PYTHON" - "$deploy/prometheus/alerts.yml" rules.json <<'PY' && break
import json, sys, yaml
wanted = [rule["alert"] for group in yaml.safe_load(open(sys.argv[1]))["groups"] for rule in group["rules"]]
rules = [rule for group in json.load(open(sys.argv[2]))["data"]["groups"] for rule in group["rules"]]
bad = [f"{rule['name']}: {rule.get('lastError')}" for rule in rules if rule.get("health") == "err"]
if bad:
    print(bad, file=sys.stderr)
    sys.exit(2)
sys.exit(0 if sorted(rule["name"] for rule in rules if rule.get("health") == "ok") == sorted(wanted) else 1)
PY
  status=$?
  [ "$status" = 1 ] || fail "alert rules failed in Prometheus: $(cat rules.json)"
  sleep 0.1
done
"$PYTHON" -c 'import json, sys; rules = [r for g in json.load(open(sys.argv[1]))["data"]["groups"] for r in g["rules"]]; assert rules and all(r["health"] == "ok" for r in rules); print(f"alerts: {len(rules)} rules loaded and evaluated by Prometheus without error")' rules.json \
  || fail "not every alert rule was evaluated"
cd / && rm -rf "$work"
echo "prometheus: ok"
