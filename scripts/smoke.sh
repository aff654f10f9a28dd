#!/usr/bin/env bash
# Smoke test: starts the built gateway on its embedded cluster, sends the two requests of the
# original service, and reads both events back from Kafka with an independent client
# (confluent-kafka). Also checks /metrics with prometheus_client's parser and /openapi.json with
# openapi-spec-validator, then stops the gateway with SIGTERM (exit 0, discovery file removed).
source "$(dirname "$0")/lib.sh"
case "${1:-}" in -h | --help) echo "Usage: scripts/smoke.sh [--url http://HOST:PORT]   (without --url: starts the built gateway on its embedded cluster)"; exit 0 ;; esac

url=""
case "${1:-}" in
  --url) url="${2:?--url needs http://HOST:PORT}" ;;
  --url=*) url="${1#--url=}" ;;
  "") ;;
  *) echo "smoke.sh: unknown option '$1' (see --help)" >&2; exit 64 ;;
esac
caller="$(pwd)"
work="$(scratch_dir)"
cd "$work"
gateway=""
if [ -n "$url" ]; then
  base="$url"
  # The running gateway's Kafka: KAFKA_BOOTSTRAP_SERVERS, else the embedded cluster found from the caller's directory.
  bootstrap="${KAFKA_BOOTSTRAP_SERVERS:-$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["bootstrap_servers"])' "$caller/.flowguard/cluster.json" 2>/dev/null || true)}"
  [ -n "$bootstrap" ] || fail "with --url, set KAFKA_BOOTSTRAP_SERVERS or run from the directory of the running gateway"
  wait_http "$base/health" 30 || fail "$base/health is not healthy"
else
  port="$(free_port)"
  base="http://127.0.0.1:$port"
  "$FLOWGUARD_BIN" start-gateway --host 127.0.0.1 --port "$port" --console off --log-level warning > gateway.out 2> gateway.err &
  gateway=$!
  PIDS+=("$gateway")
  wait_http "$base/health" 60 || { cat gateway.err >&2; fail "gateway did not become healthy"; }
  grep -q "DEVELOPMENT ONLY" gateway.err || fail "no loud in-memory warning in the log"
  bootstrap="$("$PYTHON" -c 'import json; print(json.load(open(".flowguard/cluster.json"))["bootstrap_servers"])')"
fi
run="smoke-$(date +%s%N)"

# The original service's two requests (event ids made unique per run, so a running gateway's
# deduplication window does not answer them as retries).
order=$(curl -s -w '\n%{http_code}' -X POST "$base/api/v1/orders" -H 'Content-Type: application/json' \
  -d '{"event_id":"'"$run"'-test_001","user_id":1001,"order_id":"ORD-001","item_id":501,"item_name":"Biryani","price":299.99}')
click=$(curl -s -w '\n%{http_code}' -X POST "$base/api/v1/clicks" -H 'Content-Type: application/json' \
  -d '{"event_id":"'"$run"'-test_002","user_id":1001,"ad_id":"ad_123","is_click":true,"ad_type":"banner"}')
[ "$(echo "$order" | tail -n1)" = 202 ] || fail "order: $order"
[ "$(echo "$click" | tail -n1)" = 202 ] || fail "click: $click"

RUN="$run" ORDER="$(echo "$order" | head -n1)" CLICK="$(echo "$click" | head -n1)" BOOTSTRAP="$bootstrap" "$PYTHON" - <<'PY' || fail "read-back"
import json, os
from confluent_kafka import Consumer, TopicPartition
answers = [json.loads(os.environ["ORDER"]), json.loads(os.environ["CLICK"])]
run = os.environ["RUN"]
expected = {
    f"{run}-test_001": {"user_id": 1001, "order_id": "ORD-001", "item_id": 501, "item_name": "Biryani", "price": 299.99, "event_type": "order"},
    f"{run}-test_002": {"user_id": 1001, "ad_id": "ad_123", "is_click": True, "ad_type": "banner", "event_type": "click"},
}
consumer = Consumer({"bootstrap.servers": os.environ["BOOTSTRAP"], "group.id": "smoke", "enable.auto.commit": False})
for answer in answers:
    consumer.assign([TopicPartition(answer["topic"], answer["partition"], answer["offset"])])
    message = consumer.poll(10)
    assert message is not None and message.error() is None, f"nothing at {answer}"
    value = json.loads(message.value())
    assert message.key() == b"1001", message.key()
    for field, wanted in expected[answer["event_id"]].items():
        assert value[field] == wanted, (field, value[field], wanted)
    headers = dict(message.headers())
    assert headers["event_type"].decode() == answer["event_type"], headers
    assert headers["schema"].decode() == answer["topic"], headers
    assert headers["content-type"] == b"application/json", headers
    print(f"read back {answer['event_id']} at {answer['topic']}[{answer['partition']}]@{answer['offset']}")
consumer.close()
PY

# Per-broker figures come from librdkafka's statistics, emitted every few seconds.
for _ in $(seq 1 100); do
  curl -fs "$base/metrics" > metrics.txt
  grep -q '^flowguard_kafka_broker_rtt_seconds{' metrics.txt && break
  sleep 0.1
done
"$PYTHON" - <<'PY' || fail "/metrics is not valid Prometheus exposition"
from prometheus_client.parser import text_string_to_metric_families
names = {family.name for family in text_string_to_metric_families(open("metrics.txt").read())}
for wanted in ["flowguard_http_requests", "flowguard_events_produced", "flowguard_delivery_latency_seconds", "flowguard_kafka_broker_rtt_seconds"]:
    assert wanted in names, (wanted, sorted(names))
print(f"/metrics: {len(names)} metric families parse")
PY

curl -fs "$base/openapi.json" > openapi.json
"$PYTHON" -c 'from openapi_spec_validator import validate; import json; validate(json.load(open("openapi.json"))); print("/openapi.json: valid OpenAPI 3.1")' \
  || fail "/openapi.json does not validate"

if [ -n "$gateway" ]; then
  kill -TERM "$gateway"
  status=0; wait "$gateway" || status=$?
  [ "$status" = 0 ] || { cat gateway.err >&2; fail "gateway exited $status after SIGTERM"; }
  [ ! -e .flowguard/cluster.json ] || fail "discovery file left behind"
fi
cd / && rm -rf "$work"
echo "smoke: ok"
