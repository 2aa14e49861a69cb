-- DiploPulse store schema.
-- Plain tables and plain types only (VARCHAR, DATE, TIMESTAMP, DOUBLE, BIGINT) so that Parquet
-- exports of them, or a bigger engine later, read them as they are. Keys are enforced by the
-- import engine's merge statements (connectors/importer.py), not by index constraints, because
-- DuckDB checks unique indexes eagerly inside a transaction that deletes and re-inserts a key.

-- Registry: one row per representative mission abroad (data/registry/missions.csv).
-- key: mission_id
CREATE TABLE IF NOT EXISTS missions (
    mission_id VARCHAR NOT NULL,
    name_en    VARCHAR NOT NULL,
    name_vi    VARCHAR NOT NULL,
    kind       VARCHAR NOT NULL,   -- embassy | consulate | permanent_mission | other
    country    VARCHAR NOT NULL,   -- ISO 3166-1 alpha-2
    city       VARCHAR,
    region     VARCHAR NOT NULL,
    timezone   VARCHAR NOT NULL,   -- IANA
    languages  VARCHAR             -- ISO 639-1, ';'-separated
);

-- Registry: one row per social media account of a mission or of its ambassador.
-- key: account_id
CREATE TABLE IF NOT EXISTS accounts (
    account_id   VARCHAR NOT NULL,
    mission_id   VARCHAR NOT NULL,
    platform     VARCHAR NOT NULL, -- facebook | instagram | x | youtube | tiktok | linkedin
    owner        VARCHAR NOT NULL, -- mission | ambassador
    handle       VARCHAR,
    external_id  VARCHAR,
    display_name VARCHAR
);

-- One row per file the importer was given, imported or refused.
-- key: import_id
CREATE TABLE IF NOT EXISTS imports (
    import_id    VARCHAR NOT NULL,  -- sha256 + account + time, see importer
    file_name    VARCHAR NOT NULL,
    sha256       VARCHAR NOT NULL,
    format       VARCHAR,
    account_id   VARCHAR,
    row_count    BIGINT,
    as_of        DATE,
    period_start DATE,
    period_end   DATE,
    imported_at  TIMESTAMP NOT NULL,
    outcome      VARCHAR NOT NULL,  -- imported | refused
    message      VARCHAR,           -- in English; older lines have only this
    origin       VARCHAR,           -- cli | upload | sample
    message_code   VARCHAR,         -- i18n key of the message (connectors/logmessages.py)
    message_params VARCHAR          -- its parameters, a JSON object
);
-- Stores made before the message code existed get its columns the next time they are written
-- (the schema is applied whenever the file is opened for writing).
ALTER TABLE imports ADD COLUMN IF NOT EXISTS message_code VARCHAR;
ALTER TABLE imports ADD COLUMN IF NOT EXISTS message_params VARCHAR;

-- One row per post. Descriptive fields come from the newest export that carries them.
-- key: account_id, post_id
CREATE TABLE IF NOT EXISTS posts (
    account_id      VARCHAR NOT NULL,
    post_id         VARCHAR NOT NULL,
    published_utc   TIMESTAMP,        -- only when the export gave a zone
    published_local TIMESTAMP,        -- in the mission's time zone; NULL for date-only exports
    published_date  DATE,             -- local date: the date windows filter on
    post_type       VARCHAR,
    text            VARCHAR,
    permalink       VARCHAR,
    as_of           DATE NOT NULL,
    sha256          VARCHAR NOT NULL
);

