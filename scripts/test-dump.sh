#!/usr/bin/env bash
# `flowguard dump` into a file:// lake against a `flowguard dev-cluster`: a known set (simulate --seed, and
# records over three event hours with late ones) is dumped; the group commits every record; /metrics
# counts them; SIGTERM exits 0; `dump --verify` passes; an independent reader (gzip + json) finds every
# record exactly once, equal to what confluent-kafka reads, in the folder of its event hour; DuckDB's
# read_json_auto reads the Hive layout with counts per hour equal to Kafka's. Then two dumpers share a
# group, one is killed with -9 mid-way, and the lake is again exact.
source "$(dirname "$0")/lib.sh"
case "${1:-}" in -h | --help) echo "Usage: scripts/test-dump.sh"; exit 0 ;; esac

work="$(scratch_dir)"
cd "$work"
"$FLOWGUARD_BIN" dev-cluster > cluster.out 2> cluster.err &
PIDS+=("$!")
wait_file .flowguard/cluster.json 30 || { cat cluster.err >&2; fail "no discovery file"; }
harness() { "$PYTHON" "$ROOT/scripts/dump_harness.py" "$@"; }
# The embedded cluster ignores LeaveGroup: a short session lets a group notice a dumper that is gone.
export KAFKA_CONSUMER__SESSION_TIMEOUT_MS=6000
topics=raw.orders.v1,raw.clicks.v1

"$FLOWGUARD_BIN" simulate --target kafka --seed 7 --rate 400 --duration 3s --progress off > simulate.out 2>&1 || { cat simulate.out >&2; fail "simulate"; }
harness produce-hours --topic raw.orders.v1 --count 3000 --seed 3

# Usage errors name the flag.
status=0; "$FLOWGUARD_BIN" dump --to /tmp/x > usage.out 2>&1 || status=$?
[ "$status" = 64 ] || fail "a --to without scheme should be a usage error (got $status: $(cat usage.out))"
grep -q -- "--to" usage.out || fail "the usage error should name --to: $(cat usage.out)"
status=0; "$FLOWGUARD_BIN" dump --to "file://$work/lake" --max-bytes lots > usage.out 2>&1 || status=$?
[ "$status" = 64 ] || fail "--max-bytes lots should be a usage error (got $status)"
grep -q -- "--max-bytes" usage.out || fail "the usage error should name --max-bytes: $(cat usage.out)"
status=0; "$FLOWGUARD_BIN" dump --to "file://$work/lake" --gzip-level 0 > usage.out 2>&1 || status=$?
[ "$status" = 64 ] || fail "--gzip-level 0 should be a usage error (got $status)"
grep -q -- "'--gzip-level' must be an integer from 1 to 9" usage.out || fail "the usage error should name --gzip-level: $(cat usage.out)"

port="$(free_port)"
# zlib's fastest level here, its default in test-dump-s3.sh: the lake is read back the same way.
"$FLOWGUARD_BIN" dump --to "file://$work/lake" --topics "$topics" --max-records 700 --max-age 1s --gzip-level 1 --metrics-port "$port" > dump.out 2> dump.err &
dumper=$!
PIDS+=("$dumper")
harness wait-committed --group flowguard-dump --topics "$topics" --timeout 120 || { tail -20 dump.err >&2; fail "the dumper did not commit everything"; }

wait_http "http://127.0.0.1:$port/metrics" 10 || fail "no /metrics"
# The lag is measured every 5 s for the committed partitions: wait for a measurement after the commits.
for _ in $(seq 1 60); do
  curl -fs "http://127.0.0.1:$port/metrics" > metrics.txt
  grep -q '^flowguard_dump_lag_records{' metrics.txt && break
  sleep 0.5
done
records="$("$PYTHON" - metrics.txt <<'PY'
import sys
from prometheus_client.parser import text_string_to_metric_families
total = 0
names = set()
for family in text_string_to_metric_families(open(sys.argv[1]).read()):
    names.add(family.name)
    if family.name == "flowguard_dump_records":
        total += sum(sample.value for sample in family.samples if sample.name.endswith("_total"))
for wanted in ("flowguard_dump_objects", "flowguard_dump_upload_duration_seconds", "flowguard_dump_committed_offset", "flowguard_dump_bytes"):
    assert wanted in names, f"{wanted} missing from {sorted(names)}"
