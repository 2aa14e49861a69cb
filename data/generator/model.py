"""The simulated truth the sample exports are written from: missions, accounts, posts, series.

Every export of an account is a view of one simulation, so that overlapping exports agree: a
post has final lifetime counts and a growth curve, and an export as of a date shows the counts
reached by the end of that local day (later as-of, same or larger counts). Account-level daily
series are the posts' counts spread over the days after publication, plus background activity
not tied to a post; follower totals follow gross new follows and unfollows day by day.

Randomness: one `random.Random` per account, seeded from the generator seed and the account id
(string seeds hash with SHA-512, so runs are reproducible whatever PYTHONHASHSEED is). An
account's data therefore does not depend on how many missions are generated with it.
"""

from __future__ import annotations

import csv
import functools
import math
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from data.generator.text import (
    HOST_LANGUAGES,
    Place,
    post_text,
    subject_for,
    theme_for,
    video_title,
)

DEFAULT_SEED = 20261031
DEFAULT_END = date(2026, 10, 31)
# Days simulated before the first exported day, so that weekly and 28-day rolling values and
# the tails of earlier posts are there from the first exported day on.
WARMUP_DAYS = 28
REGION_ORDER = ("asia_pacific", "europe", "middle_east_africa", "americas", "multilateral")
# Well-known missions first, so that a small sample set looks like the network's core.
PRIORITY = (
    "emb-jp-tokyo", "emb-cn-beijing", "cg-jp-osaka", "emb-kr-seoul", "emb-au-canberra",
    "emb-in-new-delhi", "emb-th-bangkok", "emb-sg-singapore", "emb-la-vientiane",
    "emb-fr-paris", "emb-de-berlin", "emb-gb-london", "emb-ru-moscow", "emb-it-rome",
    "emb-za-pretoria", "emb-eg-cairo", "emb-ae-abu-dhabi",
    "emb-us-washington", "cg-us-san-francisco", "emb-br-brasilia", "emb-ca-ottawa",
    "pm-un-new-york", "pm-asean-jakarta", "pm-un-geneva", "pm-unesco-paris",
)  # fmt: skip
KIND_SCALE = {"embassy": 1.0, "consulate": 0.45, "permanent_mission": 0.5, "other": 0.6}
HANDLE_PREFIX = {  # kind -> (Facebook/YouTube, X)
    "embassy": ("VNEmbassy", "VNEmbassy_"),
    "consulate": ("VNConsulate", "VNCG_"),
    "permanent_mission": ("VNMission", "VNPM_"),
    "other": ("VNOffice", "VNOffice_"),
}
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương")
MIDDLE = ("Văn", "Thị", "Minh", "Quang", "Hữu", "Thanh", "Đức", "Hồng", "Xuân", "Ngọc")
GIVEN = ("Hùng", "Lan", "Anh", "Dũng", "Hà", "Nam", "Hiếu", "Trung", "Phương", "Sơn", "Thủy",
         "Long", "Mai", "Tuấn", "Hải", "Bình", "Quân", "Linh", "Khánh", "Thắng")  # fmt: skip

