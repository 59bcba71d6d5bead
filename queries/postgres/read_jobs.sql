-- read_jobs.sql
--
-- Purpose: the pipeline's JdbcIO read of the webhook job table (source `webhook_jobs`, contract §4):
--   every job whose life overlaps the run window [from, to). A job lives from created_at to its last
--   update; a job still `pending` or `processing` lives on until now, so a job stuck since before
--   the window is read too (it is exactly what the guide's "stuck jobs" check looks for).
-- Parameters (JDBC, positional; bind java.time.OffsetDateTime or java.sql.Timestamp):
--   1  window start (inclusive), timestamptz
--   2  window end (exclusive), timestamptz
-- Output columns: id uuid, payload text (the JSON document as text), status text, attempt integer,
--   last_error text, next_run_at timestamptz, created_at timestamptz, updated_at timestamptz;
--   ordered by id, so reruns read the same rows in the same order.
select id,
       payload::text as payload,
       status,
       attempt,
       last_error,
       next_run_at,
       created_at,
       updated_at
from app.livekit_webhook_jobs
where (updated_at >= ? or status in ('pending', 'processing'))
  and created_at < ?
order by id;
