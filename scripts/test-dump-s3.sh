#!/usr/bin/env bash
# `flowguard dump` into S3: moto's server checking signatures (INITIAL_NO_AUTH_ACTION_COUNT), behind a
# fault proxy. A wrong secret is a clear 403 and exit 1, a missing bucket a clear NoSuchBucket and exit 1;
# 503 SlowDown, reset connections and stalled uploads are retried (and counted) without losing a record;
# the dumper is killed with -9 at six points (at random once it reads, right after a commit, with an object stored but
# its offsets not committed (twice), in a stalled upload, while records arrive) and restarted each time;
# then `dump --verify` and an independent reader (boto3 + gzip) find every record exactly once.
source "$(dirname "$0")/lib.sh"
case "${1:-}" in -h | --help) echo "Usage: scripts/test-dump-s3.sh"; exit 0 ;; esac

work="$(scratch_dir)"
cd "$work"
harness() { "$PYTHON" "$ROOT/scripts/dump_harness.py" "$@"; }
export KAFKA_CONSUMER__SESSION_TIMEOUT_MS=6000
topics=raw.orders.v1,raw.clicks.v1

"$FLOWGUARD_BIN" dev-cluster > cluster.out 2> cluster.err &
PIDS+=("$!")
moto_port="$(free_port)"
INITIAL_NO_AUTH_ACTION_COUNT=3 "$ROOT/.venv/bin/moto_server" -H 127.0.0.1 -p "$moto_port" > moto.out 2>&1 &
PIDS+=("$!")
proxy_port="$(free_port)"
# Python itself in the background, not the harness function: $! would be a subshell, and the
# cleanup's kill would leave the proxy running after the test.
"$PYTHON" "$ROOT/scripts/dump_harness.py" fault-proxy --port "$proxy_port" --target "http://127.0.0.1:$moto_port" \
  --control "$work/fault" --pid-file "$work/dumper.pid" > proxy.out 2>&1 &
PIDS+=("$!")
wait_file .flowguard/cluster.json 30 || { cat cluster.err >&2; fail "no discovery file"; }
# A bare TCP probe: an HTTP request would use up one of moto's three unsigned actions.
for _ in $(seq 100); do (echo > "/dev/tcp/127.0.0.1/$moto_port") 2>/dev/null && break; sleep 0.1; done
eval "$(harness moto-setup --endpoint "http://127.0.0.1:$moto_port" --bucket lake)"
export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_REGION=us-east-1
export AWS_ENDPOINT_URL="http://127.0.0.1:$proxy_port"

"$FLOWGUARD_BIN" simulate --target kafka --seed 11 --rate 300 --duration 2s --progress off > simulate.out 2>&1 || { cat simulate.out >&2; fail "simulate"; }
harness produce-hours --topic raw.orders.v1 --count 1500 --seed 4

# A wrong secret: the server's 403, said clearly, exit 1, the secret never printed.
status=0
AWS_SECRET_ACCESS_KEY="wrong-$AWS_SECRET_ACCESS_KEY" "$FLOWGUARD_BIN" dump --to s3://lake/events --topics "$topics" --metrics-port 0 > wrong.out 2>&1 || status=$?
[ "$status" = 1 ] || fail "a wrong secret should exit 1, got $status: $(tail -3 wrong.out)"
for words in "HTTP 403" SignatureDoesNotMatch "check AWS_SECRET_ACCESS_KEY"; do
  grep -q "$words" wrong.out || fail "no '$words' in the error: $(tail -3 wrong.out)"
done
! grep -q -- "$AWS_SECRET_ACCESS_KEY" wrong.out || fail "the secret was printed"
status=0
"$FLOWGUARD_BIN" dump --to s3://no-such-bucket/events --topics "$topics" --metrics-port 0 > nobucket.out 2>&1 || status=$?
[ "$status" = 1 ] || fail "a missing bucket should exit 1, got $status: $(tail -3 nobucket.out)"
grep -q "NoSuchBucket" nobucket.out || fail "no NoSuchBucket in the error: $(tail -3 nobucket.out)"

