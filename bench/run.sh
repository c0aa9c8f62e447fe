#!/usr/bin/env bash
# Tollgate benchmark: the gateway (production mode: Postgres + Redis) versus the mock upstream directly,
# measured with wrk in the same run. Prints a markdown table. See bench/README.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# ---- settings (environment) ----
DURATION="${BENCH_DURATION:-10s}"           # wrk duration of each measured non-streaming run
# At c64 one moment that delays the gateway (a GC pause, a run's 64 connections opening at once) delays all 64
# streams in flight; in a 10 s streaming run (~6,300 requests) that alone is p99. 30 s measures the steady state
# (see bench/README.md).
STREAM_DURATION="${BENCH_STREAM_DURATION:-30s}"   # wrk duration of each measured streaming run
WARMUP="${BENCH_WARMUP:-5s}"                # wrk duration of the warm-up before each scenario
INITIAL_WARMUP="${BENCH_INITIAL_WARMUP:-30s}"  # one-off gateway warm-up (JIT) before the first scenario
SCENARIOS="${BENCH_SCENARIOS:-ns16,ns64,s64}"  # which scenarios: ns16, ns64 (non-streaming c16/c64), s64 (streaming c64)
ROUNDS="${BENCH_ROUNDS:-3}"                 # direct/gateway pairs per scenario; the table shows medians
THREADS="${BENCH_THREADS:-1}"               # wrk threads (-t)
WRK_TIMEOUT="${BENCH_WRK_TIMEOUT:-10s}"     # wrk per-request timeout
MOCK_TOKENS="${BENCH_MOCK_TOKENS:-20}"      # output tokens per answer
STREAM_DELAY_MS="${BENCH_STREAM_DELAY_MS:-5}"   # mock delay between streamed tokens
NONSTREAM_DELAY_MS="${BENCH_NONSTREAM_DELAY_MS:-0}"
PG_HOST="${BENCH_PG_HOST:-127.0.0.1}"
PG_PORT="${BENCH_PG_PORT:-5432}"
PG_USER="${BENCH_PG_USER:-postgres}"
PG_DB="${BENCH_PG_DB:-tollgate_bench}"
REDIS_HOST="${BENCH_REDIS_HOST:-127.0.0.1}"
REDIS_PORT="${BENCH_REDIS_PORT:-6379}"
REDIS_DB="${BENCH_REDIS_DB:-3}"              # a dedicated index; it is FLUSHDB'd
GATEWAY_JAR="${GATEWAY_JAR:-$ROOT/backend/target/tollgate.jar}"
MOCK_JAR="${MOCK_JAR:-$ROOT/bench/mock-upstream/target/mock-upstream.jar}"
JAVA="${JAVA:-java}"
GATEWAY_JAVA_OPTS="${GATEWAY_JAVA_OPTS:-}"
MOCK_JAVA_OPTS="${MOCK_JAVA_OPTS:-}"
STARTUP_TIMEOUT="${BENCH_STARTUP_TIMEOUT:-120}"   # seconds
# A reference proxy measured in the same rounds: nginx with buffering off, forwarding to the mock with no auth and
# no metering. It shows what any proxy costs on this host. auto: when nginx is installed; off: never; on: required.
REFERENCE="${BENCH_REFERENCE:-auto}"
# on: the load generator and the mock run on CPU 0 and the proxies under test (gateway, nginx) on the other CPUs, so
# a proxy's CPU does not compete with the client's and the upstream's (Postgres and Redis stay unpinned). It shows
# what the hop itself costs when the proxy has cores of its own; off (default): every process shares every CPU.
PIN="${BENCH_PIN:-off}"
# on: a second reference, a bare HTTP relay on the gateway's own platform (bench/netty-relay: the JVM and the Netty of
# the gateway's jar, requests decoded, answers passed through, nothing else), so the gateway's own handling and the
# platform's cost show apart; off (default): not run.
NETTY_REFERENCE="${BENCH_NETTY:-off}"
NGINX="${NGINX:-nginx}"
ADMIN_PASSWORD="bench-admin-password"
LUA="$ROOT/bench/wrk/post.lua"

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/tollgate-bench.XXXXXX")"
MOCK_PID=""
GW_PID=""
REF_PID=""
NETTY_PID=""

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for pid in "$GW_PID" "$MOCK_PID" "$REF_PID" "$NETTY_PID"; do
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
    fi
  done
  for pid in "$GW_PID" "$MOCK_PID" "$REF_PID" "$NETTY_PID"; do
    [[ -z "$pid" ]] && continue
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [[ $rc -ne 0 ]]; then
    if [[ -f "$WORK/gateway.log" ]]; then
      log "gateway log tail ($WORK/gateway.log):"
      tail -n 40 "$WORK/gateway.log" >&2 || true
    fi
    log "failed (exit $rc); logs kept in $WORK"
  elif [[ "${BENCH_KEEP:-0}" == "1" ]]; then
    log "logs kept in $WORK"
  else
    rm -rf "$WORK"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- prerequisites ----
