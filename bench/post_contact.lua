-- wrk script: record contacts through the JSON API. The token comes from the environment.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("FRONTDESK_TOKEN")
local bodies = {
  '{"client":"acme","channel":"email","from":"marcos@acme.example","at":"2026-12-01T09:12:00+01:00","body":"¿Podemos revisar el informe de indicadores del lunes?"}',
  '{"client":"acme","channel":"voicemail","from":"+34600111222","at":"2026-12-01T21:12:00+01:00","body":"Hola, soy Marcos. Llámame."}',
  '{"client":"acme","channel":"chat","from":"marcos@acme.example","at":"2026-12-02T10:00:00+01:00","body":"El servidor se ha caído, es urgente"}',
}
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, bodies[(n % #bodies) + 1])
end