-- Issue #7 part 1: the language of every post (data/languages.py).
-- The language a platform's export gives for a post (Meta's `Languages`), ISO 639-1, when it
-- names exactly one; stores made before get the column the next time they are written.
ALTER TABLE posts ADD COLUMN IF NOT EXISTS platform_language VARCHAR;
-- One row per post: its language, decided by the platform's field or detected offline among
-- the candidates of its mission (Vietnamese, English, the mission's languages); NULL when
-- undetermined (no text, too short, or the detector not confident enough), never a guess.
-- key: account_id, post_id
CREATE TABLE IF NOT EXISTS post_languages (
    account_id VARCHAR NOT NULL,
    post_id    VARCHAR NOT NULL,
    language   VARCHAR,            -- ISO 639-1; NULL = undetermined
    confidence DOUBLE,             -- 0..1: the detector's for the language (1 from a platform)
    source     VARCHAR NOT NULL,   -- platform | detected | undetermined
    reason     VARCHAR,            -- when undetermined: no_text | too_short | low_confidence
    candidates VARCHAR NOT NULL,   -- the languages detected among, ';'-separated
    input_md5  VARCHAR NOT NULL,   -- digest of the text and platform field it was decided on
    detector   VARCHAR NOT NULL    -- data.languages.DETECTOR_VERSION
);

-- Lifetime post metrics as an export reported them on its as-of date. Every snapshot is kept;
-- the metrics read the latest one per post (view post_latest_metrics).
-- key: account_id, post_id, as_of
CREATE TABLE IF NOT EXISTS post_metrics (
    account_id  VARCHAR NOT NULL,
    post_id     VARCHAR NOT NULL,
    as_of       DATE NOT NULL,
    reactions   DOUBLE,
    comments    DOUBLE,
    shares      DOUBLE,
    reach       DOUBLE,
    impressions DOUBLE,
    video_views DOUBLE,
    engagements DOUBLE,
    clicks      DOUBLE,
    saves       DOUBLE,
    sha256      VARCHAR NOT NULL
);

-- Per-post daily series (YouTube Chart data: views of a video on a day).
-- key: account_id, post_id, date, metric, as_of
CREATE TABLE IF NOT EXISTS post_daily (
    account_id VARCHAR NOT NULL,
    post_id    VARCHAR NOT NULL,
    date       DATE NOT NULL,
    metric     VARCHAR NOT NULL,
    value      DOUBLE,
    as_of      DATE NOT NULL,
    sha256     VARCHAR NOT NULL
);

-- Account-level daily series, long format (metric names: connectors/base.py DAILY_METRICS).
-- key: account_id, date, metric, as_of; readers take the latest as_of (view account_daily_latest)
CREATE TABLE IF NOT EXISTS account_daily (
    account_id VARCHAR NOT NULL,
    date       DATE NOT NULL,
    metric     VARCHAR NOT NULL,
    value      DOUBLE,
    as_of      DATE NOT NULL,
    sha256     VARCHAR NOT NULL
);

-- Follower totals at the end of each day: reported by an export, given in a baseline file,
-- or rebuilt from a net daily change series and the nearest known total. Derived: the importer
-- recomputes an account's rows after every import that touches it.
-- key: account_id, date
CREATE TABLE IF NOT EXISTS follower_totals (
    account_id VARCHAR NOT NULL,
    date       DATE NOT NULL,
    followers  DOUBLE NOT NULL,
    basis      VARCHAR NOT NULL     -- reported | rebuilt
);

-- Audience breakdowns as an export gave them on its as-of date: the share or count of an
-- account's followers, viewers or reach by country (ISO 3166-1 alpha-2), city, gender or age.
-- key: account_id, as_of, dimension, key, kind
CREATE TABLE IF NOT EXISTS audience (
    account_id VARCHAR NOT NULL,
    as_of      DATE NOT NULL,
    dimension  VARCHAR NOT NULL,   -- country | city | gender | age | age_gender | language | hour | other
    key        VARCHAR NOT NULL,   -- ISO-2 for country; the export's label otherwise
    value      DOUBLE,
    unit       VARCHAR NOT NULL,   -- share (a fraction) | count
    kind       VARCHAR NOT NULL,   -- followers | viewers | reach | video_views | page_views
    sha256     VARCHAR NOT NULL
);

-- Pages and accounts that imported files hold rows of but the registry does not know yet:
-- their rows were left out. The Data page lists them so that an analyst can attach each to a
-- mission; `pending_file` is a copy of the file (relative to the database's folder) to import
-- their rows from then.
-- key: platform, external_id, sha256
CREATE TABLE IF NOT EXISTS unknown_accounts (
    platform     VARCHAR NOT NULL,
    external_id  VARCHAR NOT NULL,
    display_name VARCHAR,
    file_name    VARCHAR NOT NULL,
    sha256       VARCHAR NOT NULL,
    row_count    BIGINT NOT NULL,
    seen_at      TIMESTAMP NOT NULL,
    pending_file VARCHAR
);

-- Small key/value facts about the store (schema version).
CREATE TABLE IF NOT EXISTS store_info (
    key   VARCHAR NOT NULL,
    value VARCHAR
);

CREATE OR REPLACE VIEW post_latest_metrics AS
SELECT * EXCLUDE (rn) FROM (
    SELECT *, row_number() OVER (PARTITION BY account_id, post_id ORDER BY as_of DESC, sha256) AS rn
    FROM post_metrics
) WHERE rn = 1;

CREATE OR REPLACE VIEW account_daily_latest AS
SELECT * EXCLUDE (rn) FROM (
    SELECT *, row_number() OVER (PARTITION BY account_id, date, metric ORDER BY as_of DESC, sha256) AS rn
    FROM account_daily
) WHERE rn = 1;

-- Each post with its latest metrics snapshot (the rule of post_latest_metrics): what the KPIs
-- read. The dashboard's in-memory replica keeps it as a table sorted by publish date, so that
-- the latest snapshot is found once per refresh and not in every query (data/store.py).
CREATE OR REPLACE VIEW post_current AS
SELECT p.account_id, p.post_id, p.published_date, m.as_of AS snapshot_as_of,
       m.reactions, m.comments, m.shares, m.reach, m.impressions, m.video_views,
       m.engagements, m.clicks, m.saves
FROM posts p
LEFT JOIN post_latest_metrics m ON m.account_id = p.account_id AND m.post_id = p.post_id;

-- Each post as the KPIs read it (metrics/sql/posts.sql): its latest snapshot (post_current),
-- its interactions and the account's follower total on the day it was published. These
-- per-post rules live here, once. A published version keeps the view as a table sorted by
-- publish date (data/store.py MATERIALISED): the as-of join to the follower totals was the
-- costliest operator of every page's statement, and now runs once per version.
-- interactions       reactions + comments + shares: the sum of the known ones, NULL when all
--                    three are unknown (saves, bookmarks, clicks are not in it);
-- followers_at_post  the account's last known follower total on or before the publish date
--                    (follower_totals, reported or rebuilt), NULL when none;
-- language           the post's language (post_languages), NULL when undetermined or not
--                    decided yet; host_language: whether it is a host language (below).
CREATE OR REPLACE VIEW post_inputs AS
SELECT c.account_id, c.post_id, c.published_date, c.snapshot_as_of,
       c.reactions, c.comments, c.shares, c.reach, c.impressions, c.video_views,
       CASE WHEN c.reactions IS NOT NULL OR c.comments IS NOT NULL OR c.shares IS NOT NULL
            THEN coalesce(c.reactions, 0) + coalesce(c.comments, 0) + coalesce(c.shares, 0)
       END AS interactions,
       t.followers AS followers_at_post,
       l.language,
       -- TRUE when the language is one of the mission's host languages: its `languages` less
       -- Vietnamese (the ministry's own, which speaks to the diaspora, not to the host); NULL
       -- when the language is undetermined or the mission has no host language.
       CASE WHEN l.language IS NOT NULL
                 AND len(list_filter(string_split(coalesce(m.languages, ''), ';'),
                                     lambda x: x NOT IN ('', 'vi'))) > 0
            THEN list_contains(string_split(m.languages, ';'), l.language) AND l.language <> 'vi'
       END AS host_language
FROM post_current c
ASOF LEFT JOIN (SELECT account_id, date, followers FROM follower_totals) t
  ON t.account_id = c.account_id AND c.published_date >= t.date
LEFT JOIN post_languages l ON l.account_id = c.account_id AND l.post_id = c.post_id
LEFT JOIN accounts a ON a.account_id = c.account_id
LEFT JOIN missions m ON m.mission_id = a.mission_id;

-- The accounts that have posts in the store, with how many and their first and last publish
-- dates: tells an account with no post in a window (0 posts) from one without post data
-- (unknown) in metrics/sql/posts.sql, without scanning every post. Built once per version.
CREATE OR REPLACE VIEW post_accounts AS
SELECT account_id, count(*) AS posts, min(published_date) AS first_post,
       max(published_date) AS last_post
FROM posts GROUP BY account_id;

-- Each account's net change of followers on each day it is known (metrics/sql/account_days.sql
-- reads it per window). A published version keeps it as a table sorted by date.
-- net_follows  the first known of, in this order:
--              1. new_follows - unfollows, when both are reported that day;
--              2. the net change series (metric net_follows: YouTube Subscribers);
--              3. total(d) - total(d - 1), when follower_totals has both days;
-- net_basis    which of the three gave the value: in_out | net_series | totals.
-- The reported values are the newest per (account, day, metric), as in account_daily_latest
-- (the newest as_of wins, a NULL included); (account, date, metric, as_of) is the table's key,
-- so there is one value per as_of.
CREATE OR REPLACE VIEW account_net_follows AS
WITH reported AS (
    SELECT account_id, date,
           arg_max_null(value, as_of) FILTER (WHERE metric = 'new_follows') AS new_follows,
           arg_max_null(value, as_of) FILTER (WHERE metric = 'unfollows') AS unfollows,
           arg_max_null(value, as_of) FILTER (WHERE metric = 'net_follows') AS net_series
    FROM account_daily
    WHERE metric IN ('new_follows', 'unfollows', 'net_follows')
    GROUP BY account_id, date
),
changes AS (
    SELECT today.account_id, today.date, today.followers - yesterday.followers AS total_change
    FROM follower_totals today
    JOIN follower_totals yesterday
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
)
SELECT account_id, date, net_follows, net_basis FROM days WHERE net_follows IS NOT NULL;

-- How far each mission's data reaches on each platform it has accounts on: the coverage rule
-- of the Data page (metrics.mission_coverage adds what depends on the day it is read). A
-- mission without an account keeps one row, platform NULL. A day counts as data when it has a
-- post or a known account-level daily value as the KPIs read it (the newest export per day and
-- metric, the rule of account_daily_latest: a day whose newest export left every metric empty
-- has no data). It reads the whole of account_daily (15 million rows at 10x), so a published
-- version keeps it as a table built once (data/store.py MATERIALISED).
-- sent_nothing: 'no_account' (no account at all), 'no_data' (accounts, but no post and no
-- daily value on any platform), else NULL.
CREATE OR REPLACE VIEW mission_platform_coverage AS
WITH null_keys AS (
    SELECT DISTINCT account_id, date, metric FROM account_daily WHERE value IS NULL
),
dead AS (
    -- the (account, date, metric) whose newest value is empty; (account, date, metric, as_of)
    -- is the key, and arg_max_null keeps a newest NULL. Looked for only among the few keys
    -- that have an empty value: grouping every key took 10 s at 10x, this 1.
    SELECT account_id, date, metric
    FROM account_daily SEMI JOIN null_keys USING (account_id, date, metric)
    GROUP BY ALL
    HAVING arg_max_null(value, as_of) IS NULL
),
known_days AS (
    -- a day with data: some metric's newest value is known
    SELECT DISTINCT account_id, date
    FROM account_daily ANTI JOIN dead USING (account_id, date, metric)
    WHERE value IS NOT NULL
),
daily AS (
    -- distinct days over the mission's accounts there (the ambassador's included)
    SELECT a.mission_id, a.platform, count(DISTINCT d.date) AS daily_days,
           min(d.date) AS daily_first, max(d.date) AS daily_last
    FROM known_days d JOIN accounts a USING (account_id)
    GROUP BY ALL
),
post_stats AS (
    SELECT a.mission_id, a.platform, count(*) AS posts,
           min(p.published_date) AS first_post, max(p.published_date) AS last_post
    FROM posts p JOIN accounts a USING (account_id)
    GROUP BY ALL
),
platforms AS (
    SELECT mission_id, platform, count(*) AS accounts FROM accounts GROUP BY ALL
),
geography AS (
    -- the latest audience-by-country breakdown of the mission's accounts there
    SELECT a.mission_id, a.platform, g.as_of, g.key
    FROM audience g JOIN accounts a USING (account_id)
    WHERE g.dimension = 'country'
    QUALIFY g.as_of = max(g.as_of) OVER (PARTITION BY a.mission_id, a.platform)
),
geography_stats AS (
    SELECT mission_id, platform, max(as_of) AS geography_as_of,
           count(DISTINCT key) AS geography_countries
    FROM geography GROUP BY ALL
),
grid AS (
    SELECT m.mission_id, m.name_en, m.name_vi, pl.platform,
           coalesce(pl.accounts, 0) AS accounts,
           -- counts of what is stored: 0 is a fact where accounts exist
           CASE WHEN pl.platform IS NOT NULL THEN coalesce(ps.posts, 0) END AS posts,
           CASE WHEN pl.platform IS NOT NULL THEN coalesce(d.daily_days, 0) END AS daily_days,
           least(ps.first_post, d.daily_first) AS first_day,
           greatest(ps.last_post, d.daily_last) AS last_day,
           g.geography_as_of, g.geography_countries
    FROM missions m
    LEFT JOIN platforms pl USING (mission_id)
    LEFT JOIN post_stats ps USING (mission_id, platform)
    LEFT JOIN daily d USING (mission_id, platform)
    LEFT JOIN geography_stats g USING (mission_id, platform)
)
SELECT *,
       CASE
           WHEN platform IS NULL THEN 'no_account'
           WHEN bool_and(coalesce(posts, 0) = 0 AND coalesce(daily_days, 0) = 0)
                OVER (PARTITION BY mission_id) THEN 'no_data'
       END AS sent_nothing
FROM grid;

-- Per registry account: which periods and metrics are stored, from how many imports (the
-- technical coverage of the Data page, metrics.coverage). Like mission_platform_coverage it
-- reads every daily value, so a published version keeps it as a table.
CREATE OR REPLACE VIEW account_coverage AS
WITH post_stats AS (
    SELECT account_id, posts, first_post, last_post FROM post_accounts
),
snapshots AS (
    SELECT account_id, max(as_of) AS snapshot_as_of FROM post_metrics GROUP BY account_id
),
daily AS (
    SELECT account_id, min(date) AS daily_first, max(date) AS daily_last,
           string_agg(DISTINCT metric, ',' ORDER BY metric) AS daily_metrics
    FROM account_daily WHERE value IS NOT NULL GROUP BY account_id
),
followers AS (
    SELECT account_id,
           count(*) FILTER (WHERE basis = 'reported') AS follower_days_reported,
           count(*) FILTER (WHERE basis = 'rebuilt') AS follower_days_rebuilt
    FROM follower_totals GROUP BY account_id
),
-- A baseline file covering several accounts is logged once with the ids joined by ', '.
imported AS (
    SELECT trim(one) AS account_id, count(*) AS imports
    FROM (
        SELECT unnest(string_split(account_id, ',')) AS one
        FROM imports WHERE outcome = 'imported' AND account_id IS NOT NULL
    )
    GROUP BY ALL
)
SELECT a.account_id, a.mission_id, a.platform, a.owner,
       coalesce(p.posts, 0) AS posts, p.first_post, p.last_post, s.snapshot_as_of,
       d.daily_first, d.daily_last, d.daily_metrics,
       coalesce(f.follower_days_reported, 0) AS follower_days_reported,
       coalesce(f.follower_days_rebuilt, 0) AS follower_days_rebuilt,
       coalesce(i.imports, 0) AS imports
FROM accounts a
LEFT JOIN post_stats p USING (account_id)
LEFT JOIN snapshots s USING (account_id)
LEFT JOIN daily d USING (account_id)
LEFT JOIN followers f USING (account_id)
LEFT JOIN imported i USING (account_id);
