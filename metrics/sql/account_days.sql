-- Source `account_days`: each scope account's net change of followers, day by day.
--
-- grain:   one row per window, scope account and local day in the window on which the net
--          change is known, plus one row with date NULL for each window and scope account
--          with no such day.
-- inputs:  scope_accounts (CTE), windows (CTE: window_id, window_start, window_end),
--          account_daily (latest as_of per account, day, metric), follower_totals (reported
--          and rebuilt end-of-day totals); $start, $end: the span of the windows.
-- outputs: window_id, account_id, mission_id, platform, owner, region, country, date,
--          net_follows  the first known of, in this order:
--                       1. new_follows - unfollows, when both are reported that day;
--                       2. the net change series (metric net_follows: YouTube Subscribers);
--                       3. total(d) - total(d - 1), when follower_totals has both days;
--          net_basis    which of the three gave the value: in_out | net_series | totals.
-- The latest value per (account, day, metric), as in the view account_daily_latest (the
-- newest as_of wins, a NULL included), computed only over the span, the scope's accounts and
-- these three metrics: the view ranks every row of the store. (account, date, metric, as_of) is
-- the table's key, so there is one value per as_of.
WITH reported AS (
    SELECT d.account_id, d.date,
           arg_max_null(d.value, d.as_of) FILTER (WHERE d.metric = 'new_follows') AS new_follows,
           arg_max_null(d.value, d.as_of) FILTER (WHERE d.metric = 'unfollows') AS unfollows,
           arg_max_null(d.value, d.as_of) FILTER (WHERE d.metric = 'net_follows') AS net_series
    FROM account_daily d
    SEMI JOIN scope_accounts s ON s.account_id = d.account_id
    WHERE d.date BETWEEN $start AND $end
      AND d.metric IN ('new_follows', 'unfollows', 'net_follows')
    GROUP BY d.account_id, d.date
),
totals AS (
    SELECT t.account_id, t.date, t.followers
    FROM follower_totals t
    SEMI JOIN scope_accounts s ON s.account_id = t.account_id
    WHERE t.date BETWEEN $start - 1 AND $end
),
changes AS (
    SELECT today.account_id, today.date, today.followers - yesterday.followers AS total_change
    FROM totals today
    JOIN totals yesterday
      ON yesterday.account_id = today.account_id AND yesterday.date = today.date - 1
),
days AS (
    SELECT account_id, date,
           CASE WHEN r.new_follows IS NOT NULL AND r.unfollows IS NOT NULL
                THEN r.new_follows - r.unfollows
                WHEN r.net_series IS NOT NULL THEN r.net_series
                ELSE c.total_change
           END AS net_follows,
           CASE WHEN r.new_follows IS NOT NULL AND r.unfollows IS NOT NULL THEN 'in_out'
                WHEN r.net_series IS NOT NULL THEN 'net_series'
                WHEN c.total_change IS NOT NULL THEN 'totals'
           END AS net_basis
    FROM reported r
    FULL JOIN changes c USING (account_id, date)
),
known_days AS (
    SELECT w.window_id, d.*
    FROM days d
    JOIN windows w ON d.date BETWEEN w.window_start AND w.window_end
    WHERE d.net_follows IS NOT NULL
)
SELECT w.window_id, s.account_id, s.mission_id, s.platform, s.owner, s.region,
       s.country,
       d.date, d.net_follows, d.net_basis
FROM scope_accounts s
CROSS JOIN windows w
LEFT JOIN known_days d ON d.account_id = s.account_id AND d.window_id = w.window_id
