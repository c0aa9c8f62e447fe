-- Why: one settlement as one atomic step (one round trip): replace the reserved amounts by the measured ones in the
-- counters the reservation charged (not the current windows), release its leases, forget it. Behaves like
-- InProcessLimitStore.settle. Settling an unknown or already settled request id does nothing.
--
-- KEYS[1]  the reservation hash {t:<tenant>}:res:<requestId>, as written by admit.lua (per charge i: key k<i>,
--          quantity q<i>, reserved amount a<i>, and for a sliding window the bucket's field f<i>)
-- ARGV[1]  '1' if the usage was measured, '0' if not (then the reserved amounts stay counted: never refunded)
-- ARGV[2]  measured tokens
-- ARGV[3]  measured cost, micro-dollars
-- ARGV[4]  request id (member of the lease sets)
-- ARGV[5]  the tenant's key prefix '{t:<tenant>}:'
--
-- The counter and lease keys come from the reservation hash, so they cannot be declared in KEYS; admit.lua only
-- stores keys of KEYS[1]'s tenant, which share its hash tag and therefore its Cluster slot. Keys without the
-- prefix are never touched, so this script cannot leave the slot even if the hash were tampered with.
-- Reply: 1 if a reservation was settled, 0 if there was none.
local reservation = KEYS[1]
local raw = redis.call('HGETALL', reservation)
if #raw == 0 then
  return 0
end
local r = {}
for i = 1, #raw, 2 do
  r[raw[i]] = raw[i + 1]
end
local prefix = ARGV[5]
local function ours(key)
  return key ~= nil and string.sub(key, 1, #prefix) == prefix
end

if ARGV[1] == '1' then
  for i = 1, tonumber(r['n'] or '0') do
    local key = r['k' .. i]
    local quantity = r['q' .. i]
    local reserved = r['a' .. i]
    local measured = nil
    if quantity == 'T' then
      measured = ARGV[2]
    elseif quantity == 'M' then
      measured = ARGV[3]
    end
    -- An expired counter or a bucket that left its window is not recreated; INCRBY/HINCRBY keep the key's TTL.
    -- Lua numbers are doubles: exact below 2^53, and '%d' formats the difference without tostring's %.14g rounding.
    if measured ~= nil and measured ~= reserved and ours(key) then
      local diff = string.format('%d', tonumber(measured) - tonumber(reserved))
      local field = r['f' .. i]
      if field then
        if redis.call('HEXISTS', key, field) == 1 then
          redis.call('HINCRBY', key, field, diff)
          -- the window's total (admit.lua) includes every bucket present (a hash without '_low' has no trusted total:
          -- admit.lua reads it whole and writes both fields again)
          redis.call('HINCRBY', key, '_sum', diff)
        end
      elseif redis.call('EXISTS', key) == 1 then
        redis.call('INCRBY', key, diff)
      end
    end
  end
end

for j = 1, tonumber(r['m'] or '0') do
  local set = r['l' .. j]
  if ours(set) then
    redis.call('ZREM', set, ARGV[4])
  end
end
redis.call('DEL', reservation)
return 1
