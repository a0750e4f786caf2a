#!/usr/bin/env bash
# Where the CPU of a 1 KiB cache hit goes, against bare Undertow servers. Six servers run at
# once on the server core and are measured in turn, ROUNDS times, with wrk at 64 connections:
#
#   strata     a Strata edge built from this checkout
#   floor      the same edge with every step before the lookup removed but the request id: no
#              drain, node health, request meters, admission, WAF or rate limits; built from
#              loadtest/floor.patch in a temporary git worktree of this checkout (uncommitted
#              changes to tracked files included)
#   floor-min  the floor without X-Request-Id, X-Served-By and Cache-Status; it keeps X-Cache,
#              by which this script tells a hit (loadtest/floor-min.patch on top of floor.patch)
#   bare-head  a bare Undertow server sending the head of a Strata 1 KiB hit, field for field
#   bare-min   the same with the head of floor-min
#   bare       a bare Undertow server sending its own short head
#
# For each it prints requests per second and the CPU time of its I/O thread per request (user +
# system, from /proc), and the ratio of every pair, as medians over the rounds. Each server has
# one I/O thread. The order of the servers turns by one each round. The floor is about the most a
# cache on this stack that sends this head could do; floor-min, the same for one that sends only
# what the origin sent, Age and X-Cache (docs/adr/0016-the-bare-undertow-ceiling.md).
#
#   loadtest/floor.sh                     # 7 rounds of 5 s: about 6 minutes, plus the builds
#   ROUNDS=3 DURATION=3s loadtest/floor.sh
#
# Installs wrk from Debian when missing (apt-get; needs root). Pins the servers to core 0 and wrk to
# core 1 when the machine has two cores or more. Stops what it starts by PID. RESULTS=FILE also
# writes the table there.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
ROUNDS="${ROUNDS:-7}"
DURATION="${DURATION:-5s}"
WARMUP="${WARMUP:-5s}"
WARMUP_RUNS="${WARMUP_RUNS:-4}"

log() { echo "floor: $*" >&2; }

# shellcheck source=loadtest/common.sh
. "$here/common.sh"
need wrk=wrk python3=python3 curl=curl
"$root/strata" --version >/dev/null # builds the jar when needed
jar="$root/dist/target/strata.jar"

work="$(mktemp -d -t strata-floor.XXXXXX)"
tree="$work/tree"
pids=()
cleanup() {
  for started in "${pids[@]}"; do kill "$started" 2>/dev/null || true; done
  for started in "${pids[@]}"; do wait "$started" 2>/dev/null || true; done
  git -C "$root" worktree remove --force "$tree" 2>/dev/null || true
  rm -rf "$work"
  git -C "$root" worktree prune
}
trap cleanup EXIT

# --- the floor builds: this checkout as the jar was built from it, plus the patches --------------
checkout=$(git -C "$root" stash create)
git -C "$root" worktree add -q --detach "$tree" "${checkout:-HEAD}"
# build_floor NAME PATCH: applies PATCH to the tree (on top of the ones before), builds, and keeps
# the runnable jar and its lib/ under $work/NAME; the build's log is dist/target/NAME-build.log.
build_floor() {
  local build_log="$root/dist/target/$1-build.log"
  applied="${applied:+$applied + }loadtest/$(basename "$2")"
  log "building $1 ($applied on ${checkout:-HEAD}) in $tree"
  git -C "$tree" apply "$2" || {
    log "loadtest/$(basename "$2") no longer applies: update it"
    exit 1
  }
  (cd "$tree" && {
    mvn -B -q -o -DskipTests -Dspotless.check.skip=true -Dforbiddenapis.skip=true -pl dist -am package \
      >"$build_log" 2>&1 ||
      mvn -B -q -DskipTests -Dspotless.check.skip=true -Dforbiddenapis.skip=true -pl dist -am package \
        >"$build_log" 2>&1
  }) || {
    tail -n 30 "$build_log" >&2
    log "the $1 build failed; full log: $build_log"
    exit 1
  }
  mkdir -p "$work/$1"
  cp -r "$tree/dist/target/strata.jar" "$tree/dist/target/lib" "$work/$1/"
}
build_floor floor "$here/floor.patch"
build_floor floor-min "$here/floor-min.patch"

# --- servers -------------------------------------------------------------------------------------
pin_cores 1

mkdir -p "$work/site"
head -c 1024 /dev/urandom >"$work/site/1k"
origin_port=$(free_port)
java -jar "$jar" origin --listen "127.0.0.1:$origin_port" --dir "$work/site" \
  --cache-control "public, max-age=86400" >/dev/null 2>"$work/origin.err" &
pids+=($!)
wait_for "http://127.0.0.1:$origin_port/1k"

