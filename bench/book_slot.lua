-- wrk script: many clients booking the same few times through one booking link at once.
-- CSRF (the value of the page's fd_book cookie) and STARTS (the times offered, comma-separated)
-- come from the environment. Counts the answers by status: one 200 per time, 409 otherwise.
wrk.method = "POST"
local csrf = os.getenv("CSRF")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "fd_book=" .. csrf
local function enc(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
local bodies = {}
for start in string.gmatch(os.getenv("STARTS"), "[^,]+") do
  table.insert(bodies, "csrf=" .. enc(csrf) .. "&step=book&start=" .. enc(start)
    .. "&name=Marcos%20Gil&email=marcos%40acme.example&topic=El%20cierre")
end
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, bodies[(n % #bodies) + 1])
end

-- Per thread (a global, so that done() can read it from each thread).
statuses = {}
response = function(status)
  statuses[status] = (statuses[status] or 0) + 1
end

local threads = {}
setup = function(thread)
  table.insert(threads, thread)
end
done = function()
  local total = {}
  for _, t in ipairs(threads) do
    for status, count in pairs(t:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  local line = {}
  for status, count in pairs(total) do
    table.insert(line, status .. "=" .. count)
  end
  table.sort(line)
  io.write("statuses: " .. table.concat(line, " ") .. "\n")
end
