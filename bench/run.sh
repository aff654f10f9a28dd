#!/usr/bin/env bash
# FlowGuard's benchmark (issue 7): `make bench` runs it, `bench/run.sh -h` lists the knobs.
#
# Everything runs on this machine: the servers, their load generators and Kafka share its cores,
# so the ratios between servers measured the same way matter more than the absolute numbers. Kafka
# is librdkafka's mock cluster (3 brokers, raw.orders.v1 with 3 partitions, raw.clicks.v1 with 6),
# from ../shared/peer-bench; every server gets a fresh one, and "stored" is always counted from the
# topics' end offsets (the mock trims each partition to ~5 MiB, so consuming would undercount).
#
#  a. side-by-side: ../shared/peer-bench/run_side_by_side.sh at each CONNS: closed-loop wrk
#     (2 threads, POST orders then clicks) against nginx `return 202` (the HTTP ceiling), the
#     Python peer fire-and-forget (async) and ack-awaited (sync), and FlowGuard: req/s, p50, p99,
#     non-2xx, acked (2xx) vs stored in Kafka, peak RSS, CPU per 1000 events.
#  b. fixed-rate: open loop, no coordinated omission: `flowguard simulate --rate RATE --mix orders`
#     for DURATION against each of the four (fresh server, 3 s wrk warm-up first): achieved rate,
#     latency p50/p99/p99.9/max counted from each event's scheduled time, errors; acked vs stored,
#     peak RSS (VmHWM) and CPU of the server.
#  c. batch: wrk POSTing arrays of 1000 orders (bench/wrk/post_order_batch.lua) to
#     /api/v1/orders/batch: events/s acknowledged, checked against the gateway's
#     flowguard_events_produced_total and Kafka's end offsets.
#  d. cold-start: process spawn to the first 202 for an order, Kafka already up (bench/coldstart.py).
#  e. footprint: binary size (as built, and stripped), RSS 2 s after /health first answers.
#
# Results go to bench/results/<UTC date>/ (QUICK=1: bench/results/quick-<UTC date>/, git-ignored);
# bench/summarize.py then writes results.md, throughput.png, latency.png and readme-section.md
# there, and bench/results/LATEST names the folder. The binary is copied once at the start, so a
# rebuild during the run does not mix two builds; its sha256 is in env.txt.
set -euo pipefail
shopt -s inherit_errexit   # a failure inside $(...) stops the script too

usage() {
    cat <<'EOF'
Usage: bench/run.sh [-h]

Runs FlowGuard's benchmark against the release binary (it does not build it) and writes
bench/results/<UTC date>/: results.md, throughput.png, latency.png, readme-section.md and the raw
results of each step. A full run takes about 12 minutes on the 2-core machine (QUICK=1: 2.5).

Environment:
  DURATION=10s       length of each measured run (wrk and simulate)
  REPEATS=2          repeats of the side-by-side and fixed-rate runs
  CONNS="32 128"     wrk connections of the side-by-side runs, one run_side_by_side.sh per value
  RATE=5000          events/s of the fixed-rate (open-loop) runs
  BATCH_CONNS=16     wrk connections of the batch run; several ("8 16 32") keep the best
  COLD_RUNS=5        cold starts
  STEPS="side-by-side fixed-rate batch cold-start footprint"   the steps to run
  QUICK=1            smoke run: DURATION=2s REPEATS=1 COLD_RUNS=2, 1 s warm-ups, results in
                     bench/results/quick-<date>/ (git-ignored)
  FLOWGUARD_BIN      default .build-release/release/flowguard
                     (swift build -c release --scratch-path .build-release)
  PEER_BENCH         default ../shared/peer-bench (read-only; never written)
  PEER_BENCH_STATE   peer-bench's state dir (mock cluster binary, the peer's venv), default /tmp/peer-bench
  RESULTS_DIR        write the results there instead
  AUTOGROUP=0|1      set kernel.sched_autogroup_enabled for the run (root; restored afterwards).
                     1, Debian's default, shares the CPU per session and every server runs in its
                     own, which caps a multi-threaded server at about one of the 2 cores against
                     its load generator; 0 shares it per thread. Unset: left as it is (env.txt says)

Ports: nginx 18110, the peer 18111, FlowGuard 18112 (run_side_by_side.sh uses its own 18001,
18002, 18080). The summary alone can be redone with: bench/summarize.py bench/results/<folder>
EOF
}
case "${1:-}" in
    -h | --help) usage; exit 0 ;;
    "") ;;
    *) usage >&2; exit 2 ;;
