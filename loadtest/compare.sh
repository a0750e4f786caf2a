#!/usr/bin/env bash
# Strata, nginx's proxy_cache and Varnish side by side on this machine: one origin, one load
# generator (wrk), the same workloads and the same cache memory, every server on 127.0.0.1.
#
#   loadtest/compare.sh                         # the full run (about 16 minutes)
#   DURATION=3s WARMUP=3s WARMUP_RUNS=1 ROUNDS=1 loadtest/compare.sh   # a quick one
#
# Installs nginx, varnish and wrk from Debian when missing (apt-get; needs root). Pins the servers
# to core 0 and wrk to core 1 when the machine has two cores or more. The hit cells run every
# server at once and measure them in turn, ROUNDS times, after WARMUP_RUNS warm-up cycles of WARMUP
# per cell and server; each figure is the median of its rounds and each ratio the median of the
# rounds' ratios, so a disturbance of the machine moves one round of every server rather than one
# server's only figure. Two bare Undertow servers are the ceiling: one with its own short head, one
# sending the head of a Strata hit. Every process it starts is stopped by its PID on exit. Prints
# one table; RESULTS=FILE also writes it there.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
DURATION="${DURATION:-5s}"
WARMUP="${WARMUP:-5s}"
WARMUP_RUNS="${WARMUP_RUNS:-2}"
ROUNDS="${ROUNDS:-3}"
ZIPF_DURATION="${ZIPF_DURATION:-10s}" # each of the Zipf fill and the measured run
SIZES="${SIZES:-1k 16k 256k}"
CONNECTIONS="${CONNECTIONS:-64 256}"
ZIPF_OBJECTS="${ZIPF_OBJECTS:-2000}"
ZIPF_ALPHA="${ZIPF_ALPHA:-1.0}"
STORM_URLS="${STORM_URLS:-50}"

log() { echo "compare: $*" >&2; }

# --- tools ---------------------------------------------------------------------------------------
# shellcheck source=loadtest/common.sh
. "$here/common.sh"
need nginx=nginx varnishd=varnish wrk=wrk python3=python3 curl=curl
"$root/strata" --version >/dev/null # builds the jar when needed
jar="$root/dist/target/strata.jar"

pin_cores 2

work="$(mktemp -d -t strata-compare.XXXXXX)"
chmod 755 "$work" # nginx's and Varnish's workers drop root and must reach their files here
pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
trap 'stop_all; rm -rf "$work"' EXIT

# --- the origin's files --------------------------------------------------------------------------
site="$work/site"
mkdir -p "$site/z"
head -c 1024 /dev/urandom >"$site/1k"
head -c 16384 /dev/urandom >"$site/16k"
head -c 262144 /dev/urandom >"$site/256k"
# Zipf objects: sizes lognormal (median 16 KiB), clamped to 1 KiB..1 MiB; seeded, so every run alike.
working_set=$(python3 - "$site/z" "$ZIPF_OBJECTS" <<'PY'
import os, random, sys
random.seed(42)
total = 0
for i in range(int(sys.argv[2])):
    size = int(min(1 << 20, max(1024, random.lognormvariate(9.7, 1.2))))
    with open(os.path.join(sys.argv[1], str(i)), "wb") as f:
        f.write(os.urandom(size))
    total += size
print(total)
PY
)
mib() { # BYTES: in MiB, one decimal
  awk -v b="$1" 'BEGIN {printf "%.1f\n", b / 1048576}'
}
cache_bytes=$((working_set / 5)) # 20% of the working set
# Strata's two tiers share that budget: its disk tier gets this much, its memory the rest.
strata_disk_bytes=1048576
strata_memory_bytes=$((cache_bytes - strata_disk_bytes))
if [ "$strata_memory_bytes" -le "$strata_disk_bytes" ]; then
  log "caches would get $cache_bytes bytes, too few beside Strata's $((strata_disk_bytes / 1048576)) MiB disk tier:" \
    "raise ZIPF_OBJECTS"
  exit 2
fi
log "working set $((working_set / 1048576)) MiB over $ZIPF_OBJECTS objects; caches get $((cache_bytes / 1048576)) MiB"