# Per platform: followers of a typical embassy account, posts a week, growth-curve time constant
# (hours) and the number of days after which a post's counts stop growing.
FOLLOWERS = {"facebook": 45_000, "instagram": 7_000, "x": 9_000, "youtube": 3_500}
POSTS_PER_WEEK = {"facebook": 7.0, "instagram": 3.0, "x": 9.0, "youtube": 1.5}
AMBASSADOR = {"facebook": (0.2, 3.0), "x": (0.5, 5.0)}  # platform -> (follower share, posts/week)
TAU_HOURS = {"facebook": 14.0, "instagram": 20.0, "x": 5.0, "youtube": 60.0}
GROWTH_DAYS = {"facebook": 7, "instagram": 7, "x": 7, "youtube": 90}
# Fewer posts at weekends (Monday first), normalised to a mean of 1.
_WEEKDAY = (1.2, 1.25, 1.2, 1.15, 1.1, 0.6, 0.5)
WEEKDAY = tuple(w * 7 / sum(_WEEKDAY) for w in _WEEKDAY)
# Local hour of posting: office hours, with a morning and an afternoon peak.
HOURS = (7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22)
HOUR_WEIGHTS = (2, 5, 9, 10, 8, 5, 4, 6, 8, 8, 6, 5, 6, 5, 3, 1)
KINDS = {  # platform -> ((kind, weight), ...); "modern" Facebook has reels instead of statuses
    "facebook": (("photo", 55), ("video", 12), ("link", 15), ("status", 18)),
    "facebook_modern": (("photo", 55), ("video", 10), ("link", 15), ("reel", 20)),
    "instagram": (("image", 45), ("carousel", 30), ("reel", 20), ("video", 5)),
    "x": (("text", 35), ("photo", 45), ("video", 12), ("link", 8)),
    "youtube": (("video", 70), ("short", 30)),
}
VIRAL_CHANCE = 0.015  # a post 10-50 times its usual interactions
# Daily account metrics accumulated from posts, per platform.
DAILY_KEYS = {
    "facebook": ("impressions", "reach", "interactions", "engaged", "clicks"),
    "instagram": ("views", "reach", "interactions"),
    "x": (
        "impressions",
        "engagements",
        "likes",
        "retweets",
        "replies",
        "profile_clicks",
        "url_clicks",
        "hashtag_clicks",
        "detail_expands",
        "permalink_clicks",
        "media_views",
        "media_engagements",
        "bookmarks",
        "shares",
        "video_views",
    ),
    "youtube": (),  # per-video daily views are exact integers, see youtube.py
}


@dataclass
class Mission:
    """A registry mission as the generator uses it."""

    mission_id: str
    row: dict[str, str]  # the registry row, for the sample set's missions.csv
    kind: str
    region: str
    zone: ZoneInfo
    place: Place
    token: str  # CamelCase place for handles, e.g. "Japan", "SanFrancisco"
    country: str
    scale: float = 1.0


@dataclass
class Account:
    """A registry account and what its exports need to name it."""

    account_id: str
    mission: Mission
    platform: str
    owner: str  # mission | ambassador
    handle: str
    external_id: str
    display_name: str

    def row(self) -> list[str]:
        """The account's row of accounts.csv."""
        return [self.account_id, self.mission.mission_id, self.platform, self.owner,
                self.handle, self.external_id, self.display_name]  # fmt: skip


@dataclass(slots=True)
class Post:
    """A post, its final lifetime counts and its growth curve."""

    post_id: str
    day: int  # index of the local publication day in the simulation
    local: datetime  # naive, the mission's local time
    utc: datetime  # naive UTC
    kind: str
    text: str
    title: str | None
    duration: int | None  # seconds, videos only
    fracs: list[float]  # share of the final counts reached by the end of each day from publication
    m: dict[str, float]  # final lifetime counts
    shortcode: str | None = None  # Instagram permalink code

    def frac(self, days_after: int) -> float:
        """Share of the final counts reached by the end of local day `day + days_after`."""
        if days_after < 0:
            return 0.0
        if days_after >= len(self.fracs):
            return 1.0
        return self.fracs[days_after]

    def at(self, as_of_index: int) -> dict[str, int]:
        """Lifetime counts as an export with this as-of (a day index) reports them."""
        f = self.frac(as_of_index - self.day)
        # The same fraction for every count keeps impressions >= reach >= interactions.
        return {k: int(v * f) for k, v in self.m.items()}


def _fracs(hours_left: float, tau: float, days: int) -> list[float]:
    """Growth by the end of each day from publication, normalised to reach 1 on the last day.

    The curve has a fast component and a slow tail (long for YouTube, where tau is large):
    0.85 (1 - exp(-age/tau)) + 0.15 (1 - exp(-age/8tau)), age = h + 24k hours. exp(-(h + 24k)/tau)
    is a geometric series in k, so a post costs two exponentials."""
    fast, fast_ratio = math.exp(-hours_left / tau), math.exp(-24.0 / tau)
    slow, slow_ratio = math.exp(-hours_left / (tau * 8)), math.exp(-24.0 / (tau * 8))
    values = []
    for _ in range(days):
        values.append(0.85 * (1.0 - fast) + 0.15 * (1.0 - slow))
        fast *= fast_ratio
        slow *= slow_ratio
    last = values[-1]
    return [min(1.0, v / last) for v in values]


