-- Shared by the wrk scripts: prints one machine-readable line that scripts/bench.sh parses.
--   RESULT requests=N rps=R p50_ms=X p99_ms=Y non2xx=N socket_errors=N
-- `non2xx` is what the caller counted (or wrk's own count of responses >= 400).
function report(summary, latency, non2xx)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f non2xx=%d socket_errors=%d\n",
    summary.requests, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    non2xx, e.connect + e.read + e.write + e.timeout))
end
