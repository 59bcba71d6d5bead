-- failed_jobs.sql
--
-- Purpose: the troubleshooting guide's "Replay a failed webhook job", step 1, verbatim: the jobs the
--   worker gave up on, with the payload to replay and the error to read.
-- Parameters: none.
-- Output columns: id uuid, payload jsonb, attempt integer, last_error text
select id, payload, attempt, last_error
from app.livekit_webhook_jobs
where status = 'failed';
