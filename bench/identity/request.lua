-- One wrk script for every identity benchmark, configured by the environment so that zocalo and
-- the oidc-provider peer run under exactly the same profile:
--   BENCH_METHOD    GET (default) or POST
--   BENCH_PATHS     request paths separated by "|", used in turn by each connection
--                   (default: the path of the URL given to wrk)
--   BENCH_BODY      request body (POST); sent as application/x-www-form-urlencoded
--   BENCH_COOKIE, BENCH_AUTHORIZATION   Cookie and Authorization header values
--   BENCH_EXPECT    the status that counts as success (default 200)
--   BENCH_LOCATION  with BENCH_EXPECT=303: the Location that counts as success (a sign-in that
--                   lands on the second-factor page or back on the form is a failure)
--   BENCH_DELAY_MS  pause before each request of a connection (a low-rate background client;
--                   wrk measures latency from the send, so the pause is not counted)
-- done() prints one line "BENCH_JSON {...}" with req/s, p50/p90/p99 in ms and the counts of
-- expected and unexpected answers, which bench/identity/run parses.
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local cookie = os.getenv("BENCH_COOKIE")
local authorization = os.getenv("BENCH_AUTHORIZATION")
local expect = tonumber(os.getenv("BENCH_EXPECT") or "200")
local want_location = os.getenv("BENCH_LOCATION")
local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "0")

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
local next_path = 1
ok = 0
bad = 0
first_bad = ""

function init(args)
  local headers = {}
  if cookie then headers["Cookie"] = cookie end
  if authorization then headers["Authorization"] = authorization end
  if body then headers["Content-Type"] = "application/x-www-form-urlencoded" end
  if #paths == 0 then
    requests[1] = wrk.format(method, nil, headers, body)
  else
    for i, p in ipairs(paths) do
      requests[i] = wrk.format(method, p, headers, body)
    end
  end
  -- Threads start at different places in the rotation so they do not ask the same thing.
  next_path = (id * 7) % #requests + 1
end

function request()
  local r = requests[next_path]
  next_path = next_path % #requests + 1
  return r
end

if pause > 0 then
  function delay()
    return pause
  end
end

function response(status, headers, _)
  local good = status == expect
  if good and want_location then
    local location = headers["Location"] or headers["location"] or ""
    good = location == want_location
  end
  if good then
    ok = ok + 1
  else
    bad = bad + 1
    if first_bad == "" then
      first_bad = tostring(status) .. " " .. (headers["Location"] or headers["location"] or "")
    end
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
      '"p99_ms":%.3f,"max_ms":%.3f,"ok":%d,"bad":%d,"socket_errors":%d,"first_bad":"%s"}\n',
      summary.requests, summary.requests / seconds, total_ok / seconds,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000, total_ok, total_bad, errors,
      string.gsub(sample, '[^%w%s/%?=&%.%-_]', "")))
end
