-- report_weekly_trend.sql
--
-- Purpose:
--   Weekly trend of the pipeline's incidents: incidents per ISO week x symptom x cause, with the
--   change against the previous ISO week. For dashboards and the weekly on-call review.
--   - Re-runs over overlapping windows write the same incident (stable incident_id) again under a
--     later report_date; only the latest version of each incident is counted.
--   - An incident belongs to the ISO week (Monday-Sunday, UTC) of its first_seen. The date range is
--     widened to whole ISO weeks, and the week before the first one is read too, so the first
--     week's change is real rather than "everything is new".
--   - Weeks in which a symptom/cause pair had no incident are filled with 0, so a drop to zero
--     shows up as a change; rows where both the week and the week before are 0 are left out.
--
-- Tables (identifiers cannot be query parameters):
--   `triage_dataset.incidents`  the pipeline's incidents table (contract §8 incidents.jsonl plus
--                               the partition column report_date DATE). The pipeline replaces the
--                               placeholder `triage_dataset` with the validated `<project>.<dataset>`.
--
-- Parameters (named):
--   @from_date  DATE  first day of the range (UTC date of first_seen); required.
--   @to_date    DATE  last day of the range, inclusive; required.
--
-- Output columns (one row per ISO week x symptom x cause, ordered by week, symptom, cause):
--   iso_year, iso_week, week_start, symptom, cause, incidents, seminars, users,
--   previous_week_incidents, change, change_pct
--   (change_pct is NULL when the previous week had no incident.)

WITH
bounds AS (
  SELECT
    DATE_SUB(DATE_TRUNC(@from_date, ISOWEEK), INTERVAL 1 WEEK) AS read_from,  -- the comparison week
    DATE_TRUNC(@from_date, ISOWEEK) AS first_week,
    DATE_TRUNC(@to_date, ISOWEEK) AS last_week
),

latest AS (
  SELECT incident_id, symptom, cause, seminar_id, user_id, first_seen
  FROM `triage_dataset.incidents`
  -- An incident is reported on or after the day it started, so older partitions are skipped.
  -- (bounds.read_from spelled out: BigQuery prunes partitions on constant expressions only.)
  WHERE report_date >= DATE_SUB(DATE_TRUNC(@from_date, ISOWEEK), INTERVAL 1 WEEK)
  QUALIFY ROW_NUMBER() OVER (PARTITION BY incident_id ORDER BY report_date DESC) = 1
),

weekly AS (
  SELECT
    DATE_TRUNC(DATE(first_seen), ISOWEEK) AS week_start,
    symptom,
    cause,
    COUNT(*) AS incidents,
    COUNT(DISTINCT seminar_id) AS seminars,
    COUNT(DISTINCT user_id) AS users
  FROM latest, bounds
  WHERE DATE(first_seen) BETWEEN bounds.read_from AND DATE_ADD(bounds.last_week, INTERVAL 6 DAY)
  GROUP BY week_start, symptom, cause
),

grid AS (
  -- Every week of the range (plus the comparison week) for every symptom/cause pair seen in it.
  SELECT week_start, pairs.symptom, pairs.cause
  FROM bounds,
       UNNEST(GENERATE_DATE_ARRAY(bounds.read_from, bounds.last_week, INTERVAL 1 WEEK)) AS week_start,
       (SELECT DISTINCT symptom, cause FROM weekly) AS pairs
),

trend AS (
  SELECT
    grid.week_start,
    grid.symptom,
    grid.cause,
    COALESCE(weekly.incidents, 0) AS incidents,
    COALESCE(weekly.seminars, 0) AS seminars,
    COALESCE(weekly.users, 0) AS users,
    LAG(COALESCE(weekly.incidents, 0)) OVER (
      PARTITION BY grid.symptom, grid.cause ORDER BY grid.week_start) AS previous_week_incidents
  FROM grid
  LEFT JOIN weekly
    ON weekly.week_start = grid.week_start
   AND weekly.symptom IS NOT DISTINCT FROM grid.symptom
   AND weekly.cause IS NOT DISTINCT FROM grid.cause
)

SELECT
  EXTRACT(ISOYEAR FROM week_start) AS iso_year,
  EXTRACT(ISOWEEK FROM week_start) AS iso_week,
  week_start,
  symptom,
  cause,
  incidents,
  seminars,
  users,
  previous_week_incidents,
  incidents - previous_week_incidents AS change,
  ROUND(100 * SAFE_DIVIDE(incidents - previous_week_incidents, previous_week_incidents), 1) AS change_pct
FROM trend, bounds
WHERE trend.week_start >= bounds.first_week
  AND (incidents > 0 OR previous_week_incidents > 0)
ORDER BY week_start, symptom, cause