esac

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

QUICK="${QUICK:-0}"
if [ "$QUICK" = 1 ]; then
    DURATION="${DURATION:-2s}" REPEATS="${REPEATS:-1}" COLD_RUNS="${COLD_RUNS:-2}" WARMUP="${WARMUP:-1s}"
fi
DURATION="${DURATION:-10s}"
case "$DURATION" in *[0-9]) DURATION="${DURATION}s" ;; esac   # wrk and simulate both take "10s"
REPEATS="${REPEATS:-2}"
CONNS="${CONNS:-32 128}"
RATE="${RATE:-5000}"
BATCH_CONNS="${BATCH_CONNS:-16}"
BATCH_SIZE=1000
COLD_RUNS="${COLD_RUNS:-5}"
export WARMUP="${WARMUP:-3s}"            # also read by run_side_by_side.sh
STEPS="${STEPS:-side-by-side fixed-rate batch cold-start footprint}"
SIM_CONCURRENCY=512
NGINX_PORT=18110 PEER_PORT=18111 FG_PORT=18112
TOPIC_SPECS=(raw.orders.v1:3:2 raw.clicks.v1:6:2)

PEER_BENCH="$(cd "${PEER_BENCH:-$ROOT/../shared/peer-bench}" && pwd)"
PEER_BENCH_STATE="$(realpath -m "${PEER_BENCH_STATE:-${TMPDIR:-/tmp}/peer-bench}")"
export PEER_BENCH_STATE
MOCKCLUSTER="$PEER_BENCH_STATE/build/mockcluster"
FLOWGUARD_SRC="${FLOWGUARD_BIN:-$ROOT/.build-release/release/flowguard}"

STAMP="$(date -u +%Y-%m-%dT%H%MZ)"
if [ "$QUICK" = 1 ]; then STAMP="quick-$STAMP"; fi
OUT="${RESULTS_DIR:-$ROOT/bench/results/$STAMP}"
if [ -z "${RESULTS_DIR:-}" ] && [ -e "$OUT" ]; then OUT="$OUT-$(date -u +%S)s"; fi

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------------------------------------
# Processes. Every server and mock cluster runs in a process group of its own (setsid; its PID is
# the group id) and is listed in SERVERS; the load generator or sub-script running in the
# foreground is FG_PID, also a group of its own. The trap stops them all, by group id.

SERVERS=()
FG_PID=""
WORK=""

# spawn LOG CMD...: starts CMD in the background in a new process group, output appended to LOG.
# Sets SPAWNED to its PID.
spawn() {
    local logfile="$1"
    shift
    setsid "$@" </dev/null >>"$logfile" 2>&1 &
    SPAWNED=$!
    SERVERS+=("$SPAWNED")
}

# fg_run CMD...: runs CMD in a process group of its own and waits for it; returns its status.
fg_run() {
    local rc=0
    setsid "$@" </dev/null &
    FG_PID=$!
    wait "$FG_PID" || rc=$?
    FG_PID=""
    return "$rc"
}

# group_alive PGID: true while a process of that group, other than a zombie, is left.
group_alive() {
    ps -e -o pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/ { found = 1 } END { exit !found }'
}

# stop_group PGID: SIGTERM to the whole group, SIGKILL to whatever is left after 15 s.
stop_group() {
    local pgid="$1" i rest=() pid
    [ -n "$pgid" ] || return 0
    kill -TERM -- "-$pgid" 2>/dev/null || true
    for ((i = 0; i < 150; i++)); do
        group_alive "$pgid" || break
        sleep 0.1
    done
    if group_alive "$pgid"; then
        log "process group $pgid still running 15 s after SIGTERM: SIGKILL"
        kill -KILL -- "-$pgid" 2>/dev/null || true
    fi
    wait "$pgid" 2>/dev/null || true
    for pid in "${SERVERS[@]}"; do [ "$pid" = "$pgid" ] || rest+=("$pid"); done
    SERVERS=("${rest[@]}")
}

