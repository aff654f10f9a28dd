#!/usr/bin/env bash
# Gateway benchmarks, run by hand (`make bench`); results are committed under bench/results/.
#  1. Side by side with the original Python design and an nginx ceiling, through
#     ../shared/peer-bench/run_side_by_side.sh (wrk, 32 connections, each a fresh mock cluster;
#     acked vs stored checked in Kafka).
#  2. Memory under a flood: the release gateway on its embedded cluster, wrk with 512 connections
#     (far beyond what it sustains), peak RSS (VmHWM) and the answers it gave.
#  3. The deduplication window's memory at 1,000,000 ids.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
OUT="$ROOT/bench/results"
mkdir -p "$OUT"
DURATION="${BENCH_DURATION:-10s}"
swift build -c release --scratch-path .build-release -q
BIN="$ROOT/.build-release/release/flowguard"
PEER_BENCH="$ROOT/../shared/peer-bench"
for tool in wrk kcat nginx; do command -v "$tool" >/dev/null || { apt-get install -y -qq wrk kcat nginx-light >/dev/null; break; }; done

echo "== 1. side by side with the peers"
export PEER_BENCH_STATE="${PEER_BENCH_STATE:-${TMPDIR:-/tmp}/peer-bench}"
results="$PEER_BENCH_STATE/results/flowguard-$(date -u +%Y%m%dT%H%M%SZ)"
RESULTS_DIR="$results" GATEWAY_NAME="flowguard (release, 1 process)" \
  GATEWAY_CMD="exec '$BIN' start-gateway --host 127.0.0.1 --port \"\$PORT\" --access-log off --console off --log-level warning" \
  "$PEER_BENCH/run_side_by_side.sh" "$DURATION" 32 "${BENCH_REPEATS:-2}"
cp "$results/side_by_side.md" "$OUT/side-by-side.md"
cp "$results/env.txt" "$OUT/side-by-side-env.txt" 2>/dev/null || true

echo "== 2. memory under a flood"
work="$(mktemp -d)"; mkdir -p "$work/config/kafka"; cp config/kafka/topics.yaml "$work/config/kafka/"
port=18093
( cd "$work" && exec "$BIN" start-gateway --host 127.0.0.1 --port "$port" --access-log off --console off --log-level error ) &
gateway=$!
trap 'kill $gateway 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 0.2; done
idle=$(awk '/VmRSS/ {print $2}' "/proc/$gateway/status")
RUN_ID="flood-$$" wrk -t2 -c512 -d"${FLOOD_DURATION:-20s}" --latency -s "$PEER_BENCH/wrk/post_order.lua" \
  "http://127.0.0.1:$port/api/v1/orders" > "$work/wrk.txt" 2>&1 || true
peak=$(awk '/VmHWM/ {print $2}' "/proc/$gateway/status")
after=$(awk '/VmRSS/ {print $2}' "/proc/$gateway/status")
metrics="$(curl -fs "http://127.0.0.1:$port/metrics")"
produced=$(echo "$metrics" | awk '/^flowguard_events_produced_total/ {s+=$2} END {print s+0}')
refused=$(echo "$metrics" | awk '/^flowguard_events_failed_total/ {s+=$2} END {print s+0}')
kill -TERM "$gateway"; wait "$gateway" || true
{
  echo "# Memory under a flood"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), release build, embedded 3-broker cluster in the same process, wrk -t2 -c512 -d${FLOOD_DURATION:-20s} POST /api/v1/orders (peer-bench's post_order.lua), default limits (--max-in-flight 20000)."
  echo
  echo "| RSS idle | peak RSS (VmHWM) | RSS after | events produced | events refused (503) |"
  echo "|---|---|---|---|---|"
  echo "| $((idle / 1024)) MiB | $((peak / 1024)) MiB | $((after / 1024)) MiB | $produced | $refused |"
  echo
  echo '```'
  cat "$work/wrk.txt"
  echo '```'
} > "$OUT/flood-memory.md"
cat "$OUT/flood-memory.md"

echo "== 2b. memory under an open-loop flood at 2x the sustainable rate"
# flowguard simulate schedules events at a fixed rate whatever the answers (no coordinated omission);
# 2x the ~10,000/s the gateway sustains here, with up to 4000 requests in flight.
FLOOD_RATE="${FLOOD_RATE:-20000}"
( cd "$work" && exec "$BIN" start-gateway --host 127.0.0.1 --port "$port" --access-log off --console off --log-level error ) &
gateway=$!
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 0.2; done
idle=$(awk '/VmRSS/ {print $2}' "/proc/$gateway/status")
"$BIN" simulate --target "http://127.0.0.1:$port" --rate "$FLOOD_RATE" --duration 20s --concurrency 4000 --progress off \
  --max-error-rate 1 --output "$work/flood.json" > "$work/simulate.txt" 2>&1 || true
peak=$(awk '/VmHWM/ {print $2}' "/proc/$gateway/status")
alive=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/live")
kill -TERM "$gateway"; wait "$gateway" || true
{
  echo
  echo "## Open loop at ${FLOOD_RATE}/s (2x what the gateway sustains here)"
  echo
  echo "flowguard simulate --rate $FLOOD_RATE --duration 20s --concurrency 4000 against the same release gateway: RSS idle $((idle / 1024)) MiB, peak $((peak / 1024)) MiB; /health/live after the flood: $alive."
  echo
  echo '```'
  cat "$work/simulate.txt"
  echo '```'
} >> "$OUT/flood-memory.md"
tail -n 20 "$OUT/flood-memory.md"

echo "== 3. deduplication window memory"
FLOWGUARD_BENCH=1 FLOWGUARD_BENCH_OUT="$OUT/dedup-memory.txt" swift test --filter DeduplicationMemoryBenchmark
cat "$OUT/dedup-memory.txt"
