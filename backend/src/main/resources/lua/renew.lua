-- Why: a request that runs longer than its lease (a long stream) must keep its concurrency slot, while a replica
-- that dies stops renewing and its slots free themselves when the lease ends. One atomic step: extend the leases of
-- one unsettled reservation and the reservation's own lifetime. Behaves like InProcessLimitStore.renew.
--
-- KEYS[1]  the reservation hash {t:<tenant>}:res:<requestId>, as written by admit.lua
-- ARGV[1]  new lease end, epoch seconds (score of the lease)
-- ARGV[2]  lease, seconds (TTL of the reservation and lease sets)
-- ARGV[3]  request id (member of the lease sets)
-- ARGV[4]  the tenant's key prefix '{t:<tenant>}:' (keys without it are never touched; see settle.lua)
-- Reply: 1 if the reservation exists and was renewed, 0 if not (settled, or its lease already ran out).
local reservation = KEYS[1]
if redis.call('EXISTS', reservation) == 0 then
  return 0
end
local leaseEnd = tonumber(ARGV[1])
local leaseSeconds = tonumber(ARGV[2])
local prefix = ARGV[4]
local sets = tonumber(redis.call('HGET', reservation, 'm') or '0')
for j = 1, sets do
  local set = redis.call('HGET', reservation, 'l' .. j)
  if set ~= false and string.sub(set, 1, #prefix) == prefix then
    local score = redis.call('ZSCORE', set, ARGV[3])
    if score ~= false and tonumber(score) < leaseEnd then
      redis.call('ZADD', set, 'XX', leaseEnd, ARGV[3])
    end
    if redis.call('TTL', set) < leaseSeconds then
      redis.call('EXPIRE', set, leaseSeconds)
    end
  end
end
if redis.call('TTL', reservation) < leaseSeconds then
  redis.call('EXPIRE', reservation, leaseSeconds)
end
return 1