cleanup() {
    local i
    stop_group "$FG_PID"
    for ((i = ${#SERVERS[@]} - 1; i >= 0; i--)); do stop_group "${SERVERS[i]}"; done
    if [ -n "$WORK" ]; then rm -rf "$WORK"; fi
    if [ -n "$AUTOGROUP_BEFORE" ]; then echo "$AUTOGROUP_BEFORE" >"$AUTOGROUP_KNOB"; fi
}

# The kernel's autogroup scheduling shares the CPU between sessions, not threads. Every server here
# runs in a session of its own (setsid, as run_side_by_side.sh does), so on 2 cores a
# multi-threaded server gets at most about one core against its load generator's session, while a
# single-threaded one (nginx with 1 worker, the Python peer) loses nothing. AUTOGROUP=0 or 1 sets
# it for the run (root) and puts it back afterwards; env.txt records what was measured.
AUTOGROUP_KNOB=/proc/sys/kernel/sched_autogroup_enabled
AUTOGROUP_BEFORE=""
set_autogroup() {
    [ -n "${AUTOGROUP:-}" ] || return 0
    case "$AUTOGROUP" in 0 | 1) ;; *) die "AUTOGROUP must be 0 or 1" ;; esac
    [ -w "$AUTOGROUP_KNOB" ] || die "AUTOGROUP=$AUTOGROUP needs root (cannot write $AUTOGROUP_KNOB)"
    AUTOGROUP_BEFORE="$(cat "$AUTOGROUP_KNOB")"
    echo "$AUTOGROUP" >"$AUTOGROUP_KNOB"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# proc_stats PGID: sums over the live processes of the group their peak RSS (VmHWM, kB) and CPU
# time (utime + stime, clock ticks). Sets PS_PROCS, PS_HWM_KB and PS_TICKS.
proc_stats() {
    local pid stat hwm
    local -a f
    PS_PROCS=0 PS_HWM_KB=0 PS_TICKS=0
    for pid in $(ps -e -o pid=,pgid=,stat= | awk -v g="$1" '$2 == g && $3 !~ /^Z/ { print $1 }'); do
        stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || continue
        read -r -a f <<<"${stat##*) }"          # f[0] is field 3; utime, stime are fields 14, 15
        hwm="$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$pid/status" 2>/dev/null || true)"
        PS_PROCS=$((PS_PROCS + 1))
        PS_HWM_KB=$((PS_HWM_KB + ${hwm:-0}))
        PS_TICKS=$((PS_TICKS + f[11] + f[12]))
    done
}

ticks_to_s() { awk -v t="$1" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }'; }

port_busy() { (: >"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_ok URL SECONDS PID: waits for a 2xx from URL; fails early if PID's group is gone.
wait_ok() {
    local url="$1" secs="$2" pid="$3" i
    for ((i = 0; i < secs * 20; i++)); do
        curl -fs -o /dev/null --max-time 1 "$url" && return 0
        group_alive "$pid" || { log "pid $pid exited before $url answered"; return 1; }
        sleep 0.05
    done
    log "no 2xx from $url after $secs s"
    return 1
}

# ---------------------------------------------------------------------------------------------
# Kafka: the mock cluster and its end offsets.

# start_mock DIR: a fresh mock cluster, log and bootstrap file in DIR. Sets MOCK_PID and BOOT.
start_mock() {
    local dir="$1" i
    mkdir -p "$dir"
    rm -f "$dir/bootstrap"
    spawn "$dir/mockcluster.log" "$MOCKCLUSTER" 3 --bootstrap-file "$dir/bootstrap" "${TOPIC_SPECS[@]}"
    MOCK_PID=$SPAWNED
    for ((i = 0; i < 100; i++)); do
        [ -s "$dir/bootstrap" ] && break
        group_alive "$MOCK_PID" || die "mockcluster exited: $(tail -n 5 "$dir/mockcluster.log")"
        sleep 0.1
    done
    BOOT="$(cat "$dir/bootstrap")"
}

# end_offsets TOPIC: the sum of the high watermarks of TOPIC's partitions (messages ever stored).
end_offsets() {
    local topic="$1" p n=0 args=()
    for p in $(kcat -b "$BOOT" -L -t "$topic" -m 10 2>/dev/null | awk '$1 == "partition" { sub(/,$/, "", $2); print $2 }'); do
        args+=(-t "$topic:$p:-1")
        n=$((n + 1))
    done
    [ "$n" -gt 0 ] || die "kcat found no partitions of $topic at $BOOT"
    # kcat -Q prints "TOPIC [PARTITION] offset N" per partition.
    kcat -b "$BOOT" -Q "${args[@]}" -m 10 2>/dev/null |
        awk -v want="$n" '$3 == "offset" { s += $4; got++ } END { if (got != want) exit 1; print s }' ||
        die "kcat -Q did not give the end offset of every partition of $topic"
}

# settled_offsets TOPIC: waits until TOPIC's end offsets stop moving (1 s apart, 30 s at most),
# then prints their sum.
settled_offsets() {
    local prev cur i
    cur="$(end_offsets "$1")"
    for ((i = 0; i < 30; i++)); do
        sleep 1
        prev="$cur"
        cur="$(end_offsets "$1")"
        [ "$cur" != "$prev" ] || break
    done
    echo "$cur"
}

# produced_metric URL TOPIC: flowguard_events_produced_total{topic=TOPIC} from URL/metrics.
produced_metric() {
    curl -fs --max-time 5 "$1/metrics" |
        awk -v t="topic=\"$2\"" 'index($0, "flowguard_events_produced_total{") == 1 && index($0, t) { s += $NF } END { print s + 0 }'
}

# ---------------------------------------------------------------------------------------------
# The servers: each sets SERVER_PID (its process group) and URL.

start_flowguard() {
    local logfile="$1"
    port_busy "$FG_PORT" && die "127.0.0.1:$FG_PORT is already in use"
    spawn "$logfile" env -C "$WORK" KAFKA_BOOTSTRAP_SERVERS="$BOOT" "$BIN" start-gateway \
        --host 127.0.0.1 --port "$FG_PORT" --access-log off --console off --log-level warning
    SERVER_PID=$SPAWNED URL="http://127.0.0.1:$FG_PORT"
    wait_ok "$URL/health" 60 "$SERVER_PID" || die "flowguard did not come up: $(tail -n 20 "$logfile")"
}

# start_peer async|sync LOG: the Python peer, 1 uvicorn worker (sync: poll thread + Future).
start_peer() {
    local mode="$1" logfile="$2"
    port_busy "$PEER_PORT" && die "127.0.0.1:$PEER_PORT is already in use"
    spawn "$logfile" env KAFKA_BOOTSTRAP_SERVERS="$BOOT" PEER_ACK="$mode" PEER_SYNC_IMPL=thread \
        WORKERS=1 PORT="$PEER_PORT" "$PEER_BENCH/peer-fastapi/run.sh"
    SERVER_PID=$SPAWNED URL="http://127.0.0.1:$PEER_PORT"
    wait_ok "$URL/health" 60 "$SERVER_PID" || die "the peer did not come up: $(tail -n 20 "$logfile")"
}

# start_nginx LOG: nginx, 1 worker, answering every request with 202 (a config of our own).
start_nginx() {
    local logfile="$1" prefix="$WORK/nginx"
    port_busy "$NGINX_PORT" && die "127.0.0.1:$NGINX_PORT is already in use"
    mkdir -p "$prefix/body"
    cat >"$prefix/nginx.conf" <<EOF
# The HTTP ceiling: no Kafka, no parsing; every request gets 202 on a kept-alive connection.
daemon off;
worker_processes 1;
pid $prefix/nginx.pid;
error_log stderr warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 100000000;
    client_body_temp_path $prefix/body;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location / { return 202 '{"status":"accepted"}'; }
    }
}
EOF
    spawn "$logfile" "$NGINX" -p "$prefix" -c "$prefix/nginx.conf" -e stderr
    SERVER_PID=$SPAWNED URL="http://127.0.0.1:$NGINX_PORT"
    wait_ok "$URL/" 10 "$SERVER_PID" || die "nginx did not come up: $(tail -n 20 "$logfile")"
}

# start_system SYSTEM DIR: a fresh SYSTEM (nginx|peer_async|peer_sync|flowguard), and for the
# Kafka gateways a fresh mock cluster first; logs in DIR.
start_system() {
    local system="$1" dir="$2"
    MOCK_PID="" BOOT=""
    case "$system" in
        nginx) start_nginx "$dir/nginx.log" ;;
        peer_async) start_mock "$dir/mc"; start_peer async "$dir/peer.log" ;;
        peer_sync) start_mock "$dir/mc"; start_peer sync "$dir/peer.log" ;;
        flowguard) start_mock "$dir/mc"; start_flowguard "$dir/flowguard.log" ;;
        *) die "unknown system $system" ;;
    esac
}