printf 'node:\n  io-threads: 1\nedge:\n  cache:\n    memory: 256MiB\n    disk: 256MiB\n' >"$work/edge.yaml"
declare -A url server_pid
start_edge() { # NAME JAR
  local port
  port=$(free_port)
  "${server_cpu[@]}" java ${STRATA_JAVA_OPTS:-} -jar "$2" edge --config "$work/edge.yaml" \
    --listen "127.0.0.1:$port" --origin "http://127.0.0.1:$origin_port" --cache-dir "$work/$1-cache" \
    --name floor --access-log off >/dev/null 2>"$work/$1.err" &
  server_pid[$1]=$! url[$1]="http://127.0.0.1:$port/1k"
  pids+=($!)
  wait_for "${url[$1]}"
}
start_ceiling() { # NAME [--head FILE]
  start_bare "$@"
  server_pid[$1]=${pids[-1]} url[$1]="$bare_started/bare?size=1024"
  wait_for "${url[$1]}"
}
start_edge strata "$jar"
start_edge floor "$work/floor/strata.jar"
start_edge floor-min "$work/floor-min/strata.jar"
names() { awk -F: 'NF > 1 {print tolower($1)}' "$1"; } # a head's field names, in order
for edge in strata floor floor-min; do
  curl -s -D "$work/$edge.head" -o /dev/null "${url[$edge]}"
  grep -q '^X-Cache: HIT' "$work/$edge.head" || { log "no hit from $edge"; exit 1; }
done
diff <(names "$work/strata.head") <(names "$work/floor.head") >&2 || {
  log "the floor's head has other fields than Strata's"
  exit 1
}
node_fields='x-request-id|x-served-by|cache-status'
[ "$(names "$work/strata.head" | grep -cxE "$node_fields")" = 3 ] || {
  log "Strata's head lacks one of X-Request-Id, X-Served-By and Cache-Status: update floor-min.patch"
  exit 1
}
diff <(names "$work/strata.head" | grep -vxE "$node_fields") <(names "$work/floor-min.head") >&2 || {
  log "the floor-min's head is not Strata's without X-Request-Id, X-Served-By and Cache-Status"
  exit 1
}
start_ceiling bare-head --head "$work/strata.head"
start_ceiling bare-min --head "$work/floor-min.head"
start_ceiling bare

# --- measure -------------------------------------------------------------------------------------
servers=(strata floor floor-min bare-head bare-min bare)
io_thread() { # PID: the /proc task of its I/O thread, the only one of its listener
  local task
  for task in /proc/"$1"/task/*; do
    grep -q ' I/O' "$task/comm" && { echo "$task"; return; }
  done
  log "no I/O thread in process $1"
  exit 1
}
declare -A task
for server in "${servers[@]}"; do task[$server]=$(io_thread "${server_pid[$server]}"); done
ticks() { sed 's/.*) //' "$1/stat" | awk '{print $12 + $13}'; } # utime + stime, in clock ticks

for _ in $(seq 1 "$WARMUP_RUNS"); do
  for server in "${servers[@]}"; do wrk -c64 -d"$WARMUP" "${url[$server]}" >/dev/null; done
done
rounds="$work/rounds"
for round in $(seq 1 "$ROUNDS"); do
  for i in "${!servers[@]}"; do
    server=${servers[$(((round - 1 + i) % ${#servers[@]}))]}
    before=$(ticks "${task[$server]}")
    # "N requests in 5.01s, ...": the count and the duration wrk measured
    read -r requests seconds < <(wrk -c64 -d"$DURATION" "${url[$server]}" |
      awk '/requests in/ {sub(/s,?$/, "", $4); print $1, $4}')
    after=$(ticks "${task[$server]}")
    echo "$round $server $requests $seconds $((after - before))" | tee -a "$rounds" >&2
  done
done

table=$(python3 - "$rounds" "$(getconf CLK_TCK)" "${servers[@]}" <<'PY'
import collections, statistics, sys
path, hz, servers = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
rps, cpu = collections.defaultdict(dict), collections.defaultdict(dict)
for line in open(path):
    rnd, server, requests, seconds, ticks = line.split()
    rps[server][rnd] = int(requests) / float(seconds)
    cpu[server][rnd] = int(ticks) / hz / max(int(requests), 1) * 1e6
def median(values):  # the lower middle value, as compare.sh takes its figures
    return sorted(values)[(len(values) - 1) // 2]
print("1 KiB hits, 64 connections: medians of %d rounds" % len(rps[servers[0]]))
print("%-10s %10s %12s" % ("server", "req/s", "CPU us/req"))
for s in servers:
    print("%-10s %10.0f %12.2f" % (s, median(rps[s].values()), median(cpu[s].values())))
print("ratios, round by round: req/s, and CPU per request the other way up")
for i, a in enumerate(servers):
    for b in servers[i + 1:]:
        r = [rps[a][k] / rps[b][k] for k in rps[a]]
        c = [cpu[b][k] / cpu[a][k] if cpu[a][k] else float("nan") for k in cpu[a]]
        print("%-9s / %-9s req/s %.3f  CPU %.3f  (req/s rounds: %s)" % (
            a, b, statistics.median(r), statistics.median(c), " ".join("%.2f" % x for x in r)))
PY
)
{
  echo "loadtest/floor.sh — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, wrk -t$wrk_threads," \
    "$WARMUP_RUNS warm-up runs of $WARMUP, rounds of $DURATION"
  echo "$table"
} | tee "${RESULTS:-/dev/null}"
