-- Source `geography`: where each scope account's followers are, at the end of each window.
--
-- grain:   one row per window, scope account and country of the account's latest
--          follower geography known on or before the window's end (accounts without one have
--          no row).
-- inputs:  scope_accounts (CTE, with host_country: NULL for a mission to an international
--          organisation), windows (CTE), the source `accounts` (followers_end), the store
--          table `audience` (dimension 'country', kind 'followers').
-- outputs: window_id, account_id, mission_id, platform, owner, region, country,
--          host_country        the mission's host country (NULL: it has none),
--          followers_end       the account's followers at the window's end (source accounts),
--          geography_as_of     the as-of date of the breakdown used,
--          key                 a country (ISO-2) of that breakdown,
--          share               the fraction of the account's followers in that country: the
--                              export's share as given (unit share), or the country's count
--                              divided by the sum of the breakdown's country counts (unit
--                              count: a share of the followers whose country is listed),
--          is_host             key = host_country,
--          account_row         TRUE on exactly one row per window and account (to count each
--                              account once in a denominator).
-- Only `kind = 'followers'` is read: a breakdown of views (YouTube) or of page visits
-- (LinkedIn) is of other people than the followers the share is weighted by.
WITH latest AS (
    SELECT w.window_id, g.account_id, g.as_of, g.key, g.unit, g.value
    FROM audience g
    SEMI JOIN scope_accounts s ON s.account_id = g.account_id
    JOIN windows w ON g.as_of <= w.window_end
    WHERE g.dimension = 'country' AND g.kind = 'followers' AND g.value IS NOT NULL
    QUALIFY g.as_of = max(g.as_of) OVER (PARTITION BY w.window_id, g.account_id)
),
shares AS (
    SELECT window_id, account_id, as_of, key,
           CASE WHEN unit = 'share' THEN value
                ELSE value / nullif(sum(value) OVER (PARTITION BY window_id, account_id, unit), 0)
           END AS share
    FROM latest
)
SELECT a.window_id, a.account_id, a.mission_id, a.platform, a.owner, a.region, a.country,
       s.host_country, a.followers_end, g.as_of AS geography_as_of, g.key, g.share,
       g.key = s.host_country AS is_host,
       row_number() OVER (PARTITION BY a.window_id, a.account_id ORDER BY g.key) = 1
           AS account_row
FROM {source:accounts} a
JOIN scope_accounts s ON s.account_id = a.account_id
JOIN shares g ON g.window_id = a.window_id AND g.account_id = a.account_id
