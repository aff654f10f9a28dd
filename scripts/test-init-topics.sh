#!/usr/bin/env bash
# init-topics and scripts/init_kafka_topics.sh against a `flowguard dev-cluster` process: both topics
# exist (exit 0); --dry-run changes nothing; a topic the embedded cluster cannot create fails within
# --timeout with a message that says why; the discovery file lives exactly as long as the cluster.
source "$(dirname "$0")/lib.sh"
case "${1:-}" in -h | --help) echo "Usage: scripts/test-init-topics.sh"; exit 0 ;; esac

work="$(scratch_dir)"
cd "$work"
"$FLOWGUARD_BIN" dev-cluster --brokers 3 > cluster.out 2> cluster.err &
cluster=$!
PIDS+=("$cluster")
wait_file .flowguard/cluster.json 30 || { cat cluster.err >&2; fail "no discovery file"; }
grep -q "development only" cluster.out || fail "dev-cluster does not say it is for development only"

out="$(FLOWGUARD_BIN="$FLOWGUARD_BIN" "$ROOT/scripts/init_kafka_topics.sh" --topics config/kafka/topics.yaml --timeout 10s)" \
  || fail "init-topics on the embedded cluster: $out"
echo "$out"
echo "$out" | grep -Eq '^raw\.orders\.v1 +exists +3 partitions' || fail "orders not reported as existing"
echo "$out" | grep -Eq '^raw\.clicks\.v1 +exists +6 partitions' || fail "clicks not reported as existing"

cp config/kafka/topics.yaml extra.yaml
cat >> extra.yaml <<'YAML'
  - name: new.topic.v1
    partitions: 2
    replication_factor: 1
YAML
dry="$("$FLOWGUARD_BIN" init-topics --file extra.yaml --dry-run)" || fail "dry run failed: $dry"
echo "$dry" | grep -Eq '^new\.topic\.v1 +would create' || fail "dry run does not plan the new topic: $dry"

start=$(date +%s)
status=0
err="$("$FLOWGUARD_BIN" init-topics --file extra.yaml --timeout 3s 2>&1 >/dev/null)" || status=$?
elapsed=$(( $(date +%s) - start ))
[ "$status" = 1 ] || fail "creating a topic on the embedded cluster exited $status, wanted 1"
[ "$elapsed" -le 20 ] || fail "init-topics took ${elapsed}s with --timeout 3s"
echo "$err" | grep -q "CreateTopics" || fail "the error does not say CreateTopics is unsupported: $err"
echo "create on embedded cluster: exit 1 after ${elapsed}s: $err"

# tail follows until Ctrl-C, then prints the count and exits 0.
"$FLOWGUARD_BIN" tail raw.orders.v1 > tail.out 2> tail.err &
tail_pid=$!
sleep 2
kill -INT "$tail_pid"
status=0; wait "$tail_pid" || status=$?
[ "$status" = 0 ] || fail "tail exited $status after Ctrl-C: $(cat tail.err)"
grep -q "0 records" tail.err || fail "tail did not print its count: $(cat tail.err)"
echo "tail: Ctrl-C -> exit 0, $(tail -n1 tail.err)"

kill -TERM "$cluster"
status=0; wait "$cluster" || status=$?
[ "$status" = 0 ] || fail "dev-cluster exited $status after SIGTERM"
[ ! -e .flowguard/cluster.json ] || fail "discovery file left behind"

status=0
err="$("$FLOWGUARD_BIN" init-topics 2>&1)" || status=$?
[ "$status" = 1 ] || fail "init-topics without a cluster exited $status"
echo "$err" | grep -q "dev-cluster" || fail "no hint how to get a cluster: $err"
cd / && rm -rf "$work"
echo "init-topics: ok"
