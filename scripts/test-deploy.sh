#!/usr/bin/env bash
# deploy/ checked where no Docker engine runs:
# - deploy/compose.yaml passes Debian's docker-compose 1.29 (`config -q`) and the compose-spec schema
#   (check-jsonschema); deploy/Dockerfile passes hadolint; deploy/nginx/nginx.conf passes `nginx -t`;
# - promtool accepts the scrape config and the alert rules, and alerts.test.yml (a firing and a
#   quiet case for every alert, which this script checks) passes `promtool test rules`;
# - systemd-analyze verify accepts the unit (where systemd-analyze is installed);
# - the gateway's environment and command in the compose file, as docker-compose resolves them,
#   name only variables start-gateway declares, and the real binary started with exactly them
#   (Kafka replaced by a dev-cluster's, the address by a free loopback port) serves, with the
#   limits they set; the same for the console, and for the phase2 jobs (dump, attribute) up to their /metrics;
# - the Dockerfile's build stage gets every target folder of Package.swift, and its runtime stage
#   installs the packages of every system library the binary needs;
# - the Grafana dashboard's structure, and every metric it and the alerts name is in that gateway's
#   live /metrics (after a duplicate, a 422 and a 503, so that every counter exists).
source "$(dirname "$0")/lib.sh"
case "${1:-}" in -h | --help) echo "Usage: scripts/test-deploy.sh"; exit 0 ;; esac

deploy="$ROOT/deploy"
checks=("$PYTHON" "$ROOT/scripts/deploy_checks.py")
work="$(scratch_dir)"
cd "$work"

# --- Static checks -------------------------------------------------------------------------------
docker-compose -f "$deploy/compose.yaml" config -q || fail "docker-compose config rejects deploy/compose.yaml"
echo "docker-compose $(docker-compose version --short): compose.yaml is valid"
"$ROOT/.venv/bin/check-jsonschema" --builtin-schema vendor.compose-spec "$deploy/compose.yaml" \
  || fail "deploy/compose.yaml does not match the compose-spec schema"

"$ROOT/.venv/bin/hadolint" --no-color "$deploy/Dockerfile" || fail "hadolint: deploy/Dockerfile"
echo "hadolint $("$ROOT/.venv/bin/hadolint" --version | grep -o '[0-9][0-9.]*' | head -n1): deploy/Dockerfile clean"

(cd "$ROOT" && swift package dump-package) > package.json 2> dump-package.err || { cat dump-package.err >&2; fail "swift package dump-package"; }
"${checks[@]}" docker-context package.json "$deploy/Dockerfile" "$ROOT/.dockerignore" || fail "the Dockerfile's build context"
# The runtime image has every shared library the binary needs: each one the binary names (NEEDED),
# apart from the Swift runtime (linked in by --static-swift-stdlib), comes from a package the
# Dockerfile's runtime stage installs or from debian:bookworm-slim's base (libc6, libgcc-s1,
# libstdc++6, zlib1g).
runtime_packages="$(awk '/^FROM debian:bookworm-slim/ { runtime = 1 } runtime && /apt-get install/ { for (i = 1; i <= NF; i++) if ($i ~ /^lib|^ca-|^curl|^tzdata/) print $i }' "$deploy/Dockerfile")"
[ -n "$runtime_packages" ] || fail "no apt-get install in the Dockerfile's runtime stage"
libraries=0
while read -r library; do
  path="$(ldd "$FLOWGUARD_BIN" | awk -v l="$library" '$1 == l { print $3 }')"
  [ -n "$path" ] || continue  # the dynamic loader itself
  # dpkg knows a file by the path its package ships, before or after /lib's merge into /usr/lib.
  package="$( (dpkg -S "$path" || dpkg -S "$(readlink -f "$path")") 2>/dev/null | head -n1 | cut -d: -f1)" || true
  if [ -z "$package" ]; then
    case "$library" in libswift* | libdispatch* | libBlocksRuntime* | libFoundation*) continue ;; esac
    fail "$library ($path) is neither a Debian package's nor the Swift runtime's"
  fi
  echo "$runtime_packages libc6 libgcc-s1 libstdc++6 zlib1g" | tr ' ' '\n' | grep -qx "${package%%:*}" \
    || fail "the binary needs $library from $package, which the Dockerfile's runtime stage does not install"
  libraries=$((libraries + 1))
