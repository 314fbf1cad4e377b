-- The queue's indexes follow its states, so a claim reads only jobs it could take. Under a
-- steady stream of jobs, PostgreSQL's (state, run_at) index kept an entry for every version of
-- every job row that had ever been queued or running until vacuum caught up, and each claim
-- walked thousands of them (0.7 ms a claim after 1,000 bookings; issue 21). An ordered scan of a
-- partial index stops at the first live entry and marks the dead ones it passes.
DROP INDEX jobs_due;
CREATE INDEX jobs_queued ON jobs (run_at, id) WHERE state = 'queued';
CREATE INDEX jobs_leased ON jobs (lease_until) WHERE state = 'running';
CREATE INDEX jobs_dead ON jobs (updated_at, id) WHERE state = 'dead';