command -v "$JAVA" >/dev/null || die "java not found"
command -v curl >/dev/null || die "curl not found"
command -v python3 >/dev/null || die "python3 not found (used to read JSON)"
command -v psql >/dev/null || die "psql not found"
command -v redis-cli >/dev/null || die "redis-cli not found"

if [[ ! -f "$GATEWAY_JAR" || ! -f "$MOCK_JAR" ]]; then
  log "building the jars (./mvnw -B -q -DskipTests package)"
  ./mvnw -B -q -DskipTests package
fi
[[ -f "$GATEWAY_JAR" ]] || die "gateway jar missing: $GATEWAY_JAR"
[[ -f "$MOCK_JAR" ]] || die "mock jar missing: $MOCK_JAR"
# Run private copies: a JVM breaks when its jar is rebuilt under it (e.g. by a concurrent mvnw package).
cp "$GATEWAY_JAR" "$WORK/tollgate.jar" && GATEWAY_JAR="$WORK/tollgate.jar"
cp "$MOCK_JAR" "$WORK/mock-upstream.jar" && MOCK_JAR="$WORK/mock-upstream.jar"

if ! command -v wrk >/dev/null; then
  log "installing wrk"
  if [[ $(id -u) -eq 0 ]]; then apt-get install -y wrk >&2; else sudo apt-get install -y wrk >&2; fi
fi
command -v wrk >/dev/null || die "wrk not available"

json_get() { # json_get <field> < json
  python3 -c 'import json,sys; v=json.load(sys.stdin); print(v[sys.argv[1]])' "$1"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

case "$REFERENCE" in
  auto) if command -v "$NGINX" >/dev/null; then REFERENCE=on; else REFERENCE=off; log "nginx not found: no reference proxy row (apt-get install nginx-light to get one)"; fi ;;
  on) command -v "$NGINX" >/dev/null || die "BENCH_REFERENCE=on but nginx is not installed" ;;
  off) ;;
  *) die "BENCH_REFERENCE must be auto, on or off" ;;
esac
[[ "$NETTY_REFERENCE" == "on" || "$NETTY_REFERENCE" == "off" ]] || die "BENCH_NETTY must be on or off"

# PIN_LOAD / PIN_PROXY prefix the commands of the load side (wrk, mock) and of the proxies; empty when not pinned.
CPUS="$(nproc)"
PIN_LOAD=()
PIN_PROXY=()
NGINX_WORKERS=auto
PROXY_CPUS="$CPUS"
PLACEMENT="$CPUS CPUs shared by wrk, the mock, the proxies, Postgres and Redis"
case "$PIN" in
  on)
    ((CPUS >= 2)) || die "BENCH_PIN=on needs at least 2 CPUs"
    command -v taskset >/dev/null || die "BENCH_PIN=on needs taskset (util-linux)"
    PIN_LOAD=(taskset -c 0)
    PIN_PROXY=(taskset -c "1-$((CPUS - 1))")
    NGINX_WORKERS=$((CPUS - 1))
    PROXY_CPUS=$((CPUS - 1))
    PLACEMENT="wrk and the mock on CPU 0, the gateway and the reference proxies on CPUs 1-$((CPUS - 1)) of $CPUS, Postgres and Redis unpinned"
    ;;
  off) ;;
  *) die "BENCH_PIN must be on or off" ;;
