-- wrk -t2 -c16 -d10s -s bench/wrk/post_order_batch.lua http://127.0.0.1:PORT/api/v1/orders/batch
--
-- POSTs JSON arrays of BATCH (default 1000) valid order events to a batch endpoint. Every event of
-- every request has an event_id of its own, RUN_ID-<thread>-<request>-<index>, so the gateway's
-- deduplication never drops one and a run's events can be told apart in Kafka.
--
-- The body is built once per thread, cut where the ids go; each request only joins the pieces with
-- its prefix between them (one table.concat in C, no pattern matching), so wrk spends little CPU
-- next to the gateway on the same cores.
--
-- Each 200 answer's summary ({"summary":{"accepted":N,"rejected":N,"failed":N},...}) is added up,
-- and at the end one machine-readable line is printed:
--
--   BATCH_RESULT requests=N duration_s=S rps=R p50_ms=.. p90_ms=.. p99_ms=.. max_ms=.. batch=B
--     non200=N non2xx=N socket_errors=N accepted=N rejected=N failed=N unparsed=N
--
-- non200 counts answers other than 200 (seen by this script), non2xx is wrk's own counter (>= 400),
-- unparsed counts 200 answers without a readable summary.
-- Environment: RUN_ID (default run<unix time>; letters, digits, '-', '_' and '.'), BATCH.

local run_id = (os.getenv("RUN_ID") or ("run" .. os.time())):gsub("[^%w%-_.]", "_")
local batch = tonumber(os.getenv("BATCH") or "1000")
local items = { "pizza", "sushi", "tacos", "pho", "curry", "falafel wrap" }
local PLACEHOLDER = "@ID@"

-- Per-thread state (each wrk thread runs its own Lua interpreter; setup() fills thread_no).
thread_no = 0
requests_built = 0
accepted, rejected, failed, unparsed, non200 = 0, 0, 0, 0, 0
-- The body's pieces, with the ids' places at even indices (filled in per request).
local parts

local all_threads = {}
function setup(thread)
   table.insert(all_threads, thread)
   thread:set("thread_no", #all_threads)
end

local function order_json(i)
   return string.format(
      '{"event_id":"%s-%d","user_id":%d,"order_id":"o-%s-%d","item_id":%d,' ..
      '"item_name":"%s","price":%.2f}',
      PLACEHOLDER, i, math.random(1, 100000), PLACEHOLDER, i, math.random(1, 500),
      items[math.random(#items)], math.random(100, 9999) / 100)
end

function init(args)
   math.randomseed(os.time() + thread_no * 104729)
   local events = {}
   for i = 1, batch do events[i] = order_json(i) end
   local template = "[" .. table.concat(events, ",") .. "]"
   parts = {}
   local from = 1
   while true do
      local at = template:find(PLACEHOLDER, from, true)
      if not at then break end
      parts[#parts + 1] = template:sub(from, at - 1)
      parts[#parts + 1] = PLACEHOLDER
      from = at + #PLACEHOLDER
   end
   parts[#parts + 1] = template:sub(from)
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
end

function request()
   requests_built = requests_built + 1
   local prefix = string.format("%s-%d-%d", run_id, thread_no, requests_built)
   for i = 2, #parts - 1, 2 do parts[i] = prefix end
   return wrk.format(nil, nil, nil, table.concat(parts))
end

function response(status, headers, body)
   if status ~= 200 then
      non200 = non200 + 1
      return
   end
   local a = body:match('"accepted":(%d+)')
   local r = body:match('"rejected":(%d+)')
   local f = body:match('"failed":(%d+)')
   if a and r and f then
      accepted = accepted + tonumber(a)
      rejected = rejected + tonumber(r)
      failed = failed + tonumber(f)
   else
      unparsed = unparsed + 1
   end
end

function done(summary, latency, requests)
   local sums = { accepted = 0, rejected = 0, failed = 0, unparsed = 0, non200 = 0 }
   for _, thread in ipairs(all_threads) do
      for key in pairs(sums) do sums[key] = sums[key] + (thread:get(key) or 0) end
   end
   local e = summary.errors
   local seconds = summary.duration / 1e6
   io.write(string.format(
      "BATCH_RESULT requests=%d duration_s=%.3f rps=%.2f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f " ..
      "max_ms=%.3f batch=%d non200=%d non2xx=%d socket_errors=%d accepted=%d rejected=%d " ..
      "failed=%d unparsed=%d\n",
      summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000, batch,
      sums.non200, e.status, e.connect + e.read + e.write + e.timeout,
      sums.accepted, sums.rejected, sums.failed, sums.unparsed))
end
