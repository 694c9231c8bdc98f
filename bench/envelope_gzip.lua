-- wrk script: POST pre-gzipped Sentry envelopes (Content-Encoding: gzip), the
-- way sentry-python sends every body. The bodies are made beforehand by
-- bench/ingest (same shape as envelope.lua: the python exception event with a
-- distinct event_id each) into one pool file plus an index of lengths, so
-- that wrk spends no CPU on compression.
--
-- Environment:
--   BENCH_GZIP_POOL   pool file (concatenated gzip members)
--   BENCH_GZIP_INDEX  index file: one compressed length per line
--   BENCH_AUTH, BENCH_DELAY_MS, BENCH_OUT, BENCH_LABEL as in envelope.lua
-- Each wrk thread uses its own contiguous share of the pool, so ids repeat
-- only when a thread has sent its whole share (reported as pool_wrapped=1).

local bodies = {}
-- tid and wrapped are globals (thread:set/get see only globals).
local idx = 0
dofile((os.getenv("BENCH_LUA_DIR") or "bench") .. "/wrk_common.lua")  -- post_envelopes, count_response, report_results
tid, wrapped = 0, 0
local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "") or 0
local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("tid", thread_count)
  table.insert(threads, thread)
end

function init(args)
  local nthreads = tonumber(os.getenv("BENCH_THREADS") or "2") or 2
  local lens = {}
  local index = os.getenv("BENCH_GZIP_INDEX")
  assert(index, "BENCH_GZIP_INDEX unset")
  for line in io.lines(index) do
    table.insert(lens, tonumber(line))
  end
  local share = math.floor(#lens / nthreads)
  local first = (tid - 1) * share + 1
  local pool = os.getenv("BENCH_GZIP_POOL")
  assert(pool, "BENCH_GZIP_POOL unset")
  local f = assert(io.open(pool, "rb"))
  local offset = 0
  for i = 1, first - 1 do offset = offset + lens[i] end
  f:seek("set", offset)
  for i = first, first + share - 1 do
    table.insert(bodies, f:read(lens[i]))
  end
  f:close()
  post_envelopes("gzip")
end

function request()
  idx = idx + 1
  if idx > #bodies then idx = 1; wrapped = 1 end
  return wrk.format(nil, nil, nil, bodies[idx])
end

if delay_ms > 0 then
  function delay() return delay_ms end
end

function response(status, headers, body)
  count_response(status)
end

function done(summary, latency, requests)
  local wrap = 0
  for _, t in ipairs(threads) do wrap = math.max(wrap, t:get("wrapped") or 0) end
  report_results(summary, latency, threads, { { "pool_wrapped", wrap } })
end