esac

MOCK_PORT="${BENCH_MOCK_PORT:-$(free_port)}"
GW_PORT="${BENCH_GATEWAY_PORT:-$(free_port)}"
ADMIN_PORT="${BENCH_ADMIN_PORT:-$(free_port)}"
while [[ "$ADMIN_PORT" == "$GW_PORT" || "$ADMIN_PORT" == "$MOCK_PORT" ]]; do ADMIN_PORT="$(free_port)"; done
MOCK="http://127.0.0.1:$MOCK_PORT"
GW="http://127.0.0.1:$GW_PORT"
ADMIN="http://127.0.0.1:$ADMIN_PORT"

# ---- fresh database and limit state ----
log "recreating database $PG_DB on $PG_HOST:$PG_PORT"
psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -v ON_ERROR_STOP=1 -qX \
  -c "DROP DATABASE IF EXISTS \"$PG_DB\" WITH (FORCE)" -c "CREATE DATABASE \"$PG_DB\"" >/dev/null
log "flushing redis db $REDIS_DB"
[[ "$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" -n "$REDIS_DB" FLUSHDB)" == "OK" ]] || die "redis FLUSHDB failed"

# ---- processes ----
wait_until() { # wait_until <seconds> <description> <command...>
  local secs=$1 what=$2; shift 2
  local deadline=$((SECONDS + secs))
  until "$@"; do
    if ((SECONDS >= deadline)); then die "timed out after ${secs}s waiting for $what"; fi
    sleep 0.2
  done
}
alive() { kill -0 "$1" 2>/dev/null || die "$2 exited (see $WORK/$3)"; }

log "starting mock upstream on :$MOCK_PORT ($MOCK_TOKENS tokens)"
# shellcheck disable=SC2086
"${PIN_LOAD[@]}" "$JAVA" $MOCK_JAVA_OPTS -jar "$MOCK_JAR" --port "$MOCK_PORT" --tokens "$MOCK_TOKENS" --delay-ms "$NONSTREAM_DELAY_MS" \
  >"$WORK/mock.log" 2>&1 &
MOCK_PID=$!
mock_up() { alive "$MOCK_PID" mock mock.log; grep -q "mock-upstream listening on" "$WORK/mock.log"; }
wait_until 30 "the mock upstream" mock_up

REF=""
if [[ "$REFERENCE" == "on" ]]; then
  REF_PORT="$(free_port)"
  REF="http://127.0.0.1:$REF_PORT"
  mkdir -p "$WORK/nginx"
  cat >"$WORK/nginx/nginx.conf" <<NGINX_CONF
worker_processes $NGINX_WORKERS;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  upstream mock { server 127.0.0.1:$MOCK_PORT; keepalive 256; }
  server {
    listen 127.0.0.1:$REF_PORT;
    location / {
      proxy_pass http://mock;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_request_buffering off;
    }
  }
}
NGINX_CONF
  log "starting the reference proxy (nginx, buffering off) on :$REF_PORT"
  "${PIN_PROXY[@]}" "$NGINX" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' >"$WORK/nginx/stdout.log" 2>&1 &
  REF_PID=$!
  ref_up() { alive "$REF_PID" nginx nginx/error.log; curl -s -o /dev/null --max-time 2 "$REF/api/version"; }
  wait_until 30 "the reference proxy" ref_up
fi

