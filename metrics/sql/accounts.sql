-- Source `accounts`: each scope account's audience at the end of each window.
--
-- grain:   one row per window and scope account.
-- inputs:  scope_accounts (CTE), windows (CTE: window_id, window_start, window_end),
--          follower_totals (reported and rebuilt totals); $start, $end: the span of the windows.
-- outputs: window_id, account_id, mission_id, platform, owner, region, country,
--          followers_end       the account's last known total on or before the window's end
--                              (NULL if none),
--          followers_end_date  the day that total is from, and its basis (reported | rebuilt).
-- Most accounts have a total inside the windows' span (rebuilt series are daily): their last
-- total is looked for there. Only the others are looked for in the whole table.
WITH recent AS (
    SELECT t.account_id, t.date, t.followers, t.basis
    FROM follower_totals t
    SEMI JOIN scope_accounts s ON s.account_id = t.account_id
    WHERE t.date BETWEEN $start AND $end
),
older AS (
    SELECT t.account_id, t.date, t.followers, t.basis
    FROM follower_totals t
    SEMI JOIN (
        -- accounts without a total in some window (first window start .. that window's end):
        -- those without one by the earliest window end (the others have one in every window)
        SELECT s.account_id FROM scope_accounts s
        ANTI JOIN recent r ON r.account_id = s.account_id
            AND r.date <= (SELECT min(window_end) FROM windows)
    ) q ON q.account_id = t.account_id
    WHERE t.date < $start
),
last_known AS (
    SELECT w.window_id, t.account_id,
           arg_max(t.followers, t.date) AS followers_end,
           max(t.date) AS followers_end_date,
           arg_max(t.basis, t.date) AS followers_end_basis
    FROM (SELECT * FROM recent UNION ALL SELECT * FROM older) t
    JOIN windows w ON t.date <= w.window_end
    GROUP BY w.window_id, t.account_id
)
SELECT w.window_id, s.account_id, s.mission_id, s.platform, s.owner, s.region,
       s.country,
       k.followers_end, k.followers_end_date, k.followers_end_basis
FROM scope_accounts s
CROSS JOIN windows w
LEFT JOIN last_known k ON k.account_id = s.account_id AND k.window_id = w.window_id
