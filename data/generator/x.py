"""X (Twitter) exports: legacy tweet activity (per tweet, per day), account analytics content
(2025 and 2026 variants) and the daily account overview.

Layouts copied from real files:
- legacy (`tweet_activity_metrics_<handle>_<YYYYMMDD>_<YYYYMMDD>_en.csv` and `daily_...`): no
  BOM, every field quoted, LF; per tweet newest first with counts as `"89.0"`, `engagement
  rate` a full-precision fraction, promoted columns `-`, `time` in UTC `+0000`, texts with
  `&amp;`; the name's end date is the first day after the period (and the as-of);
- content 2025 (`Link`, `Share`, `Thu Mar 20 2025`): CRLF, the text always quoted;
- content 2026 (`Post Link`, `Shares`, `"Sat, Aug 15, 2026"`): LF, no final line break;
- overview (`<handle>_account_overview_analytics.csv`): newest day first, LF, no final line
  break, `New follows` and `Unfollows` (their difference is the net change).
"""

from __future__ import annotations

from datetime import date, timedelta

from data.generator.csvout import render
from data.generator.model import Simulation

LEGACY_METRICS = [
    "impressions", "engagements", "engagement rate", "retweets", "replies", "likes",
    "user profile clicks", "url clicks", "hashtag clicks", "detail expands", "permalink clicks",
    "app opens", "app installs", "follows", "email tweet", "dial phone", "media views",
    "media engagements",
]  # fmt: skip
PROMOTED = [f"promoted {m}" for m in LEGACY_METRICS]
LEGACY_POSTS_HEADER = [
    "Tweet id",
    "Tweet permalink",
    "Tweet text",
    "time",
    *LEGACY_METRICS,
    *PROMOTED,
]
LEGACY_DAILY_HEADER = ["Date", "Tweets published", *LEGACY_METRICS, *PROMOTED]
CONTENT_2025 = [
    "Post id", "Date", "Post text", "Link", "Impressions", "Likes", "Engagements", "Bookmarks",
    "Share", "New follows", "Replies", "Reposts", "Profile visits", "Detail expands",
    "Url clicks", "Hashtag clicks", "Permalink clicks",
]  # fmt: skip
CONTENT_2026 = [
    "Post id", "Date", "Post text", "Post Link", "Impressions", "Likes", "Engagements",
    "Bookmarks", "Shares", "New follows", "Replies", "Reposts", "Profile visits",
    "Detail Expands", "URL Clicks", "Hashtag Clicks", "Permalink Clicks",
]  # fmt: skip
OVERVIEW_HEADER = [
    "Date", "Impressions", "Likes", "Engagements", "Bookmarks", "Shares", "New follows",
    "Unfollows", "Replies", "Reposts", "Profile visits", "Create Post", "Video views",
    "Media views",
]  # fmt: skip
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _rate(engagements: float, impressions: float) -> str:
    return repr(engagements / impressions) if impressions else "0"


def _escape(text: str) -> str:
    # The legacy export HTML-escapes texts.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def date_2025(day: date) -> str:
    """`Thu Mar 20 2025`: day zero-padded."""
    return f"{DAYS[day.weekday()]} {MONTHS[day.month - 1]} {day.day:02d} {day.year}"


def date_2026(day: date) -> str:
    """`Sat, Aug 15, 2026`: day not padded."""
    return f"{DAYS[day.weekday()]}, {MONTHS[day.month - 1]} {day.day}, {day.year}"


def legacy_names(handle: str, first: date, last: date) -> tuple[str, str]:
    """(per tweet, per day) file names; the end date is the day after the period."""
    span = f"{first:%Y%m%d}_{last + timedelta(days=1):%Y%m%d}"
    return (
        f"tweet_activity_metrics_{handle}_{span}_en.csv",
        f"daily_tweet_activity_metrics_{handle}_{span}_en.csv",
    )