# --- servers -------------------------------------------------------------------------------------
origin_port=$(free_port)
start_origin() { # a static origin; python's when counting requests matters (it logs each one)
  if [ "${1:-}" = counting ]; then
    (cd "$site" && exec python3 -c '
import http.server, sys
class Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self):
        self.send_header("Cache-Control", "public, max-age=86400")
        super().end_headers()
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
' "$origin_port") 2>"$work/origin.log" >/dev/null &
  else
    java -jar "$jar" origin --listen "127.0.0.1:$origin_port" --dir "$site" \
      --cache-control "public, max-age=86400" >/dev/null 2>"$work/origin.err" &
  fi
  pids+=($!)
  wait_for "http://127.0.0.1:$origin_port/1k"
}

start_strata() { # PORT MEMORY_BYTES [DISK_BYTES]: the disk tier gets the memory's budget unless told
  rm -rf "$work/strata-cache"
  printf 'edge:\n  cache:\n    memory: %sKiB\n    disk: %sKiB\n' $(($2 / 1024)) $((${3:-$2} / 1024)) >"$work/strata.yaml"
  strata_admin=$(free_port)
  "${server_cpu[@]}" java ${STRATA_JAVA_OPTS:-} -jar "$jar" edge --config "$work/strata.yaml" \
    --listen "127.0.0.1:$1" --origin "http://127.0.0.1:$origin_port" --cache-dir "$work/strata-cache" \
    --admin "127.0.0.1:$strata_admin" --name compare --access-log off >/dev/null 2>"$work/strata.err" & # as nginx's access_log off
  pids+=($!)
}

start_nginx() { # PORT MEMORY_BYTES
  rm -rf "$work/nginx-cache" # nginx creates it for its workers' user
  cat >"$work/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  proxy_cache_path $work/nginx-cache levels=1:2 keys_zone=strata:32m max_size=$2 inactive=1d use_temp_path=off;
  upstream origin { server 127.0.0.1:$origin_port; keepalive 64; }
  server {
    listen 127.0.0.1:$1;
    location / {
      proxy_pass http://origin;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_cache strata;
      proxy_cache_lock on;
      add_header X-Cache \$upstream_cache_status;
    }
  }
}
EOF
  "${server_cpu[@]}" nginx -c "$work/nginx.conf" -p "$work" >"$work/nginx.out" 2>&1 &
  pids+=($!)
}

start_varnish() { # PORT MEMORY_BYTES
  cat >"$work/varnish.vcl" <<EOF
vcl 4.1;
backend origin { .host = "127.0.0.1"; .port = "$origin_port"; }
sub vcl_deliver {
  if (obj.hits > 0) { set resp.http.X-Cache = "HIT"; } else { set resp.http.X-Cache = "MISS"; }
}
EOF
  rm -rf "$work/varnish"
  "${server_cpu[@]}" varnishd -F -a "127.0.0.1:$1" -f "$work/varnish.vcl" -s "malloc,$2" \
    -n "$work/varnish" >"$work/varnish.out" 2>&1 &
  pids+=($!)
}

# wrk's summary as "requests_per_second p99_ms"; Lua prints both from its own histogram.
cat >"$work/summary.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.3f\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(99) / 1000))
end
LUA
run_wrk() { # URL CONNECTIONS
  wrk -c"$2" -d"$DURATION" -s "$work/summary.lua" "$1" | awk '/^RESULT/ {print $2, $3}'
}
median() { # VALUES...: the middle one (the lower of the two middle ones for an even count)
  printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'
}

# The bytes a cache holds now: Strata's two tiers (its metrics), nginx's cache directory,
# Varnish's malloc storage. Sampled through the Zipf run, its peak shows who kept to the budget.
footprint() { # SERVER
  case "$1" in
    strata) curl -s "http://127.0.0.1:$strata_admin/metrics" \
      | awk '/^strata_cache_size_bytes/ {sum += $2} END {printf "%d\n", sum}' ;;
    nginx) du -sb "$work/nginx-cache" 2>/dev/null | cut -f1 ;;
    varnish) varnishstat -n "$work/varnish" -1 -f SMA.s0.g_bytes 2>/dev/null | awk '{print $2}' ;;
  esac
}
sample_peak() { # SERVER FILE: every second until killed, the largest footprint so far
  local peak=0 now
  while :; do
    now=$(footprint "$1" 2>/dev/null || true); now=${now:-0} # a scrape that failed counts as nothing
    if [ "$now" -gt "$peak" ]; then peak=$now; echo "$peak" >"$2"; fi
    sleep 1
  done
}

