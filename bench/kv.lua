-- wrk load for a key-value store over HTTP JSON: Ravel's admin (/put, /get) or etcd's v3 gateway
-- (/v3/kv/put, /v3/kv/range, /v3/kv/txn, base64 keys and values).
--
--   wrk -t2 -c64 -d20s -s kv.lua http://127.0.0.1:PORT -- <ravel|etcd> <put|get|batch> <nkeys>
--   wrk -tN -cN -d120s -s kv.lua http://127.0.0.1:PORT -- <ravel|etcd> fill <nkeys> <N>
--
-- put/get pick a uniformly random key among key00000 .. key<nkeys-1> for every request; every value
-- is a 100-byte string. batch writes 100 consecutive keys per request (Ravel: one POST /batch of
-- 100 puts; etcd: one /v3/kv/txn of 100 puts), starting at a random multiple of 100. fill writes every key exactly once, spread over N threads of one connection
-- each (so each response belongs to the thread's one outstanding request and failures are retried);
-- each thread prints "fill-done <thread> <written> <failures>" when its share is written.
-- done() prints one machine-readable line: "result requests=.. duration_us=.. ok_rps=.. p50_us=..".

local VALUE_BYTES = 100

local function key_name(i)
  return string.format("key%05d", i)
end

local function value_for(i)
  local v = "value-" .. key_name(i) .. "-"
  return v .. string.rep("x", VALUE_BYTES - #v)
end

local b64chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

local function base64(s)
  local out = {}
  for i = 1, #s, 3 do
    local a, b, c = s:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local c1 = math.floor(n / 262144) % 64
    local c2 = math.floor(n / 4096) % 64
    local c3 = math.floor(n / 64) % 64
    local c4 = n % 64
    out[#out + 1] = b64chars:sub(c1 + 1, c1 + 1) .. b64chars:sub(c2 + 1, c2 + 1)
      .. (b and b64chars:sub(c3 + 1, c3 + 1) or "=") .. (c and b64chars:sub(c4 + 1, c4 + 1) or "=")
  end
  return table.concat(out)
end

-- One full HTTP request (a string) for operation op on key i.
local function build(system, op, i)
  local headers = { ["Content-Type"] = "application/json" }
  local k, v = key_name(i), value_for(i)
  if system == "ravel" then
    if op == "get" then
      return wrk.format("POST", "/get", headers, '{"key":"' .. k .. '"}')
    end
    return wrk.format("POST", "/put", headers, '{"key":"' .. k .. '","val":"' .. v .. '"}')
  elseif system == "etcd" then
    if op == "get" then
      return wrk.format("POST", "/v3/kv/range", headers, '{"key":"' .. base64(k) .. '"}')
    end
    return wrk.format("POST", "/v3/kv/put", headers,
      '{"key":"' .. base64(k) .. '","value":"' .. base64(v) .. '"}')
  end
  error("system must be ravel or etcd, not " .. tostring(system))
end

local BATCH_OPS = 100

-- One request writing keys first .. first+99 (wrapping around nkeys).
local function build_batch(system, first, nkeys)
  local headers = { ["Content-Type"] = "application/json" }
  local ops = {}
  for j = 0, BATCH_OPS - 1 do
    local i = (first + j) % nkeys
    if system == "ravel" then
      ops[#ops + 1] = '{"op":"put","key":"' .. key_name(i) .. '","val":"' .. value_for(i) .. '"}'
    else
      ops[#ops + 1] = '{"requestPut":{"key":"' .. base64(key_name(i)) .. '","value":"' .. base64(value_for(i)) .. '"}}'
    end
  end
  if system == "ravel" then
    return wrk.format("POST", "/batch", headers, '{"ops":[' .. table.concat(ops, ",") .. ']}')
  end
  return wrk.format("POST", "/v3/kv/txn", headers, '{"success":[' .. table.concat(ops, ",") .. ']}')
end

-- main thread: hand every thread its number and keep the threads for done()
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

-- per-thread state
local mode, nkeys, nthreads, batches
local prebuilt = {}
local current, last_own, written, failures, finished = 0, 0, 0, 0, false

-- Only fill reads responses (a response callback costs time in the measured runs).
local function fill_response(status, headers, body)
  if finished then return end
  if status == 200 then
    written = written + 1
    current = current + nthreads
  else
    failures = failures + 1
    if failures > 1000 then finished = true end
  end
  if current >= nkeys then finished = true end
  if finished then
    wrk.thread:set("written", written)
    wrk.thread:set("failures", failures)
    io.write(string.format("fill-done %d %d %d\n", id, written, failures))
    io.flush()
    wrk.thread:stop()
  end
end

function init(args)
  local system = args[1]
  mode = args[2]
  nkeys = tonumber(args[3])
  if not nkeys or nkeys < 1 then error("usage: -- <ravel|etcd> <put|get|fill> <nkeys> [threads]") end
  if mode == "fill" then
    nthreads = tonumber(args[4])
    if not nthreads then error("fill needs the thread count as 4th argument") end
    if nthreads > nkeys then error("fill needs at most as many threads as keys") end
    current = id
    for i = id, nkeys - 1, nthreads do
      prebuilt[i] = build(system, "put", i)
      last_own = i
    end
    response = fill_response
  elseif mode == "batch" then
    local n = math.max(1, math.floor(nkeys / BATCH_OPS))
    for b = 0, n - 1 do prebuilt[b] = build_batch(system, b * BATCH_OPS, nkeys) end
    batches = n
    math.randomseed(os.time() * 1000 + id * 7919)
  elseif mode == "put" or mode == "get" then
    for i = 0, nkeys - 1 do prebuilt[i] = build(system, mode, i) end
    math.randomseed(os.time() * 1000 + id * 7919)
  else
    error("mode must be put, get, batch or fill, not " .. tostring(mode))
  end
end

function request()
  if mode == "fill" then
    -- after the last write the thread stops; a request asked for meanwhile repeats that write
    return prebuilt[finished and last_own or current]
  end
  if mode == "batch" then
    return prebuilt[math.random(0, batches - 1)]
  end
  return prebuilt[math.random(0, nkeys - 1)]
end

function done(summary, latency, requests)
  local e = summary.errors
  local bad = e.status
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "result requests=%d duration_us=%d ok_rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d "
      .. "err_status=%d err_connect=%d err_read=%d err_write=%d err_timeout=%d\n",
    summary.requests, summary.duration, (summary.requests - bad) / seconds,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.status, e.connect, e.read, e.write, e.timeout))
end
