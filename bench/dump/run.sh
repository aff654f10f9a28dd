#!/usr/bin/env bash
# `flowguard dump` throughput (issue 19), by hand: bench/dump/run.sh [RECORDS_PER_PARTITION] [PARTITIONS]
#
# A dev-cluster with one bench topic of PARTITIONS partitions (96) holds RECORDS_PER_PARTITION records
# each (16,000: about 250 bytes, compact JSON as the gateway writes it, one event hour; the embedded
# cluster keeps ~5 MiB per partition, so 16,000 is the most that stays whole): 1,536,000 records. Then a
# dumper starts on the backlog, and the committed offsets are polled every 50 ms:
#   a. into a file:// lake (tmpfs /dev/shm when present), defaults (--max-records 100000, so objects
#      are sealed by --max-age 1s here),
#   b. into a file:// lake with --max-records 4000, so that commits come steadily,
#   c. into moto's S3 server (auth off, --max-records 4000),
#   d. moto's own ceiling beside it: boto3 PutObject of the same objects (the lake of (c), read back),
#      from 24 threads, no Kafka, no gzip: the most any client gets from this moto on this machine.
#   a1, c1, d1: (a), (c) and (d) again with --gzip-level 1 (zlib's fastest) instead of 6.
#   c0: (c) with dump's defaults, objects as large as (a)'s.
#   e. the Kafka side's ceiling: a plain confluent-kafka reader of the whole backlog (no work per
#      record), before the dumps.
# Each dump run also reports the CPU seconds the dumper, the embedded cluster and moto used during it:
# with two cores, their sum over the run's time says whether the machine was the limit.
# Each run reports the whole (from the group's assignment to every offset committed, so librdkafka's
# start-up of about a second and the last --max-age are in it) and the steady rate (records committed
# between 10% and 90% of the total, over the time that took).
# Uses the release binary (.build-release/release/flowguard; build it with
# `swift build -c release --scratch-path .build-release`). Writes bench/results/dump-<UTC date>/result.txt.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BIN="${FLOWGUARD_BIN:-$ROOT/.build-release/release/flowguard}"
PYTHON="$ROOT/.venv/bin/python"
PER_PARTITION="${1:-16000}"
PARTITIONS="${2:-96}"
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
    partitions: PARTITIONS
    replication_factor: 1
YAML
sed -i "s/PARTITIONS/$PARTITIONS/" config/kafka/topics.yaml
"$BIN" dev-cluster > cluster.out 2>&1 &
cluster_pid=$!
pids+=("$cluster_pid")
for _ in $(seq 300); do [ -s .flowguard/cluster.json ] && break; sleep 0.1; done
bootstrap="$("$PYTHON" -c 'import json; print(json.load(open(".flowguard/cluster.json"))["bootstrap_servers"])')"
export BOOTSTRAP="$bootstrap" PER_PARTITION PARTITIONS
"$PYTHON" - <<'PY'
import json, os, random
from confluent_kafka import Producer
producer = Producer({"bootstrap.servers": os.environ["BOOTSTRAP"], "linger.ms": 20, "batch.num.messages": 10000, "queue.buffering.max.messages": 1000000})
rng = random.Random(1)
per = int(os.environ["PER_PARTITION"])
parts = int(os.environ["PARTITIONS"])
for index in range(per * parts):
    value = {"event_id": f"b-{index}", "user_id": 1000 + index % 997, "order_id": f"ORD-{index}", "item_id": index % 50, "item_name": "Masala Dosa",
             "price": 149.0, "event_type": "order", "timestamp": f"2026-12-04T15:{index * 60 // (per * parts):02d}:00.000Z", "received_at": "2026-12-04T15:00:00.000Z"}
    producer.produce("bench.dump.v1", key=str(index % 997).encode(), value=json.dumps(value, separators=(",", ":")).encode(), headers=[("event_type", b"order")], partition=index % parts)
    if index % 50000 == 0:
        producer.poll(0)
producer.flush()
PY
total=$((PER_PARTITION * PARTITIONS))

measure() {  # $1 log file, $2 group: "WHOLE_SECONDS STEADY_RATE" (see the header)
  "$PYTHON" - "$1" "$2" <<'PY'
import os, sys, time
from confluent_kafka import Consumer, TopicPartition
log, group = sys.argv[1], sys.argv[2]
while "assigned" not in open(log).read():
    time.sleep(0.01)
start = time.time()
c = Consumer({"bootstrap.servers": os.environ["BOOTSTRAP"], "group.id": group, "enable.auto.commit": False})
n = int(os.environ["PARTITIONS"])
parts = [TopicPartition("bench.dump.v1", p) for p in range(n)]
total = sum(c.get_watermark_offsets(tp)[1] for tp in parts)
series = []
while True:
    count = sum(max(tp.offset, 0) for tp in c.committed(parts, timeout=10))
    series.append((time.time() - start, count))
    if count >= total:
        break
    time.sleep(0.05)
t10 = next(t for t, k in series if k >= total * 0.1)
t90 = next(t for t, k in series if k >= total * 0.9)
print(f"{series[-1][0]:.2f} {round(total * 0.8 / max(t90 - t10, 0.05))}")
PY
}

