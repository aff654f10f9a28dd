#!/usr/bin/env bash
# How exactly `flowguard simulate` keeps the asked rate, and what CPU it spends per event, against
# the gateway built in release mode on its embedded cluster (both on this machine). Writes
# bench/simulate/results.md.
#
#   bench/simulate/run.sh                          # 10, 100, 1000/s and up until the gateway no longer keeps up
#   RATES="10 100" DURATION=5 bench/simulate/run.sh
#   FLOWGUARD_BIN=.build/debug/flowguard RATES="10 100" DURATION=2 RESULTS=/tmp/r.md bench/simulate/run.sh   # a dry run
#
# A rate is "kept" when the achieved rate is within 1 % of the asked one, every planned event was
# sent and every answer was an acknowledgement. The series stops at the first rate not kept.
# Simulator CPU is user + system time of the simulate process (bash `time`), less the start-up cost
# measured by a one-event run; gateway CPU is the utime + stime growth of the gateway process
# (/proc/PID/stat) during the run.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
scratch=${SCRATCH_PATH:-.build-release}
duration=${DURATION:-10}
port=${PORT:-18765}
concurrency=${CONCURRENCY:-512}
rates=${RATES:-"10 100 1000 2000 3000 4000 6000 8000 12000 16000 24000 32000 48000 64000 96000 128000"}
results=${RESULTS:-bench/simulate/results.md}
[[ $results == /* ]] || results=$root/$results

if [[ -n ${FLOWGUARD_BIN:-} ]]; then
    bin=$FLOWGUARD_BIN # a binary built elsewhere (to try the script: a debug build is far slower)
else
    echo "bench: building release into $scratch (slow on 2 cores)" >&2
    swift build -c release --scratch-path "$scratch" --product flowguard >&2
    bin=$root/$scratch/release/flowguard
fi

work=$(mktemp -d)
mkdir -p "$work/config/kafka"
cp config/kafka/topics.yaml "$work/config/kafka/"
cd "$work"
"$bin" start-gateway --host 127.0.0.1 --port "$port" --access-log off --console off --log-level error >gateway.log 2>&1 &
gateway=$!
cleanup() {
    kill "$gateway" 2>/dev/null || true
    wait "$gateway" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 100); do
    curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
    sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/health" >/dev/null || { echo "bench: the gateway did not become healthy" >&2; cat gateway.log >&2; exit 1; }

hz=$(getconf CLK_TCK)
# Other processes compete for the same cores: note how busy the machine was before the runs.
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
gateway_ticks() { awk '{ print $14 + $15 }' "/proc/$gateway/stat"; }

# simulate TARGET RATE DURATION: runs one simulation; leaves run.json, and prints "gatewayTicks userSeconds systemSeconds".
simulate() {
    local before after
    before=$(gateway_ticks)
    TIMEFORMAT='%3U %3S'
    { time "$bin" simulate --target "$1" --rate "$2" --duration "$3" --seed 1 --concurrency "$concurrency" \
        --progress off --log-level error --output run.json >run.txt 2>run.err; } 2>time.txt || true
    after=$(gateway_ticks)
    echo "$((after - before)) $(cat time.txt)"
}

# The start-up and shut-down cost of one simulate process: a run of one event.
read -r _ startup_user startup_system < <(simulate "http://127.0.0.1:$port" 1 0.001s)
startup=$(python3 -c "print($startup_user + $startup_system)")
echo "bench: simulate start-up costs ${startup}s of CPU" >&2

series() { # TARGET LABEL: one row per rate into rows-LABEL.jsonl, until a rate is not kept
    local target=$1 label=$2 rate ticks user system
    : >"rows-$label.jsonl"
    for rate in $rates; do
        read -r ticks user system < <(simulate "$target" "$rate" "${duration}s")
        python3 - "$ticks" "$hz" "$user" "$system" "$startup" >>"rows-$label.jsonl" <<'PY'
import json, sys
ticks, hz, user, system, startup = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
report = json.load(open("run.json"))
report["simulator_cpu_seconds"] = user + system
report["simulator_cpu_net_seconds"] = max(0.0, user + system - startup)
report["gateway_cpu_seconds"] = ticks / hz
print(json.dumps(report))
PY
        local kept
        kept=$(python3 -c "
import json; r = json.loads(open('rows-$label.jsonl').read().splitlines()[-1])
print('yes' if r['asked_rate'] > 0 and abs(r['achieved_rate'] / r['asked_rate'] - 1) <= 0.01 and r['not_sent'] == 0 and r['failed'] == 0 else 'no')")
        echo "bench: $label $rate/s: $(sed -n 4p run.txt | sed 's/^ *//') ($kept)" >&2
        [[ $kept == yes ]] || break
    done
}

series "http://127.0.0.1:$port" gateway
series kafka kafka

python3 - "$results" "$duration" "$concurrency" "$startup" "$(nproc)" "$load_before" \
    "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')" \
    "$(git -C "$root" rev-parse --short HEAD)" <<'PY'
import json, sys, datetime
path, duration, concurrency, startup, cores, load, cpu, commit = sys.argv[1:9]

def rows(label):
    return [json.loads(line) for line in open(f"rows-{label}.jsonl") if line.strip()]

def kept(r):
    return r["asked_rate"] > 0 and abs(r["achieved_rate"] / r["asked_rate"] - 1) <= 0.01 and r["not_sent"] == 0 and r["failed"] == 0

def table(label, title, gateway_cpu):
    out = [f"### {title}", ""]
    header = "| asked /s | sent | achieved /s | achieved ÷ asked | not sent | waited for a slot | errors | latency p50 / p99 / p99.9 / max (ms) | send lag p99 (ms) | simulator CPU µs/event |"
    if gateway_cpu:
        header += " gateway CPU µs/event |"
    out += [header, "|" + "|".join(["---"] * (header.count("|") - 1)) + "|"]
    best = None
    for r in rows(label):
        lat, lag = r["latency_ms"], r["send_lag_ms"]
        sent = max(r["sent"], 1)
        cells = [
            f"{r['asked_rate']:g}", str(r["sent"]), f"{r['achieved_rate']:.2f}",
            f"{100 * r['achieved_rate'] / r['asked_rate']:.2f} %", str(r["not_sent"]), str(r["waited_for_slot"]),
            str(r["failed"]),
            f"{lat['p50']:.2f} / {lat['p99']:.2f} / {lat['p99.9']:.2f} / {lat['max']:.2f}",
            f"{lag['p99']:.2f}", f"{1e6 * r['simulator_cpu_net_seconds'] / sent:.1f}",
        ]
        if gateway_cpu:
            cells.append(f"{1e6 * r['gateway_cpu_seconds'] / sent:.1f}")
        out.append("| " + " | ".join(cells) + " |" + ("" if kept(r) else " ← not kept"))
        if kept(r):
            best = r
    out.append("")
    if best:
        out.append(f"Highest rate kept: **{best['asked_rate']:g}/s** (achieved {best['achieved_rate']:.2f}/s, "
                   f"simulator {1e6 * best['simulator_cpu_net_seconds'] / best['sent']:.1f} µs CPU per event).")
    out.append("")
    return out

lines = [
    "# flowguard simulate: rate accuracy and CPU cost",
    "",
    f"Measured by `bench/simulate/run.sh` on {datetime.date.today().isoformat()} at commit {commit}: "
    f"{cores} cores ({cpu}), release build, the gateway (`start-gateway --access-log off`) on its embedded "
    f"3-broker cluster and the simulator on the same machine, each rate for {duration} s, `--concurrency {concurrency}`, "
    f"`--seed 1`, mix `all`. A rate is kept when the achieved rate is within 1 % of the asked one, every planned "
    f"event was sent and every answer was an acknowledgement; each series stops at the first rate not kept. "
    f"Load average before the runs (other processes share the cores): {load}.",
    "",
    f"Simulator CPU is user + system time of the simulate process less its start-up and shut-down "
    f"({float(startup) * 1000:.0f} ms, measured by a one-event run). Gateway CPU is the gateway process's utime + stime "
    f"during the run (HTTP, validation, librdkafka and the embedded cluster). Latency counts from each event's "
    f"scheduled time; send lag is how long after its scheduled time an event was sent.",
    "",
]
lines += table("gateway", "Against the gateway (`--target http://127.0.0.1:PORT`)", True)
lines += table("kafka", "Straight to Kafka (`--target kafka`, the same embedded cluster)", False)
open(path, "w").write("\n".join(lines))
print(f"bench: wrote {path}", file=sys.stderr)
PY
