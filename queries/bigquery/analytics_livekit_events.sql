-- analytics_livekit_events.sql
--
-- Purpose:
--   The LiveKit events (event_name starting with `livekit_`) of one Google Analytics for Firebase
--   (GA4) export dataset, for a range of export days, returned in the export's own nested shape so
--   the pipeline's analytics normalizer reads them exactly as it reads an NDJSON extract (contract §1).
--   - Daily tables `events_YYYYMMDD` and streaming tables `events_intraday_YYYYMMDD` are both read;
--     an intraday table is used only for a day that has no daily table yet, so a day is never
--     counted twice.
--   - Exact duplicate events (same device, time, name, upload bundle and params) are kept once.
--
-- Tables (identifiers cannot be query parameters):
--   `analytics_dataset.events_*`                   wildcard over events_YYYYMMDD and events_intraday_YYYYMMDD
--   `analytics_dataset.INFORMATION_SCHEMA.TABLES`  the dataset's table list (which daily tables exist)
--   The pipeline replaces the placeholder `analytics_dataset` inside these backtick-quoted names with
--   the validated `<project>.analytics_<property_id>` before it submits the query. Every value below
--   is a named query parameter, never spliced into the text.
--
-- Parameters (named; a NULL filter means "no filter"):
--   @from_date   DATE       first export day (the table suffix: a date in the property's reporting
--                           time zone, not UTC); required. To cover a UTC window, pass one day before
--                           DATE(@from_ts) and let @from_ts trim.
--   @to_date     DATE       last export day, inclusive; required (one day after DATE(@to_ts)).
--   @from_ts     TIMESTAMP  keep events with TIMESTAMP_MICROS(event_timestamp) >= @from_ts (device
--                           clock); NULL = no lower bound.
--   @to_ts       TIMESTAMP  keep events with TIMESTAMP_MICROS(event_timestamp) < @to_ts; NULL = none.
--   @seminar_id  STRING     drop events whose `seminar_id` param names another seminar.
--   @session_id  STRING     drop events whose `session_id` param names another session.
--   @user_id     STRING     drop events whose user_id column names another user.
--   The three id filters drop only rows that positively name a different value: an event without
--   the key is kept, because the pipeline attributes such events by seminar and time (contract §7).
--
-- Output columns (the export's own names, types and nesting; one row per distinct event):
--   event_date, event_timestamp, event_name, event_params, event_previous_timestamp,
--   event_bundle_sequence_id, event_server_timestamp_offset, user_id, user_pseudo_id, device, geo,
--   app_info, platform, stream_id

WITH
daily_tables AS (
  -- Days in range that already have their daily table (its suffix, `YYYYMMDD`).
  SELECT SUBSTR(table_name, LENGTH('events_') + 1) AS day_suffix
  FROM `analytics_dataset.INFORMATION_SCHEMA.TABLES`
  WHERE REGEXP_CONTAINS(table_name, r'^events_[0-9]{8}$')
    AND table_name BETWEEN CONCAT('events_', FORMAT_DATE('%Y%m%d', @from_date))
                       AND CONCAT('events_', FORMAT_DATE('%Y%m%d', @to_date))
),

candidates AS (
  SELECT
    event_date,
    event_timestamp,
    event_name,
    event_params,
    event_previous_timestamp,
    event_bundle_sequence_id,
    event_server_timestamp_offset,
    user_id,
    user_pseudo_id,
    device,
    geo,
    app_info,
    platform,
    stream_id,
    _TABLE_SUFFIX AS table_suffix,
    (SELECT COALESCE(p.value.string_value, CAST(p.value.int_value AS STRING))
     FROM UNNEST(event_params) AS p WHERE p.key = 'seminar_id' LIMIT 1) AS param_seminar_id,
    (SELECT COALESCE(p.value.string_value, CAST(p.value.int_value AS STRING))
     FROM UNNEST(event_params) AS p WHERE p.key = 'session_id' LIMIT 1) AS param_session_id
  FROM `analytics_dataset.events_*`
  -- Constant conditions on _TABLE_SUFFIX only, so BigQuery prunes the tables it scans. A numeric
  -- suffix range never matches `intraday_…` (and vice versa), nor GA4 360's `fresh_…` tables.
  WHERE (   _TABLE_SUFFIX BETWEEN FORMAT_DATE('%Y%m%d', @from_date)
                              AND FORMAT_DATE('%Y%m%d', @to_date)
         OR _TABLE_SUFFIX BETWEEN CONCAT('intraday_', FORMAT_DATE('%Y%m%d', @from_date))
                              AND CONCAT('intraday_', FORMAT_DATE('%Y%m%d', @to_date)))
    -- Same as event_name LIKE r'livekit\_%' (note: the plain literal 'livekit\_%' is an illegal
    -- escape in GoogleSQL).
    AND STARTS_WITH(event_name, 'livekit_')
    AND (@from_ts IS NULL OR TIMESTAMP_MICROS(event_timestamp) >= @from_ts)
    AND (@to_ts IS NULL OR TIMESTAMP_MICROS(event_timestamp) < @to_ts)
    AND (@user_id IS NULL OR user_id IS NULL OR user_id = @user_id)
)

SELECT * EXCEPT (table_suffix, param_seminar_id, param_session_id)
FROM candidates
WHERE (@seminar_id IS NULL OR param_seminar_id IS NULL OR param_seminar_id = @seminar_id)
  AND (@session_id IS NULL OR param_session_id IS NULL OR param_session_id = @session_id)
  -- An intraday table counts only while its day has no daily table.
  AND NOT (STARTS_WITH(table_suffix, 'intraday_')
           AND SUBSTR(table_suffix, LENGTH('intraday_') + 1) IN (SELECT day_suffix FROM daily_tables))
QUALIFY ROW_NUMBER() OVER (
  PARTITION BY user_pseudo_id, event_timestamp, event_name, event_bundle_sequence_id,
               TO_JSON_STRING(event_params)
  ORDER BY table_suffix) = 1