stop_system() {
    stop_group "$SERVER_PID"
    SERVER_PID=""
    stop_group "${MOCK_PID:-}"
    MOCK_PID=""
}

# warm_up URL SCRIPT: WARMUP of wrk (2 threads, 32 connections) with a wrk script, then a pause.
warm_up() {
    RUN_ID="warmup-$$-$RANDOM" fg_run wrk -t2 -c32 -d"$WARMUP" -s "$2" "$1" >/dev/null 2>&1 || true
    sleep 1
}

# ---------------------------------------------------------------------------------------------
# The steps.

step_side_by_side() {
    local c dir
    for c in $CONNS; do
        dir="$OUT/side-by-side-c$c"
        log "=== side by side, $c connections, $DURATION x $REPEATS (run_side_by_side.sh)"
        # Through env -C so that the gateway, started by `bash -c` in the current directory, finds
        # no .env or .flowguard/ of the working tree.
        fg_run env -C "$WORK" RESULTS_DIR="$dir" GATEWAY_NAME=flowguard \
            GATEWAY_CMD="exec '$BIN' start-gateway --host 127.0.0.1 --port \"\$PORT\" --access-log off --console off --log-level warning" \
            "$PEER_BENCH/run_side_by_side.sh" "$DURATION" "$c" "$REPEATS" >"$dir.stdout" 2>"$dir.stderr" ||
            die "run_side_by_side.sh failed at $c connections: $(tail -n 20 "$dir.stderr")"
        mv "$dir.stdout" "$dir/stdout.txt"
        mv "$dir.stderr" "$dir/progress.log"
        tail -n 1 "$dir/side_by_side.md" >&2
    done
}

