-- wrk script for bench/run.sh: POSTs a JSON body (optionally with a bearer key) and prints one
-- machine-readable summary line from done():
--   BENCH requests=N duration_s=S rps=R mean_ms=M p50_ms=A p90_ms=B p99_ms=C max_ms=Z non2xx=X errors=E
-- Environment:
--   BENCH_PATH  request path (default /v1/chat/completions)
--   BENCH_BODY  request body (JSON text)
--   BENCH_KEY   API key sent as "Authorization: Bearer <key>" (omit for the direct-to-mock baseline)

local path = os.getenv("BENCH_PATH") or "/v1/chat/completions"
local body = os.getenv("BENCH_BODY") or '{"model":"llama3.2","messages":[{"role":"user","content":"hello"}]}'
local key = os.getenv("BENCH_KEY")

wrk.method = "POST"
wrk.path = path
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
if key and key ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. key
end

function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.timeout
  io.write(string.format(
    "BENCH requests=%d duration_s=%.2f rps=%.1f mean_ms=%.2f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d errors=%d\n",
    summary.requests, secs, summary.requests / secs, latency.mean / 1000,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.status, errors))
end
