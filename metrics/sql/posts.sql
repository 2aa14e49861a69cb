-- Source `posts`: the scope's posts published in each window, each with its latest snapshot.
--
-- grain:   one row per window and post whose local publish date is in the window, plus one
--          row with post_id NULL for each window and scope account without a post in it, so
--          that every account (and so every group) is present in every window.
-- inputs:  scope_accounts (CTE: account_id, mission_id, platform, owner, region, country),
--          windows (CTE: window_id, window_start, window_end), post_current (each post with
--          its latest snapshot, data/schema.sql), posts, follower_totals;
--          $start, $end: the first start and the last end of the windows.
-- outputs: window_id, account_id, mission_id, platform, owner, region, country,
--          has_post_data      TRUE when the account has any post in the store, of any date
--                             (tells "no posts in the window" (0) from "no post data" (unknown)),
--          post_id, date      the post and its local publish date (posts.published_date),
--          reactions, comments, shares, reach, impressions, video_views   (NULL = unknown),
--          interactions       reactions + comments + shares: the sum of the known ones, NULL
--                             when all three are unknown (saves, bookmarks, clicks are not in it),
--          snapshot_as_of     the export date of the snapshot the metrics come from,
--          followers_at_post  the account's last known follower total on or before the post's
--                             date (follower_totals, reported or rebuilt), NULL when none.
WITH span_posts AS (
    -- post_current: each post with its latest snapshot (the newest as_of wins, NULLs included,
    -- the rule of the view post_latest_metrics); a table sorted by date in the replica.
    SELECT p.account_id, p.post_id, p.published_date AS date, p.snapshot_as_of,
           p.reactions, p.comments, p.shares, p.reach, p.impressions, p.video_views
    FROM post_current p
    SEMI JOIN scope_accounts s ON s.account_id = p.account_id
    WHERE p.published_date BETWEEN $start AND $end
),
-- The follower total of each (account, day) with posts: the total of that very day when known
-- (the usual case: rebuilt series are daily), else the last one before it, by an as-of join on
-- the remaining days only (an as-of join sorts its inputs: the costliest step otherwise).
post_days AS (
    SELECT DISTINCT account_id, date FROM span_posts
),
same_day AS (
    SELECT d.account_id, d.date, t.followers
    FROM post_days d
    LEFT JOIN (
        SELECT account_id, date, followers FROM follower_totals WHERE date BETWEEN $start AND $end
    ) t ON t.account_id = d.account_id AND t.date = d.date
),
without_total AS (
    SELECT account_id, date FROM same_day WHERE followers IS NULL
),
earlier AS (
    SELECT d.account_id, d.date, t.followers
    FROM without_total d
    ASOF LEFT JOIN (
        SELECT t.account_id, t.date, t.followers
        FROM follower_totals t
        SEMI JOIN without_total d ON d.account_id = t.account_id
    ) t ON t.account_id = d.account_id AND d.date >= t.date
),
followers_on_day AS (
    SELECT * FROM same_day WHERE followers IS NOT NULL
    UNION ALL
    SELECT * FROM earlier
),
measured AS (
    SELECT w.window_id, x.account_id, x.post_id, x.date, x.snapshot_as_of,
           x.reactions, x.comments, x.shares, x.reach, x.impressions, x.video_views,
           CASE WHEN x.reactions IS NOT NULL OR x.comments IS NOT NULL OR x.shares IS NOT NULL
                THEN coalesce(x.reactions, 0) + coalesce(x.comments, 0) + coalesce(x.shares, 0)
           END AS interactions,
           f.followers AS followers_at_post
    FROM span_posts x
    JOIN windows w ON x.date BETWEEN w.window_start AND w.window_end
    LEFT JOIN followers_on_day f ON f.account_id = x.account_id AND f.date = x.date
),
-- Which scope accounts have post data at all. Only the accounts without a post in the windows
-- need a look at the whole posts table (usually none: then that scan is skipped).
quiet_accounts AS (
    SELECT s.account_id FROM scope_accounts s
    ANTI JOIN span_posts x ON x.account_id = s.account_id
),
post_accounts AS (
    SELECT DISTINCT account_id FROM span_posts
    UNION
    SELECT DISTINCT p.account_id
    FROM posts p
    SEMI JOIN quiet_accounts q ON q.account_id = p.account_id
)
SELECT w.window_id, s.account_id, s.mission_id, s.platform, s.owner, s.region,
       s.country,
       s.account_id IN (SELECT account_id FROM post_accounts) AS has_post_data,
       x.post_id, x.date, x.reactions, x.comments, x.shares, x.interactions,
       x.reach, x.impressions, x.video_views, x.snapshot_as_of, x.followers_at_post
FROM scope_accounts s
CROSS JOIN windows w
LEFT JOIN measured x ON x.account_id = s.account_id AND x.window_id = w.window_id