# report_line JSON: the gist of a simulate report, for the progress log.
report_line() {
    python3 - "$1" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
lat = r["latency_ms"]
print("achieved %.0f/s, acked %d, p50 %s p99 %s p99.9 %s ms"
      % (r["achieved_rate"], r["acknowledged"], lat["p50"], lat["p99"], lat["p99.9"]))
EOF
}

# fixed_rate_one SYSTEM REP: one open-loop simulate run against a fresh SYSTEM.
fixed_rate_one() {
    local system="$1" rep="$2" dir="$OUT/fixed-rate" name="$1-r$2" t0 before=- after=- stored=-
    log "=== fixed rate: $system, repeat $rep, $RATE/s for $DURATION"
    start_system "$system" "$dir/logs"
    warm_up "$URL/api/v1/orders" "$PEER_BENCH/wrk/post_order.lua"
    if [ -n "$BOOT" ]; then before="$(settled_offsets raw.orders.v1)"; fi
    proc_stats "$SERVER_PID"
    t0=$PS_TICKS
    fg_run env -C "$WORK" "$BIN" simulate --target "$URL" --rate "$RATE" --duration "$DURATION" \
        --mix orders --concurrency "$SIM_CONCURRENCY" --max-error-rate 1 --progress off \
        --log-level warning --output "$dir/$name.json" --histogram "$dir/$name.hgrm" \
        >"$dir/$name.txt" 2>&1 || log "simulate exited with $? (see $dir/$name.txt)"
    proc_stats "$SERVER_PID"
    [ -s "$dir/$name.json" ] || die "simulate wrote no report: $(tail -n 20 "$dir/$name.txt")"
    if [ -n "$BOOT" ]; then
        after="$(settled_offsets raw.orders.v1)"
        stored=$((after - before))
    fi
    echo "FIXED system=$system rep=$rep rate=$RATE duration=$DURATION report=$name.json histogram=$name.hgrm" \
        "procs=$PS_PROCS vmhwm_kb=$PS_HWM_KB cpu_s=$(ticks_to_s $((PS_TICKS - t0)))" \
        "stored=$stored offsets_before=$before offsets_after=$after" >>"$dir/results.txt"
    log "$system: $(report_line "$dir/$name.json"), stored $stored"
    stop_system
}

step_fixed_rate() {
    local rep system
    mkdir -p "$OUT/fixed-rate/logs"
    for rep in $(seq 1 "$REPEATS"); do
        for system in nginx peer_async peer_sync flowguard; do fixed_rate_one "$system" "$rep"; done
    done
}