done < <(readelf -d "$FLOWGUARD_BIN" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
echo "Dockerfile: the runtime stage provides the binary's $libraries system libraries ($(echo "$runtime_packages" | tr '\n' ' '))"

mkdir nginx-prefix
nginx -t -q -p "$work/nginx-prefix/" -c "$deploy/nginx/nginx.conf" -e stderr || fail "nginx -t: deploy/nginx/nginx.conf"
echo "nginx -t: deploy/nginx/nginx.conf is valid"

(cd "$deploy/prometheus" && promtool check config prometheus.yml && promtool check rules alerts.yml && promtool test rules alerts.test.yml) \
  || fail "promtool: deploy/prometheus"
# Every alert has a test in which it fires and one in which it stays quiet.
"$PYTHON" - "$deploy/prometheus/alerts.yml" "$deploy/prometheus/alerts.test.yml" <<'PY' || fail "alerts without tests"
import sys, yaml
alerts = [rule["alert"] for group in yaml.safe_load(open(sys.argv[1]))["groups"] for rule in group["rules"]]
cases = [case for test in yaml.safe_load(open(sys.argv[2]))["tests"] for case in test["alert_rule_test"]]
fires = {case["alertname"] for case in cases if case.get("exp_alerts")}
quiet = {case["alertname"] for case in cases if not case.get("exp_alerts")}
missing = [f"{name} ({', '.join(what for what, seen in (('firing', fires), ('quiet', quiet)) if name not in seen)})"
           for name in alerts if name not in fires or name not in quiet]
assert not missing, f"alerts without a firing or a quiet test: {missing}"
print(f"alerts.test.yml: each of the {len(alerts)} alerts fires where it should and stays quiet where it should not")
PY

if command -v systemd-analyze > /dev/null; then
  # verify wants ExecStart's binary to exist: the unit as written, with the built binary in its place.
  sed "s|^ExecStart=/usr/local/bin/flowguard |ExecStart=$FLOWGUARD_BIN |" "$deploy/systemd/flowguard-gateway.service" > flowguard-gateway.service
  grep -q "^ExecStart=$FLOWGUARD_BIN start-gateway" flowguard-gateway.service || fail "the unit's ExecStart is not /usr/local/bin/flowguard start-gateway"
  out="$(systemd-analyze verify "$work/flowguard-gateway.service" 2>&1)" || fail "systemd-analyze verify: $out"
  [ -z "$out" ] || fail "systemd-analyze verify warns: $out"
  echo "systemd-analyze verify: deploy/systemd/flowguard-gateway.service accepted"
else
  echo "SKIPPED: systemd-analyze is not installed; the systemd unit is not verified"
fi

# --- The compose file's environment, read by the real binary ------------------------------------
docker-compose -f "$deploy/compose.yaml" config > compose.resolved.yaml || fail "docker-compose config"
"$FLOWGUARD_BIN" dev-cluster > cluster.out 2> cluster.err &
cluster=$!
PIDS+=("$cluster")
wait_file .flowguard/cluster.json 30 || { cat cluster.err >&2; fail "no dev-cluster"; }
bootstrap="$("$PYTHON" -c 'import json; print(json.load(open(".flowguard/cluster.json"))["bootstrap_servers"])')"

# Writes NAME=VALUE of SERVICE's compose environment (NUL-separated), with Kafka and the listening
# address replaced, to SERVICE.env, and its command with the same replacements to SERVICE.command.
service_environment() {
  local service="$1" port="$2" gateway_url="${3:-}"
  "${checks[@]}" compose-service compose.resolved.yaml "$service" > "$service.json" || fail "no $service in compose.yaml"
  BOOTSTRAP="$bootstrap" PORT="$port" GATEWAY_URL="$gateway_url" "$PYTHON" - "$service.json" <<'PY'
import json, os, sys
service = json.load(open(sys.argv[1]))
environment = service.get("environment") or {}
replacements = {"KAFKA_BOOTSTRAP_SERVERS": os.environ["BOOTSTRAP"], "FLOWGUARD_HOST": "127.0.0.1", "FLOWGUARD_PORT": os.environ["PORT"]}
# A variable without a value is passed from the shell when set there: here it is not.
environment = {name: replacements.get(name, str(value)) for name, value in environment.items() if value is not None or name in replacements}
command = [str(part) for part in service.get("command") or []]
flags = {"--host": "127.0.0.1", "--port": os.environ["PORT"], "--bootstrap": os.environ["BOOTSTRAP"], "--gateway": os.environ["GATEWAY_URL"],
         "--metrics-host": "127.0.0.1", "--metrics-port": os.environ["PORT"], "--to": "file://" + os.path.abspath("lake")}
for index, part in enumerate(command[:-1]):
    if part in flags and flags[part]:
        command[index + 1] = flags[part]
name = sys.argv[1].removesuffix(".json")
open(f"{name}.env", "w").write("".join(f"{key}={value}\0" for key, value in environment.items()))
open(f"{name}.command", "w").write("".join(f"{part}\0" for part in command))
PY
}

# init-topics as the compose file runs it: the dev-cluster has both topics, so it reports them and
# exits 0. Named by address, the embedded cluster is not recognised as one, so its replication (every
# broker a replica) shows as drift, which fails only with --strict.
service_environment init-topics 0
mapfile -d '' init_env < init-topics.env
mapfile -d '' init_command < init-topics.command
out="$(env -i PATH="$PATH" HOME="$work" "${init_env[@]}" "$FLOWGUARD_BIN" "${init_command[@]}" 2> init-topics.err)" \
  || { cat init-topics.err >&2; fail "init-topics with compose.yaml's environment and command (${init_command[*]}) failed"; }
for topic in 'raw\.orders\.v1' 'raw\.clicks\.v1'; do
  echo "$out" | grep -Eq "^$topic +(exists|drift)" || fail "init-topics did not report $topic: $out"
done
echo "init-topics: compose.yaml's environment and command (${init_command[*]}) find both topics, exit 0"

gateway_port="$(free_port)"
gateway_url="http://127.0.0.1:$gateway_port"
"$FLOWGUARD_BIN" start-gateway --help > gateway.help
"${checks[@]}" declared-variables <("${checks[@]}" compose-service compose.resolved.yaml gateway) gateway.help \
  || fail "the gateway's environment in compose.yaml"
service_environment gateway "$gateway_port"
mapfile -d '' gateway_env < gateway.env
mapfile -d '' gateway_command < gateway.command
[ "${gateway_command[0]:-}" = start-gateway ] || fail "the gateway service does not run start-gateway: ${gateway_command[*]}"
env -i PATH="$PATH" HOME="$work" "${gateway_env[@]}" "$FLOWGUARD_BIN" "${gateway_command[@]}" > gateway.out 2> gateway.err &
gateway=$!
PIDS+=("$gateway")
wait_http "$gateway_url/health" 60 || { cat gateway.err >&2; fail "the gateway with compose.yaml's environment did not become healthy"; }
echo "gateway: started with compose.yaml's ${#gateway_env[@]} variables and command (${gateway_command[*]}), healthy"
# FLOWGUARD_LOG_FORMAT=json took effect: every line of its log is a JSON object.
"$PYTHON" -c 'import json, sys; lines = [l for l in open(sys.argv[1]) if l.strip()]; assert lines; [json.loads(l) for l in lines]' gateway.err \
  || fail "the gateway's log is not JSON lines: $(head -n2 gateway.err)"
curl -fs "$gateway_url/metrics" > metrics-before.txt
for pair in FLOWGUARD_MAX_IN_FLIGHT:flowguard_produce_in_flight_limit FLOWGUARD_DEDUP_CAPACITY:flowguard_deduplication_capacity; do
  variable="${pair%%:*}" metric="${pair#*:}"
  wanted="$(tr '\0' '\n' < gateway.env | sed -n "s/^$variable=//p")"
  [ -n "$wanted" ] || fail "compose.yaml no longer sets $variable (this test reads it)"
  grep -qx "$metric $wanted" metrics-before.txt || fail "$variable=$wanted did not take effect: $(grep "^$metric " metrics-before.txt)"
done
echo "gateway: FLOWGUARD_MAX_IN_FLIGHT and FLOWGUARD_DEDUP_CAPACITY took effect (its /metrics)"

# nginx.conf in front of it, as written but for three lines: the gateway's address instead of
# Docker's DNS name, a loopback port instead of :8000, and a pid file of this test's own.
lb_port="$(free_port)"
"$PYTHON" - "$deploy/nginx/nginx.conf" nginx.conf "$gateway_port" "$lb_port" "$work/nginx.pid" <<'PY' || fail "rewriting nginx.conf"
import sys
source, target, gateway, port, pid = sys.argv[1:]
text = open(source).read()
for old, new in [("set $gateway gateway:8000;", f"set $gateway 127.0.0.1:{gateway};"),
                 ("listen 8000 ", f"listen 127.0.0.1:{port} "), ("pid /tmp/nginx.pid;", f"pid {pid};")]:
    assert text.count(old) == 1, f"nginx.conf no longer has {old!r}"
    text = text.replace(old, new)
open(target, "w").write(text)
PY
nginx -p "$work/nginx-prefix/" -c "$work/nginx.conf" -e stderr -g 'daemon off;' > nginx.out 2> nginx.err &
PIDS+=("$!")
base="http://127.0.0.1:$lb_port"
wait_http "$base/lb-health" 30 || { cat nginx.err >&2; fail "nginx did not start"; }
order='{"event_id":"deploy-1","user_id":1001,"order_id":"ORD-1","item_id":501,"item_name":"Biryani","price":299.99}'
post() { curl -s -o /dev/null -w '%{http_code}' -X POST "$base/api/v1/orders" -H 'Content-Type: application/json' -d "$1"; }
[ "$(post "$order")" = 202 ] || fail "an order through nginx was not accepted"
duplicate="$(curl -s -D - -o /dev/null -X POST "$base/api/v1/orders" -H 'Content-Type: application/json' -d "$order")"
echo "$duplicate" | grep -q '^HTTP/1.1 200' || fail "the same order again through nginx: $duplicate"
echo "$duplicate" | grep -qi '^x-duplicate: true' || fail "no X-Duplicate through nginx: $duplicate"
[ "$(post '{"event_id":"deploy-2"}')" = 422 ] || fail "an invalid order through nginx did not get 422"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/health")" = 200 ] || fail "/health through nginx"
echo "nginx: nginx.conf passes events, their duplicates and 422s to the gateway and back"

