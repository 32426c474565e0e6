-- wrk script: rotates through the requests in a file (one per line: METHOD<TAB>PATH[<TAB>BODY]),
-- counts answers other than 200, and prints one machine-readable line with p50/p99.
-- Usage: wrk ... -s report.lua <url> -- requests.tsv

local threads = {}
local requests = {}
local position = 0
bad = 0 -- global: read from each thread in done()

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  if args[1] then
    for line in io.lines(args[1]) do
      local method, path, body = line:match("^(%u+)\t([^\t]+)\t?(.*)$")
      if method then
        if body == "" then body = nil end
        table.insert(requests, wrk.format(method, path, nil, body))
      end
    end
  end
  position = math.random(0, math.max(#requests - 1, 0))
end

function request()
  if #requests == 0 then
    return wrk.request()
  end
  position = position % #requests + 1
  return requests[position]
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local not_ok = 0
  for _, thread in ipairs(threads) do
    not_ok = not_ok + (thread:get("bad") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
    '"mean_us": %.1f, "max_us": %d, "not_200": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.mean, latency.max, not_ok, e.connect, e.read, e.write, e.timeout))
end