# batch_one CONNS: wrk posting 1000-order arrays with CONNS connections against a fresh gateway.
batch_one() {
    local conns="$1" dir="$OUT/batch" script="$ROOT/bench/wrk/post_order_batch.lua" out line
    local t0 before after produced0 produced1
    out="$dir/wrk-c$conns.txt"
    log "=== batch: $BATCH_SIZE orders per request, $conns connections, $DURATION"
    start_system flowguard "$dir/logs"
    RUN_ID="warmup-$$-$RANDOM" BATCH="$BATCH_SIZE" fg_run wrk -t2 -c"$conns" -d"$WARMUP" \
        -s "$script" "$URL/api/v1/orders/batch" >/dev/null 2>&1 || true
    before="$(settled_offsets raw.orders.v1)"
    produced0="$(produced_metric "$URL" raw.orders.v1)"
    proc_stats "$SERVER_PID"
    t0=$PS_TICKS
    RUN_ID="batch-$(date +%s)-c$conns" BATCH="$BATCH_SIZE" fg_run wrk -t2 -c"$conns" -d"$DURATION" \
        --timeout 30s --latency -s "$script" "$URL/api/v1/orders/batch" >"$out" 2>&1 || true
    proc_stats "$SERVER_PID"
    after="$(settled_offsets raw.orders.v1)"
    produced1="$(produced_metric "$URL" raw.orders.v1)"
    line="$(grep '^BATCH_RESULT ' "$out" | tail -n 1)" || die "wrk gave no BATCH_RESULT: $(tail -n 20 "$out")"
    echo "${line/BATCH_RESULT/BATCH} conns=$conns stored=$((after - before)) produced=$((produced1 - produced0))" \
        "procs=$PS_PROCS vmhwm_kb=$PS_HWM_KB cpu_s=$(ticks_to_s $((PS_TICKS - t0)))" >>"$dir/results.txt"
    log "$(tail -n 1 "$dir/results.txt")"
    stop_system
}

step_batch() {
    local c
    mkdir -p "$OUT/batch/logs"
    for c in $BATCH_CONNS; do batch_one "$c"; done
}

step_cold_start() {
    local dir="$OUT/cold-start"
    log "=== cold start to the first 202, $COLD_RUNS runs"
    mkdir -p "$dir"
    start_mock "$dir/mc"
    fg_run python3 "$ROOT/bench/coldstart.py" --bin "$BIN" --bootstrap "$BOOT" --port "$FG_PORT" \
        --runs "$COLD_RUNS" --workdir "$WORK" --log "$dir/flowguard.log" --output "$dir/results.txt" >&2 ||
        die "coldstart.py failed"
    stop_group "$MOCK_PID"
}

step_footprint() {
    local dir="$OUT/footprint" bytes stripped rss hwm
    log "=== footprint: binary size, idle RSS"
    mkdir -p "$dir"
    bytes="$(stat -c %s "$BIN")"
    strip -o "$WORK/flowguard.stripped" "$BIN"
    stripped="$(stat -c %s "$WORK/flowguard.stripped")"
    rm -f "$WORK/flowguard.stripped"
    start_system flowguard "$dir"
    sleep 2
    rss="$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$SERVER_PID/status")"
    hwm="$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$SERVER_PID/status")"
    stop_system
    echo "FOOTPRINT binary_bytes=$bytes stripped_bytes=$stripped idle_rss_kb=$rss idle_hwm_kb=$hwm" >"$dir/results.txt"
    log "$(cat "$dir/results.txt")"
}

# ---------------------------------------------------------------------------------------------

check_tools() {
    local tool missing=()
    for tool in wrk kcat curl setsid strip python3; do command -v "$tool" >/dev/null || missing+=("$tool"); done
    NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
    [ -x "$NGINX" ] || missing+=(nginx)
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing wrk kcat nginx-light (missing: ${missing[*]})"
        apt-get install -y -qq wrk kcat nginx-light curl binutils >/dev/null
        NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
    fi
    [ -x "$FLOWGUARD_SRC" ] ||
        die "no release binary at $FLOWGUARD_SRC: swift build -c release --scratch-path .build-release"
    # The peer-bench folder is read-only: its make writes only under PEER_BENCH_STATE.
    make -s -C "$PEER_BENCH" PEER_BENCH_STATE="$PEER_BENCH_STATE" all venv >&2
    [ -x "$MOCKCLUSTER" ] || die "no $MOCKCLUSTER after make -C $PEER_BENCH"
}

