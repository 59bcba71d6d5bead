-- requeue_job.sql
--
-- Purpose: the troubleshooting guide's "Replay a failed webhook job", step 2: put one job back in
--   the queue, due now, with its error cleared. The worker then processes it again (step 3: watch
--   `livekit_webhook_pending_jobs` rise and the logs).
-- Parameters (JDBC, positional):
--   1  the job id, as text (setString) or java.util.UUID (setObject); the guide's '<JOB_ID>'.
--      `?::uuid` keeps the guide's text literal working: a plain `id = ?` bound with setString
--      fails with "operator does not exist: uuid = character varying".
--   2  the status the job had when it was chosen for a replay ('failed'; 'pending' or 'processing'
--      for a stuck one): the guard replay.sql carries too, so a job that has finished or was
--      requeued since is left alone.
-- Result: the update count, 1 when the job exists and still has that status, 0 otherwise.
update app.livekit_webhook_jobs
set status = 'pending', next_run_at = now(), last_error = null
where id = ?::uuid and status = ?;
