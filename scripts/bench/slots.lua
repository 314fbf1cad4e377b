-- GET the URL given on the command line; prints the RESULT line (see report.lua).
-- wrk runs from the repository root (scripts/lib/env.sh changes there).
dofile("scripts/bench/report.lua")

function done(summary, latency, requests)
  report(summary, latency, summary.errors.status)
end