"$FLOWGUARD_BIN" console --help > console.help || fail "flowguard console --help"
console_port="$(free_port)"
"${checks[@]}" declared-variables <("${checks[@]}" compose-service compose.resolved.yaml console) console.help \
  || fail "the console's environment in compose.yaml"
service_environment console "$console_port" "$gateway_url"
mapfile -d '' console_env < console.env
mapfile -d '' console_command < console.command
env -i PATH="$PATH" HOME="$work" "${console_env[@]}" "$FLOWGUARD_BIN" "${console_command[@]}" > console.out 2> console.err &
console=$!
PIDS+=("$console")
wait_http "http://127.0.0.1:$console_port/" 60 || { cat console.err >&2; fail "the console with compose.yaml's environment does not serve /"; }
curl -fs "http://127.0.0.1:$console_port/metrics" | grep -q '^flowguard_console_kafka_up ' \
  || fail "the console's /metrics, which the compose file's Prometheus scrapes"
echo "console: started with compose.yaml's ${#console_env[@]} variables and command (${console_command[*]}), serves / and /metrics"
kill -TERM "$console"; wait "$console" || true

# The phase2 profile's jobs, each as the compose file runs it (dump into a file lake in this test's
# folder), until its /metrics answers with its own series: the command line and the environment are
# ones the binary accepts, and the job started on Kafka.
for job in dump:flowguard_dump_ attribute:flowguard_attribution_; do
  service="${job%%:*}" prefix="${job#*:}"
  "$FLOWGUARD_BIN" "$service" --help > "$service.help" || fail "flowguard $service --help"
  "${checks[@]}" declared-variables <("${checks[@]}" compose-service compose.resolved.yaml "$service") "$service.help" \
    || fail "the $service job's environment in compose.yaml"
  job_port="$(free_port)"
  service_environment "$service" "$job_port"
  mapfile -d '' job_env < "$service.env"
  mapfile -d '' job_command < "$service.command"
  env -i PATH="$PATH" HOME="$work" "${job_env[@]}" "$FLOWGUARD_BIN" "${job_command[@]}" > "$service.out" 2> "$service.err" &
  job_pid=$!
  PIDS+=("$job_pid")
  wait_http "http://127.0.0.1:$job_port/metrics" 60 || { cat "$service.err" >&2; fail "$service with compose.yaml's environment does not serve /metrics"; }
  curl -fs "http://127.0.0.1:$job_port/metrics" | grep -q "^$prefix" || fail "$service's /metrics has no $prefix series"
  echo "$service: started with compose.yaml's ${#job_env[@]} variables and command (${job_command[*]}), serves its /metrics"
  kill -TERM "$job_pid"; wait "$job_pid" || true
