-- POSTs bookings of acme/book (or BOOK_EVENT_TYPE) at strictly increasing, distinct free starts: the first free slot
-- (BOOK_FIRST_START, unix seconds, printed by the bench_seed example) and then every
-- BOOK_STEP seconds (the event type's 10-minute grid). Meant for one thread and one connection
-- (-t1 -c1), so the starts stay in order. Every response that is not 201 is counted and its first
-- few bodies are printed; scripts/bench.sh fails the run if there are any.
dofile("scripts/bench/report.lua")

local first = tonumber(os.getenv("BOOK_FIRST_START") or error("BOOK_FIRST_START is not set"))
local step = tonumber(os.getenv("BOOK_STEP") or "600")
local event_type = os.getenv("BOOK_EVENT_TYPE") or "acme/book"
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  n = 0
  non201 = 0
  shown = 0
end

function request()
  local start = os.date("!%Y-%m-%dT%H:%M:%SZ", first + n * step)
  n = n + 1
  local body = string.format(
    '{"event_type":"%s","start":"%s","attendee":{"name":"Load Tester","email":"load%d@example.org",'
      .. '"timezone":"Europe/Berlin"},"notes":""}', event_type, start, n)
  return wrk.format("POST", "/api/v1/bookings", { ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  if status ~= 201 then
    non201 = non201 + 1
    if shown < 5 then
      shown = shown + 1
      io.stderr:write(string.format("non-201 response %d: %s\n", status, body))
    end
  end
end

function done(summary, latency, requests)
  local non201 = 0
  for _, thread in ipairs(threads) do
    non201 = non201 + thread:get("non201")
  end
  report(summary, latency, non201)
end