rss() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }
ticks() { if [ -n "$1" ]; then awk '{print $14 + $15}' "/proc/$1/stat"; else echo 0; fi; } # user + system, 1/100 s
seconds() { awk -v t="$1" 'BEGIN { printf "%.2f", t / 100 }'; }

# e. a plain reader of the backlog, from offset 0 of every partition
read -r reader_s reader_rate reader_cpu <<< "$("$PYTHON" - <<'PY'
import os, resource, time
from confluent_kafka import Consumer, TopicPartition
c = Consumer({"bootstrap.servers": os.environ["BOOTSTRAP"], "group.id": "bench-reader", "enable.auto.commit": False})
n = int(os.environ["PARTITIONS"])
left = {p: c.get_watermark_offsets(TopicPartition("bench.dump.v1", p), timeout=10)[1] for p in range(n)}
total = sum(left.values())
start = time.time()
c.assign([TopicPartition("bench.dump.v1", p, 0) for p in range(n)])
while left:
    for m in c.consume(10000, 0.1):
        if not m.error() and m.offset() + 1 >= left.get(m.partition(), 1 << 62):
            left.pop(m.partition(), None)
seconds = time.time() - start
usage = resource.getrusage(resource.RUSAGE_SELF)
print(f"{seconds:.2f} {round(total / seconds)} {usage.ru_utime + usage.ru_stime:.2f}")
PY
)"

moto_pid=""
dump_run() {  # $1 label, $2 destination, $3 group, then dump's options:
  # "WHOLE_SECONDS WHOLE_RATE STEADY_RATE RSS_KIB DUMPER_CPU CLUSTER_CPU MOTO_CPU" (CPU in seconds)
  local label=$1 destination=$2 group=$3; shift 3
  local cluster0 moto0; cluster0="$(ticks "$cluster_pid")"; moto0="$(ticks "$moto_pid")"
  "$BIN" dump --to "$destination" --topics bench.dump.v1 --group "$group" --max-age 1s --metrics-port 0 --log-level info "$@" > "$label.out" 2> "$label.err" &
  local dumper=$!; pids+=("$dumper")
  local result; result="$(measure "$label.err" "$group")"
  local peak; peak="$(rss "$dumper")"
  local dumper_cpu cluster_cpu moto_cpu
  dumper_cpu="$(seconds "$(ticks "$dumper")")"
  cluster_cpu="$(seconds $(($(ticks "$cluster_pid") - cluster0)))"
  moto_cpu="$(seconds $(($(ticks "$moto_pid") - moto0)))"
  kill -TERM "$dumper"; wait "$dumper" || true
  read -r whole steady <<< "$result"
  echo "$whole $("$PYTHON" -c "print(round($total / $whole))") $steady $peak $dumper_cpu $cluster_cpu $moto_cpu"
}
cpu_line() {  # $1 whole seconds, $2 "DUMPER CLUSTER MOTO" CPU seconds
  local d c m; read -r d c m <<< "$2"
  awk -v w="$1" -v d="$d" -v c="$c" -v m="$m" 'BEGIN { printf "CPU: dumper %.2f s, cluster %.2f s, moto %.2f s = %.2f cores busy", d, c, m, (d + c + m) / w }'
}

# a, b. file:// lakes
read -r file_s file_rate file_steady file_rss file_cpu <<< "$(dump_run file "file://$lake_root/flowguard-bench-lake" bench-file)"
rm -rf "$lake_root/flowguard-bench-lake"
read -r file4_s file4_rate file4_steady file4_rss file4_cpu <<< "$(dump_run file4000 "file://$lake_root/flowguard-bench-lake" bench-file-4000 --max-records 4000)"
rm -rf "$lake_root/flowguard-bench-lake"
read -r file1_s file1_rate file1_steady file1_rss file1_cpu <<< "$(dump_run file-level1 "file://$lake_root/flowguard-bench-lake" bench-file-level1 --gzip-level 1)"
file1_bytes="$(du -sb "$lake_root/flowguard-bench-lake" | cut -f1)"
rm -rf "$lake_root/flowguard-bench-lake"

