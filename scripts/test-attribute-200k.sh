#!/usr/bin/env bash
# The correctness run of issue 20 at full size: 200,000 simulated events with the simulator's defaults
# (about 390 orders), `attribute` started a second after the simulation (so it starts on a backlog, its
# orders read far ahead of their clicks), and every order the funnel made from a click must be
# credited to that click, with exactly one record per order. The embedded cluster keeps only about
# 5 MiB per partition, less than 200,000 events' clicks: the job must read them while they are
# written (at 5,000 events/s it may fall up to ~15 s behind), and the check reads the truth, the
# orders and the output only (attribute_reference.py truth).
source "$(dirname "$0")/lib.sh"
case "${1:-}" in -h | --help) echo "Usage: scripts/test-attribute-200k.sh [EVENTS_PER_SECOND]   (default 5000, for 40 s)"; exit 0 ;; esac
rate="${1:-5000}"

work="$(scratch_dir)"
cd "$work" || exit 1
"$FLOWGUARD_BIN" dev-cluster > cluster.out 2> cluster.err &
PIDS+=("$!")
wait_file .flowguard/cluster.json 60 || fail "dev-cluster did not start"
bootstrap="$("$PYTHON" -c 'import json; print(json.load(open(".flowguard/cluster.json"))["bootstrap_servers"])')"

"$FLOWGUARD_BIN" simulate --target kafka --seed 20 --rate "$rate" --duration "$((200000 / rate))s" --truth truth.ndjson \
  --progress off > sim.out 2>&1 &
sim=$!
PIDS+=("$sim")
sleep 1
"$FLOWGUARD_BIN" attribute --transactions off --allowed-lateness 5s --metrics-port 0 > job.out 2> job.err &
PIDS+=("$!")
wait "$sim" || { cat sim.out >&2; fail "simulate failed"; }
grep -E "sent|events" sim.out | head -5
start=$(date +%s)
"$PYTHON" "$ROOT/scripts/attribute_reference.py" wait "$bootstrap" 300 || { tail -20 job.err >&2; fail "the output did not catch up"; }
echo "caught up $(( $(date +%s) - start ))s after the simulation ended"
"$PYTHON" "$ROOT/scripts/attribute_reference.py" truth "$bootstrap" --truth truth.ndjson --min-orders 300 \
  || { tail -20 job.err >&2; fail "an order is not credited to the click the funnel made it from"; }
echo "attribute 200k: ok"
