#!/usr/bin/env bash
# Bad input at scale, against the built gateway on its embedded cluster:
# 1. schemathesis generates requests from /openapi.json (at least 1,000) and checks that no answer is
#    a 5xx, every status and body matches the document, and valid data is accepted / invalid refused.
#    NDJSON batch bodies are left out of the generated document (schemathesis cannot generate NDJSON
#    lines); the Swift tests and the corpus below cover them.
# 2. A corpus of hostile bodies (invalid UTF-8, NUL bytes, 10,000-deep nesting, 1e400, duplicate keys,
#    huge strings, wrong content types) must each get its 4xx, and the gateway must still be alive.
source "$(dirname "$0")/lib.sh"
case "${1:-}" in -h | --help) echo "Usage: scripts/test-fuzz.sh   (FUZZ_MAX_EXAMPLES=N for more generated requests)"; exit 0 ;; esac
MAX_EXAMPLES="${FUZZ_MAX_EXAMPLES:-200}"

work="$(scratch_dir)"
port="$(free_port)"
cd "$work"
"$FLOWGUARD_BIN" start-gateway --host 127.0.0.1 --port "$port" --console off --log-level error --access-log off > gateway.out 2> gateway.err &
gateway=$!
PIDS+=("$gateway")
wait_http "http://127.0.0.1:$port/health" 60 || { cat gateway.err >&2; fail "gateway did not become healthy"; }
base="http://127.0.0.1:$port"

curl -fs "$base/openapi.json" | "$PYTHON" -c '
import json, sys
doc = json.load(sys.stdin)
for item in doc["paths"].values():
    for operation in item.values():
        content = operation.get("requestBody", {}).get("content", {})
        content.pop("application/x-ndjson", None)
json.dump(doc, open("openapi-fuzz.json", "w"))
'
status=0
PYTHONPATH="$ROOT/scripts" SCHEMATHESIS_HOOKS=fuzz_hooks "$ROOT/.venv/bin/schemathesis" run openapi-fuzz.json --url "$base" \
  --checks all --exclude-checks ignored_auth,use_after_free,ensure_resource_availability \
  --phases examples,fuzzing --max-examples "$MAX_EXAMPLES" --workers 2 --seed 20261125 \
  --no-color > schemathesis.log 2>&1 || status=$?
tail -n 25 schemathesis.log
[ "$status" = 0 ] || fail "schemathesis found failures (exit $status)"
generated="$(grep -Eo '[0-9]+ generated' schemathesis.log | tail -n1 | grep -Eo '[0-9]+')"
[ "${generated:-0}" -ge 1000 ] || fail "schemathesis generated only ${generated:-0} requests, wanted at least 1000"
echo "schemathesis: $generated generated requests, no failure"

# The hostile corpus: each body with its content type and the statuses it may get.
check() {
  local name="$1" expected="$2" content_type="$3" body_file="$4" path="${5:-/api/v1/orders}"
  local code
  code="$(curl -s -o answer.json -w '%{http_code}' -X POST "$base$path" -H "Content-Type: $content_type" --data-binary "@$body_file")"
  [[ " $expected " == *" $code "* ]] || fail "$name: got $code, wanted one of $expected: $(head -c 300 answer.json)"
  [ "$code" -lt 500 ] || fail "$name: server error $code"
  echo "  $name -> $code"
}
printf '{"event_id":"\xff\xfe","user_id":1,"order_id":"o","item_id":1,"item_name":"x","price":1}' > invalid-utf8.json
printf '{"event_id":"a\x00b","user_id":1,"order_id":"o","item_id":1,"item_name":"x","price":1}' > raw-nul.json
printf '{"event_id":"a\\u0000b","user_id":1,"order_id":"o","item_id":1,"item_name":"x","price":1}' > escaped-nul.json
"$PYTHON" -c 'print("[" * 10000 + "]" * 10000, end="")' > deep-array.json
"$PYTHON" -c 'print("{\"a\":" * 10000 + "1" + "}" * 10000, end="")' > deep-object.json
printf '{"event_id":"big","user_id":1,"order_id":"o","item_id":1,"item_name":"x","price":1e400}' > huge-number.json
printf '{"event_id":"dup","user_id":1,"user_id":2,"order_id":"o","item_id":1,"item_name":"x","price":1}' > duplicate-keys.json
"$PYTHON" -c 'print("{\"event_id\":\"" + "x" * 2000000 + "\"}", end="")' > huge-string.json
"$PYTHON" -c 'print("{\"event_id\":\"e\",\"user_id\":1,\"order_id\":\"o\",\"item_id\":1,\"item_name\":\"" + "é" * 300 + "\",\"price\":1}", end="")' > long-name.json
"$PYTHON" -c 'print("[\"" + "x" * 6000000 + "\"]", end="")' > huge-batch.json
printf '' > empty.json
printf '   \n ' > whitespace.json
printf '"just a string"' > string.json
printf '{"event_id":"n","user_id":100000000000000000000000000000,"order_id":"o","item_id":1,"item_name":"x","price":1}' > huge-int.json
printf '\xef\xbb\xbf{"event_id":"bom","user_id":1,"order_id":"o","item_id":1,"item_name":"x","price":1}' > bom.json
printf '{"event_id":"\\ud800","user_id":1,"order_id":"o","item_id":1,"item_name":"x","price":1}' > lone-surrogate.json
printf '[{"event_id":"a"},\n' > truncated-batch.json
printf 'event_id=e&user_id=1' > form.txt

check "invalid UTF-8" "400" application/json invalid-utf8.json
check "raw NUL byte" "400" application/json raw-nul.json
check "escaped NUL (valid JSON)" "202" application/json escaped-nul.json
check "10,000-deep array" "400" application/json deep-array.json
check "10,000-deep object" "400" application/json deep-object.json
check "1e400" "422" application/json huge-number.json
check "duplicate keys" "400" application/json duplicate-keys.json
check "2 MB string" "413" application/json huge-string.json
check "6 MB batch" "413" application/json huge-batch.json /api/v1/orders/batch
check "300 x 2-byte characters in item_name" "422" application/json long-name.json
check "empty body" "422" application/json empty.json
check "whitespace body" "400" application/json whitespace.json
check "a JSON string" "422" application/json string.json
check "integer beyond 64 bits" "422" application/json huge-int.json
check "UTF-8 byte order mark" "400" application/json bom.json
check "lone surrogate escape" "400" application/json lone-surrogate.json
check "truncated batch" "400" application/json truncated-batch.json /api/v1/clicks/batch
check "form content type" "415" application/x-www-form-urlencoded form.txt
check "text/plain" "415" text/plain escaped-nul.json
check "XML" "415" application/xml escaped-nul.json
check "NDJSON on a single-event route" "415" application/x-ndjson escaped-nul.json
code="$(curl -s -o /dev/null -w '%{http_code}' "$base/health/live")"
[ "$code" = 200 ] || fail "the gateway is not alive after the corpus ($code)"
kill -0 "$gateway" || fail "the gateway process died"
kill -TERM "$gateway"; wait "$gateway" || fail "gateway exit code $? after SIGTERM"
cd / && rm -rf "$work"
echo "fuzz: ok"