# c. S3 (moto)
moto_port="$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$ROOT/.venv/bin/moto_server" -H 127.0.0.1 -p "$moto_port" > moto.out 2>&1 &
moto_pid=$!
pids+=("$moto_pid")
for _ in $(seq 100); do (echo > "/dev/tcp/127.0.0.1/$moto_port") 2>/dev/null && break; sleep 0.1; done
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1 AWS_ENDPOINT_URL="http://127.0.0.1:$moto_port"
"$PYTHON" -c "import boto3; boto3.client('s3', endpoint_url='$AWS_ENDPOINT_URL').create_bucket(Bucket='lake')"
read -r s3_s s3_rate s3_steady s3_rss s3_cpu <<< "$(dump_run s3 s3://lake/bench bench-s3 --max-records 4000)"
read -r s30_s s30_rate s30_steady s30_rss s30_cpu <<< "$(dump_run s3-defaults s3://lake/bench-defaults bench-s3-defaults)"
read -r s31_s s31_rate s31_steady s31_rss s31_cpu <<< "$(dump_run s3-level1 s3://lake/bench-level1 bench-s3-level1 --max-records 4000 --gzip-level 1)"

# d. moto's ceiling: the same objects, PUT again by boto3 from 24 threads
moto_ceiling() {  # $1 the prefix of the objects: "OBJECTS BYTES SECONDS RECORDS_PER_SECOND"
"$PYTHON" - "$total" "$1" <<'PY'
import os, sys, time, boto3, concurrent.futures
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
keys = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket="lake", Prefix=sys.argv[2] + "/") for o in page.get("Contents", [])]
bodies = [(k, s3.get_object(Bucket="lake", Key=k)["Body"].read()) for k in keys]
clients = [boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"]) for _ in range(24)]
start = time.time()
with concurrent.futures.ThreadPoolExecutor(24) as pool:
    list(pool.map(lambda item: clients[hash(item[0]) % 24].put_object(Bucket="lake", Key="ceiling/" + item[0], Body=item[1]), bodies))
seconds = time.time() - start
print(f"{len(bodies)} {sum(len(b) for _, b in bodies)} {seconds:.2f} {round(int(sys.argv[1]) / seconds)}")
PY
}
read -r objects bytes ceiling_seconds ceiling_rate <<< "$(moto_ceiling bench)"
read -r objects1 bytes1 ceiling1_seconds ceiling1_rate <<< "$(moto_ceiling bench-level1)"

{
  echo "flowguard dump benchmark, $(date -u +%FT%TZ), $(nproc) cores, binary $(sha256sum "$BIN" | cut -c1-12)"
  echo "records: $total ($PARTITIONS partitions x $PER_PARTITION, ~250 B each, one event hour); KAFKA_CONSUMER__QUEUED_MAX_MESSAGES_KBYTES=${KAFKA_CONSUMER__QUEUED_MAX_MESSAGES_KBYTES:-default}"
  echo "e. a plain confluent-kafka reader of the backlog: $reader_s s = $reader_rate records/s; its CPU $reader_cpu s"
  echo "a. file:// ($lake_root), defaults: whole $file_s s = $file_rate records/s; steady $file_steady records/s; peak RSS $((file_rss / 1024)) MiB; $(cpu_line "$file_s" "$file_cpu")"
  echo "b. file:// ($lake_root), --max-records 4000: whole $file4_s s = $file4_rate records/s; steady $file4_steady records/s; peak RSS $((file4_rss / 1024)) MiB; $(cpu_line "$file4_s" "$file4_cpu")"
  echo "c. S3 (moto, --max-records 4000): whole $s3_s s = $s3_rate records/s; steady $s3_steady records/s; peak RSS $((s3_rss / 1024)) MiB; $(cpu_line "$s3_s" "$s3_cpu")"
  echo "c0. S3 (moto), defaults: whole $s30_s s = $s30_rate records/s; steady $s30_steady records/s; peak RSS $((s30_rss / 1024)) MiB; $(cpu_line "$s30_s" "$s30_cpu")"
  echo "a1. file:// ($lake_root), --gzip-level 1: whole $file1_s s = $file1_rate records/s; steady $file1_steady records/s; peak RSS $((file1_rss / 1024)) MiB; lake $((file1_bytes / 1024)) KiB; $(cpu_line "$file1_s" "$file1_cpu")"
  echo "c1. S3 (moto, --max-records 4000 --gzip-level 1): whole $s31_s s = $s31_rate records/s; steady $s31_steady records/s; peak RSS $((s31_rss / 1024)) MiB; $(cpu_line "$s31_s" "$s31_cpu")"
  echo "d. moto's ceiling: boto3 PUT of the same $objects objects ($((bytes / 1024)) KiB) from 24 threads: $ceiling_seconds s = $ceiling_rate records/s equivalent"
  echo "d1. moto's ceiling for c1's $objects1 objects ($((bytes1 / 1024)) KiB): $ceiling1_seconds s = $ceiling1_rate records/s equivalent"
} | tee "$out/result.txt"
