#!/usr/bin/env bash
# Bytes the edge's I/O threads allocate per 1 KiB memory hit: a figure that, unlike throughput, a
# busy machine does not move, so a hit-path change can be judged while other work runs.
#
#   loadtest/alloc-per-hit.sh [JAR]      (default: the tree's dist/target/strata.jar, built if needed)
#
# Starts a static origin and an edge with Java Flight Recorder on free loopback ports, warms the
# object, dumps the recording, runs wrk (64 connections, 6 s), dumps it again, and divides the
# growth of the I/O threads' jdk.ThreadAllocationStatistics by the requests wrk made. Both servers
# are stopped by PID. Needs wrk and python3 (Debian packages).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
if [ -n "${1:-}" ]; then
  jar="$1"
else
  "$root/strata" --version >/dev/null # builds the jar when needed
  jar="$root/dist/target/strata.jar"
fi
for tool in wrk python3 jcmd jfr curl; do
  command -v "$tool" >/dev/null || { echo "alloc-per-hit: $tool is needed" >&2; exit 1; }
done

work="$(mktemp -d -t strata-alloc.XXXXXX)"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"' EXIT
log() { echo "alloc-per-hit: $*" >&2; }
# shellcheck source=loadtest/common.sh
. "$here/common.sh"

mkdir -p "$work/site" && head -c 1024 /dev/urandom >"$work/site/1k"
origin_port=$(free_port) edge_port=$(free_port)
java -jar "$jar" origin --listen "127.0.0.1:$origin_port" --dir "$work/site" \
  --cache-control "public, max-age=86400" >/dev/null 2>"$work/origin.err" &
pids+=($!)
java -XX:StartFlightRecording=name=alloc,settings=default -jar "$jar" edge --listen "127.0.0.1:$edge_port" \
  --origin "http://127.0.0.1:$origin_port" --cache-dir "$work/cache" --name alloc --access-log off \
  >/dev/null 2>"$work/edge.err" &
edge=$!
pids+=("$edge")
url="http://127.0.0.1:$edge_port/1k"
wait_for "$url"
wrk -t1 -c64 -d2s "$url" >/dev/null # warm the JIT before counting
jcmd "$edge" JFR.dump name=alloc filename="$work/before.jfr" >/dev/null
requests=$(wrk -t1 -c64 -d6s "$url" | awk '/requests in/ {print $1}')
jcmd "$edge" JFR.dump name=alloc filename="$work/after.jfr" >/dev/null

io_bytes() { # the latest allocated total of each I/O thread in a recording, summed
  jfr print --events jdk.ThreadAllocationStatistics "$1" | python3 -c '
import re, sys
units = {"bytes": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}
latest = {}
for event in sys.stdin.read().split("jdk.ThreadAllocationStatistics")[1:]:
    size = re.search(r"allocated = ([\d.]+) (\w+)", event)
    thread = re.search(r"thread = \"([^\"]+)\"", event)
    if size and thread and "I/O" in thread.group(1):
        latest[thread.group(1)] = float(size.group(1)) * units[size.group(2)]
print(int(sum(latest.values())))'
}
before=$(io_bytes "$work/before.jfr") after=$(io_bytes "$work/after.jfr")
echo "requests $requests, I/O-thread bytes allocated per hit $(( (after - before) / requests ))"