def legacy_posts(sim: Simulation, first: date, last: date) -> str:
    """Per-tweet legacy export of tweets of first..last, as of the day after `last`."""
    handle = sim.account.handle
    as_of = sim.index(last) + 1
    rows: list[list[object]] = [LEGACY_POSTS_HEADER]
    for post in reversed(sim.posts_between(first, last)):
        v = post.at(as_of)
        rows.append(
            [
                post.post_id,
                f"https://twitter.com/{handle}/status/{post.post_id}",
                _escape(post.text),
                post.utc.strftime("%Y-%m-%d %H:%M +0000"),
                f"{v['impressions']}.0", f"{v['engagements']}.0", _rate(v["engagements"], v["impressions"]),
                f"{v['retweets']}.0", f"{v['replies']}.0", f"{v['likes']}.0",
                f"{v['profile_clicks']}.0", f"{v['url_clicks']}.0", f"{v['hashtag_clicks']}.0",
                f"{v['detail_expands']}.0", f"{v['permalink_clicks']}.0",
                0, 0, v["follows"], 0, 0, v["media_views"], v["media_engagements"],
                *["-"] * len(PROMOTED),
            ]
        )  # fmt: skip
    return render(rows, quoting="all")


def legacy_daily(sim: Simulation, first: date, last: date) -> str:
    """Per-day legacy export of local days first..last, oldest first."""
    d = sim.daily
    published = [0] * sim.days
    for post in sim.posts:
        published[post.day] += 1
    rows: list[list[object]] = [LEGACY_DAILY_HEADER]
    for i in range(sim.index(first), sim.index(last) + 1):
        imp, eng = int(d["impressions"][i]), int(d["engagements"][i])
        rows.append(
            [
                sim.iso_dates[i], published[i], imp, eng, _rate(eng, imp),
                int(d["retweets"][i]), int(d["replies"][i]), int(d["likes"][i]),
                int(d["profile_clicks"][i]), int(d["url_clicks"][i]), int(d["hashtag_clicks"][i]),
                int(d["detail_expands"][i]), int(d["permalink_clicks"][i]), 0, 0,
                int(sim.new[i] * 0.4), 0, 0, int(d["media_views"][i]), int(d["media_engagements"][i]),
                *["-"] * len(PROMOTED),
            ]
        )  # fmt: skip
    return render(rows, quoting="all")


def content(sim: Simulation, first: date, last: date, variant: str) -> str:
    """Account analytics content export: posts of first..last as of `last`, newest first."""
    handle = sim.account.handle
    as_of = sim.index(last)
    lines = [",".join(CONTENT_2025 if variant == "2025" else CONTENT_2026)]
    for post in reversed(sim.posts_between(first, last)):
        v = post.at(as_of)
        day = post.local.date()
        counts = [
            v["impressions"], v["likes"], v["engagements"], v["bookmarks"], v["shares"],
            v["follows"], v["replies"], v["retweets"], v["profile_clicks"], v["detail_expands"],
            v["url_clicks"], v["hashtag_clicks"], v["permalink_clicks"],
        ]  # fmt: skip
        link = f"https://x.com/{handle}/status/{post.post_id}"
        if variant == "2025":
            # This variant quotes every post text, and only post texts.
            text = '"' + post.text.replace('"', '""') + '"'
            lines.append(",".join([post.post_id, date_2025(day), text, link, *map(str, counts)]))
        else:
            lines.append(
                render([[post.post_id, date_2026(day), post.text, link, *counts]], final=False)
            )
    if variant == "2025":
        return "\r\n".join(lines) + "\r\n"
    return "\n".join(lines)


def content_name(first: date, last: date) -> str:
    return f"account_analytics_content_{first.isoformat()}_{last.isoformat()}.csv"


def overview(sim: Simulation, first: date, last: date) -> str:
    """Daily overview of local days first..last, newest first."""
    d = sim.daily
    published = [0] * sim.days
    for post in sim.posts:
        published[post.day] += 1
    rows: list[list[object]] = [OVERVIEW_HEADER]
    for i in range(sim.index(last), sim.index(first) - 1, -1):
        rows.append(
            [
                date_2026(sim.date_of(i)), int(d["impressions"][i]), int(d["likes"][i]),
                int(d["engagements"][i]), int(d["bookmarks"][i]), int(d["shares"][i]),
                sim.new[i], sim.lost[i], int(d["replies"][i]), int(d["retweets"][i]),
                int(d["profile_clicks"][i]), published[i], int(d["video_views"][i]),
                int(d["media_views"][i]),
            ]
        )  # fmt: skip
    return render(rows, final=False)
