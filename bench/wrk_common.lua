-- Shared by the wrk scripts (envelope.lua, envelope_gzip.lua): the request
-- headers of an SDK posting envelopes, counting answers by status per thread,
-- and the RESULT line (and BENCH_OUT file) that bench/ingest and
-- bench/storage_cost read. Loaded with dofile from the
-- directory in BENCH_LUA_DIR (set by those scripts).
--
-- ok2xx, non2xx and statuses are globals: thread:get only sees globals.
ok2xx, non2xx = 0, 0
statuses = {}

-- POST with the headers sentry-python sends (plus X-Sentry-Auth from BENCH_AUTH).
function post_envelopes(content_encoding)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-sentry-envelope"
  wrk.headers["User-Agent"] = "sentry.python/1.9.10"
  if content_encoding then wrk.headers["Content-Encoding"] = content_encoding end
  -- BENCH_CLOSE=1: a new connection per request, as clients without keep-alive
  -- (curl in a script, raven-php) send; every request then passes the accept loop.
  if os.getenv("BENCH_CLOSE") == "1" then wrk.headers["Connection"] = "close" end
  local auth = os.getenv("BENCH_AUTH")
  if auth and auth ~= "" then wrk.headers["X-Sentry-Auth"] = auth end
end

function count_response(status)
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

-- extra: list of {key, value} appended before "statuses" (e.g. pool_wrapped).
function report_results(summary, latency, threads, extra)
  local all_statuses = {}
  local ok, bad = 0, 0
  for _, t in ipairs(threads) do
    ok = ok + (t:get("ok2xx") or 0)
    bad = bad + (t:get("non2xx") or 0)
    for code, n in pairs(t:get("statuses") or {}) do all_statuses[code] = (all_statuses[code] or 0) + n end
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
  }
  for _, kv in ipairs(extra or {}) do table.insert(line, kv[1] .. "=" .. tostring(kv[2])) end
  table.insert(line, "statuses=" .. status_list(all_statuses))
  local out = os.getenv("BENCH_OUT")
  if out and out ~= "" then
    local f = assert(io.open(out, "w"))
    f:write(table.concat(line, "\n"), "\n")
    f:close()
  end
  io.write("RESULT ", table.concat(line, " "), "\n")
end
