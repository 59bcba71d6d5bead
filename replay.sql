-- sfu-triage replay.sql: failed or stuck LiveKit webhook jobs found in this run.
-- Review before running: each statement is the troubleshooting guide's requeue step.
-- sfu-triage never executes this file. Afterwards, verify that livekit_webhook_pending_jobs rises
-- and watch the backend logs for livekit_webhook_processed.

-- No failed or stuck jobs in this run.
