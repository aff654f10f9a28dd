#!/usr/bin/env bash
# `flowguard dump` throughput (issue 19), by hand: bench/dump/run.sh [RECORDS_PER_PARTITION]
#
# A dev-cluster with one bench topic of 24 partitions holds RECORDS_PER_PARTITION records each (about
# 250 bytes, one event hour; the embedded cluster keeps ~5 MiB per partition, so 16,000 is the most
# that stays whole). Then, from the moment the dumper's group is assigned to the moment every offset is
# committed (the committed offsets polled every 50 ms):
#   a. dump into a file:// lake (tmpfs /dev/shm when present),
#   b. dump into moto's S3 server (auth off),
#   c. moto's own ceiling beside it: boto3 PutObject of the same objects (the lake of (b), read back),
#      from 24 threads, no Kafka, no gzip: the most any client gets from this moto on this machine.
# Uses the release binary (.build-release/release/flowguard; build it with
# `swift build -c release --scratch-path .build-release`). Writes bench/results/dump-<UTC date>/result.txt.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BIN="${FLOWGUARD_BIN:-$ROOT/.build-release/release/flowguard}"
PYTHON="$ROOT/.venv/bin/python"
PER_PARTITION="${1:-16000}"
[ -x "$BIN" ] || { echo "no release binary at $BIN" >&2; exit 1; }
out="$ROOT/bench/results/dump-$(date -u +%Y-%m-%dT%H%M%SZ)"
mkdir -p "$out"
work="$(mktemp -d /tmp/flowguard-dump-bench.XXXXXX)"
lake_root=/tmp; [ -d /dev/shm ] && lake_root=/dev/shm
pids=()
cleanup() { for pid in "${pids[@]:-}"; do if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi; done; rm -rf "$work" "$lake_root/flowguard-bench-lake"; }
trap cleanup EXIT
cd "$work"
mkdir -p config/kafka
cat > config/kafka/topics.yaml <<'YAML'
topics:
  - name: bench.dump.v1
    partitions: 24
    replication_factor: 1
YAML
"$BIN" dev-cluster > cluster.out 2>&1 &
pids+=("$!")
for _ in $(seq 300); do [ -s .flowguard/cluster.json ] && break; sleep 0.1; done
bootstrap="$("$PYTHON" -c 'import json; print(json.load(open(".flowguard/cluster.json"))["bootstrap_servers"])')"
export BOOTSTRAP="$bootstrap" PER_PARTITION
"$PYTHON" - <<'PY'
import json, os, random
from confluent_kafka import Producer
producer = Producer({"bootstrap.servers": os.environ["BOOTSTRAP"], "linger.ms": 20, "batch.num.messages": 10000, "queue.buffering.max.messages": 1000000})
rng = random.Random(1)
per = int(os.environ["PER_PARTITION"])
for index in range(per * 24):
    value = {"event_id": f"b-{index}", "user_id": 1000 + index % 997, "order_id": f"ORD-{index}", "item_id": index % 50, "item_name": "Masala Dosa",
             "price": 149.0, "event_type": "order", "timestamp": f"2026-12-04T15:{index * 60 // (per * 24):02d}:00.000Z", "received_at": "2026-12-04T15:00:00.000Z"}
    producer.produce("bench.dump.v1", key=str(index % 997).encode(), value=json.dumps(value).encode(), headers=[("event_type", b"order")], partition=index % 24)
    if index % 50000 == 0:
        producer.poll(0)
producer.flush()
PY
total=$((PER_PARTITION * 24))

measure() {  # $1 label, $2 log file, $3 group: seconds from "assigned" to every offset committed
  "$PYTHON" - "$2" "$3" <<'PY'
import os, sys, time
from confluent_kafka import Consumer, TopicPartition
log, group = sys.argv[1], sys.argv[2]
while "assigned" not in open(log).read():
    time.sleep(0.01)
start = time.time()
c = Consumer({"bootstrap.servers": os.environ["BOOTSTRAP"], "group.id": group, "enable.auto.commit": False})
parts = [TopicPartition("bench.dump.v1", p) for p in range(24)]
highs = {p: c.get_watermark_offsets(TopicPartition("bench.dump.v1", p))[1] for p in range(24)}
while True:
    done = c.committed(parts, timeout=10)
    if all(tp.offset >= highs[tp.partition] for tp in done):
        break
    time.sleep(0.05)
print(f"{time.time() - start:.2f}")
PY
}

