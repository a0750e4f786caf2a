# Sourced by the loadtest scripts: what they all need. The caller defines log (a message to
# stderr); wait_for and start_bare also use its work (a scratch directory), pids (what it started,
# stopped by PID on exit), jar (Strata's runnable jar) and server_cpu (the pinning command, or
# empty, which pin_cores sets with the load_cpu and wrk_threads that wrk uses).

# need COMMAND=PACKAGE ...: installs from Debian the package of each missing command (apt-get;
# needs root).
need() {
  local missing=() pair
  for pair in "$@"; do
    command -v "${pair%%=*}" >/dev/null || missing+=("${pair#*=}")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# pin_cores UNPINNED_THREADS: on two cores or more, server_cpu pins to core 0 and load_cpu to core
# 1 (taskset); otherwise both are empty. wrk runs with WRK_THREADS threads, by default one per core
# it may use: 1 when pinned, UNPINNED_THREADS when not. Two threads pinned to one core take turns
# in scheduler slices, and the responses of the one waiting are counted as the server's latency:
# against a bare Undertow server at 1 KiB and 64 connections, four interleaved rounds measured a
# median p99 of 4.2 ms with -t2 on one core and 2.2 ms with -t1.
pin_cores() {
  server_cpu=() load_cpu=() wrk_threads="${WRK_THREADS:-$1}"
  if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
    server_cpu=(taskset -c 0) load_cpu=(taskset -c 1) wrk_threads="${WRK_THREADS:-1}"
  fi
  wrk_bin="$(command -v wrk)"
}
wrk() { "${load_cpu[@]}" "$wrk_bin" -t"$wrk_threads" "$@"; }

# A free TCP port on 127.0.0.1.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# wait_for URL: until it answers, at most 60 s.
wait_for() {
  for _ in $(seq 1 120); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.5
  done
  log "no answer from $1"
  tail -n 5 "$work"/*.out "$work"/*.err 2>/dev/null >&2 || true
  return 1
}

# start_bare NAME [--head FILE]: a bare Undertow server (strata loadtest --serve-origin) on the
# server core; its base URL into bare_started.
start_bare() {
  "${server_cpu[@]}" java -jar "$jar" loadtest --serve-origin "${@:2}" >"$work/$1.out" 2>"$work/$1.err" &
  pids+=($!)
  for _ in $(seq 1 120); do grep -q '^origin test ' "$work/$1.out" && break; sleep 0.5; done
  bare_started=$(awk '/^origin test / {print $3}' "$work/$1.out")
  [ -n "$bare_started" ] || { log "the $1 server did not start"; tail -n 5 "$work/$1.err" >&2; exit 1; }
}
