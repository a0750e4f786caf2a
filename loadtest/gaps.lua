-- wrk script: the pauses in a stream of responses, to tell a server's own stalls from the machine's.
--
--   wrk -t1 -c64 -d5s -s loadtest/gaps.lua http://127.0.0.1:PORT/1k
--
-- Under a closed-loop load a busy server answers every few microseconds, so a gap of 100 µs or more
-- between two responses wrk reads is a pause: of the server, of wrk, or of the machine under both.
-- Prints wrk's throughput and p50/p90/p99, then per wrk thread the number of gaps and their total
-- length in milliseconds in six bands. A band that a bare server and nginx show as well is the
-- machine's; what only one server adds is its own. Uses LuaJIT's FFI for a monotonic clock.
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } gaps_timespec;
int clock_gettime(int clk_id, gaps_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("gaps_timespec")
local function micros()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) * 1e6 + tonumber(ts.tv_nsec) / 1e3
end

local bands = {200, 500, 1000, 2000, 5000, math.huge} -- upper bounds, µs; the first band starts at 100
local count, length = {0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0}
local last, first
local threads = {}

setup = function(thread) table.insert(threads, thread) end

response = function(status, headers, body)
  local now = micros()
  if last then
    local gap = now - last
    if gap >= 100 then
      for i = 1, #bands do
        if gap < bands[i] then count[i] = count[i] + 1; length[i] = length[i] + gap; break end
      end
    end
  else
    first = now
  end
  last = now
  gaps = string.format("%d %d %d %d %d %d | %.1f %.1f %.1f %.1f %.1f %.1f | %.0f",
    count[1], count[2], count[3], count[4], count[5], count[6],
    length[1] / 1e3, length[2] / 1e3, length[3] / 1e3, length[4] / 1e3, length[5] / 1e3, length[6] / 1e3,
    (now - first) / 1e3)
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT %.0f req/s, p50 %.2f p90 %.2f p99 %.2f ms\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1e3,
    latency:percentile(90) / 1e3, latency:percentile(99) / 1e3))
  io.write("GAPS counts in 0.1-0.2, 0.2-0.5, 0.5-1, 1-2, 2-5, >5 ms | their total ms | ms of responses\n")
  for _, thread in ipairs(threads) do io.write("GAPS " .. tostring(thread:get("gaps")) .. "\n") end
end
