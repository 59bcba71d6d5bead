-- report_top_seminars.sql
--
-- Purpose:
--   The seminars most affected by LiveKit incidents in a date range: per seminar the number of
--   incidents, the sessions, users and platforms affected, the time span, and a breakdown by
--   symptom/cause and by severity. Ranked by incidents, then affected users, then sessions.
--   - Re-runs over overlapping windows write the same incident (stable incident_id) again under a
--     later report_date; only the latest version of each incident is counted.
--   - Incidents without a seminar (global backend evidence) are not ranked.
--
-- Tables (identifiers cannot be query parameters):
--   `triage_dataset.incidents`  the pipeline's incidents table (contract §8 incidents.jsonl plus
--                               the partition column report_date DATE). The pipeline replaces the
--                               placeholder `triage_dataset` with the validated `<project>.<dataset>`.
--
-- Parameters (named; a NULL filter means "no filter"):
--   @from_date  DATE    first day of the range (UTC date of first_seen); required.
--   @to_date    DATE    last day of the range, inclusive; required.
--   @symptom    STRING  only incidents of this symptom (e.g. 'token_fetch_failed'); NULL = all.
--   @top_n      INT64   how many seminars to return; required.
--
-- Output columns (one row per seminar, best rank first):
--   seminar_rank, seminar_id, incidents, sessions, users, platforms, first_seen, last_seen,
--   by_cause (ARRAY<STRUCT<symptom, cause, incidents>>), by_severity (ARRAY<STRUCT<severity, incidents>>)

WITH
latest AS (
  SELECT incident_id, symptom, cause, seminar_id, session_id, user_id, platform, severity,
         first_seen, last_seen
  FROM `triage_dataset.incidents`
  -- An incident is reported on or after the day it started, so older partitions are skipped.
  WHERE report_date >= @from_date
  QUALIFY ROW_NUMBER() OVER (PARTITION BY incident_id ORDER BY report_date DESC) = 1
),

in_range AS (
  SELECT *
  FROM latest
  WHERE DATE(first_seen) BETWEEN @from_date AND @to_date
    AND seminar_id IS NOT NULL
    AND (@symptom IS NULL OR symptom = @symptom)
),

per_seminar AS (
  SELECT
    seminar_id,
    COUNT(*) AS incidents,
    COUNT(DISTINCT session_id) AS sessions,
    COUNT(DISTINCT user_id) AS users,
    ARRAY_AGG(DISTINCT platform IGNORE NULLS ORDER BY platform) AS platforms,
    MIN(first_seen) AS first_seen,
    MAX(last_seen) AS last_seen
  FROM in_range
  GROUP BY seminar_id
),

by_cause AS (
  SELECT seminar_id,
         ARRAY_AGG(STRUCT(symptom, cause, incidents) ORDER BY incidents DESC, symptom, cause) AS by_cause
  FROM (SELECT seminar_id, symptom, cause, COUNT(*) AS incidents
        FROM in_range GROUP BY seminar_id, symptom, cause)
  GROUP BY seminar_id
),

by_severity AS (
  SELECT seminar_id,
         ARRAY_AGG(STRUCT(severity, incidents) ORDER BY incidents DESC, severity) AS by_severity
  FROM (SELECT seminar_id, severity, COUNT(*) AS incidents
        FROM in_range GROUP BY seminar_id, severity)
  GROUP BY seminar_id
),

ranked AS (
  SELECT
    ROW_NUMBER() OVER (ORDER BY incidents DESC, users DESC, sessions DESC, seminar_id) AS seminar_rank,
    *
  FROM per_seminar
)

SELECT
  ranked.seminar_rank,
  ranked.seminar_id,
  ranked.incidents,
  ranked.sessions,
  ranked.users,
  ranked.platforms,
  ranked.first_seen,
  ranked.last_seen,
  by_cause.by_cause,
  by_severity.by_severity
FROM ranked
JOIN by_cause USING (seminar_id)
JOIN by_severity USING (seminar_id)
WHERE ranked.seminar_rank <= @top_n
ORDER BY ranked.seminar_rank
