#!/usr/bin/env bash
# The console in a real browser: starts the built gateway with its console on free loopback ports
# (embedded cluster), then drives headless Chromium with selenium (scripts/console_browser.py):
# overview, topics, raw.orders.v1 with an order posted a moment before, live mode, a seek, a filter,
# hostile records that must render as text, and the attribution page once `flowguard attribute` (run
# here too) credited that order to the click before it. Screenshots go to .flowguard/artifacts/console/.
source "$(dirname "$0")/lib.sh"
case "${1:-}" in -h | --help) echo "Usage: scripts/test-console-browser.sh   (needs chromium, chromium-driver and selenium: scripts/install-deps.sh --test)"; exit 0 ;; esac

command -v chromium >/dev/null || fail "chromium is not installed (scripts/install-deps.sh --test)"
command -v chromedriver >/dev/null || fail "chromedriver is not installed (scripts/install-deps.sh --test)"
artifacts="${FLOWGUARD_ARTIFACTS:-$ROOT/.flowguard/artifacts}/console"
mkdir -p "$artifacts"
work="$(scratch_dir)"
cd "$work"
port="$(free_port)"
console_port="$(free_port)"
"$FLOWGUARD_BIN" start-gateway --host 127.0.0.1 --port "$port" --console "127.0.0.1:$console_port" --log-level warning > gateway.out 2> gateway.err &
PIDS+=("$!")
wait_http "http://127.0.0.1:$port/health" 60 || { cat gateway.err >&2; fail "gateway did not become healthy"; }
wait_http "http://127.0.0.1:$console_port/api/overview" 30 || { cat gateway.err >&2; fail "the console did not answer"; }
bootstrap="$("$PYTHON" -c 'import json; print(json.load(open(".flowguard/cluster.json"))["bootstrap_servers"])')"
# The job whose output the attribution page adds up; a short lateness, so that an order with no later
# click is written within seconds.
"$FLOWGUARD_BIN" attribute --bootstrap "$bootstrap" --transactions off --allowed-lateness 1s --metrics-port 0 --log-level warning \
  > attribute.out 2> attribute.err &
PIDS+=("$!")

status=0
"$PYTHON" "$ROOT/scripts/console_browser.py" --gateway "http://127.0.0.1:$port" --console "http://127.0.0.1:$console_port" \
  --bootstrap "$bootstrap" --artifacts "$artifacts" || status=$?
if [ "$status" != 0 ]; then
  tail -n 40 gateway.err >&2
  tail -n 20 attribute.err >&2
  fail "the browser test failed (screenshots in $artifacts)"
fi
cd / && rm -rf "$work"
echo "console in the browser: ok (screenshots in $artifacts)"