done

# Kafka gone: /health turns 503, and so does an event; the failure counters exist from then on.
kill -TERM "$cluster"; wait "$cluster" || true
for _ in $(seq 1 300); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/health")" = 503 ] && break
  sleep 0.1
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/health")" = 503 ] || fail "/health did not turn 503 without Kafka"
[ "$(post '{"event_id":"deploy-3","user_id":1001,"order_id":"ORD-3","item_id":501,"item_name":"Biryani","price":1.5}')" = 503 ] \
  || fail "an order without Kafka did not get 503"
curl -fs "$gateway_url/metrics" > metrics.txt
grep -qx 'flowguard_ready 0' metrics.txt || fail "flowguard_ready is not 0 while /health is 503"
echo "gateway: without Kafka /health and events get 503, flowguard_ready 0"

"${checks[@]}" dashboard "$deploy/grafana/dashboards/flowguard.json" metrics.txt || fail "the Grafana dashboard"
"${checks[@]}" alerts "$deploy/prometheus/alerts.yml" metrics.txt || fail "the alert rules"

kill -TERM "$gateway"
status=0; wait "$gateway" || status=$?
[ "$status" = 0 ] || { tail -n5 gateway.err >&2; fail "gateway exited $status after SIGTERM"; }
cd / && rm -rf "$work"
echo "deploy: ok"