# Zipf: paths /z/<rank>, rank drawn with P(k) ~ 1/k^alpha; counts X-Cache hits.
cat >"$work/zipf.lua" <<LUA
local n, alpha = $ZIPF_OBJECTS, $ZIPF_ALPHA
local cdf, total = {}, 0
for k = 1, n do total = total + 1 / k ^ alpha; cdf[k] = total end
for k = 1, n do cdf[k] = cdf[k] / total end
local threads = {}
setup = function(thread) thread:set("id", #threads); table.insert(threads, thread) end
init = function() math.randomseed(1000 + id); hits, answers = 0, 0 end
request = function()
  local u, lo, hi = math.random(), 1, n
  while lo < hi do local mid = math.floor((lo + hi) / 2); if cdf[mid] < u then lo = mid + 1 else hi = mid end end
  return wrk.format("GET", "/z/" .. (lo - 1))
end
response = function(status, headers, body)
  answers = answers + 1
  local x = headers["X-Cache"] or headers["x-cache"] or ""
  if x == "HIT" or x == "STALE" or x == "REVALIDATED" then hits = hits + 1 end
end
done = function()
  local h, a = 0, 0
  for _, t in ipairs(threads) do h = h + t:get("hits"); a = a + t:get("answers") end
  io.write(string.format("HITRATIO %.2f\n", 100 * h / math.max(a, 1)))
end
LUA

servers="strata nginx varnish"
declare -A rps p99 hit storm peak peak_bytes hit_port rps_rounds p99_rounds

# --- 1. cache-hit throughput and p99, with the ceiling: a bare Undertow server answering from one
# in-memory body. Every server runs at once on the server core; idle, they leave it to the one
# measured. Two ceilings: "bare" sends Cache-Control and Content-Type; "bare-head" sends the head of
# a Strata 1 KiB hit, field for field (the origin's validators, X-Request-Id, Cache-Status, Age,
# ...), so it costs what Undertow alone costs for the response Strata sends.
#
# The JVMs compile their hot paths in the warm-up. A Strata edge alone, 5 s runs one after another,
# still recompiled parts of its read path as each run's connections opened and closed, and its
# p99 at 1 KiB and 64 connections settled near 1 ms only after about two cycles through every
# size and connection count. So the warm-up is WARMUP_RUNS cycles over every cell, each server in
# turn, and each round measures the servers in an order turned by one from the round before.
start_origin
start_bare bare
bare_url=$bare_started
for server in $servers; do
  hit_port[$server]=$(free_port)
  "start_$server" "${hit_port[$server]}" $((256 * 1048576))
done
hit_url() { # SERVER SIZE
  case "$1" in
    bare) echo "$bare_url/bare?size=$(( ${2%k} * 1024 ))" ;;
    bare-head) echo "$bare_head_url/bare?size=$(( ${2%k} * 1024 ))" ;;
    *) echo "http://127.0.0.1:${hit_port[$1]}/$2" ;;
  esac
}
for server in $servers; do
  wait_for "$(hit_url "$server" 1k)"
  for size in $SIZES; do curl -s -o /dev/null "$(hit_url "$server" "$size")"; done # fill
done
curl -s -D "$work/hit.head" -o /dev/null "$(hit_url strata 1k)"
grep -q '^X-Cache: HIT' "$work/hit.head" || { log "no Strata hit to copy the head of"; exit 1; }
start_bare bare-head --head "$work/hit.head"
bare_head_url=$bare_started
ceilings="bare bare-head"
for _ in $(seq 1 "$WARMUP_RUNS"); do
  for size in $SIZES; do for c in $CONNECTIONS; do for server in $servers $ceilings; do
    wrk -c"$c" -d"$WARMUP" "$(hit_url "$server" "$size")" >/dev/null
  done; done; done
done
read -r -a order <<<"$servers $ceilings"
for round in $(seq 1 "$ROUNDS"); do
  for size in $SIZES; do for c in $CONNECTIONS; do for server in "${order[@]}"; do
    read -r r p < <(run_wrk "$(hit_url "$server" "$size")" "$c")
    rps_rounds[$server,$size,$c]+=" $r" p99_rounds[$server,$size,$c]+=" $p"
    log "round $round: $server $size c=$c: $r req/s, p99 $p ms"
  done; done; done
  order=("${order[@]:1}" "${order[0]}")
done
for size in $SIZES; do for c in $CONNECTIONS; do for server in $servers $ceilings; do
  # shellcheck disable=SC2086 # the rounds are space-separated numbers
  rps[$server,$size,$c]=$(median ${rps_rounds[$server,$size,$c]})
  # shellcheck disable=SC2086
  p99[$server,$size,$c]=$(median ${p99_rounds[$server,$size,$c]})