rss() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }

# a. file:// lake
"$BIN" dump --to "file://$lake_root/flowguard-bench-lake" --topics bench.dump.v1 --group bench-file --max-records 100000 --max-age 1s --metrics-port 0 --log-level info > file.out 2> file.err &
dumper=$!; pids+=("$dumper")
seconds="$(measure file file.err bench-file)"
file_rss="$(rss "$dumper")"
kill -TERM "$dumper"; wait "$dumper" || true
file_rate="$("$PYTHON" -c "print(round($total / $seconds))")"

# b. S3 (moto)
moto_port="$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$ROOT/.venv/bin/moto_server" -H 127.0.0.1 -p "$moto_port" > moto.out 2>&1 &
pids+=("$!")
for _ in $(seq 100); do (echo > "/dev/tcp/127.0.0.1/$moto_port") 2>/dev/null && break; sleep 0.1; done
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1 AWS_ENDPOINT_URL="http://127.0.0.1:$moto_port"
"$PYTHON" -c "import boto3; boto3.client('s3', endpoint_url='$AWS_ENDPOINT_URL').create_bucket(Bucket='lake')"
"$BIN" dump --to s3://lake/bench --topics bench.dump.v1 --group bench-s3 --max-records 4000 --max-age 1s --metrics-port 0 --log-level info > s3.out 2> s3.err &
dumper=$!; pids+=("$dumper")
s3_seconds="$(measure s3 s3.err bench-s3)"
s3_rss="$(rss "$dumper")"
kill -TERM "$dumper"; wait "$dumper" || true
s3_rate="$("$PYTHON" -c "print(round($total / $s3_seconds))")"

# c. moto's ceiling: the same objects, PUT again by boto3 from 24 threads
ceiling="$("$PYTHON" - "$total" <<'PY'
import os, sys, time, boto3, concurrent.futures
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
keys = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket="lake", Prefix="bench/") for o in page.get("Contents", [])]
bodies = [(k, s3.get_object(Bucket="lake", Key=k)["Body"].read()) for k in keys]
clients = [boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"]) for _ in range(24)]
start = time.time()
with concurrent.futures.ThreadPoolExecutor(24) as pool:
    list(pool.map(lambda item: clients[hash(item[0]) % 24].put_object(Bucket="lake", Key="ceiling/" + item[0], Body=item[1]), bodies))
seconds = time.time() - start
print(f"{len(bodies)} {sum(len(b) for _, b in bodies)} {seconds:.2f} {round(int(sys.argv[1]) / seconds)}")
PY
)"
read -r objects bytes ceiling_seconds ceiling_rate <<< "$ceiling"

{
  echo "flowguard dump benchmark, $(date -u +%FT%TZ), $(nproc) cores, binary $(sha256sum "$BIN" | cut -c1-12)"
  echo "records: $total (24 partitions x $PER_PARTITION, ~250 B each, one event hour); KAFKA_CONSUMER__QUEUED_MAX_MESSAGES_KBYTES=${KAFKA_CONSUMER__QUEUED_MAX_MESSAGES_KBYTES:-default}"
  echo "a. file:// ($lake_root): $seconds s from assignment to all committed = $file_rate records/s; peak RSS $((file_rss / 1024)) MiB"
  echo "b. S3 (moto, --max-records 4000): $s3_seconds s = $s3_rate records/s; peak RSS $((s3_rss / 1024)) MiB"
  echo "c. moto's ceiling: boto3 PUT of the same $objects objects ($((bytes / 1024)) KiB) from 24 threads: $ceiling_seconds s = $ceiling_rate records/s equivalent"
} | tee "$out/result.txt"
