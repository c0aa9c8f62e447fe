-- Why: the admin API shows what each limit holds (GET /admin/api/keys/{id}/status) as admission would count it, at
-- one moment, without disturbing it: one read-only round trip over the keys admit.lua writes. It creates no key,
-- deletes nothing (not even expired leases or stale buckets, which it only skips) and never touches a TTL.
-- Behaves like InProcessLimitStore.peek; RedisLimitStore computes every key and window (Windows), as for admit.lua.
--
-- KEYS[i]     meter i's key, named as in admit.lua: a concurrency meter's lease set; a calendar/total counter
--             (string); a sliding window's bucket hash (field = bucket start in epoch seconds, value = count; and
--             admit.lua's bookkeeping fields '_sum' and '_low')
-- ARGV[1]     now, epoch seconds
-- ARGV[2..]   4 per meter: kind ('L' lease set, 'C' counter, 'S' sliding hash), and for 'S' the oldest counted
--             bucket's field, the bucket length in seconds and the number of buckets counted ('' otherwise)
--
-- Reply: per meter, {leases ending after now} for 'L'; {count} for 'C'; {count of each bucket, oldest first} for
-- 'S' (a missing key or field counts 0). Counts are integers below 2^53, as in admit.lua.
local now = ARGV[1]
local reply = {}
for i = 1, #KEYS do
  local base = 1 + (i - 1) * 4
  local kind = ARGV[base + 1]
  local key = KEYS[i]
  if kind == 'L' then
    reply[i] = {redis.call('ZCOUNT', key, '(' .. now, '+inf')}
  elseif kind == 'C' then
    reply[i] = {tonumber(redis.call('GET', key) or '0')}
  else
    local oldest = tonumber(ARGV[base + 2])
    local step = tonumber(ARGV[base + 3])
    local buckets = tonumber(ARGV[base + 4])
    local counts = {}
    for j = 1, buckets do
      counts[j] = 0
    end
    local raw = redis.call('HGETALL', key)
    for j = 1, #raw, 2 do
      if string.byte(raw[j], 1) ~= 95 then -- '_sum' and '_low' are admit.lua's bookkeeping, not buckets
        local index = (tonumber(raw[j]) - oldest) / step + 1
        if index > buckets then
          index = buckets -- newer than now: counted as current, as admit.lua does
        end
        if index >= 1 then
          counts[index] = counts[index] + tonumber(raw[j + 1])
        end
      end
    end
    reply[i] = counts
  end
end
return reply
