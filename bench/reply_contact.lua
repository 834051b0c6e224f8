-- wrk script: answer contacts 1..LAST through the JSON API, one each, then only ask /healthz.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("FRONTDESK_TOKEN")
local last = tonumber(os.getenv("LAST"))
local n = 0
request = function()
  n = n + 1
  if n > last then
    return wrk.format("GET", "/healthz", nil, nil)
  end
  return wrk.format(nil, "/api/v1/contacts/" .. n .. "/reply", nil, '{"at":"2026-12-03T12:00:00Z"}')
end