# cpu_busy_pct: how busy the machine's cores are over 2 s (all processes), in percent.
cpu_busy_pct() {
    local a b
    a="$(awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)"
    sleep 2
    b="$(awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)"
    awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " "); printf "%.0f\n", 100 * (y[1] - x[1]) / (y[2] - x[2]) }'
}

write_env() {
    local envfile="$OUT/env.txt" newer
    newer="$(find Sources Package.swift -newer "$FLOWGUARD_SRC" -type f 2>/dev/null | head -n 3 | tr '\n' ' ' || true)"
    {
        echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
        echo "host: $(hostname), $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB, $(uname -sr)"
        echo "cpu: $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
        echo "sched_autogroup_enabled: $(cat "$AUTOGROUP_KNOB" 2>/dev/null || echo unknown) (1: CPU shared per session, each server in its own; 0: per thread)"
        echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
        echo "cpu busy before: $(cpu_busy_pct)% of all cores (2 s, every process; should be near 0)"
        echo "settings: DURATION=$DURATION REPEATS=$REPEATS CONNS=\"$CONNS\" RATE=$RATE BATCH_CONNS=\"$BATCH_CONNS\" COLD_RUNS=$COLD_RUNS WARMUP=$WARMUP QUICK=$QUICK"
        echo "flowguard: $FLOWGUARD_SRC, $("$BIN" --version 2>&1 | head -n 1), built $(date -u -r "$FLOWGUARD_SRC" +%Y-%m-%dT%H:%M:%SZ)"
        echo "flowguard sha256: $(sha256sum "$BIN" | cut -d' ' -f1)"
        echo "git: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo -), $(git -C "$ROOT" status --porcelain -- Sources Package.swift 2>/dev/null | wc -l) changed file(s) under Sources/ and Package.swift"
        if [ -n "$newer" ]; then echo "warning: changed after the binary was built: $newer"; fi
        echo "swift: $(swift --version 2>&1 | head -n 1 || echo -)"
        echo "wrk: $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2)"
        echo "nginx: $("$NGINX" -v 2>&1 | sed 's/^nginx version: //')"
        echo "kcat: $(kcat -V 2>&1 | sed -n 's/^Version \([^ ]*\).*/\1/p')"
        echo "mock cluster: librdkafka $(dpkg-query -W -f='${Version}' librdkafka1 2>/dev/null || echo -)"
        echo "peer: $("$PEER_BENCH_STATE/.venv/bin/python" -c 'import sys, fastapi, uvicorn, pydantic, confluent_kafka as ck; print("python", sys.version.split()[0], "fastapi", fastapi.__version__, "uvicorn", uvicorn.__version__, "pydantic", pydantic.__version__, "confluent-kafka", ck.__version__)' 2>/dev/null || echo -)"
    } >"$envfile"
    cat "$envfile" >&2
}

summarize() {
    local py="$ROOT/.venv/bin/python"
    if [ ! -x "$py" ]; then py=python3; fi
    if ! "$py" -c 'import matplotlib' 2>/dev/null && [ -x "$ROOT/.venv/bin/pip" ]; then
        log "installing matplotlib into .venv for the plots"
        "$ROOT/.venv/bin/pip" install -q matplotlib >&2 || log "could not install matplotlib: no plots"
    fi
    "$py" "$ROOT/bench/summarize.py" "$OUT"
}

main() {
    local step
    check_tools
    mkdir -p "$OUT"
    OUT="$(cd "$OUT" && pwd)"
    WORK="$(mktemp -d "${TMPDIR:-/tmp}/flowguard-bench.XXXXXX")"
    set_autogroup
    BIN="$WORK/flowguard"
    cp "$FLOWGUARD_SRC" "$BIN"
    log "results in $OUT"
    write_env
    for step in $STEPS; do
        case "$step" in
            side-by-side) step_side_by_side ;;
            fixed-rate) step_fixed_rate ;;
            batch) step_batch ;;
            cold-start) step_cold_start ;;
            footprint) step_footprint ;;
            *) die "unknown step $step (see -h)" ;;
        esac
    done
    echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/env.txt"
    summarize
    if [ -z "${RESULTS_DIR:-}" ]; then
        if [ "$QUICK" = 1 ]; then basename "$OUT" >"$ROOT/bench/results/LATEST-quick"; else basename "$OUT" >"$ROOT/bench/results/LATEST"; fi
    fi
    log "done: $OUT/results.md"
}

main
