-- Source `posts`: the scope's posts published in each window, each with its latest snapshot.
--
-- grain:   one row per window and post whose local publish date is in the window, plus one
--          row with post_id NULL for each window and scope account without a post in it, so
--          that every account (and so every group) is present in every window.
-- inputs:  scope_accounts (CTE: account_id, mission_id, platform, owner, region, country),
--          windows (CTE: window_id, window_start, window_end), posts, post_metrics (latest
--          snapshot per post, as in the view post_latest_metrics), follower_totals;
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
    -- rowid: a cheap integer key of the post for the grouping below
    SELECT p.rowid AS post_key, p.account_id, p.post_id, p.published_date AS date
    FROM posts p
    SEMI JOIN scope_accounts s ON s.account_id = p.account_id
    WHERE p.published_date BETWEEN $start AND $end
),
-- The latest snapshot of each post. Same rule as the view post_latest_metrics (the newest
-- as_of wins, NULLs included: arg_max_null keeps a NULL of the newest snapshot), but only over
-- the windows' posts: the view ranks every snapshot of the store, which costs more than this
-- whole query on a two-year store. (account, post, as_of) is the table's key, so there is one
-- snapshot per as_of and the view's tie-break on sha256 never applies.
-- `as_of >= $start - 2` only lets the scan skip old exports: an export is dated on or after
-- the posts it reports (up to a day earlier in local time when the platform's day and the
-- mission's differ), so an older snapshot is never the latest one of a post of the windows.
latest AS (
    SELECT w.post_key,
           max(m.as_of) AS snapshot_as_of,
           arg_max_null(m.reactions, m.as_of) AS reactions,
           arg_max_null(m.comments, m.as_of) AS comments,
           arg_max_null(m.shares, m.as_of) AS shares,
           arg_max_null(m.reach, m.as_of) AS reach,
           arg_max_null(m.impressions, m.as_of) AS impressions,
           arg_max_null(m.video_views, m.as_of) AS video_views
    FROM span_posts w
    JOIN post_metrics m ON m.post_id = w.post_id AND m.account_id = w.account_id
    WHERE m.as_of >= $start - 2
    GROUP BY w.post_key
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
    SELECT w.window_id, x.account_id, x.post_id, x.date, l.snapshot_as_of,
           l.reactions, l.comments, l.shares, l.reach, l.impressions, l.video_views,
           CASE WHEN l.reactions IS NOT NULL OR l.comments IS NOT NULL OR l.shares IS NOT NULL
                THEN coalesce(l.reactions, 0) + coalesce(l.comments, 0) + coalesce(l.shares, 0)
           END AS interactions,
           f.followers AS followers_at_post
    FROM span_posts x
    JOIN windows w ON x.date BETWEEN w.window_start AND w.window_end
    LEFT JOIN latest l ON l.post_key = x.post_key
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
