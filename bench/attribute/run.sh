#!/usr/bin/env bash
# `flowguard attribute` built in release mode, against a `flowguard dev-cluster` on this machine.
# Writes bench/attribute/results.md with two figures (issue 20):
#  1. throughput: EVENTS simulated events (defaults: the simulator's funnel) are written first, then
#     one instance starts and reads them all. Two rates: the steady one, between 10% and 90% of the
#     input read (from the job's records_read counter); and the whole run, from the group's assignment
#     to the last output record, start-up included. A click dated an hour ahead in every click
#     partition lets the watermarks pass every order at once, so the run measures reading and
#     crediting, not --allowed-lateness. RUNS runs (3) for each way of writing the input.
#  2. latency at RATE events/s: the job runs while simulate writes for DURATION seconds; for each
#     order, from its record's time in Kafka to its output record's (both CreateTime on this
#     machine's clock): p50, p99, max.
#
#   bench/attribute/run.sh
#   EVENTS=20000 RUNS=1 RATE=1000 DURATION=5 FLOWGUARD_BIN=.build/debug/flowguard RESULTS=/tmp/r.md bench/attribute/run.sh   # a dry run
#
# The embedded cluster keeps about 5 MiB per partition: EVENTS beyond about 60,000 lose their oldest
# clicks before the job starts, so the throughput run is limited to what it holds.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
scratch=${SCRATCH_PATH:-.build-release}
events=${EVENTS:-60000} # a multiple of 20,000
rate=${RATE:-5000}
duration=${DURATION:-30}
results=${RESULTS:-bench/attribute/results.md}
[[ $results == /* ]] || results=$root/$results
python=${PYTHON:-$root/.venv/bin/python}

if [[ -n ${FLOWGUARD_BIN:-} ]]; then
    bin=$FLOWGUARD_BIN
else
    echo "bench: building release into $scratch (slow on 2 cores)" >&2
    swift build -c release --scratch-path "$scratch" --product flowguard >&2
    bin=$root/$scratch/release/flowguard
fi
[[ $bin == /* ]] || bin=$root/$bin

work=$(mktemp -d "${TMPDIR:-/tmp}/flowguard-attribute-bench.XXXXXX")
mkdir -p "$work/config/kafka"
cp config/kafka/topics.yaml "$work/config/kafka/"
cd "$work"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

start_cluster() { # sets $cluster and $bootstrap
    rm -f .flowguard/cluster.json
    "$bin" dev-cluster > cluster.out 2>&1 &
    cluster=$!
    pids+=("$cluster")
    for _ in $(seq 300); do [[ -s .flowguard/cluster.json ]] && break; sleep 0.1; done
    bootstrap=$("$python" -c 'import json; print(json.load(open(".flowguard/cluster.json"))["bootstrap_servers"])')
}

# 1. Throughput, RUNS times for each of two ways the input was written. The embedded cluster answers
# a fetch with one record batch per partition (librdkafka 2.0.2's mock: "FIXME: Multiple
# messageSets?"), where a broker fills the fetch up to max.partition.fetch.bytes; so on it every reader
# is bound by the batches the producer made. "small batches": the producer's default linger (0.5 ms),
# one or two records a batch at 20,000 events/s; "batched": linger 20 ms, about 60. Each run also
# measures a plain confluent-kafka reader of the click topic, the ceiling any reader has there.
cpu() { awk '{printf "%.2f", ($14 + $15) / 100}' "/proc/$1/stat"; } # user + system seconds of a process
free_port() { "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
throughput_rows=()
for preload in "small batches:0.5" "batched:20"; do
    name=${preload%%:*}
    for run in $(seq "${RUNS:-3}"); do
        start_cluster
        KAFKA_PRODUCER__LINGER_MS=${preload##*:} "$bin" simulate --target kafka --seed 3 --rate 20000 --concurrency 5000 \
            --duration "$((events / 20000))s" --progress off > preload.out 2>&1
        "$python" "$root/bench/attribute/measure.py" sentinels "$bootstrap"
        ceiling=$("$python" "$root/bench/attribute/measure.py" reader "$bootstrap")
        cluster_before=$(cpu "$cluster")
        port=$(free_port)
        "$bin" attribute --transactions off --metrics-port "$port" > job1.out 2> job1.err &
        job=$!
        pids+=("$job")
        measured=$("$python" "$root/bench/attribute/measure.py" throughput "$bootstrap" job1.err "$port")
        job_cpu=$(cpu "$job")
        cluster_cpu=$(awk -v a="$(cpu "$cluster")" -v b="$cluster_before" 'BEGIN { printf "%.2f", a - b }')
        input=$("$python" -c 'import re,sys; print(re.search(r"([0-9,]+) events", sys.argv[1]).group(1).replace(",", ""))' "$measured")
        per_cpu=$(awk -v n="$input" -v c="$job_cpu" 'BEGIN { printf "%.0f", n / c }')
        whole=$(sed -n 1p <<< "$measured")
        steady=$(sed -n 2p <<< "$measured")
        throughput_rows+=("| $name, run $run | $steady | $whole | $ceiling | $job_cpu s ($per_cpu events per CPU-second); cluster $cluster_cpu s |")
        echo "bench: ${throughput_rows[-1]}" >&2
        kill "$job"; wait "$job" || true
        kill "$cluster"; wait "$cluster" 2>/dev/null || true
        pids=()
    done
done

# 2. Latency under a steady rate.
start_cluster
"$bin" attribute --transactions off --metrics-port 0 > job2.out 2> job2.err &
pids+=("$!")
sleep 5
"$bin" simulate --target kafka --seed 4 --rate "$rate" --duration "${duration}s" --progress off > steady.out 2>&1
sleep 3
latency=$("$python" "$root/bench/attribute/measure.py" latency "$bootstrap")

{
    echo "# flowguard attribute: measured"
    echo
    echo "Generated by \`bench/attribute/run.sh\` on $(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$root" rev-parse --short HEAD), $(nproc) cores, $("$bin" --version)."
    echo
    echo "Throughput of one instance, $events events written first (the input's batches: see run.sh):"
    echo
    echo "| input | steady rate | whole run | a plain reader of the clicks, records/s | CPU of the job (start-up included) |"
    echo "|---|---|---|---|---|"
    printf '%s\n' "${throughput_rows[@]}"
    echo
    echo "Latency: order in Kafka to its attributed record, ${rate} events/s for ${duration} s: $latency"
} > "$results"
cat "$results"