NET=""
if [[ "$NETTY_REFERENCE" == "on" ]]; then
  NETTY_PORT="$(free_port)"
  NET="http://127.0.0.1:$NETTY_PORT"
  log "starting the bare Netty relay (bench/netty-relay, $PROXY_CPUS event loops) on :$NETTY_PORT"
  # the gateway's jar supplies the Netty classes and the native epoll transport; the source launcher compiles the relay
  "${PIN_PROXY[@]}" "$JAVA" -cp "$GATEWAY_JAR" "$ROOT/bench/netty-relay/Relay.java" "$NETTY_PORT" "$MOCK_PORT" "$PROXY_CPUS" \
    >"$WORK/netty-relay.log" 2>&1 &
  NETTY_PID=$!
  netty_up() { alive "$NETTY_PID" "netty relay" netty-relay.log; grep -q "netty relay listening on" "$WORK/netty-relay.log"; }
  wait_until 60 "the Netty relay" netty_up
fi

log "starting gateway on :$GW_PORT (admin :$ADMIN_PORT), Postgres + Redis"
# shellcheck disable=SC2086
env TOLLGATE_PORT="$GW_PORT" TOLLGATE_HOST=127.0.0.1 TOLLGATE_ADMIN_PORT="$ADMIN_PORT" TOLLGATE_ADMIN_HOST=127.0.0.1 \
  TOLLGATE_DATA_DIR="$WORK/data" OLLAMA_URL="$MOCK" TOLLGATE_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
  DATABASE_URL="postgres://$PG_USER@$PG_HOST:$PG_PORT/$PG_DB" REDIS_URL="redis://$REDIS_HOST:$REDIS_PORT/$REDIS_DB" \
  "${PIN_PROXY[@]}" "$JAVA" $GATEWAY_JAVA_OPTS -jar "$GATEWAY_JAR" >"$WORK/gateway.log" 2>&1 &
GW_PID=$!
gw_ready() {
  alive "$GW_PID" gateway gateway.log
  [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$GW/health/ready")" == "200" ]] &&
    curl -s -o /dev/null --max-time 2 "$ADMIN/admin/api/openapi.yml" 2>/dev/null
}
wait_until "$STARTUP_TIMEOUT" "gateway readiness ($GW/health/ready)" gw_ready
log "gateway ready"

# ---- tenant and key ----
TOKEN="$(curl -sf -H 'content-type: application/json' -d "{\"username\":\"admin\",\"password\":\"$ADMIN_PASSWORD\"}" \
  "$ADMIN/admin/api/login" | json_get token)" || die "admin login failed"
auth=(-H "Authorization: Bearer $TOKEN" -H 'content-type: application/json')
TENANT_ID="$(curl -sf "${auth[@]}" -d "{\"name\":\"bench-$(date +%s)\"}" "$ADMIN/admin/api/tenants" | json_get id)" \
  || die "creating the tenant failed"
KEY="$(curl -sf "${auth[@]}" -d '{"name":"bench"}' "$ADMIN/admin/api/tenants/$TENANT_ID/keys" | json_get key)" \
  || die "creating the key failed"
# A second key whose every limit is active (checked, reserved and settled on each request) but never reached, so
# the "limits" runs measure the cost of enforcement itself. Its tenant has limits too: both must pass.
LIMITS='{"rpm":100000000,"tpm":100000000000,"concurrency":100000,"daily_requests":100000000,"monthly_requests":1000000000,"daily_tokens":100000000000,"monthly_tokens":1000000000000,"budget":{"amount":1000000,"currency":"USD","window":"daily","alert_at":0.9}}'
LIMITED_TENANT="$(curl -sf "${auth[@]}" -d "{\"name\":\"bench-limited-$(date +%s)\",\"limits\":$LIMITS}" "$ADMIN/admin/api/tenants" | json_get id)" \
  || die "creating the limited tenant failed"
