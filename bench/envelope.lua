-- wrk script: POST a Sentry envelope built from the real sentry-python 1.9.10
-- exception event (tests/fixtures/python_exception_store.json), with a FRESH
-- event_id per request in both the envelope header and the event JSON
-- (Faultline deduplicates repeated ids, which would not measure writes).
--
-- Environment:
--   BENCH_FIXTURES  comma-separated event JSON files (default: the python
--                   exception fixture); several are used round-robin. The
--                   templates of bench/varied_events.py carry markers, filled
--                   in per request: @ISSUE@ (one of BENCH_ISSUES variants per
--                   template, the first ones most often), @TEXT@ and @ID@ (an
--                   order number, a request id, or for @TEXT@ in a template's
--                   hottest issue names of a tenant, a user and a team)
--   BENCH_ISSUES    issues per template (default 64)
--   BENCH_SEED      added to the thread's number to seed the markers' values
--                   (two wrk processes of one thread each: give them two seeds)
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

local markers = { ISSUE = true, TEXT = true, ID = true }

-- A fixture as literal pieces and the slots between them: the event id (where
-- the fixture had its first one, or added as the first member; a template marks
-- it, since a breadcrumb may hold an id too) and the template's markers.
local function load_fixture(path)
  local json = read_file(path):gsub("%s+$", "")
  if not json:find("@EVENT_ID@", 1, true) then
    local a, b = json:find('"event_id"%s*:%s*"%x+"')
    if a then
      json = json:sub(1, a - 1) .. '"event_id":"@EVENT_ID@"' .. json:sub(b + 1)
    else
      json = '{"event_id":"@EVENT_ID@",' .. json:sub(2)
    end
  end
  local fx = { pieces = {}, slots = {}, varied = false }
  local from = 1
  for start, name, stop in json:gmatch("()@([%u_]+)@()") do
    if name == "EVENT_ID" or markers[name] then
      table.insert(fx.pieces, json:sub(from, start - 1))
      table.insert(fx.slots, name)
      fx.varied = fx.varied or name ~= "EVENT_ID"
      from = stop
    end
  end
  table.insert(fx.pieces, json:sub(from))
  return fx
end

-- Letters only (no digit, so each is a word of its own to free-text search).
local function letters(n, len)
  local out = {}
  for _ = 1, len do
    table.insert(out, string.char(97 + n % 26))
    n = math.floor(n / 26)
  end
  return table.concat(out)
end

local function name() return letters(math.random(0, 26 ^ 6 - 1), 6) end

local function hex16() return string.format("%04x", math.random(0, 65535)) end

-- A version 4 UUID: grouping masks it as one, as it masks free-standing numbers.
local function uuid()
  return hex16() .. hex16() .. "-" .. hex16() .. "-4" .. hex16():sub(2) .. "-a" .. hex16():sub(2) .. "-"
      .. hex16() .. hex16() .. hex16()
end

local issues_per_template = tonumber(os.getenv("BENCH_ISSUES") or "") or 64

-- What the markers of one request hold. math.random is seeded per thread (plus
-- BENCH_SEED), so every run (each backend) sends the same sequence.
local function marker_values()
  -- a few issues get most events, as in a real service: the first a third of its template's
  local variant = math.floor(issues_per_template * math.random() ^ 4)
  local order = "order " .. math.random(1, 99999999)
  local request = "request " .. uuid()
  local some_id = (counter % 2 == 0) and order or request
  return {
    ISSUE = letters(variant, 2),
    ID = some_id,
    TEXT = variant == 0 and ("tenant " .. name() .. " user " .. name() .. " team " .. name()) or some_id,
  }
end

local function event_json(fx, id)
  local values = fx.varied and marker_values() or {}
  values.EVENT_ID = id
  local parts = {}
  for i, slot in ipairs(fx.slots) do
    parts[#parts + 1] = fx.pieces[i]
    parts[#parts + 1] = values[slot]
  end
  parts[#parts + 1] = fx.pieces[#fx.pieces]
  return table.concat(parts)
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
  math.randomseed(tid + (tonumber(os.getenv("BENCH_SEED") or "") or 0))
  post_envelopes()
end

function request()
  counter = counter + 1
  -- 12 hex run nonce + 4 hex thread + 16 hex counter = 32 hex, unique per run
  local id = nonce .. string.format("%04x", tid) .. "00000000" .. string.format("%08x", counter)
  local json = event_json(fixtures[(counter % #fixtures) + 1], id)
  local body = '{"event_id":"' .. id .. '"}\n{"type":"event","length":' .. #json .. '}\n' .. json .. '\n'
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
