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
-- tid, ok2xx, non2xx, wrapped and statuses are globals (thread:set/get see only globals).
local idx = 0
statuses = {}
tid, ok2xx, non2xx, wrapped = 0, 0, 0, 0
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
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-sentry-envelope"
  wrk.headers["Content-Encoding"] = "gzip"
  wrk.headers["User-Agent"] = "sentry.python/1.9.10"
  local auth = os.getenv("BENCH_AUTH")
  if auth and auth ~= "" then wrk.headers["X-Sentry-Auth"] = auth end
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
  if status >= 200 and status < 300 then
    ok2xx = ok2xx + 1
  else
    non2xx = non2xx + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

local function status_list(t)
  local codes = {}
  for code in pairs(t) do table.insert(codes, code) end
  table.sort(codes)
  local parts = {}
  for _, code in ipairs(codes) do table.insert(parts, code .. ":" .. t[code]) end
  return #parts > 0 and table.concat(parts, ",") or "-"
end

function done(summary, latency, requests)
  local all_statuses = {}
  local ok, bad, wrap = 0, 0, 0
  for _, t in ipairs(threads) do
    ok = ok + (t:get("ok2xx") or 0)
    bad = bad + (t:get("non2xx") or 0)
    for code, n in pairs(t:get("statuses") or {}) do all_statuses[code] = (all_statuses[code] or 0) + n end
    wrap = math.max(wrap, t:get("wrapped") or 0)
  end
  local e = summary.errors
  local secs = summary.duration / 1e6
  local line = {
    "label=" .. (os.getenv("BENCH_LABEL") or "run"),
    "rps=" .. string.format("%.1f", summary.requests / secs),
    "ok_rps=" .. string.format("%.1f", ok / secs),
    "requests=" .. summary.requests,
    "ok2xx=" .. ok,
    "non2xx=" .. bad,
    "sock_errors=" .. (e.connect + e.read + e.write),
    "timeouts=" .. e.timeout,
    "p50_ms=" .. string.format("%.2f", latency:percentile(50) / 1000),
    "p99_ms=" .. string.format("%.2f", latency:percentile(99) / 1000),
    "max_ms=" .. string.format("%.2f", latency.max / 1000),
    "seconds=" .. string.format("%.2f", secs),
    "pool_wrapped=" .. wrap,
    "statuses=" .. status_list(all_statuses),
  }
  local out = os.getenv("BENCH_OUT")
  if out and out ~= "" then
    local f = assert(io.open(out, "w"))
    f:write(table.concat(line, "\n"), "\n")
    f:close()
  end
  io.write("RESULT ", table.concat(line, " "), "\n")
end