LIMITED_KEY="$(curl -sf "${auth[@]}" -d "{\"name\":\"bench-limited\",\"limits\":$LIMITS}" "$ADMIN/admin/api/tenants/$LIMITED_TENANT/keys" | json_get key)" \
  || die "creating the limited key failed"
curl -sf -X PUT "${auth[@]}" -d '{"llama3.2":{"input_per_mtok":0.1,"output_per_mtok":0.4,"per_request":0}}' "$ADMIN/admin/api/pricing" >/dev/null \
  || die "setting a price failed"

mock_config() { curl -sf -H 'content-type: application/json' -d "{\"tokens\":$MOCK_TOKENS,\"delay_ms\":$1}" "$MOCK/_mock/config" >/dev/null; }

# max_tokens fixes the answer's length for both keys (the mock honours it; for a key with token limits the gateway
# would otherwise forward TOLLGATE_DEFAULT_MAX_TOKENS as the cap, and the mock would answer 4096 tokens).
BODY='{"model":"llama3.2","max_tokens":'"$MOCK_TOKENS"',"messages":[{"role":"user","content":"Say something about benchmarks please"}]}'
STREAM_BODY='{"model":"llama3.2","max_tokens":'"$MOCK_TOKENS"',"messages":[{"role":"user","content":"Say something about benchmarks please"}],"stream":true}'

# Sanity: both targets answer correctly before we measure them.
check() { # check <base> <body> <expect-substring> [key]
  local out
  out="$(curl -s --max-time 10 -H 'content-type: application/json' ${4:+-H "Authorization: Bearer $4"} -d "$2" "$1/v1/chat/completions")"
  [[ "$out" == *"$3"* ]] || die "sanity check against $1 failed: ${out:0:300}"
}
mock_config "$NONSTREAM_DELAY_MS"
check "$MOCK" "$BODY" '"completion_tokens":'"$MOCK_TOKENS"
check "$GW" "$BODY" '"completion_tokens":'"$MOCK_TOKENS" "$KEY"
check "$GW" "$STREAM_BODY" 'data: [DONE]' "$KEY"
check "$GW" "$STREAM_BODY" 'data: [DONE]' "$LIMITED_KEY"
if [[ -n "$REF" ]]; then check "$REF" "$STREAM_BODY" 'data: [DONE]'; fi
if [[ -n "$NET" ]]; then check "$NET" "$STREAM_BODY" 'data: [DONE]'; fi

# "<all CPU time> <stolen CPU time>" in jiffies since boot (/proc/stat: user nice system idle iowait irq softirq steal)
cpu_jiffies() { awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8+$9, $9; exit}' /proc/stat; }

# run_wrk <base> <conns> <duration> <body> [key] -> prints the BENCH line, with the share of CPU time the hypervisor
# gave to other guests during the run (steal_pct): on a shared host it explains rounds that differ.
run_wrk() {
  local out line before after
  before="$(cpu_jiffies)"
  out="$(BENCH_BODY="$4" BENCH_KEY="${5:-}" BENCH_PATH=/v1/chat/completions \
    "${PIN_LOAD[@]}" wrk -t"$THREADS" -c"$2" -d"$3" --timeout "$WRK_TIMEOUT" -s "$LUA" "$1")" || die "wrk failed against $1"
  after="$(cpu_jiffies)"
  printf '%s\n' "$out" >>"$WORK/wrk.log"
  line="$(grep '^BENCH ' <<<"$out" | tail -n1)"
  [[ -n "$line" ]] || die "no BENCH line in wrk output: $out"
  printf '%s steal_pct=%s\n' "$line" "$(awk -v b="$before" -v a="$after" \
    'BEGIN { split(b, x, " "); split(a, y, " "); t = y[1] - x[1]; printf "%.1f", (t > 0 ? 100 * (y[2] - x[2]) / t : 0) }')"
}
field() { sed -E "s/.*[[:space:]]$1=([^[:space:]]+).*/\1/" <<<"$2"; }