@dataclass
class Simulation:
    """One account's simulated days, from `start` (warm-up included) to the end date."""

    account: Account
    start: date
    days: int
    followers: list[int]
    new: list[int]
    lost: list[int]
    daily: dict[str, list[float]]
    posts: list[Post] = field(default_factory=list)

    def index(self, day: date) -> int:
        return (day - self.start).days

    def date_of(self, index: int) -> date:
        return self.start + timedelta(days=index)

    @functools.cached_property
    def iso_dates(self) -> list[str]:
        """`YYYY-MM-DD` of every simulated day, by index."""
        return [(self.start + timedelta(days=i)).isoformat() for i in range(self.days)]

    def posts_between(self, first: date, last: date) -> list[Post]:
        """Posts published on local days first..last, oldest first."""
        a, b = self.index(first), self.index(last)
        return [p for p in self.posts if a <= p.day <= b]


# -- missions and accounts -------------------------------------------------------------------


def ascii_fold(text: str) -> str:
    """`Nguyễn Đức` -> `Nguyen Duc`: for handles."""
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _camel(text: str) -> str:
    words = ascii_fold(text).replace("'", "").replace("-", " ").split()
    return "".join(w[:1].upper() + w[1:] for w in words if w.isalnum())


def read_missions(registry: Path) -> list[dict[str, str]]:
    """The rows of a registry's missions.csv."""
    with (registry / "missions.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _place(row: dict[str, str]) -> tuple[Place, str]:
    """How posts name the mission's place, and the token its handles are made of."""
    kind = row["kind"]
    vi = row["name_vi"].rsplit(" tại ", 1)[-1]
    tag = _camel(row["city"])
    if kind == "embassy":
        en = row["name_en"].rsplit(" in ", 1)[-1]  # "Japan", "the United States"
        token = tag = _camel(en.removeprefix("the "))
    elif kind == "permanent_mission":
        org = row["mission_id"].split("-")[1].upper()  # un, unesco, asean
        en = row["city"]
        token = org + (_camel(row["city"]) if org == "UN" else "")
    else:
        en = row["city"]
        token = tag
    codes = row["languages"].split(";")
    languages = tuple(c for c in codes if c in HOST_LANGUAGES)
    place = Place(vi=vi, en=en, tag=tag, languages=languages, english="en" in codes, kind=kind)
    return place, token


def select_missions(rows: list[dict[str, str]], count: int, seed: int) -> list[Mission]:
    """`count` missions spread over the regions, in proportion to their size, the well-known first.

    Every region gets one before any gets a second. Past the registry's size, missions are
    cloned with a numeric suffix (for benchmarks only).
    """
    by_region: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_region.setdefault(row["region"], []).append(row)
    rank = {m: i for i, m in enumerate(PRIORITY)}
    order = [r for r in REGION_ORDER if r in by_region] + sorted(set(by_region) - set(REGION_ORDER))
    queues = {
        r: sorted(by_region[r], key=lambda row: (rank.get(row["mission_id"], len(rank)),))
        for r in order
    }
    picked: list[dict[str, str]] = []
    taken = dict.fromkeys(order, 0)
    while len(picked) < min(count, len(rows)):
        open_regions = [r for r in order if taken[r] < len(queues[r])]
        # Lowest share taken so far first (ties: region order), so each region gets one early.
        region = min(
            open_regions,
            key=lambda r: ((taken[r] + 1) / len(queues[r]) if taken[r] else -1.0, order.index(r)),
        )
        picked.append(queues[region][taken[region]])
        taken[region] += 1
    clones = []
    for extra in range(count - len(picked)):
        base = picked[extra % len(picked)]
        k = extra // len(picked) + 2
        clone = dict(base)
        clone["mission_id"] = f"{base['mission_id']}-{k}"
        clone["name_en"] = f"{base['name_en']} ({k})"
        clone["name_vi"] = f"{base['name_vi']} ({k})"
        clones.append(clone)
    missions = []
    for row in picked + clones:
        place, token = _place(row)
        if row["mission_id"].rsplit("-", 1)[-1].isdigit():
            token += row["mission_id"].rsplit("-", 1)[-1]
        rng = random.Random(f"{seed}:scale:{row['mission_id']}")
        big = 1.8 if row["mission_id"] in rank and rank[row["mission_id"]] < 12 else 1.0
        missions.append(
            Mission(
                mission_id=row["mission_id"],
                row=row,
                kind=row["kind"],
                region=row["region"],
                zone=ZoneInfo(row["timezone"]),
                place=place,
                token=token,
                country=row["country"],
                scale=KIND_SCALE.get(row["kind"], 0.6) * big * rng.lognormvariate(0.0, 0.45),
            )
        )
    return missions


def _digits(rng: random.Random, first: str, length: int) -> str:
    return first + "".join(str(rng.randrange(10)) for _ in range(length - len(first)))


_SHORT_NAMES = {
    "embassy": "Embassy of Viet Nam in {city}",
    "consulate": "Consulate General of Viet Nam in {city}",
    "permanent_mission": "Permanent Mission of Viet Nam in {city}",
    "other": "Viet Nam Office in {city}",
}


def _display_name(mission: Mission) -> str:
    """The page name: the mission's English name, or a short one of its kind when that is long.
    A benchmark clone (`emb-jp-tokyo-2`) gets its own, as every real page has."""
    name = mission.row["name_en"]
    if len(name) > 60 or " - " in name:
        name = _SHORT_NAMES.get(mission.row["kind"], _SHORT_NAMES["other"]).format(
            city=mission.row["city"]
        )
    clone = mission.mission_id.rsplit("-", 1)[-1]
    if clone.isdigit():
        name += f" {clone}"
    return name


def _unique(candidate: str, used: set[str], limit: int) -> str:
    handle, n = candidate[:limit], 2
    while handle.casefold() in used:
        suffix = str(n)
        handle = candidate[: limit - len(suffix)] + suffix
        n += 1
    used.add(handle.casefold())
    return handle


def make_accounts(missions: list[Mission], seed: int) -> list[Account]:
    """Four mission accounts each (Facebook, Instagram, X, YouTube), plus ambassador accounts:
    on X for every third mission, on Facebook for every fourth (from the second)."""
    accounts: list[Account] = []
    used: set[str] = set()
    people: set[str] = set()
    for i, mission in enumerate(missions):
        rng = random.Random(f"{seed}:ids:{mission.mission_id}")
        fb_prefix, x_prefix = HANDLE_PREFIX.get(mission.kind, HANDLE_PREFIX["other"])
        token = mission.token[:24]
        x_token = mission.country if mission.kind == "embassy" else mission.token
        if mission.kind == "embassy" and mission.mission_id.rsplit("-", 1)[-1].isdigit():
            x_token += mission.mission_id.rsplit("-", 1)[-1]
        name = _display_name(mission)
        base = mission.mission_id
        accounts += [
            Account(f"{base}-facebook", mission, "facebook", "mission",
                    _unique(fb_prefix + token, used, 50), _digits(rng, "1", 15), name),
            Account(f"{base}-instagram", mission, "instagram", "mission",
                    _unique(f"{fb_prefix.lower()}.{token.lower()}", used, 30),
                    _digits(rng, "17841", 17), name),
            Account(f"{base}-x", mission, "x", "mission",
                    _unique(x_prefix + x_token, used, 15), _digits(rng, "1", 18), name),
            Account(f"{base}-youtube", mission, "youtube", "mission",
                    _unique(fb_prefix + token + "TV", used, 30),
                    "UC" + "".join(rng.choice(_YT_ALPHABET) for _ in range(22)), name),
        ]  # fmt: skip
        if i % 3 == 0 or i % 4 == 1:
            while True:
                person = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
                if person not in people:
                    people.add(person)
                    break
            family, _, given = ascii_fold(person).split()
            if i % 3 == 0:
                accounts.append(
                    Account(f"{base}-x-ambassador", mission, "x", "ambassador",
                            _unique(f"Amb{given}{family}", used, 15), _digits(rng, "1", 18),
                            f"Ambassador {ascii_fold(person)}")
                )  # fmt: skip
            if i % 4 == 1:
                accounts.append(
                    Account(f"{base}-facebook-ambassador", mission, "facebook", "ambassador",
                            _unique(f"Ambassador{given}{family}", used, 50),
                            _digits(rng, "1", 15), f"Ambassador {ascii_fold(person)}")
                )  # fmt: skip
    return accounts


# -- simulation ------------------------------------------------------------------------------

_YT_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
_IG_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
_X_EPOCH_MS = 1288834974657


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _noisy(rng: random.Random, mean: float) -> int:
    """A count around `mean` (Poisson-like spread, never negative)."""
    if mean < 20:
        return _poisson(rng, mean)
    return max(0, round(rng.gauss(mean, math.sqrt(mean) * 1.3)))


def _pick(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    total = sum(w for _, w in options)
    x = rng.random() * total
    for value, weight in options:
        x -= weight
        if x < 0:
            return value
    return options[-1][0]


def _split(
    rng: random.Random, total: float, weights: dict[str, tuple[float, float]]
) -> dict[str, float]:
    """`total` shared among keys by random weights (each drawn from its range); parts sum to at most total."""
    drawn = {k: rng.uniform(lo, hi) for k, (lo, hi) in weights.items()}
    s = sum(drawn.values()) or 1.0
    return {k: float(int(total * w / s)) for k, w in drawn.items()}


def _metrics(
    rng: random.Random, platform: str, kind: str, followers: float, boost: float
) -> dict[str, float]:
    """Final lifetime counts of a post, consistent: impressions >= reach >= interactions."""
    viral = rng.uniform(10, 50) if rng.random() < VIRAL_CHANCE else 1.0
    u = rng.uniform
    if platform == "facebook":
        kind_factor = {"photo": 1.0, "video": 1.3, "reel": 1.8, "link": 0.6, "status": 0.5}[kind]
        reach = followers * rng.lognormvariate(math.log(0.05), 0.7) * kind_factor * boost + u(
            20, 150
        )
        reach *= math.sqrt(viral)  # a viral post reaches further and engages more per reach
        rate = min(0.25, rng.lognormvariate(math.log(0.035), 0.5) * math.sqrt(viral))
        parts = _split(
            rng,
            reach * rate,
            {"reactions": (0.7, 0.85), "comments": (0.04, 0.12), "shares": (0.06, 0.18)},
        )
        clicks = float(int(reach * u(0.02, 0.08)))
        interactions = parts["reactions"] + parts["comments"] + parts["shares"]
        m = {
            "impressions": float(int(reach * u(1.1, 1.5))),
            "reach": float(int(reach)),
            **parts,
            "interactions": interactions,
            "clicks": clicks,
            "engaged": float(min(int(reach), int((interactions + clicks) * u(0.6, 0.85)))),
            "video_views": float(int(reach * u(0.3, 0.6))) if kind in ("video", "reel") else 0.0,
            "follows": float(int(reach * u(0.0, 0.0015))),
        }
    elif platform == "instagram":
        kind_factor = {"image": 1.0, "carousel": 1.2, "reel": 1.9, "video": 1.1}[kind]
        reach = followers * rng.lognormvariate(math.log(0.25), 0.6) * kind_factor * boost + u(
            10, 80
        )
        reach *= math.sqrt(viral)
        likes = float(
            int(reach * min(0.3, rng.lognormvariate(math.log(0.06), 0.5) * math.sqrt(viral)))
        )
        comments = float(int(likes * u(0.01, 0.05)))
        shares = float(int(likes * u(0.01, 0.08)))
        saves = float(int(likes * u(0.02, 0.1)))
        m = {
            "views": float(int(reach * u(1.2, 1.9))),
            "reach": float(int(reach)),
            "likes": likes,
            "comments": comments,
            "shares": shares,
            "saves": saves,
            "interactions": likes + comments + shares + saves,
            "follows": float(int(reach * u(0.0, 0.003))),
        }
    elif platform == "x":
        kind_factor = {"text": 0.7, "photo": 1.1, "video": 1.3, "link": 0.8}[kind]
        impressions = followers * rng.lognormvariate(math.log(0.1), 0.8) * kind_factor * boost + u(
            20, 80
        )
        impressions *= math.sqrt(viral)
        rate = min(0.3, rng.lognormvariate(math.log(0.02), 0.5) * math.sqrt(viral))
        media = kind in ("photo", "video")
        parts = _split(
            rng,
            impressions * rate,
            {
                "likes": (0.3, 0.45), "retweets": (0.06, 0.14), "replies": (0.02, 0.07),
                "profile_clicks": (0.04, 0.1), "url_clicks": (0.05, 0.12) if kind == "link" else (0.0, 0.02),
                "hashtag_clicks": (0.0, 0.03), "detail_expands": (0.1, 0.25),
                "permalink_clicks": (0.0, 0.03), "media_engagements": (0.05, 0.2) if media else (0.0, 0.0),
            },
        )  # fmt: skip
        media_views = float(int(impressions * u(0.05, 0.3))) if media else 0.0
        m = {
            "impressions": float(int(impressions)),
            "engagements": sum(parts.values()),
            **parts,
            "media_views": media_views,
            "video_views": float(int(media_views * 0.6)) if kind == "video" else 0.0,
            "bookmarks": float(int(parts["likes"] * u(0.0, 0.08))),
            "shares": float(int(parts["likes"] * u(0.0, 0.04))),
            "follows": float(int(impressions * u(0.0, 0.0008))),
        }
    else:  # youtube
        views = followers * rng.lognormvariate(math.log(0.3), 0.9) * boost * viral + u(10, 100)
        duration = rng.randint(15, 59) if kind == "short" else rng.randint(60, 1500)
        watched = duration * u(0.25, 0.6)
        likes = float(int(views * u(0.02, 0.06)))
        m = {
            "views": float(int(views)),
            "impressions": float(int(views * u(2.0, 8.0))),
            "watch_hours": views * watched / 3600.0,
            "likes": likes,
            "dislikes": float(int(likes * u(0.01, 0.05))),
            "comments": float(int(likes * u(0.02, 0.1))),
            "shares": float(int(views * u(0.002, 0.01))),
            "subscribers": float(int(min(views * u(0.0, 0.004), followers * 0.05))),
            "duration": float(duration),
            "watched": watched,
            "follows": 0.0,
        }
        m["follows"] = m["subscribers"]
    return m


def _post_id(rng: random.Random, platform: str, state: dict[str, int], utc: datetime) -> str:
    if platform == "x":
        # Tweet ids are snowflakes: milliseconds since X's epoch, shifted, plus sequence bits.
        ms = int(utc.replace(tzinfo=UTC).timestamp() * 1000) + rng.randrange(1000)
        return str(((ms - _X_EPOCH_MS) << 22) | rng.getrandbits(22))
    if platform == "youtube":
        # Some ids begin with '-': Studio writes those with a leading space.
        first = "-" if rng.random() < 0.06 else rng.choice(_YT_ALPHABET[:-1])
        return first + "".join(rng.choice(_YT_ALPHABET) for _ in range(10))
    state["next"] += rng.randrange(10**6, 10**9)  # increasing with time, like real ids
    return str(state["next"])


def simulate(
    account: Account, first_day: date, end: date, seed: int, modern_from: date | None = None
) -> Simulation:
    """Simulate an account from `first_day` minus the warm-up to `end` (local days).

    `modern_from`: for Facebook, the day posts start to be reels rather than statuses (the Meta
    Business Suite era); None: always the older mix.
    """
    rng = random.Random(f"{seed}:{account.account_id}")
    # The sentences of the posts have a generator of their own: editing the texts changes no
    # count (data/generator/text.py).
    text_rng = random.Random(f"{seed}:text:{account.account_id}")
    platform, mission = account.platform, account.mission
    start = first_day - timedelta(days=WARMUP_DAYS)
    days = (end - start).days + 1
    share, per_week = 1.0, POSTS_PER_WEEK[platform]
    if account.owner == "ambassador":
        share, per_week = AMBASSADOR[platform]
    followers0 = FOLLOWERS[platform] * mission.scale * share * rng.lognormvariate(0.0, 0.3)
    growth = rng.uniform(0.04, 0.3) / 365.0  # net yearly growth of 4-30 %
    activity = rng.uniform(0.6, 1.4)
    daily_rate = per_week / 7.0 * activity
    keys = DAILY_KEYS[platform]
    daily = {k: [0.0] * (days + 1) for k in keys}
    if platform == "youtube":
        daily["background_views"] = [0.0] * (days + 1)
    extra_follows = [0.0] * (days + 2)
    followers, new, lost = [0] * days, [0] * days, [0] * days
    posts: list[Post] = []
    tau, growth_days = TAU_HOURS[platform], GROWTH_DAYS[platform]
    ids = {
        "next": int(_digits(rng, "1", 15))
        if platform == "facebook"
        else int(_digits(rng, "18", 17))
    }
    zone = mission.zone
    total = int(followers0)
    hour_cum = []
    running = 0
    for w in HOUR_WEIGHTS:
        running += w
        hour_cum.append(running)

    for i in range(days):
        day = start + timedelta(days=i)
        special = 1.0
        if date(day.year, 8, 28) <= day <= date(day.year, 9, 3):
            special = 1.8  # National Day week
        count = _poisson(rng, daily_rate * WEEKDAY[day.weekday()] * special)
        times = sorted(
            (rng.choices(HOURS, cum_weights=hour_cum)[0], rng.randrange(60), rng.randrange(60))
            for _ in range(count)
        )
        for hour, minute, second in times:
            local = datetime(day.year, day.month, day.day, hour, minute, second)
            utc = local.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)
            kinds = KINDS[platform]
            if platform == "facebook" and modern_from is not None and day >= modern_from:
                kinds = KINDS["facebook_modern"]
            kind = _pick(rng, kinds)
            theme = theme_for(day, mission.kind, rng)
            boost = 2.0 if theme in ("national_day", "tet") else 1.0
            m = _metrics(rng, platform, kind, total, boost)
            subject = subject_for(theme, text_rng)
            text, language = post_text(
                rng, text_rng, mission.place, subject, day, platform, account.owner == "ambassador"
            )
            title = None
            if platform == "youtube" or (platform == "facebook" and kind in ("video", "reel")):
                title = video_title(mission.place, subject, day, language)
            duration = int(m.pop("duration")) if "duration" in m else None
            if duration is None and kind in ("video", "reel"):
                duration = rng.randint(15, 240)
            post = Post(
                post_id=_post_id(rng, platform, ids, utc),
                day=i,
                local=local,
                utc=utc,
                kind=kind,
                text=text,
                title=title,
                duration=duration,
                fracs=_fracs(
                    24.0 - hour - minute / 60.0 - second / 3600.0,
                    tau * rng.uniform(0.7, 1.4),
                    growth_days,
                ),
                m=m,
                shortcode="".join(rng.choice(_IG_ALPHABET) for _ in range(11))
                if platform == "instagram"
                else None,
            )
            posts.append(post)
            follows = m.get("follows", 0.0)
            extra_follows[i] += follows * 0.7
            extra_follows[i + 1] += follows * 0.3
        # Background activity not tied to a post that day.
        if platform == "facebook":
            bg = total * rng.uniform(0.001, 0.003)
            daily["reach"][i] += bg
            daily["impressions"][i] += bg * 1.3
            daily["engaged"][i] += bg * 0.02
        elif platform == "instagram":
            bg = total * rng.uniform(0.005, 0.015)
            daily["views"][i] += bg
            daily["reach"][i] += bg * 0.7
        elif platform == "x":
            daily["impressions"][i] += total * rng.uniform(0.002, 0.006)
            daily["profile_clicks"][i] += total * rng.uniform(0.0002, 0.001)
        else:
            daily["background_views"][i] += total * rng.uniform(0.01, 0.03)  # the back catalogue
        gained_mean = (
            followers0 * growth * 1.6 * (0.8 + 0.4 * WEEKDAY[day.weekday()] / max(WEEKDAY))
        )
        lost_mean = followers0 * growth * 0.6
        new[i] = _noisy(rng, gained_mean) + int(extra_follows[i])
        lost[i] = _noisy(rng, lost_mean)
        # Integers throughout: a total is the previous total plus the day's net change.
        total = max(0, total + new[i] - lost[i])
        followers[i] = total
    _spread(posts, keys, daily, days, growth_days)
    return Simulation(account, start, days, followers, new, lost, daily, posts)


def _spread(
    posts: list[Post], keys: tuple[str, ...], daily: dict[str, list[float]], days: int, width: int
) -> None:
    """Add each post's counts to the daily series, spread over the days after publication by
    its growth curve (numpy: this is the generator's hot loop)."""
    if not posts or not keys:
        return
    first_day = np.array([p.day for p in posts])
    reached = np.array([p.fracs for p in posts])  # posts x width
    steps = np.diff(reached, axis=1, prepend=0.0)
    for key in keys:
        values = np.array([p.m[key] for p in posts])
        series = np.zeros(days + width)
        for k in range(width):
            np.add.at(series, first_day + k, values * steps[:, k])
        target = daily[key]
        for i, v in enumerate(series[:days].tolist()):
            target[i] += v
