-- wrk script of benchmarks/load_test.py: GET a random path from a file, one per line,
-- and print the latency percentiles as one JSON line when done.
--   wrk -s benchmarks/wrk/paths.lua http://127.0.0.1:8100 -- paths.txt zh-CN

local paths = {}

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then
      paths[#paths + 1] = line
    end
  end
  if args[2] then
    wrk.headers["Accept-Language"] = args[2]
  end
  -- Each thread draws its own sequence.
  math.randomseed(os.time() + #tostring({}) + math.floor(os.clock() * 1000000))
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "non_2xx": %d, "socket_errors": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
