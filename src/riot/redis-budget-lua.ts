/**
 * The shared budget's two Lua scripts. Each runs atomically, so a check and the reservation that
 * follows it cannot interleave with another process's.
 *
 * Every time is Redis's `TIME`, never the caller's clock: the hosts' clocks may disagree by more
 * than a short window, and one process would then see another's reservations as already expired.
 * One clock for every entry makes skew between processes irrelevant; callers only get durations.
 *
 * A log is a sorted set per scope. An answered request `d:<id>` is scored with its answer time. A
 * pending one `p:<id>` is scored with the end of its lease (it counts as answered then, so a process
 * that died mid-request does not hold the budget forever) and occupies every window meanwhile.
 *
 * KEYS: app log, app block, app limits (one for all routing values: limits are per key),
 *       method log, method block, method limits (absent: unknown, '': the method has none),
 *       service block (every method of the method's service in the routing value).
 * ARGV: default app limits, share, time scale, margin (ms), lease (ms), then the script's own.
 */
const PRELUDE = `
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local share, scale = tonumber(ARGV[2]), tonumber(ARGV[3])
local margin, lease = tonumber(ARGV[4]), tonumber(ARGV[5])

-- Scores and times go out as strings: Lua would print a time in ms with 14 digits only.
local function fmt(x) return string.format('%.3f', x) end

local function windows_of(spec)
  if not spec then return nil end
  local ws = {}
  for limit, seconds in string.gmatch(spec, '(%d+):(%d+)') do
    local raw, s = tonumber(limit), tonumber(seconds)
    local used = math.max(1, math.floor(raw * share)) -- shareOfLimit in budget-store.ts
    ws[#ws + 1] = { raw = raw, limit = used, seconds = s, ms = s * 1000 * scale }
  end
  return ws
end

local function limits()
  local app = redis.call('GET', KEYS[3]) or ARGV[1]
  local method = redis.call('GET', KEYS[6])
  return app, windows_of(app), method, windows_of(method)
end

local function since(ms) return '(' .. fmt(now - ms - margin) end

local function block_left(key)
  return math.max(0, (tonumber(redis.call('GET', key)) or 0) - now)
end

-- ms until one more request fits in every window: 0 now, -1 once a pending request has answered.
local function wait_for(log, windows, block)
  local wait = block_left(block)
  if not windows then
    -- Method limits unknown: probe with one request at a time.
    if redis.call('ZCOUNT', log, '(' .. fmt(now), '+inf') > 0 then return -1 end
    return wait
  end
  for _, w in ipairs(windows) do
    local active = redis.call('ZCOUNT', log, since(w.ms), '+inf')
    if active >= w.limit then
      local e = redis.call('ZRANGEBYSCORE', log, since(w.ms), '+inf', 'WITHSCORES',
        'LIMIT', active - w.limit, 1)
      local score = tonumber(e[2])
      if string.sub(e[1], 1, 2) == 'p:' and score > now then return -1 end
      wait = math.max(wait, score + w.ms + margin - now)
    end
  end
  return wait
end

local function longest(windows, at_least)
  local ms = at_least
  for _, w in ipairs(windows or {}) do ms = math.max(ms, w.ms) end
  return ms
end

local function tidy(app, method)
  local app_ms = longest(app, 0)
  for log, keep in pairs({ [KEYS[1]] = app_ms, [KEYS[4]] = longest(method, app_ms) }) do
    redis.call('ZREMRANGEBYSCORE', log, '-inf', fmt(now - keep - margin))
    redis.call('PEXPIRE', log, math.ceil(keep + margin + lease) + 1)
  end
end

local function counts(log, windows)
  local out = {}
  for i, w in ipairs(windows or {}) do out[i] = redis.call('ZCOUNT', log, since(w.ms), '+inf') end
  return table.concat(out, ',')
end

-- status, refusing scope, wait, sent at, then the usage of both scopes.
local function reply(status, scope, wait, sent, app_spec, app, method_spec, method)
  return { status, scope, wait, sent, app_spec, counts(KEYS[1], app), fmt(block_left(KEYS[2])),
    method_spec or '?', counts(KEYS[4], method) }
end
`;

/** ARGV[6]: the reservation's id. */
export const RESERVE_LUA = `${PRELUDE}
local app_spec, app, method_spec, method = limits()
local scope, wait = 'app', wait_for(KEYS[1], app, KEYS[2])
if wait == 0 then
  scope, wait = 'method', wait_for(KEYS[4], method, KEYS[5])
  -- -1 (a pending request must answer first) stays: only then is the service block looked at.
  if wait >= 0 then wait = math.max(wait, block_left(KEYS[7])) end
end
local status, sent = 0, ''
if wait == 0 then
  local lease_end = fmt(now + lease)
  redis.call('ZADD', KEYS[1], lease_end, 'p:' .. ARGV[6])
  redis.call('ZADD', KEYS[4], lease_end, 'p:' .. ARGV[6])
  status, sent = 1, fmt(now)
end
tidy(app, method)
return reply(status, scope, fmt(wait), sent, app_spec, app, method_spec, method)
`;

/**
 * ARGV[6] id, [7] sent at (Redis ms), [8] learned app limits or '', [9] learned method limits,
 * 'none' or '', [10] app counts, [11] method counts, [12] block scope or '', [13] block ms.
 */
export const SETTLE_LUA = `${PRELUDE}
local id = ARGV[6]
for _, log in ipairs({ KEYS[1], KEYS[4] }) do
  redis.call('ZREM', log, 'p:' .. id)
  redis.call('ZADD', log, fmt(now), 'd:' .. id)
end
if ARGV[8] ~= '' then redis.call('SET', KEYS[3], ARGV[8], 'EX', 86400) end
if ARGV[9] == 'none' then redis.call('SET', KEYS[6], '', 'EX', 86400, 'NX')
elseif ARGV[9] ~= '' then redis.call('SET', KEYS[6], ARGV[9], 'EX', 86400) end
local app_spec, app, method_spec, method = limits()
local sent, phantoms = tonumber(ARGV[7]), 0
-- Riot counted this request at its arrival, after it was sent: everything it can have counted is
-- in the log as of then. A surplus beyond that and the share left to others is unknown to us.
local function reconcile(log, windows, spec)
  if not windows then return end
  for count, seconds in string.gmatch(spec, '(%d+):(%d+)') do
    local s = tonumber(seconds)
    local known = redis.call('ZCOUNT', log, '(' .. fmt(sent - s * 1000 * scale - margin), '+inf')
    -- Phantoms all count from now: past their window's limit they fill it no further.
    local cap, most = nil, 0
    for _, w in ipairs(windows) do
      if w.seconds == s then
        known = known + w.raw - w.limit
        cap = w.raw
      end
      if w.raw > most then most = w.raw end
    end
    for _ = known + 1, math.min(tonumber(count), known + (cap or most)) do
      phantoms = phantoms + 1
      redis.call('ZADD', log, fmt(now), 'd:' .. id .. ':' .. phantoms)
    end
  end
end
reconcile(KEYS[1], app, ARGV[10])
reconcile(KEYS[4], method, ARGV[11])
if ARGV[12] ~= '' then
  local key = ({ app = KEYS[2], service = KEYS[7] })[ARGV[12]] or KEYS[5]
  local ms = tonumber(ARGV[13])
  if ms > block_left(key) then redis.call('SET', key, fmt(now + ms), 'PX', math.ceil(ms)) end
end
tidy(app, method)
return reply(2, '', '', '', app_spec, app, method_spec, method)
`;
