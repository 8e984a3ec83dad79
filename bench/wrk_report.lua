-- wrk prints its summary as one line of JSON, read by bench/load.py. Each thread counts the
-- answers that are not 2xx (wrk itself counts only those over 399, so a redirect to the
-- sign-in page would pass as a fast page); done() adds up the threads' counts.
local threads = {}

setup = function(thread)
  table.insert(threads, thread)
end

-- A global, so that done() can read it from each thread with thread:get().
not_2xx = 0

response = function(status, headers, body)
  if status < 200 or status > 299 then
    not_2xx = not_2xx + 1
  end
end

done = function(summary, latency, requests)
  local errors = summary.errors
  local others = 0
  for _, thread in ipairs(threads) do
    others = others + (thread:get("not_2xx") or 0)
  end
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"not_2xx": %d, ' ..
    '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "max": %d, "mean": %.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout, others,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
