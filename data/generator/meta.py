"""Meta Business Suite exports: Facebook and Instagram content exports, insights time series.

Content export `MMM-DD-YYYY_MMM-DD-YYYY_<page or account id>.csv`: UTF-8 with BOM, one row a
post published in the period with its lifetime counts as of the end date, `Publish time`
`03/25/2025 22:00` local, `Date` = `Lifetime`. The 2025 variant has `Views`; the older one has
`Impressions` in its place (and writes `Reactions, comments and shares` in lower case).

Insights time series `<handle> - <title>.csv`: UTF-16 LE with BOM, a `sep=,` line, the metric's
title, `"Date","Primary"`, every field quoted, days with 0 left out. The file names no page, so
the account's handle goes into the file name, where the importer looks for it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from data.generator.csvout import render, write
from data.generator.model import Simulation

FACEBOOK_HEADER = [
    "Post ID", "Page ID", "Page name", "Title", "Description", "Duration (sec)", "Publish time",
    "Caption type", "Permalink", "Is crosspost", "Is share", "Post type", "Languages",
    "Custom labels", "Funded content status", "Data comment", "Date", "Views", "Reach",
    "Reactions, Comments and Shares", "Reactions", "Comments", "Shares", "Total clicks",
    "Other Clicks", "Matched Audience Targeting Consumption (Photo Click)",
]  # fmt: skip
INSTAGRAM_HEADER = [
    "Post ID", "Account ID", "Account username", "Account name", "Description", "Duration (sec)",
    "Publish time", "Permalink", "Post type", "Data comment", "Date", "Views", "Reach", "Likes",
    "Shares", "Follows", "Comments", "Saves",
]  # fmt: skip
FACEBOOK_TYPE = {
    "photo": "Photos",
    "video": "Videos",
    "reel": "Reels",
    "link": "Links",
    "status": "Photos",
}
INSTAGRAM_TYPE = {
    "image": "IG image",
    "carousel": "IG carousel",
    "reel": "IG reel",
    "video": "IG video",
}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _older(header: list[str]) -> list[str]:
    """The pre-2025 header: `Impressions` where the newer one has `Views`."""
    renamed = {
        "Views": "Impressions",
        "Reactions, Comments and Shares": "Reactions, comments and shares",
    }
    return [renamed.get(h, h) for h in header]


def content_name(first: date, last: date, owner_id: str) -> str:
    """`Jan-27-2025_Feb-23-2025_<id>.csv`."""

    def day(d: date) -> str:
        return f"{MONTHS[d.month - 1]}-{d.day:02d}-{d.year}"

    return f"{day(first)}_{day(last)}_{owner_id}.csv"


def facebook_content(sim: Simulation, first: date, last: date, variant: str) -> list[list[object]]:
    """Rows of a Facebook content export: posts of first..last as of `last`, newest first."""
    account = sim.account
    as_of = sim.index(last)
    rows: list[list[object]] = [FACEBOOK_HEADER if variant == "views" else _older(FACEBOOK_HEADER)]
    for post in reversed(sim.posts_between(first, last)):
        v = post.at(as_of)
        if post.kind == "reel":
            link = f"https://www.facebook.com/reel/{post.post_id}"
        else:
            link = f"https://www.facebook.com/{account.external_id}/posts/{post.post_id}"
        interactions = v["reactions"] + v["comments"] + v["shares"]
        photo_clicks = int(v["clicks"] * 0.4) if post.kind == "photo" else 0
        rows.append(
            [
                post.post_id, account.external_id, account.display_name, post.title or "",
                post.text, post.duration or "", post.local.strftime("%m/%d/%Y %H:%M"), "", link,
                "No", "No", FACEBOOK_TYPE[post.kind], "", "", "", "", "Lifetime",
                v["impressions"], v["reach"], interactions, v["reactions"], v["comments"],
                v["shares"], v["clicks"], v["clicks"] - photo_clicks, photo_clicks,
            ]
        )  # fmt: skip
    return rows


def instagram_content(sim: Simulation, first: date, last: date, variant: str) -> list[list[object]]:
    """Rows of an Instagram content export: posts of first..last as of `last`, newest first."""
    account = sim.account
    as_of = sim.index(last)
    rows: list[list[object]] = [
        INSTAGRAM_HEADER if variant == "views" else _older(INSTAGRAM_HEADER)
    ]
    for post in reversed(sim.posts_between(first, last)):
        v = post.at(as_of)
        path = "reel" if post.kind == "reel" else "p"
        rows.append(
            [
                post.post_id, account.external_id, account.handle, account.display_name,
                post.text, post.duration or "", post.local.strftime("%m/%d/%Y %H:%M"),
                f"https://www.instagram.com/{path}/{post.shortcode}/", INSTAGRAM_TYPE[post.kind],
                "", "Lifetime", v["views"], v["reach"], v["likes"], v["shares"], v["follows"],
                v["comments"], v["saves"],
            ]
        )  # fmt: skip
    return rows


def write_content(path: Path, rows: list[list[object]]) -> Path:
    return write(path, render(rows, quoting="facebook"), bom=True)


def series_titles(platform: str) -> tuple[str, ...]:
    """The insights time series written for a Facebook page or an Instagram account."""
    follows = "Facebook follows" if platform == "facebook" else "Instagram follows"
    return (follows, "Views", "Content interactions")


def series_values(sim: Simulation, title: str) -> list[float]:
    """The daily values a series title stands for (gross follows, views, interactions)."""
    if title.endswith("follows"):
        return [float(v) for v in sim.new]
    if title == "Views":
        return sim.daily["impressions" if sim.account.platform == "facebook" else "views"]
    return sim.daily["interactions"]


def write_series(path: Path, sim: Simulation, title: str, first: date, last: date) -> Path | None:
    """One insights series file for local days first..last, zero days left out; None (no file)
    when every day is 0."""
    values = series_values(sim, title)
    rows: list[list[object]] = [[title], ["Date", "Primary"]]
    for i in range(sim.index(first), sim.index(last) + 1):
        value = int(values[i])
        if value:
            rows.append([f"{sim.iso_dates[i]}T00:00:00", value])
    if len(rows) == 2:
        return None
    return write(path, "sep=,\n" + render(rows, quoting="all"), encoding="utf-16-le", bom=True)