done; done; done
stop_all

# --- 2. Zipf hit ratio with 20% of the working set ---------------------------------------------
start_origin
for server in $servers; do
  port=$(free_port)
  # Strata's two tiers share the budget, as nginx's directory and Varnish's malloc each have it:
  # memory gets all but 1 MiB, the disk tier that 1 MiB (the held row shows what its write
  # buffers add while unflushed).
  if [ "$server" = strata ]; then
    start_strata "$port" "$strata_memory_bytes" "$strata_disk_bytes"
  else
    "start_$server" "$port" "$cache_bytes"
  fi
  wait_for "http://127.0.0.1:$port/1k"
  echo 0 >"$work/peak"
  sample_peak "$server" "$work/peak" &
  sampler=$!
  wrk -c64 -d"$ZIPF_DURATION" -s "$work/zipf.lua" "http://127.0.0.1:$port" >/dev/null # fill
  hit[$server]=$(wrk -c64 -d"$ZIPF_DURATION" -s "$work/zipf.lua" "http://127.0.0.1:$port" | awk '/^HITRATIO/ {print $2}')
  kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
  peak_bytes[$server]=$(cat "$work/peak")
  peak[$server]=$(mib "${peak_bytes[$server]}")
  log "$server zipf hit ratio ${hit[$server]}%, held at most ${peak[$server]} MiB"
  kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true; unset 'pids[-1]'
done
stop_all

# --- 3. cold-miss storm: 256 connections on fresh URLs; origin requests counted ----------------
start_origin counting
for server in $servers; do
  port=$(free_port)
  "start_$server" "$port" $((256 * 1048576))
  wait_for "http://127.0.0.1:$port/1k"
  : >"$work/origin.log"
  cat >"$work/storm.lua" <<LUA
local i = 0
request = function() i = i + 1; return wrk.format("GET", "/z/" .. (i % $STORM_URLS) .. "?storm=$server") end
LUA
  wrk -c256 -d2s -s "$work/storm.lua" "http://127.0.0.1:$port" >/dev/null
  # Origin requests per distinct URL the storm reached: 1.00 is one fetch per object.
  storm[$server]=$(grep -ao "GET /z/[0-9]*?storm=$server" "$work/origin.log" | sort | uniq -c \
    | awk '{requests += $1; urls += 1} END {printf "%d/%d", requests, urls}')
  log "$server cold storm: ${storm[$server]} origin requests/URLs"
  kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true; unset 'pids[-1]'
done
stop_all

# --- the reference: an exact LRU over the same Zipf stream (simulated), of the budget and of the
# most bytes Strata held (its disk tier's unflushed write buffers come on top of the budget) ------
held_bytes=$((${peak_bytes[strata]:-0} > cache_bytes ? ${peak_bytes[strata]:-0} : cache_bytes))
read -r lru_hit lru_held_hit < <(python3 - "$site/z" "$ZIPF_OBJECTS" "$ZIPF_ALPHA" "$cache_bytes" "$held_bytes" <<'PY'
import bisect, collections, itertools, os, random, sys
folder, n, alpha = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
sizes = [os.path.getsize(os.path.join(folder, str(i))) for i in range(n)]
cdf = list(itertools.accumulate(1 / k ** alpha for k in range(1, n + 1)))
def lru_hit_ratio(budget):
    rnd, lru, used, hits, total = random.Random(7), collections.OrderedDict(), 0, 0, 400_000
    for t in range(total):
        k = min(bisect.bisect_left(cdf, rnd.random() * cdf[-1]), n - 1)
        if k in lru:
            lru.move_to_end(k)
            hits += t >= total // 2  # count the second half, after the fill
        elif sizes[k] <= budget:
            lru[k] = True
            used += sizes[k]
            while used > budget:
                used -= sizes[lru.popitem(last=False)[0]]
    return f"{100 * hits / (total - total // 2):.2f}"
print(*(lru_hit_ratio(int(budget)) for budget in sys.argv[4:]))
PY
)
log "an exact LRU of $(mib "$cache_bytes") MiB: zipf hit ratio $lru_hit%; of $(mib "$held_bytes") MiB: $lru_held_hit%"

