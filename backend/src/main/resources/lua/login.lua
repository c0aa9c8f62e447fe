-- Login throttle (RedisLoginThrottle): failed logins counted per username and per client address in fixed windows
-- that start at the first counted attempt. Each counter is a hash {n = attempts, r = window end, epoch ms} that
-- expires with its window. Both keys carry the hash tag {login}, so the script touches one Cluster slot.
-- KEYS[1]: the username's counter; KEYS[2]: the address's counter.
-- ARGV[1]: 'attempt' or 'success'; ARGV[2]: now (epoch ms, the caller's clock); ARGV[3]: window (ms);
-- ARGV[4]: attempts allowed per username; ARGV[5]: attempts allowed per address.
-- 'attempt': when either counter has used its attempts, answers {0, ms until the later of their windows ends} and
-- changes nothing; otherwise counts the attempt on both and answers {1, 0}.
-- 'success': the attempt was a success: the username's counter is deleted and the attempt is taken off the
-- address's counter (so only failures count there); answers {1, 0}.
local now = tonumber(ARGV[2])

local function state(key)
  local v = redis.call('HMGET', key, 'n', 'r')
  local n, r = tonumber(v[1]), tonumber(v[2])
  if n == nil or r == nil or now >= r then
    return 0, nil
  end
  return n, r
end

if ARGV[1] == 'success' then
  redis.call('DEL', KEYS[1])
  local n = state(KEYS[2])
  if n > 0 then
    redis.call('HINCRBY', KEYS[2], 'n', -1)
  end
  return {1, 0}
end

local window = tonumber(ARGV[3])
local limits = {tonumber(ARGV[4]), tonumber(ARGV[5])}
local counts, ends = {}, {}
local wait = 0
for i = 1, 2 do
  counts[i], ends[i] = state(KEYS[i])
  if counts[i] >= limits[i] and ends[i] - now > wait then
    wait = ends[i] - now
  end
end
if wait > 0 then
  return {0, wait}
end
for i = 1, 2 do
  local r = ends[i] or (now + window)
  redis.call('HSET', KEYS[i], 'n', counts[i] + 1, 'r', r)
  redis.call('PEXPIRE', KEYS[i], r - now)
end
return {1, 0}
