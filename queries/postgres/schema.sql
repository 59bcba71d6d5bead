-- schema.sql
--
-- Purpose: the backend's LiveKit webhook job queue, `app.livekit_webhook_jobs` (contract §4), for
--   local tests and for a fresh database. Idempotent: safe to run again on an existing database.
--   The worker picks `pending` jobs whose next_run_at has come, retries with a growing attempt
--   count, and leaves a job `failed` with its last_error when it gives up.
-- Parameters: none.

create schema if not exists app;

create table if not exists app.livekit_webhook_jobs (
    id          uuid        primary key,
    payload     jsonb       not null,                 -- the LiveKit WebhookEvent as received
    status      text        not null default 'pending'
                check (status in ('pending', 'processing', 'done', 'failed')),
    attempt     integer     not null default 0 check (attempt >= 0),
    last_error  text,
    next_run_at timestamptz,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);

-- The worker's poll: due pending jobs, oldest first.
create index if not exists livekit_webhook_jobs_due_idx
    on app.livekit_webhook_jobs (next_run_at)
    where status = 'pending';

-- The guide's failed-jobs query (failed_jobs.sql) and the stuck-job checks.
create index if not exists livekit_webhook_jobs_status_idx
    on app.livekit_webhook_jobs (status, updated_at);

-- The pipeline's window read (read_jobs.sql).
create index if not exists livekit_webhook_jobs_created_at_idx
    on app.livekit_webhook_jobs (created_at);
create index if not exists livekit_webhook_jobs_updated_at_idx
    on app.livekit_webhook_jobs (updated_at);
