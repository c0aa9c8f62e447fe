-- Why: one admission of one tenant as one atomic step (one round trip): check every meter and, only if all have
-- room, add the request to each meter's current window, take its concurrency leases and record the reservation.
-- Behaves like InProcessLimitStore.admit; RedisLimitStore computes every key, window, field and TTL (Windows).
-- Cluster-safe: every key is passed in KEYS and shares the tenant's hash tag {t:<tenant>}; no TIME call.
--
-- KEYS[1]        the reservation hash {t:<tenant>}:res:<requestId>
-- KEYS[1 + i]    meter i's key: a concurrency meter's lease set; a calendar/total counter (string); a sliding window's
--                bucket hash (field = bucket start in epoch seconds, value = count; '_sum' and '_low', see below)
-- ARGV[1]        now, epoch seconds
-- ARGV[2]        lease, seconds (TTL of the reservation and lease sets)
-- ARGV[3]        lease end, epoch seconds (score of the lease)
-- ARGV[4]        request id
-- ARGV[5]        number of meters
-- ARGV[6..]      7 per meter: kind ('L' concurrency lease, or the counted quantity 'R' requests, 'T' tokens,
--                'M' micro-dollars), limit, amount, TTL of the key (seconds), and for a sliding window: the current
--                bucket's field, the oldest counted bucket's field, the bucket length in seconds ('' otherwise)
--
-- Reply, refused: {0, meter index (0-based), used, bucket counts oldest first...}  (none for a concurrency meter)
-- Reply, admitted: {1, per meter: {used, newest non-empty bucket (1-based, 0 if all are empty)} for a counter,
--                  {held leases} for a concurrency meter}
-- A sliding window is one hash per meter: its buckets (field = bucket start) and two bookkeeping fields, '_sum' (the
-- total of every bucket in the hash) and '_low' (no bucket is older). An admission reads the total and deletes the
-- buckets that left the window since '_low' (usually none or one), so its cost does not grow with the number of
-- buckets; it reads every bucket (HGETALL) only to answer a refusal (which reports each bucket's count), when it
-- charges nothing, when the window moved on by more than its length, when its own current bucket is older than
-- '_low' (a request that read the time long before another), or when the hash has no '_low' (nor a total to trust:
-- written before the total was kept). Amounts travel as strings to INCRBY/HINCRBY/HSET (a Lua number would be
-- formatted with %.14g); sums are doubles, exact up to 2^53.
local now = ARGV[1]
local leaseSeconds = ARGV[2]
local leaseEnd = ARGV[3]
local requestId = ARGV[4]
local meterCount = tonumber(ARGV[5])

local meters = {}
for i = 1, meterCount do
  local base = 5 + (i - 1) * 7
  local m = {
    key = KEYS[1 + i],
    kind = ARGV[base + 1],
    limit = tonumber(ARGV[base + 2]),
    amountText = ARGV[base + 3],
    amount = tonumber(ARGV[base + 3]),
    ttl = ARGV[base + 4],
  }
  if ARGV[base + 5] ~= '' then
    m.field = ARGV[base + 5]
    m.oldestText = ARGV[base + 6]
    m.oldest = tonumber(ARGV[base + 6])
    m.step = tonumber(ARGV[base + 7])
    m.buckets = (tonumber(m.field) - m.oldest) / m.step + 1
  end
  meters[i] = m
end

local SUM, LOW = '_sum', '_low'

-- The counts of a sliding window's buckets, oldest first; buckets older than the window are deleted and the
-- bookkeeping fields rewritten (only in a hash that exists: a refusal must not leave a key without a TTL).
local function slidingCounts(m)
  local counts = {}
  for j = 1, m.buckets do
    counts[j] = 0
  end
  local raw = redis.call('HGETALL', m.key)
  local stale = {}
  local total = 0
  for j = 1, #raw, 2 do
    if string.byte(raw[j], 1) ~= 95 then -- '_': a bookkeeping field, not a bucket
      local index = (tonumber(raw[j]) - m.oldest) / m.step + 1
      if index < 1 then
        stale[#stale + 1] = raw[j]
      else
        local count = tonumber(raw[j + 1])
        total = total + count
        if index <= m.buckets then
          counts[index] = counts[index] + count
        else
          -- a bucket newer than this request's now: written by a replica whose clock is ahead, or by a request that
          -- read the time later and ran first; its usage is real, so it counts as the current bucket's
          counts[m.buckets] = counts[m.buckets] + count
        end
      end
    end
  end
  if #stale > 0 then
    redis.call('HDEL', m.key, unpack(stale))
  end
  if #raw > 0 then
    redis.call('HSET', m.key, SUM, string.format('%d', total), LOW, m.oldestText)
  end
  return counts
end

-- The window's total from the bookkeeping fields: the buckets that left the window since '_low' are subtracted and
-- deleted. nil when the bookkeeping cannot tell (see the header); the caller then reads every bucket.
local function slidingSum(m)
  local state = redis.call('HMGET', m.key, SUM, LOW)
  local sum = tonumber(state[1])
  local low = tonumber(state[2])
  if sum == nil or low == nil or tonumber(m.field) < low then
    return nil
  end
  if m.oldest > low then
    local gone = (m.oldest - low) / m.step
    if gone > m.buckets then
      return nil
    end
    local fields = {}
    for j = 1, gone do
      fields[j] = string.format('%d', low + (j - 1) * m.step)
    end
    local values = redis.call('HMGET', m.key, unpack(fields))
    local dropped = {}
    for j = 1, gone do
      if values[j] then
        sum = sum - tonumber(values[j])
        dropped[#dropped + 1] = fields[j]
      end
    end
    if #dropped > 0 then
      redis.call('HDEL', m.key, unpack(dropped))
    end
    redis.call('HSET', m.key, SUM, string.format('%d', sum), LOW, m.oldestText)
  end
  return sum
end

-- 1. Check every meter; nothing is counted unless all pass (expired leases and buckets are dropped either way).
for i, m in ipairs(meters) do
  if m.kind == 'L' then
    redis.call('ZREMRANGEBYSCORE', m.key, '-inf', now)
    local held = redis.call('ZCARD', m.key)
    if held + 1 > m.limit then
      return {0, i - 1, held}
    end
  else
    local counts
    if m.field then
      local sum = nil
      if m.amount > 0 then
        sum = slidingSum(m)
      end
      if sum ~= nil and sum + m.amount <= m.limit then
        m.sum = sum
        counts = {sum}
      else
        counts = slidingCounts(m) -- also for a refusal, which reports every bucket's count
      end
    else
      counts = {tonumber(redis.call('GET', m.key) or '0')}
    end
    local sum = 0
    for j = 1, #counts do
      sum = sum + counts[j]
    end
    if sum + m.amount > m.limit then
      local reply = {0, i - 1, sum}
      for j = 1, #counts do
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
    redis.call('ZADD', m.key, leaseEnd, requestId)
    if redis.call('TTL', m.key) < tonumber(leaseSeconds) then
      redis.call('EXPIRE', m.key, leaseSeconds)
    end
    leases = leases + 1
    fields[#fields + 1] = 'l' .. leases
    fields[#fields + 1] = m.key
    reply[i + 1] = {redis.call('ZCARD', m.key)}
  else
    local after
    if m.field then
      after = redis.call('HINCRBY', m.key, m.field, m.amountText)
      redis.call('HINCRBY', m.key, SUM, m.amountText)
      if m.sum == nil then
        redis.call('HSET', m.key, LOW, m.oldestText) -- the hash was read whole: no bucket is older than the window
      end
    else
      after = redis.call('INCRBY', m.key, m.amountText)
    end
    -- a counter gets its TTL when it is created; a sliding hash when one of its buckets is, and then only if that
    -- lengthens it: a request that read the time earlier (or on a replica whose clock is behind) and creates an older
    -- bucket after a newer one must not cut the newer bucket's life short
    if after == m.amount then
      if not m.field or redis.call('TTL', m.key) < tonumber(m.ttl) then
        redis.call('EXPIRE', m.key, m.ttl)
      end
    end
    charges = charges + 1
    fields[#fields + 1] = 'k' .. charges
    fields[#fields + 1] = m.key
    fields[#fields + 1] = 'q' .. charges
    fields[#fields + 1] = m.kind
    fields[#fields + 1] = 'a' .. charges
    fields[#fields + 1] = m.amountText
    if m.field then
      fields[#fields + 1] = 'f' .. charges
      fields[#fields + 1] = m.field
    end
    if m.sum ~= nil then
      -- read from the bookkeeping: the current bucket holds this request's amount (> 0), so it is the newest non-empty
      reply[i + 1] = {m.sum + m.amount, m.buckets}
    else
      local counts = m.counts
      -- the current bucket's count, with any newer bucket's usage the check counted in it (so not HINCRBY's answer)
      counts[#counts] = counts[#counts] + m.amount
      local used = 0
      local newest = 0
      for j = 1, #counts do
        if counts[j] > 0 then
          newest = j
        end
        used = used + counts[j]
      end
      reply[i + 1] = {used, newest}
    end
  end
end
redis.call('DEL', reservation)
redis.call('HSET', reservation, 'n', charges, 'm', leases, unpack(fields))
redis.call('EXPIRE', reservation, leaseSeconds)
return reply
