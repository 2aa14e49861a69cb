-- Source `account_days`: each scope account's net change of followers, day by day.
--
-- grain:   one row per window, scope account and local day in the window on which the net
--          change is known, plus one row with date NULL for each window and scope account
--          with no such day.
-- inputs:  scope_accounts (CTE), windows (CTE: window_id, window_start, window_end),
--          account_net_follows (each account's net change of followers per day, and which
--          rule gave it: data/schema.sql); $start, $end: the span of the windows.
-- outputs: window_id, account_id, mission_id, platform, owner, region, country, date,
--          net_follows  the net change of followers that day (account_net_follows: reported
--                       follows minus unfollows, else a net series, else the change of totals),
--          net_basis    which of the three gave the value: in_out | net_series | totals.
WITH known_days AS (
    SELECT w.window_id, d.account_id, d.date, d.net_follows, d.net_basis
    FROM account_net_follows d
    SEMI JOIN scope_accounts s ON s.account_id = d.account_id
    JOIN windows w ON d.date BETWEEN w.window_start AND w.window_end
    WHERE d.date BETWEEN $start AND $end
)
SELECT w.window_id, s.account_id, s.mission_id, s.platform, s.owner, s.region,
       s.country,
       d.date, d.net_follows, d.net_basis
FROM scope_accounts s
CROSS JOIN windows w
LEFT JOIN known_days d ON d.account_id = s.account_id AND d.window_id = w.window_id
