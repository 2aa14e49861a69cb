-- Source `posts`: the scope's posts published in each window, each with its latest snapshot.
--
-- grain:   one row per window and post whose local publish date is in the window, plus one
--          row with post_id NULL for each window and scope account without a post in it, so
--          that every account (and so every group) is present in every window.
-- inputs:  scope_accounts (CTE: account_id, mission_id, platform, owner, region, country),
--          windows (CTE: window_id, window_start, window_end), post_inputs (each post with
--          its latest snapshot, interactions and followers_at_post, data/schema.sql),
--          post_accounts (the accounts with posts);
--          $start, $end: the first start and the last end of the windows.
-- outputs: window_id, account_id, mission_id, platform, owner, region, country,
--          has_post_data      TRUE when the account has any post in the store, of any date
--                             (tells "no posts in the window" (0) from "no post data" (unknown)),
--          post_id, date      the post and its local publish date (posts.published_date),
--          reactions, comments, shares, reach, impressions, video_views   (NULL = unknown),
--          interactions       reactions + comments + shares, the known ones (post_inputs),
--          snapshot_as_of     the export date of the snapshot the metrics come from,
--          followers_at_post  the account's last known follower total on or before the post's
--                             date, NULL when none (post_inputs),
--          language           the post's language, ISO 639-1, NULL when undetermined
--                             (post_inputs, from post_languages: data/languages.py),
--          host_language      TRUE when it is one of the mission's host languages, FALSE for
--                             another determined language, NULL when undetermined or when the
--                             mission has no host language (post_inputs).
WITH span_posts AS (
    -- post_inputs (data/schema.sql): each post with its latest snapshot (the newest as_of
    -- wins, NULLs included), its interactions and the follower total on its day; a table
    -- sorted by date in a published version, so the as-of join is not redone here.
    SELECT p.account_id, p.post_id, p.published_date AS date, p.snapshot_as_of,
           p.reactions, p.comments, p.shares, p.reach, p.impressions, p.video_views,
           p.interactions, p.followers_at_post, p.language, p.host_language
    FROM post_inputs p
    SEMI JOIN scope_accounts s ON s.account_id = p.account_id
    WHERE p.published_date BETWEEN $start AND $end
),
measured AS (
    SELECT w.window_id, x.*
    FROM span_posts x
    JOIN windows w ON x.date BETWEEN w.window_start AND w.window_end
)
-- has_post_data: post_accounts (data/schema.sql) lists the accounts with any post in the store.
SELECT w.window_id, s.account_id, s.mission_id, s.platform, s.owner, s.region,
       s.country,
       pa.account_id IS NOT NULL AS has_post_data,
       x.post_id, x.date, x.reactions, x.comments, x.shares, x.interactions,
       x.reach, x.impressions, x.video_views, x.snapshot_as_of, x.followers_at_post,
       x.language, x.host_language
FROM scope_accounts s
CROSS JOIN windows w
LEFT JOIN post_accounts pa ON pa.account_id = s.account_id
LEFT JOIN measured x ON x.account_id = s.account_id AND x.window_id = w.window_id
