-- The wrk script of the 311 benchmarks (bench/requests/run), configured by the environment:
--   BENCH_METHOD       GET (default) or POST
--   BENCH_PATHS        request paths separated by "|", used in turn by each connection
--                      (default: the path of the URL given to wrk)
--   BENCH_BODIES_FILE  POST: a file of application/x-www-form-urlencoded bodies, one a line,
--                      used in turn (gen_requests.py bodies writes it)
--   BENCH_EXPECT       the status that counts as success (default 200)
-- done() prints one line "BENCH_JSON {...}" with req/s, successful req/s, p50/p90/p99/max in
-- ms and the counts of expected and unexpected answers, which bench/requests/run parses (the
-- same shape as bench/identity/request.lua's).
local method = os.getenv("BENCH_METHOD") or "GET"
local bodies_file = os.getenv("BENCH_BODIES_FILE")
local expect = tonumber(os.getenv("BENCH_EXPECT") or "200")

local paths = {}
for p in string.gmatch(os.getenv("BENCH_PATHS") or "", "[^|]+") do
  paths[#paths + 1] = p
end

local threads = {}
function setup(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end

local requests = {}
local next_request = 1
ok = 0
bad = 0
first_bad = ""

function init(args)
  if bodies_file then
    local headers = {["Content-Type"] = "application/x-www-form-urlencoded"}
    local path = paths[1]
    for line in io.lines(bodies_file) do
      if #line > 0 then requests[#requests + 1] = wrk.format(method, path, headers, line) end
    end
  elseif #paths == 0 then
    requests[1] = wrk.format(method, nil, {}, nil)
  else
    for i, p in ipairs(paths) do requests[i] = wrk.format(method, p, {}, nil) end
  end
  -- Threads start at different places in the rotation so they do not send the same thing.
  next_request = (id * 7919) % #requests + 1
end

function request()
  local r = requests[next_request]
  next_request = next_request % #requests + 1
  return r
end

function response(status, headers, body)
  if status == expect then
    ok = ok + 1
  else
    bad = bad + 1
    if first_bad == "" then first_bad = tostring(status) .. " " .. string.sub(body or "", 1, 120) end
  end
end

function done(summary, latency, _)
  local total_ok, total_bad, sample = 0, 0, ""
  for _, t in ipairs(threads) do
    total_ok = total_ok + t:get("ok")
    total_bad = total_bad + t:get("bad")
    if sample == "" then sample = t:get("first_bad") end
  end
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write +
                 summary.errors.timeout
  io.write(string.format(
      'BENCH_JSON {"requests":%d,"rps":%.1f,"ok_rps":%.1f,"p50_ms":%.3f,"p90_ms":%.3f,' ..
      '"p99_ms":%.3f,"max_ms":%.3f,"ok":%d,"bad":%d,"socket_errors":%d,"bytes":%d,' ..
      '"first_bad":"%s"}\n',
      summary.requests, summary.requests / seconds, total_ok / seconds,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000, total_ok, total_bad, errors,
      summary.bytes, string.gsub(sample, '[^%w%s/%?=&%.%-_:,]', "")))
end
