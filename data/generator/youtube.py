"""YouTube Studio exports: a zip of `Table data.csv`, `Chart data.csv` and `Totals.csv`.

Layouts copied from real exports: no BOM, LF, quoting only where needed; the Table's row 2 is
the channel's `Total`; ids beginning with `-` carry a leading space; `Video publish time` is
`"Sep 27, 2024"` (empty for a private video); `Duration` in seconds; `Subscribers` net. Two
Table layouts: the default columns (channel-a) and the one with Likes, Shares, viewers and
more (channel-b). Chart data holds the top videos only, one row a day and video over the whole
period (0 before publication), sorted by video id. Totals hold the channel's daily views.

A second zip holds `Totals.csv` with `Date,Subscribers`, the daily net change of subscribers,
from which the importer rebuilds subscriber totals around a known total (baselines.csv).

Zip names carry the period and the channel handle (`Content 2026-05-02_2026-10-31
VNEmbassyJapanTV.zip`), as Studio names them with the channel name.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from data.generator.csvout import render, write_zip
from data.generator.model import Post, Simulation

BASIC_HEADER = [
    "Content", "Video title", "Video publish time", "Duration", "Views", "Watch time (hours)",
    "Subscribers", "Impressions", "Impressions click-through rate (%)",
]  # fmt: skip
EXTENDED_HEADER = [
    "Content", "Video title", "Video publish time", "Duration", "Likes", "Dislikes", "Shares",
    "YouTube Premium views", "Regular viewers", "Casual viewers", "Average views per viewer",
    "New viewers", "Unique viewers", "Stayed to watch (%)", "Average view duration",
    "Engaged views", "Views", "Watch time (hours)", "Subscribers", "Impressions",
    "Impressions click-through rate (%)",
]  # fmt: skip
TOP_VIDEOS = 5
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
PRIVATE_EVERY = 37  # one video in so many is private: Studio leaves its publish time empty


def _content_id(video_id: str) -> str:
    # Studio (like a spreadsheet guarding against formulas) puts a space before a leading '-'.
    return " " + video_id if video_id.startswith("-") else video_id


def _published(post: Post, private: bool) -> str:
    day = post.local.date()
    return "" if private else f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def _duration(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _ctr(views: int, impressions: int) -> float:
    # Views that came from an impression, as a percentage of impressions.
    return round(min(100.0, views * 0.4 / impressions * 100), 2) if impressions else 0.0


def daily_views(post: Post, last_index: int) -> list[int]:
    """Integer views of a video on each day from its publication to `last_index` (or until it
    stops growing); they add up to the lifetime views an export as of `last_index` shows."""
    views = post.m["views"]
    out, previous = [], 0
    for f in post.fracs[: last_index - post.day + 1]:
        reached = int(views * f)
        out.append(reached - previous)
        previous = reached
    return out


def exports(
    sim: Simulation, first: date, last: date, extended: bool
) -> tuple[list[tuple[str, bytes]], bytes]:
    """(members of the content zip, Totals.csv of subscribers) for local days first..last."""
    a, b = sim.index(first), sim.index(last)
    videos = sim.posts_between(first, last)
    total_views = [int(sim.daily["background_views"][i]) for i in range(sim.days)]
    per_video: dict[str, list[int]] = {}
    table = []
    for n, post in enumerate(videos):
        per_day = daily_views(post, b)
        per_video[post.post_id] = per_day
        for k, v in enumerate(per_day):
            total_views[post.day + k] += v
        table.append((post, post.at(b), n % PRIVATE_EVERY == PRIVATE_EVERY - 1))
    table.sort(key=lambda item: (-item[1]["views"], item[0].post_id))

    header = EXTENDED_HEADER if extended else BASIC_HEADER
    rows: list[list[object]] = [header]
    net_subscribers = sum(sim.new[a : b + 1]) - sum(sim.lost[a : b + 1])
    views_sum = sum(total_views[a : b + 1])
    watch_sum = sum(v["views"] * p.m["watch_hours"] / max(1.0, p.m["views"]) for p, v, _ in table)
    imp_sum = sum(v["impressions"] for _, v, _ in table)
    if extended:
        rows.append(
            ["Total", "", "", "", sum(v["likes"] for _, v, _ in table),
             sum(v["dislikes"] for _, v, _ in table), sum(v["shares"] for _, v, _ in table),
             int(views_sum * 0.05), 0, 0, 0, 0, 0, 41.5, "0:01:52", int(views_sum * 0.95),
             views_sum, round(watch_sum, 4), net_subscribers, imp_sum, _ctr(views_sum, imp_sum)]
        )  # fmt: skip
    else:
        rows.append(["Total", "", "", "", views_sum, round(watch_sum, 4), net_subscribers, imp_sum,
                     _ctr(views_sum, imp_sum)])  # fmt: skip
    for post, v, private in table:
        views = v["views"]
        watch = round(views * post.m["watch_hours"] / max(1.0, post.m["views"]), 4)
        title = post.title or ""
        common = [_content_id(post.post_id), title, _published(post, private), post.duration]
        tail = [views, watch, v["subscribers"], v["impressions"], _ctr(views, v["impressions"])]
        if extended:
            stayed = round(min(95.0, 30 + 400 / max(15, post.duration or 15)), 2)
            rows.append(
                [*common, v["likes"], v["dislikes"], v["shares"], int(views * 0.05), "", "", "",
                 "", "", stayed, _duration(post.m["watched"]), int(views * 0.95), *tail]
            )  # fmt: skip
        else:
            rows.append([*common, *tail])

    top = sorted(table[:TOP_VIDEOS], key=lambda item: item[0].post_id)
    chart: list[list[object]] = [
        ["Date", "Content", "Video title", "Video publish time", "Duration", "Views"]
    ]
    for post, _, private in top:
        per_day = per_video[post.post_id]
        for i in range(a, b + 1):
            k = i - post.day
            chart.append(
                [sim.iso_dates[i], _content_id(post.post_id), post.title or "",
                 _published(post, private), post.duration, per_day[k] if 0 <= k < len(per_day) else 0]
            )  # fmt: skip
    totals: list[list[object]] = [["Date", "Views"]]
    totals += [[sim.iso_dates[i], total_views[i]] for i in range(a, b + 1)]
    subscribers: list[list[object]] = [["Date", "Subscribers"]]
    subscribers += [[sim.iso_dates[i], sim.new[i] - sim.lost[i]] for i in range(a, b + 1)]
    # A channel without videos in the period has a Table of its Total row only, which is no
    # data (refused as empty), and Studio draws no chart for it.
    members = [("Table data.csv", render(rows).encode("utf-8"))] if table else []
    if top:
        members.append(("Chart data.csv", render(chart).encode("utf-8")))
    members.append(("Totals.csv", render(totals).encode("utf-8")))
    return members, render(subscribers).encode("utf-8")


def zip_names(handle: str, first: date, last: date) -> tuple[str, str]:
    """(content zip, subscribers zip) names."""
    span = f"{first.isoformat()}_{last.isoformat()}"
    return f"Content {span} {handle}.zip", f"Subscribers {span} {handle}.zip"


def write(folder: Path, sim: Simulation, first: date, last: date, extended: bool) -> list[Path]:
    members, subscribers = exports(sim, first, last, extended)
    content_zip, subscribers_zip = zip_names(sim.account.handle, first, last)
    return [
        write_zip(folder / content_zip, members),
        write_zip(folder / subscribers_zip, [("Totals.csv", subscribers)]),
    ]
