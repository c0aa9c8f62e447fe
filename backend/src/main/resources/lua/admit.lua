-- Why: one admission of one tenant as one atomic step (one round trip): check every meter and, only if all have
-- room, add the request to each meter's current window, take its concurrency leases and record the reservation.
-- Behaves like InProcessLimitStore.admit; RedisLimitStore computes every key, window id and TTL (Windows).
-- Cluster-safe: every key is passed in KEYS and shares the tenant's hash tag {t:<tenant>}; no TIME call.
--
-- KEYS[1]        the reservation hash {t:<tenant>}:res:<requestId>
-- KEYS[2..]      per meter, in request order: a counter meter's bucket keys, oldest first (the last is the current
--                bucket, the one to INCRBY); a concurrency meter's lease set (one key)
-- ARGV[1]        now, epoch seconds
-- ARGV[2]        lease, seconds (TTL of the reservation and lease sets)
-- ARGV[3]        lease end, epoch seconds (score of the lease)
-- ARGV[4]        request id
-- ARGV[5]        number of meters
-- ARGV[6..]      5 per meter: kind ('L' concurrency lease, or the counted quantity 'R' requests, 'T' tokens,
--                'M' micro-dollars), limit, amount, number of keys, TTL of the current bucket (seconds)
--
-- Reply, refused: {0, meter index (0-based), used, bucket counts...}  (counts: none for a concurrency meter)
-- Reply, admitted: {1, per meter: {used, newest non-empty bucket (1-based, 0 if all are empty)} for a counter,
--                  {held leases} for a concurrency meter}
-- One MGET reads a meter's buckets (a sliding minute has 61): one call instead of one per bucket.
-- Amounts travel as strings to INCRBY/HSET (a Lua number would be formatted with %.14g); sums are doubles, exact
-- up to 2^53.
local now = ARGV[1]
local leaseSeconds = ARGV[2]
local leaseEnd = ARGV[3]
local requestId = ARGV[4]
local meterCount = tonumber(ARGV[5])

local meters = {}
local nextKey = 2
for i = 1, meterCount do
  local base = 5 + (i - 1) * 5
  local m = {
    kind = ARGV[base + 1],
    limit = tonumber(ARGV[base + 2]),
    amountText = ARGV[base + 3],
    amount = tonumber(ARGV[base + 3]),
    first = nextKey,
    keyCount = tonumber(ARGV[base + 4]),
    ttl = ARGV[base + 5],
  }
  nextKey = nextKey + m.keyCount
  meters[i] = m
end

-- 1. Check every meter; nothing is written unless all pass (expired leases are dropped either way).
for i, m in ipairs(meters) do
  if m.kind == 'L' then
    local set = KEYS[m.first]
    redis.call('ZREMRANGEBYSCORE', set, '-inf', now)
    local held = redis.call('ZCARD', set)
    if held + 1 > m.limit then
      return {0, i - 1, held}
    end
  else
    local counts = {}
    local sum = 0
    local values = redis.call('MGET', unpack(KEYS, m.first, m.first + m.keyCount - 1))
    for j = 1, m.keyCount do
      local value = tonumber(values[j] or '0')
      counts[j] = value
      sum = sum + value
    end
    if sum + m.amount > m.limit then
      local reply = {0, i - 1, sum}
      for j = 1, m.keyCount do
        reply[3 + j] = counts[j]
      end
      return reply
    end
    m.counts = counts
  end
end

-- 2. All pass: charge the current buckets, take the leases, record the reservation.
local reservation = KEYS[1]
local fields = {}
local charges = 0
local leases = 0
local reply = {1}
for i, m in ipairs(meters) do
  if m.kind == 'L' then
    local set = KEYS[m.first]
    redis.call('ZADD', set, leaseEnd, requestId)
    if redis.call('TTL', set) < tonumber(leaseSeconds) then
      redis.call('EXPIRE', set, leaseSeconds)
    end
    leases = leases + 1
    fields[#fields + 1] = 'l' .. leases
    fields[#fields + 1] = set
    reply[i + 1] = {redis.call('ZCARD', set)}
  else
    local key = KEYS[m.first + m.keyCount - 1]
    local after = redis.call('INCRBY', key, m.amountText)
    redis.call('EXPIRE', key, m.ttl)
    charges = charges + 1
    fields[#fields + 1] = 'k' .. charges
    fields[#fields + 1] = key
    fields[#fields + 1] = 'q' .. charges
    fields[#fields + 1] = m.kind
    fields[#fields + 1] = 'a' .. charges
    fields[#fields + 1] = m.amountText
    local used = 0
    local newest = 0
    for j = 1, m.keyCount do
      local value = m.counts[j]
      if j == m.keyCount then
        value = after
      end
      if value > 0 then
        newest = j
      end
      used = used + value
    end
    reply[i + 1] = {used, newest}
  end
end
redis.call('DEL', reservation)
redis.call('HSET', reservation, 'n', charges, 'm', leases, unpack(fields))
redis.call('EXPIRE', reservation, leaseSeconds)
return reply