run=0
start_dumper() {
  run=$((run + 1))
  "$FLOWGUARD_BIN" dump --to s3://lake/events --topics "$topics" --max-records 250 --max-age 1s --request-timeout 2s --metrics-port 0 > "dump$run.out" 2> "dump$run.err" &
  dumper=$!
  PIDS+=("$dumper")
  echo "$dumper" > dumper.pid
}
wait_log() {  # waits until the current dumper's log has $1, at most $2 seconds
  for _ in $(seq $(($2 * 10))); do grep -q "$1" "dump$run.err" && return 0; sleep 0.1; done
  fail "run $run: no '$1' in the log: $(tail -5 "dump$run.err")"
}
killed() {  # waits until the current dumper is gone (killed by us or by the proxy)
  for _ in $(seq 300); do kill -0 "$dumper" 2>/dev/null || { wait "$dumper" 2>/dev/null || true; return 0; }; sleep 0.1; done
  fail "run $run: the dumper is still running"
}

# Faults that retrying fixes: 503 SlowDown, connections reset, uploads that stall past --request-timeout.
echo "503 4" > fault
start_dumper
wait_log "committed" 60
echo "reset 3" > fault
sleep 1
echo "stall 2 3" > fault
harness produce-hours --topic raw.clicks.v1 --count 600 --seed 6
harness wait-committed --group flowguard-dump --topics "$topics" --timeout 120 || { tail -20 "dump$run.err" >&2; fail "not everything committed through the faults"; }
grep -q "S3 attempt 1 failed" "dump$run.err" || fail "no retried failure in the log"
[ "$(cat fault.count)" -ge 9 ] || fail "only $(cat fault.count) faults were injected"
kill -TERM "$dumper"; wait "$dumper" || fail "SIGTERM should exit 0"

# kill -9 at six points, each followed by a restart and more records.
: > fault
harness produce-hours --topic raw.orders.v1 --count 900 --seed 21
start_dumper; wait_log "assigned" 60; sleep "0.$((RANDOM % 9 + 1))"; kill -9 "$dumper"; killed  # 1: at random

start_dumper; wait_log "committed" 60; kill -9 "$dumper"; killed                               # 2: right after a commit
harness produce-hours --topic raw.clicks.v1 --count 900 --seed 22
echo "kill 1" > fault; start_dumper; killed                                                    # 3: stored, not committed
[ "$(cat fault)" = "kill 0" ] || fail "point 3: the proxy did not kill the dumper after a stored object ($(cat fault))"
echo "stall 1 30" > fault; start_dumper                                                          # 4: in a stalled upload
for _ in $(seq 600); do [ "$(cat fault)" = "stall 0 30" ] && break; sleep 0.1; done
[ "$(cat fault)" = "stall 0 30" ] || fail "point 4: no upload was stalled ($(cat fault))"
sleep 1; kill -9 "$dumper"; killed; : > fault
harness produce-hours --topic raw.orders.v1 --count 900 --seed 23 &
producer=$!
start_dumper; wait_log "assigned" 60; sleep "0.$((RANDOM % 9))"; kill -9 "$dumper"; killed      # 5: while records arrive
wait "$producer"
echo "kill 3" > fault; start_dumper; killed                                                    # 6: the third object stored, not committed
[ "$(cat fault)" = "kill 0" ] || fail "point 6: the proxy did not kill the dumper after the third object ($(cat fault))"
: > fault
start_dumper
harness wait-committed --group flowguard-dump --topics "$topics" --timeout 150 || { tail -20 "dump$run.err" >&2; fail "not everything committed after the crashes"; }
kill -TERM "$dumper"; wait "$dumper" || fail "SIGTERM should exit 0"

"$FLOWGUARD_BIN" dump --verify --to s3://lake/events --topics "$topics" > verify.out 2>&1 || { cat verify.out >&2; fail "dump --verify after the crashes"; }
tail -1 verify.out
AWS_ENDPOINT_URL="http://127.0.0.1:$moto_port" harness check-lake --topics "$topics" --endpoint "http://127.0.0.1:$moto_port" --bucket lake --prefix events || fail "independent check of the S3 lake"

cd / && rm -rf "$work"
echo "dump (S3, faults, six kill -9 points): ok"