print(int(total))
PY
)" || fail "metrics: $(head -c 2000 metrics.txt)"
expected="$("$PYTHON" -c '
from confluent_kafka import Consumer, TopicPartition
import json
c = Consumer({"bootstrap.servers": json.load(open(".flowguard/cluster.json"))["bootstrap_servers"], "group.id": "x"})
m = c.list_topics(timeout=10)
print(sum(c.get_watermark_offsets(TopicPartition(t, p), timeout=10)[1] for t in ["raw.orders.v1", "raw.clicks.v1"] for p in m.topics[t].partitions))')"
[ "$records" = "$expected" ] || fail "flowguard_dump_records_total is $records, Kafka holds $expected"
# No upload fails here, so there is no retry to count: test-dump-s3.sh's faults make them.
"$PYTHON" "$ROOT/scripts/deploy_checks.py" job-metrics "$ROOT/deploy/grafana/dashboards/flowguard.json" flowguard_dump_ metrics.txt \
  flowguard_dump_retries_total || fail "the Grafana dashboard's dump panels"

kill -TERM "$dumper"
status=0; wait "$dumper" || status=$?
[ "$status" = 0 ] || { tail -20 dump.err >&2; fail "SIGTERM should exit 0, got $status"; }

"$FLOWGUARD_BIN" dump --verify --to "file://$work/lake" --topics "$topics" > verify.out 2>&1 || { cat verify.out >&2; fail "dump --verify"; }
grep -q "^OK: $expected records" verify.out || fail "verify summary: $(tail -3 verify.out)"
harness check-lake --topics "$topics" --dir "$work/lake" || fail "independent check of the file lake"
harness duckdb --topic raw.orders.v1 --dir "$work/lake" || fail "DuckDB counts"
harness duckdb --topic raw.clicks.v1 --dir "$work/lake" || fail "DuckDB counts"
[ -d "$work/lake/topic=raw.orders.v1/dt=2026-12-04/hr=15" ] || fail "no folder of the event hour 2026-12-04 15:00"

# A record removed from the lake is found missing; --verify exits 1.
victim="$(find "$work/lake" -name '*.ndjson.gz' | head -n1)"
mv "$victim" "$work/victim.gz"
status=0; "$FLOWGUARD_BIN" dump --verify --to "file://$work/lake" --topics "$topics" > verify.out 2>&1 || status=$?
[ "$status" = 1 ] || fail "a removed object should fail --verify (got $status: $(tail -3 verify.out))"
grep -q "not in the lake" verify.out || fail "--verify should name the missing records: $(tail -3 verify.out)"
# ...and a copy under another start offset is a duplicate.
mv "$work/victim.gz" "$victim"
twin="$(dirname "$victim")/$(basename "$victim" | sed -E 's/[0-9]{19}/9999999999999999999/')"
cp "$victim" "$twin"
status=0; "$FLOWGUARD_BIN" dump --verify --to "file://$work/lake" --topics "$topics" > verify.out 2>&1 || status=$?
[ "$status" = 1 ] || fail "a duplicated object should fail --verify"
rm "$twin"

# Two dumpers in one group share the partitions; one is killed mid-way, the other takes its partitions.
harness produce-hours --topic raw.clicks.v1 --count 2000 --seed 5
"$FLOWGUARD_BIN" dump --to "file://$work/lake2" --topics "$topics" --group pair --max-records 300 --max-age 1s --metrics-port 0 > pair1.out 2> pair1.err &
first=$!; PIDS+=("$first")
# The second joins a dumper that already reads: the first hands partitions over, some maybe paused
# behind their uploads, and must read them again when they come back after the kill.
for _ in $(seq 300); do grep -qs "assigned" pair1.err && break; sleep 0.1; done
"$FLOWGUARD_BIN" dump --to "file://$work/lake2" --topics "$topics" --group pair --max-records 300 --max-age 1s --metrics-port 0 > pair2.out 2> pair2.err &
second=$!; PIDS+=("$second")
for _ in $(seq 300); do
  grep -qs "committed" pair2.err && grep -qs "committed" pair1.err && break
  sleep 0.1
done
grep -q "committed" pair2.err || fail "the second dumper never committed: $(tail -5 pair2.err)"
grep -q "committed" pair1.err || fail "the first dumper never committed: $(tail -5 pair1.err)"
kill -9 "$second"
wait "$second" 2>/dev/null || true
"$FLOWGUARD_BIN" simulate --target kafka --seed 8 --rate 300 --duration 2s --progress off > simulate2.out 2>&1 || fail "simulate"
harness wait-committed --group pair --topics "$topics" --timeout 120 || { tail -20 pair1.err >&2; fail "the remaining dumper did not take over"; }
kill -TERM "$first"; wait "$first" || fail "SIGTERM of the first dumper"
"$FLOWGUARD_BIN" dump --verify --to "file://$work/lake2" --topics "$topics" --group pair > verify2.out 2>&1 || { cat verify2.out >&2; fail "dump --verify after the pair"; }
harness check-lake --topics "$topics" --dir "$work/lake2" || fail "independent check after the pair"

cd / && rm -rf "$work"
echo "dump (file lake, metrics, verify, DuckDB, two dumpers): ok"
