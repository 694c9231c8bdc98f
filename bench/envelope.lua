-- wrk script: POST a Sentry envelope built from the real sentry-python 1.9.10
-- exception event (tests/fixtures/python_exception_store.json), with a FRESH
-- event_id per request in both the envelope header and the event JSON
-- (Faultline deduplicates repeated ids, which would not measure writes).
--
-- Environment:
--   BENCH_FIXTURES  comma-separated event JSON files (default: the python
--                   exception fixture); several are used round-robin
--   BENCH_AUTH      value of X-Sentry-Auth (optional; Faultline needs it)
--   BENCH_DELAY_MS  per-connection pause between requests (rate limiting)
--   BENCH_OUT       file to which done() writes key=value results
--   BENCH_LABEL     label printed in the result line
--   BENCH_STOP_AFTER  stop this wrk thread after that many 2xx answers, and
--                   create the file BENCH_STOP_MARK.<thread> (wrk itself only
--                   ends at -d or SIGINT: bench/storage_cost waits for the marks)

local fixtures = {}
-- tid is a global: setup() sets it through thread:set, which only sees globals.
local counter, nonce = 0, "000000000000"
dofile((os.getenv("BENCH_LUA_DIR") or "bench") .. "/wrk_common.lua")  -- post_envelopes, count_response, report_results
tid = 0
local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "") or 0
local threads = {}
local thread_count = 0

local function read_file(path)
  local f = assert(io.open(path, "rb"), "cannot open " .. path)
  local s = f:read("*a")
  f:close()
  return s
end

local function random_hex(nbytes)
  local f = io.open("/dev/urandom", "rb")
  local s = f:read(nbytes)
  f:close()
  return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end

-- Split the fixture at its event_id so that a new id can be spliced in.
local function load_fixture(path)
  local json = read_file(path):gsub("%s+$", "")
  local a, b = json:find('"event_id"%s*:%s*"%x+"')
  local prefix, suffix
  if a then
    prefix = json:sub(1, a - 1) .. '"event_id":"'
    suffix = '"' .. json:sub(b + 1)
  else
    -- no event_id in the fixture: add one as the first member
    prefix = '{"event_id":"'
    suffix = '",' .. json:sub(2)
  end
  return { prefix = prefix, suffix = suffix, len = #prefix + 32 + #suffix }
end

function setup(thread)
  thread_count = thread_count + 1
  thread:set("tid", thread_count)
  table.insert(threads, thread)
end

function init(args)
  local list = os.getenv("BENCH_FIXTURES") or "tests/fixtures/python_exception_store.json"
  for path in list:gmatch("[^,]+") do
    table.insert(fixtures, load_fixture(path))
  end
  nonce = random_hex(6)
  post_envelopes()
end

function request()
  counter = counter + 1
  -- 12 hex run nonce + 4 hex thread + 16 hex counter = 32 hex, unique per run
  local id = nonce .. string.format("%04x", tid) .. "00000000" .. string.format("%08x", counter)
  local fx = fixtures[(counter % #fixtures) + 1]
  local body = '{"event_id":"' .. id .. '"}\n{"type":"event","length":' .. fx.len .. '}\n'
      .. fx.prefix .. id .. fx.suffix .. '\n'
  return wrk.format(nil, nil, nil, body)
end

if delay_ms > 0 then
  function delay() return delay_ms end
end

local stop_after = tonumber(os.getenv("BENCH_STOP_AFTER") or "") or 0
local stopped = false

function response(status, headers, body)
  count_response(status)
  if stop_after > 0 and ok2xx >= stop_after and not stopped then
    stopped = true
    local mark = os.getenv("BENCH_STOP_MARK")
    if mark then
      local f = io.open(mark .. "." .. tid, "w")
      if f then f:write(ok2xx, "\n"); f:close() end
    end
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  report_results(summary, latency, threads)
end