# --- the table -------------------------------------------------------------------------------------
# A ratio is the median over the rounds of the two servers' ratio in each round: the machine's
# speed drifts between rounds (every server slower in one), and a round measures them back to back.
# For an even count it is the mean of the middle two, leaning neither way.
paired() { # KIND SERVER OTHER SIZE C: KIND is rps or p99
  local -n rounds="${1}_rounds"
  python3 -c '
import statistics, sys
a, b = (list(map(float, v.split())) for v in sys.argv[1:3])
r = [x / y for x, y in zip(a, b) if y]
print(f"{statistics.median(r):.2f}" if r else "-")' "${rounds[$2,$4,$5]}" "${rounds[$3,$4,$5]}"
}
{
  echo "Strata vs nginx proxy_cache vs Varnish — $(date -u +%Y-%m-%d), $(nproc) cores, wrk -t$wrk_threads"
  echo "(hit cells: the median of $ROUNDS rounds of ${DURATION}, the servers measured in turn after $WARMUP_RUNS warm-up"
  echo " cycles of ${WARMUP} per cell; ratios: the median of the rounds' ratios)"
  printf '%-24s %12s %12s %12s %10s %10s\n' "hit throughput (req/s)" strata nginx varnish "S/nginx" "S/varnish"
  for size in $SIZES; do for c in $CONNECTIONS; do
    printf '%-24s %12s %12s %12s %10s %10s\n' "$size c=$c" "${rps[strata,$size,$c]}" "${rps[nginx,$size,$c]}" \
      "${rps[varnish,$size,$c]}" "$(paired rps strata nginx "$size" "$c")" "$(paired rps strata varnish "$size" "$c")"
  done; done
  printf '%-24s %12s %12s %10s %12s %10s\n' "ceiling (req/s)" strata "bare" "S/bare" "bare-head" "S/b-head"
  for size in $SIZES; do for c in $CONNECTIONS; do
    printf '%-24s %12s %12s %10s %12s %10s\n' "$size c=$c" "${rps[strata,$size,$c]}" "${rps[bare,$size,$c]}" \
      "$(paired rps strata bare "$size" "$c")" "${rps[bare-head,$size,$c]}" "$(paired rps strata bare-head "$size" "$c")"
  done; done
  echo "(bare: a bare Undertow server's own 2-field head; bare-head: the same server sending the head of a"
  echo " Strata 1 KiB hit, $(grep -c ':' "$work/hit.head") fields as curl saw them, at every size)"
  printf '%-24s %12s %12s %12s %10s %10s\n' "hit p99 (ms)" strata nginx varnish "S/nginx" "S/varnish"
  for size in $SIZES; do for c in $CONNECTIONS; do
    printf '%-24s %12s %12s %12s %10s %10s\n' "$size c=$c" "${p99[strata,$size,$c]}" "${p99[nginx,$size,$c]}" \
      "${p99[varnish,$size,$c]}" "$(paired p99 strata nginx "$size" "$c")" "$(paired p99 strata varnish "$size" "$c")"
  done; done
  printf '%-24s %12s %12s %12s %12s %12s\n' "zipf, 20% of the bytes" strata nginx varnish "exact LRU" \
    "LRU, S held"
  printf '%-24s %12s %12s %12s %12s %12s\n' "hit ratio (%)" "${hit[strata]}" "${hit[nginx]}" "${hit[varnish]}" \
    "$lru_hit" "$lru_held_hit"
  printf '%-24s %12s %12s %12s %12s %12s\n' "held at most (MiB)" "${peak[strata]}" "${peak[nginx]}" \
    "${peak[varnish]}" "$(mib "$cache_bytes")" "$(mib "$held_bytes")"
  awk -v s="${hit[strata]:-0}" -v a="$lru_hit" -v b="$lru_held_hit" 'BEGIN {
    printf "%-24s %+.2f points over the exact LRU, %+.2f over the LRU of what Strata held\n", "Strata - LRU", s - a, s - b}'
  echo "(every cache gets $(mib "$cache_bytes") MiB, 20% of the working set — Strata: $(mib "$strata_memory_bytes") MiB"
  echo " of memory and a $((strata_disk_bytes / 1048576)) MiB disk tier; nginx's cache manager prunes on its own" \
    "schedule, so its directory"
  echo " can outgrow max_size during a run: see the held row; exact LRU: an LRU of the budget, simulated"
  echo " over the same stream; LRU, S held: of the most bytes Strata's tiers held, sampled every second)"
  printf '%-24s %12s %12s %12s\n' "storm origin req/URLs" "${storm[strata]}" "${storm[nginx]}" "${storm[varnish]}"
  echo "(storm: 256 connections for 2 s over $STORM_URLS cold URLs; as many requests as URLs is the ideal)"
} | tee "${RESULTS:-/dev/null}"