# measure <what> <base> [key]: one measured run of the current round of scenario (whose name, round, conns, duration
# and body it reads), logged; prints its BENCH line. A failed run stops the benchmark.
measure() {
  local line
  log "$name: round $round/$ROUNDS $1 ($duration)"
  line="$(run_wrk "$2" "$conns" "$duration" "$body" "${3:-}")" || exit 1
  log "  $line"
  printf '%s' "$line"
}

ROWS=()
scenario() { # scenario <name> <conns> <body> <mock-delay-ms> <duration>
  local name=$1 conns=$2 body=$3 delay=$4 duration=$5 ds="" gs="" ls="" rs="" ns="" round
  mock_config "$delay"
  log "$name: warm-up ($WARMUP each)"
  run_wrk "$GW" "$conns" "$WARMUP" "$body" "$KEY" >/dev/null
  run_wrk "$MOCK" "$conns" "$WARMUP" "$body" >/dev/null
  run_wrk "$GW" "$conns" "$WARMUP" "$body" "$LIMITED_KEY" >/dev/null
  if [[ -n "$REF" ]]; then run_wrk "$REF" "$conns" "$WARMUP" "$body" >/dev/null; fi
  if [[ -n "$NET" ]]; then run_wrk "$NET" "$conns" "$WARMUP" "$body" >/dev/null; fi
  # direct and gateway runs alternate, so a slow phase of the machine hits both
  for round in $(seq 1 "$ROUNDS"); do
    ds+="${ds:+;}$(measure direct "$MOCK")"
    gs+="${gs:+;}$(measure gateway "$GW" "$KEY")"
    ls+="${ls:+;}$(measure "gateway, key with limits" "$GW" "$LIMITED_KEY")"
    if [[ -n "$REF" ]]; then rs+="${rs:+;}$(measure "reference proxy, nginx" "$REF")"; fi
    if [[ -n "$NET" ]]; then ns+="${ns:+;}$(measure "reference relay, Netty" "$NET")"; fi
  done
  ROWS+=("$name|$conns|$ds|$gs|$ls|$rs|$ns")
}

log "wrk -t$THREADS, $DURATION per non-streaming run, $STREAM_DURATION per streaming run; $PLACEMENT"
log "initial gateway warm-up ($INITIAL_WARMUP, non-streaming and streaming)"
mock_config "$NONSTREAM_DELAY_MS"
run_wrk "$GW" 32 "$INITIAL_WARMUP" "$BODY" "$KEY" >/dev/null
run_wrk "$GW" 32 "$INITIAL_WARMUP" "$STREAM_BODY" "$KEY" >/dev/null
wanted() { [[ ",$SCENARIOS," == *",$1,"* ]]; }
if wanted ns16; then scenario "chat non-stream c16" 16 "$BODY" "$NONSTREAM_DELAY_MS" "$DURATION"; fi
if wanted ns64; then scenario "chat non-stream c64" 64 "$BODY" "$NONSTREAM_DELAY_MS" "$DURATION"; fi
if wanted s64; then scenario "chat stream ${MOCK_TOKENS}tok×${STREAM_DELAY_MS}ms c64" 64 "$STREAM_BODY" "$STREAM_DELAY_MS" "$STREAM_DURATION"; fi
mock_config "$NONSTREAM_DELAY_MS"

# ---- report ----
echo
echo "Medians of $ROUNDS alternating direct/gateway runs per scenario (ratio and p99 delta: median, with the range over the rounds)."
echo
echo "| scenario | through | direct req/s | proxied req/s | ratio | direct p50/p99 (ms) | proxied p50/p99 (ms) | p99 delta (ms) | non-2xx+errors (direct/proxied) |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
NOTES="$WORK/notes.txt"
: >"$NOTES"
: >"$NOTES.steal"
for row in "${ROWS[@]}"; do
  IFS='|' read -r name conns d g l r n <<<"$row"
  python3 - "$name" "$conns" "$d" "$g" "$l" "$NOTES" "$r" "$n" <<'PY'
