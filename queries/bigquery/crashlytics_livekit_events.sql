-- crashlytics_livekit_events.sql
--
-- Purpose:
--   Crash, non-fatal and ANR events of the app's Firebase Crashlytics export, both platforms, for
--   the run window, in the export's own column names and nesting so the pipeline's Crashlytics
--   normalizer reads them exactly as it reads an NDJSON extract (contract §2).
--   - Reads the batch tables (`<app>_ANDROID`, `<app>_IOS`) and the streaming tables
--     (`<app>_ANDROID_REALTIME`, `<app>_IOS_REALTIME`). An event exported to both is returned once:
--     rows are deduplicated on event_id, keeping the earliest received_timestamp (batch on a tie).
--   - Not narrowed to rows with LiveKit markers (tag=livekit, livekit_* breadcrumbs): a crash without
--     them is still attributed to a seminar through user.id and time (contract §2, §7).
--
-- Tables (identifiers cannot be query parameters):
--   `crashlytics_dataset.*`  wildcard over the Crashlytics dataset (`firebase_crashlytics`, or
--                            `crashlytics` for projects linked before Dec 2018).
--   The pipeline replaces the placeholder `crashlytics_dataset` inside the backtick-quoted name with
--   the validated `<project>.firebase_crashlytics`. Which app tables are read is a value, so it is a
--   parameter (@tables): the Android and iOS apps may have different ids, and a table that does not
--   exist (streaming export off, no iOS app) simply matches nothing instead of failing the query,
--   as a fixed UNION ALL over four table names would.
--
-- Parameters (named; a NULL filter means "no filter"):
--   @tables      ARRAY<STRING>  table names to read, e.g. ['com_example_app_ANDROID',
--                               'com_example_app_ANDROID_REALTIME', 'com_example_app_IOS',
--                               'com_example_app_IOS_REALTIME']; required.
--   @from_ts     TIMESTAMP      keep events whose event_timestamp (device clock) or received_timestamp
--                               (server clock) is >= @from_ts; NULL = no lower bound.
--   @to_ts       TIMESTAMP      ... and < @to_ts; NULL = no upper bound. Either clock in the window
--                               suffices: a device clock that is wrong must not hide its crashes.
--   @seminar_id  STRING         drop events whose custom key `seminar_id` names another seminar.
--   @session_id  STRING         drop events whose custom key `session_id` names another session.
--   @user_id     STRING         drop events whose user.id names another user.
--   The id filters drop only rows that positively name a different value: a row without the key is
--   kept, because the pipeline attributes it through user.id, time or breadcrumbs (contract §2).
--
-- Output columns (the export's own names, types and nesting; one row per event_id):
--   platform, event_id, error_type, issue_id, issue_title, issue_subtitle, event_timestamp,
--   received_timestamp, user, custom_keys, installation_uuid, application, device, operating_system,
--   logs, breadcrumbs, exceptions, errors, crashlytics_sdk_version

WITH
candidates AS (
  SELECT
    platform,
    event_id,
    error_type,
    issue_id,
    issue_title,
    issue_subtitle,
    event_timestamp,
    received_timestamp,
    user,
    custom_keys,
    installation_uuid,
    application,
    device,
    operating_system,
    logs,
    breadcrumbs,
    exceptions,
    errors,
    crashlytics_sdk_version,
    ENDS_WITH(_TABLE_SUFFIX, '_REALTIME') AS from_realtime,
    (SELECT k.value FROM UNNEST(custom_keys) AS k WHERE k.key = 'seminar_id' LIMIT 1) AS key_seminar_id,
    (SELECT k.value FROM UNNEST(custom_keys) AS k WHERE k.key = 'session_id' LIMIT 1) AS key_session_id
  FROM `crashlytics_dataset.*`
  WHERE _TABLE_SUFFIX IN UNNEST(@tables)
    AND (   ((@from_ts IS NULL OR event_timestamp >= @from_ts)
             AND (@to_ts IS NULL OR event_timestamp < @to_ts))
         OR ((@from_ts IS NULL OR received_timestamp >= @from_ts)
             AND (@to_ts IS NULL OR received_timestamp < @to_ts)))
    AND (@user_id IS NULL OR user.id IS NULL OR user.id = @user_id)
)

SELECT * EXCEPT (from_realtime, key_seminar_id, key_session_id)
FROM candidates
WHERE (@seminar_id IS NULL OR key_seminar_id IS NULL OR key_seminar_id = @seminar_id)
  AND (@session_id IS NULL OR key_session_id IS NULL OR key_session_id = @session_id)
-- event_id is the export's primary key; a row without one cannot be matched, so it is kept.
QUALIFY event_id IS NULL
     OR ROW_NUMBER() OVER (
          PARTITION BY event_id
          ORDER BY received_timestamp ASC NULLS LAST, from_realtime) = 1
