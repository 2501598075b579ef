-- wrk script for bench/harness.py: replays the requests listed in the file named by
-- WRK_REQUESTS (one per line: METHOD<TAB>PATH<TAB>CONTENT-TYPE<TAB>BODY), each thread
-- starting at its own offset, and prints one JSON line of totals and latency percentiles.
-- With WRK_COUNT_NON_2XX=1 it also counts the answers outside 200-299 (wrk itself counts
-- only those from 400 up); wrk then hands every response to Lua, which costs a little.

local next_thread = 0
local threads = {}

function setup(thread)
  thread:set("thread_number", next_thread)
  next_thread = next_thread + 1
  table.insert(threads, thread)
end

if os.getenv("WRK_COUNT_NON_2XX") == "1" then
  non_2xx = 0
  function response(status, headers, body)
    if status < 200 or status > 299 then non_2xx = non_2xx + 1 end
  end
end

local prepared = {}
local counter = 0

function init(args)
  local file = os.getenv("WRK_REQUESTS")
  for line in io.lines(file) do
    local method, path, content_type, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    local headers = {}
    if content_type ~= "" then headers["Content-Type"] = content_type end
    if body == "" then body = nil end
    prepared[#prepared + 1] = wrk.format(method, path, headers, body)
  end
  counter = (thread_number or 0) * math.floor(#prepared / 2)
end

function request()
  counter = counter + 1
  return prepared[(counter % #prepared) + 1]
end

function done(summary, latency, requests)
  local e = summary.errors
  local non_2xx = "null"
  if os.getenv("WRK_COUNT_NON_2XX") == "1" then
    local total = 0
    for _, thread in ipairs(threads) do total = total + (thread:get("non_2xx") or 0) end
    non_2xx = string.format("%d", total)
  end
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "socket_errors": %d, "status_errors": %d, "non_2xx": %s}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.connect + e.read + e.write + e.timeout, e.status,
    non_2xx))
end