import re, sys
name, conns, d, g, l, notes, r, n = sys.argv[1:9]
conns = int(conns)
from statistics import median
def parse(line):
    return {k: float(v) for k, v in re.findall(r'(\w+)=([0-9.]+)', line)}
runs_of = lambda text: [parse(x) for x in text.split(';')] if text else []
ds, gs, ls, rs, ns = runs_of(d), runs_of(g), runs_of(l), runs_of(r), runs_of(n)
med = lambda runs, k: median(r[k] for r in runs)
bad = lambda runs: int(sum(r['non2xx'] + r['errors'] for r in runs))
def row(key, runs):
    ratios = [gr['rps'] / dr['rps'] for dr, gr in zip(ds, runs) if dr['rps']]
    deltas = [gr['p99_ms'] - dr['p99_ms'] for dr, gr in zip(ds, runs)]
    print(f"| {name} | {key} | {med(ds, 'rps'):.0f} | {med(runs, 'rps'):.0f} | {median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f}) | "
          f"{med(ds, 'p50_ms'):.1f} / {med(ds, 'p99_ms'):.1f} | {med(runs, 'p50_ms'):.1f} / {med(runs, 'p99_ms'):.1f} | "
          f"{median(deltas):+.1f} ({min(deltas):+.1f} to {max(deltas):+.1f}) | {bad(ds)} / {bad(runs)} |")
row("Tollgate, key without limits", gs)
row("Tollgate, key with all limits", ls)
if rs:
    row("nginx (reference: no auth, no metering)", rs)
if ns:
    row("Netty relay (reference: the gateway's platform, answers passed through)", ns)
# a run whose steal could not be read counts as unknown, not as none
runs = ds + gs + ls + rs + ns
steal = sorted(x['steal_pct'] for x in runs if 'steal_pct' in x)
with open(notes + '.steal', 'a') as f:
    if not steal:
        f.write(f"- {name}: not read in any of its {len(runs)} runs\n")
    else:
        unread = f" (not read in {len(runs) - len(steal)} more)" if len(steal) < len(runs) else ""
        f.write(f"- {name}: median {median(steal):.1f} % (range {steal[0]:.1f}-{steal[-1]:.1f} %) over its {len(steal)} runs{unread}\n")
# Little's law: with closed-loop connections, rps x mean latency should be close to the connection count.
# Much less means connections sat stalled on responses wrk never completed (it does not count those).
with open(notes, 'a') as f:
    for label, x in ([('direct', r) for r in ds] + [('gateway', r) for r in gs] + [('gateway with limits', r) for r in ls]
                     + [('reference proxy', r) for r in rs] + [('Netty relay', r) for r in ns]):
        busy = x['rps'] * x['mean_ms'] / 1000 / conns
        if busy < 0.8:
            f.write(f"- {name}, {label}: only {busy:.0%} of the {conns} connections were busy on average "
                    f"(rps x mean latency); responses that never completed are not in the latency figures "
                    f"(max latency {x['max_ms']:.0f} ms).\n")
PY
done
if [[ -s "$NOTES" ]]; then echo; echo "Warnings:"; cat "$NOTES"; fi
if [[ -s "$NOTES.steal" ]]; then echo; echo "CPU time taken by the hypervisor for other guests (steal) during the measured runs:"; cat "$NOTES.steal"; fi
echo
echo "wrk -t$THREADS, $DURATION per non-streaming and $STREAM_DURATION per streaming run after a $WARMUP warm-up; mock: $MOCK_TOKENS tokens, streaming ${STREAM_DELAY_MS} ms/token;" \
  "gateway: DATABASE_URL=postgres://…/$PG_DB, REDIS_URL=redis://…/$REDIS_DB; $PLACEMENT."
