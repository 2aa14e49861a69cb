"""Facebook Page Insights legacy exports, page level and post level, as CSV or XLSX.

Copies the real layout (`Facebook Insights Data Export - Saku - 2020-08-03.csv` and its post
level sibling): UTF-8 with BOM, LF line ends, fields quoted when they hold a space, comma, quote
or line break; row 2 describes each column (its first cell empty; 8 empty cells first at post
level); header names that occur twice (`Daily Logged-in Page Views`, told apart only by the
description: Total Count / Unique Users); zero daily likes and unlikes left empty; paid columns
empty; `Posted` as `07/15/2020 09:32:49 AM` local time; `Post ID` as `<page id>_<post id>`;
empty cells in the `by action type` breakdowns where a post had none of that action.

The page level keeps the first 35 of the real file's ~2,000 columns (through the duplicated
`Logged-in Page Views`): enough for every metric DiploPulse reads and for the quirks.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from data.generator.csvout import render, write, xlsx_bytes
from data.generator.model import Post, Simulation

# (header, description row cell), copied from the real export.
PAGE_COLUMNS = (
    ("Date", ""),
    (
        "Lifetime Total Likes",
        "Lifetime: The total number of people who have liked your Page. (Unique Users)",
    ),
    ("Daily New Likes", "Daily: The number of new people who have liked your Page (Unique Users)"),
    ("Daily Unlikes", "Daily: The number of Unlikes of your Page (Unique Users)"),
    (
        "Daily Page Engaged Users",
        "Daily: The number of people who engaged with your Page. Engagement includes any click or story created. (Unique Users)",
    ),
    (
        "Weekly Page Engaged Users",
        "Weekly: The number of people who engaged with your Page. Engagement includes any click or story created. (Unique Users)",
    ),
    (
        "28 Days Page Engaged Users",
        "28 Days: The number of people who engaged with your Page. Engagement includes any click or story created. (Unique Users)",
    ),
    (
        "Daily Total Reach",
        "Daily: The number of people who had any content from your Page or about your Page enter their screen. This includes posts, check-ins, ads, social information from people who interact with your Page and more. (Unique Users)",
    ),
    (
        "Weekly Total Reach",
        "Weekly: The number of people who had any content from your Page or about your Page enter their screen. This includes posts, check-ins, ads, social information from people who interact with your Page and more. (Unique Users)",
    ),
    (
        "28 Days Total Reach",
        "28 Days: The number of people who had any content from your Page or about your Page enter their screen. This includes posts, check-ins, ads, social information from people who interact with your Page and more. (Unique Users)",
    ),
    (
        "Daily Organic Reach",
        "Daily: The number of people who had any content from your Page or about your Page enter their screen through unpaid distribution. This includes posts, stories, check-ins, social information from people who interact with your Page and more. (Unique Users)",
    ),
    (
        "Weekly Organic Reach",
        "Weekly: The number of people who had any content from your Page or about your Page enter their screen through unpaid distribution. This includes posts, stories, check-ins, social information from people who interact with your Page and more. (Unique Users)",
    ),
    (
        "28 Days Organic Reach",
        "28 Days: The number of people who had any content from your Page or about your Page enter their screen through unpaid distribution. This includes posts, stories, check-ins, social information from people who interact with your Page and more. (Unique Users)",
    ),
    (
        "Daily Paid Reach",
        "Daily: The number of people who had any content from your Page or about your Page enter their screen through paid distribution such as an ad. (Unique Users)",
    ),
    (
        "Weekly Paid Reach",
        "Weekly: The number of people who had any content from your Page or about your Page enter their screen through paid distribution such as an ad. (Unique Users)",
    ),
    (
        "28 Days Paid Reach",
        "28 Days: The number of people who had any content from your Page or about your Page enter their screen through paid distribution such as an ad. (Unique Users)",
    ),
    (
        "Daily Viral Reach",
        "Daily:  The number of people who had any content from your Page or about your Page enter their screen through with social information attached. As a form of organic distribution, social information displays when a person's friend interacted with your Page, post or story. This includes when someone's friend likes or follows your Page, engages with a post, shares a photo of your Page and checks into your Page. (Unique Users)",
    ),
    (
        "Weekly Viral Reach",
        "Weekly:  The number of people who had any content from your Page or about your Page enter their screen through with social information attached. As a form of organic distribution, social information displays when a person's friend interacted with your Page, post or story. This includes when someone's friend likes or follows your Page, engages with a post, shares a photo of your Page and checks into your Page. (Unique Users)",
    ),
    (
        "28 Days Viral Reach",
        "28 Days:  The number of people who had any content from your Page or about your Page enter their screen through with social information attached. As a form of organic distribution, social information displays when a person's friend interacted with your Page or post. This includes when someone's friend likes or follows your Page, engages with a post, shares a photo of your Page and checks into your Page. (Unique Users)",
    ),
    (
        "Daily Total Impressions",
        "Daily: The number of times any content from your Page or about your Page entered a person's screen. This includes posts, stories, check-ins, ads, social information from people who interact with your Page and more. (Total Count)",
    ),
    (
        "Weekly Total Impressions",
        "Weekly: The number of times any content from your Page or about your Page entered a person's screen. This includes posts, stories, check-ins, ads, social information from people who interact with your Page and more. (Total Count)",
    ),
    (
        "28 Days Total Impressions",
        "28 Days: The number of times any content from your Page or about your Page entered a person's screen. This includes posts, stories, check-ins, ads, social information from people who interact with your Page and more. (Total Count)",
    ),
    (
        "Daily Organic impressions",
        "Daily: The number of times any content from your Page or about your Page entered a person's screen through unpaid distribution. This includes posts, stories, check-ins, social information from people who interact with your Page and more. (Total Count)",
    ),
    (
        "Weekly Organic impressions",
        "Weekly: The number of times any content from your Page or about your Page entered a person's screen through unpaid distribution. This includes posts, stories, check-ins, social information from people who interact with your Page and more. (Total Count)",
    ),
    (
        "28 Days Organic impressions",
        "28 Days: The number of times any content from your Page or about your Page entered a person's screen through unpaid distribution. This includes posts, stories, check-ins, social information from people who interact with your Page and more. (Total Count)",
    ),
    (
        "Daily Paid Impressions",
        "Daily: The number of times any content from your Page or about your Page entered a person's screen through paid distribution such as an ad. (Total Count)",
    ),
    (
        "Weekly Paid Impressions",
        "Weekly: The number of times any content from your Page or about your Page entered a person's screen through paid distribution such as an ad. (Total Count)",
    ),
    (
        "28 Days Paid Impressions",
        "28 Days: The number of times any content from your Page or about your Page entered a person's screen through paid distribution such as an ad. (Total Count)",
    ),
    (
        "Daily Viral impressions",
        "Daily: The number of times any content from your Page or about your Page entered a person's screen with social information attached. Social information displays when a person's friend interacted with your Page, post or story. This includes when someone's friend likes or follows your Page, engages with a post, shares a photo of your Page and checks into your Page. (Total Count)",
    ),
    (
        "Weekly Viral impressions",
        "Weekly: The number of times any content from your Page or about your Page entered a person's screen with social information attached. Social information displays when a person's friend interacted with your Page, post or story. This includes when someone's friend likes or follows your Page, engages with a post, shares a photo of your Page and checks into your Page. (Total Count)",
    ),
    (
        "28 Days Viral impressions",
        "28 Days: The number of times any content from your Page or about your Page entered a person's screen with social information attached. Social information displays when a person's friend interacted with your Page, post or story. This includes when someone's friend likes or follows your Page, engages with a post, shares a photo of your Page and checks into your Page. (Total Count)",
    ),
    (
        "Daily Logged-in Page Views",
        "Daily: Page Views from users logged into Facebook (Total Count)",
    ),
    (
        "Weekly Logged-in Page Views",
        "Weekly: Page Views from users logged into Facebook (Total Count)",
    ),
    (
        "Daily Logged-in Page Views",
        "Daily: Page Views from users logged into Facebook (Unique Users)",
    ),
    (
        "Weekly Logged-in Page Views",
        "Weekly: Page Views from users logged into Facebook (Unique Users)",
    ),
)
POST_COLUMNS = (
    ("Post ID", ""),
    ("Permalink", ""),
    ("Post Message", ""),
    ("Type", ""),
    ("Countries", ""),
    ("Languages", ""),
    ("Posted", ""),
    ("Audience Targeting", ""),
    (
        "Lifetime Post Total Reach",
        "Lifetime: The number of people who had your Page's post enter their screen. Posts include statuses, photos, links, videos and more. (Unique Users)",
    ),
    (
        "Lifetime Post organic reach",
        "Lifetime: The number of people who had your Page's post enter their screen through unpaid distribution. (Unique Users)",
    ),
    (
        "Lifetime Post Paid Reach",
        "Lifetime: The number of people who had your Page's post enter their screen through paid distribution such as an ad. (Unique Users)",
    ),
    (
        "Lifetime Post Total Impressions",
        "Lifetime: The number of times your Page's post entered a person's screen. Posts include statuses, photos, links, videos and more. (Total Count)",
    ),
    (
        "Lifetime Post Organic Impressions",
        "Lifetime: The number of times your Page's posts entered a person's screen through unpaid distribution. (Total Count)",
    ),
    (
        "Lifetime Post Paid Impressions",
        "Lifetime: The number of times your Page's post entered a person's screen through paid distribution such as an ad. (Total Count)",
    ),
    (
        "Lifetime Engaged Users",
        "Lifetime: The number of unique people who engaged in certain ways with your Page post, for example by commenting on, liking, sharing, or clicking upon particular elements of the post. (Unique Users)",
    ),
    (
        "Lifetime Matched Audience Targeting Consumers on Post",
        "Lifetime: The number of people who matched the audience targeting that clicked anywhere in your post on News Feed. (Unique Users)",
    ),
    (
        "Lifetime Matched Audience Targeting Consumptions on Post",
        "Lifetime: The number of clicks anywhere in your post on News Feed from the user that matched the audience targeting on it. (Total Count)",
    ),
    (
        "Lifetime Negative Feedback from Users",
        "Lifetime: The number of people who have given negative feedback to your post. (Unique Users)",
    ),
    (
        "Lifetime Negative Feedback",
        "Lifetime: The number of times people have given negative feedback to your post. (Total Count)",
    ),
    (
        "Lifetime Post Impressions by people who have liked your Page",
        "Lifetime: The number of impressions of your Page post to people who have liked your Page. (Total Count)",
    ),
    (
        "Lifetime Post reach by people who like your Page",
        "Lifetime: The number of people who saw your Page post because they've liked your Page (Unique Users)",
    ),
    (
        "Lifetime Post Paid Impressions by people who have liked your Page",
        "Lifetime: The number of paid impressions of your Page post to people who have liked your Page. (Total Count)",
    ),
    (
        "Lifetime Paid reach of a post by people who like your Page",
        "Lifetime: The number of people who like your Page and who saw your Page post in an ad or sponsored story. (Unique Users)",
    ),
    (
        "Lifetime People who have liked your Page and engaged with your post",
        "Lifetime: The number of people who have liked your Page and clicked anywhere in your posts. (Unique Users)",
    ),
    (
        "Lifetime Organic views to 95%",
        "Lifetime: Number of times your video was viewed to 95% of its length without any paid promotion. (Unique Users)",
    ),
    (
        "Lifetime Organic views to 95%",
        "Lifetime: Number of times your video was viewed to 95% of its length without any paid promotion. (Total Count)",
    ),
    (
        "Lifetime Paid views to 95%",
        "Lifetime: Number of times your video was viewed to 95% of its length after paid promotion. (Unique Users)",
    ),
    (
        "Lifetime Paid views to 95%",
        "Lifetime: Number of times your video was viewed to 95% of its length after paid promotion. (Total Count)",
    ),
    (
        "Lifetime Organic Video Views",
        "Lifetime: Number of times your video was viewed for more than 3 seconds without any paid promotion. (Unique Users)",
    ),
    (
        "Lifetime Organic Video Views",
        "Lifetime: Number of times your video was viewed for more than 3 seconds without any paid promotion. (Total Count)",
    ),
    (
        "Lifetime Paid Video Views",
        "Lifetime: Number of times your video was viewed more than 3 seconds after paid promotion. (Unique Users)",
    ),
    (
        "Lifetime Paid Video Views",
        "Lifetime: Number of times your video was viewed more than 3 seconds after paid promotion. (Total Count)",
    ),
    ("Lifetime Average time video viewed", "Lifetime: Average time video viewed (Total Count)"),
    ("Lifetime Video length", "Lifetime: Length of a video post (Total Count)"),
    (
        "Lifetime Talking About This (Post) by action type - like",
        "Lifetime: The number of unique people who created a story about your Page post by interacting with it. (Unique Users)",
    ),
    ("Lifetime Talking About This (Post) by action type - share", ""),
    ("Lifetime Talking About This (Post) by action type - comment", ""),
    (
        "Lifetime Post Stories by action type - like",
        "Lifetime: The number of stories created about your Page post, by action type. (Total Count)",
    ),
    ("Lifetime Post Stories by action type - share", ""),
    ("Lifetime Post Stories by action type - comment", ""),
    (
        "Lifetime Post Audience Targeting Unique Consumptions by Type - other clicks",
        "Lifetime: The number of people who matched the audience targeting on the post that clicked anywhere in the post on News Feed, by type. (Unique Users)",
    ),
    ("Lifetime Post Audience Targeting Unique Consumptions by Type - photo view", ""),
    ("Lifetime Post Audience Targeting Unique Consumptions by Type - link clicks", ""),
    ("Lifetime Post Audience Targeting Unique Consumptions by Type - video play", ""),
    (
        "Lifetime Matched Audience Targeting Consumptions by Type - other clicks",
        "Lifetime: The number of clicks anywhere in the post on News Feed from users that matched the audience targeting on the post, by type. (Total Count)",
    ),
    ("Lifetime Matched Audience Targeting Consumptions by Type - photo view", ""),
    ("Lifetime Matched Audience Targeting Consumptions by Type - link clicks", ""),
    ("Lifetime Matched Audience Targeting Consumptions by Type - video play", ""),
    (
        "Lifetime Negative Feedback from Users by Type - hide_all_clicks",
        "Lifetime: The number of times people have given negative feedback to your post, by type. (Total Count)",
    ),
    ("Lifetime Negative Feedback from Users by Type - hide_clicks", ""),
    (
        "Lifetime Negative Feedback by Type - hide_all_clicks",
        "Lifetime: The number of people who have given negative feedback to your post, by type. (Unique Users)",
    ),
    ("Lifetime Negative Feedback by Type - hide_clicks", ""),
)


LEGACY_TYPE = {
    "photo": "Photo",
    "video": "Video",
    "reel": "Video",
    "link": "Link",
    "status": "Status",
}


def _blank(value: int) -> int | str:
    """Facebook leaves a zero daily count empty in these columns."""
    return value if value else ""


def _prefix(values: Sequence[float]) -> list[int]:
    sums, total = [0], 0
    for v in values:
        total += int(v)
        sums.append(total)
    return sums


def page_rows(sim: Simulation, first: date, last: date) -> list[list[object]]:
    """Header, description row and one row a day (oldest first) for local days first..last."""
    imp = [int(v) for v in sim.daily["impressions"]]
    reach = [int(v) for v in sim.daily["reach"]]
    engaged = [int(v) for v in sim.daily["engaged"]]
    views = [int(f * 0.0004 * (1.0 + (i % 7) / 10)) for i, f in enumerate(sim.followers)]
    p_imp, p_reach, p_eng, p_views = _prefix(imp), _prefix(reach), _prefix(engaged), _prefix(views)

    def window(prefix: list[int], i: int, n: int) -> int:
        return prefix[i + 1] - prefix[max(0, i + 1 - n)]

    rows: list[list[object]] = [[h for h, _ in PAGE_COLUMNS], [d for _, d in PAGE_COLUMNS]]
    for i in range(sim.index(first), sim.index(last) + 1):
        r_day = reach[i]
        r_week = max(r_day, int(0.8 * window(p_reach, i, 7)))
        r_28 = max(r_week, int(0.65 * window(p_reach, i, 28)))
        e_day = engaged[i]
        e_week = max(e_day, int(0.85 * window(p_eng, i, 7)))
        e_28 = max(e_week, int(0.7 * window(p_eng, i, 28)))
        i_day, i_week, i_28 = imp[i], window(p_imp, i, 7), window(p_imp, i, 28)
        organic_reach = [int(v * 0.96) for v in (r_day, r_week, r_28)]
        organic_imp = [int(v * 0.93) for v in (i_day, i_week, i_28)]
        v_day, v_week = views[i], window(p_views, i, 7)
        rows.append(
            [
                sim.iso_dates[i],
                sim.followers[i],
                _blank(sim.new[i]),
                _blank(sim.lost[i]),
                e_day, e_week, e_28,
                r_day, r_week, r_28,
                *organic_reach,
                "", "", "",
                *[int(v * 0.35) for v in organic_reach],
                i_day, i_week, i_28,
                *organic_imp,
                "", "", "",
                *[int(v * 0.4) for v in organic_imp],
                _blank(v_day), _blank(v_week), _blank(int(v_day * 0.8)), _blank(int(v_week * 0.7)),
            ]
        )  # fmt: skip
    return rows


def _split_clicks(post: Post, clicks: int) -> list[int | str]:
    """Clicks by type: other clicks, photo view, link clicks, video play (empty for none)."""
    share = {
        "photo": (0.3, 0.7, 0.0, 0.0),
        "video": (0.3, 0.0, 0.0, 0.7),
        "reel": (0.2, 0.0, 0.0, 0.8),
        "link": (0.3, 0.0, 0.7, 0.0),
        "status": (1.0, 0.0, 0.0, 0.0),
    }[post.kind]
    return [_blank(int(clicks * s)) for s in share]


def post_rows(sim: Simulation, first: date, last: date, as_of: date) -> list[list[object]]:
    """Header, description row and one row a post published first..last, newest first."""
    account = sim.account
    as_of_index = sim.index(as_of)
    rows: list[list[object]] = [[h for h, _ in POST_COLUMNS], [d for _, d in POST_COLUMNS]]
    for post in reversed(sim.posts_between(first, last)):
        v = post.at(as_of_index)
        reach, imp, engaged, clicks = v["reach"], v["impressions"], v["engaged"], v["clicks"]
        video = post.kind in ("video", "reel")
        vv = v["video_views"]
        negative = int(reach * 0.0005)
        length = (post.duration or 0) * 1000
        rows.append(
            [
                f"{account.external_id}_{post.post_id}",
                f"https://www.facebook.com/{account.handle}/posts/{post.post_id}",
                post.text,
                LEGACY_TYPE[post.kind],
                "",
                "",
                post.local.strftime("%m/%d/%Y %I:%M:%S %p"),
                " ",
                reach, reach, 0,
                imp, imp, 0,
                engaged,
                min(engaged, int(clicks * 0.9)), clicks,
                negative, negative + (1 if negative else 0),
                int(imp * 0.7), int(reach * 0.68), 0, 0,
                int(engaged * 0.75),
                int(vv * 0.2) if video else 0, int(vv * 0.25) if video else 0, 0, 0,
                int(vv * 0.85) if video else 0, vv if video else 0, 0, 0,
                int(length * 0.3) if video else 0, length if video else 0,
                _blank(int(v["reactions"] * 0.92)), _blank(int(v["shares"] * 0.95)), _blank(int(v["comments"] * 0.8)),
                _blank(v["reactions"]), _blank(v["shares"]), _blank(v["comments"]),
                *_split_clicks(post, int(clicks * 0.9)),
                *_split_clicks(post, clicks),
                "", _blank(negative), "", _blank(negative),
            ]
        )  # fmt: skip
    return rows


def file_name(display_name: str, day: date, posts: bool, ext: str = "csv") -> str:
    """`Facebook Insights Data Export[ (Post Level)] - <Page> - YYYY-MM-DD.<ext>`."""
    level = " (Post Level)" if posts else ""
    return f"Facebook Insights Data Export{level} - {display_name} - {day.isoformat()}.{ext}"


def write_csv(path: Path, rows: list[list[object]]) -> Path:
    return write(path, render(rows, quoting="facebook"), bom=True)


def _xlsx_cells(rows: list[list[object]]) -> list[list[object]]:
    # Spreadsheet cells: numbers stay numbers, empty cells are empty (None), not "".
    return [[None if c == "" else c for c in row] for row in rows]


def write_xlsx(path: Path, rows: list[list[object]], posts: bool, country: str = "") -> Path:
    """The same table on sheet `Key Metrics`, plus one breakdown sheet as Facebook adds them
    (its name cut at 31 characters)."""
    header = rows[0]
    if posts:
        first = header.index("Lifetime Post Stories by action type - like")
        title = "Lifetime Post Stories by action type"
        breakdown = [[r[0], *r[first : first + 3]] for r in rows]
        breakdown[0] = ["Post ID", "like", "share", "comment"]
    else:
        # Lifetime likes by country: the page's fans in Viet Nam, the host country and one more.
        title = "Lifetime Likes by Country"
        host = country or "US"
        codes = ["VN", host, *[c for c in ("US", "JP") if c != host][:1]]
        shares = (0.55, 0.3, 0.15)
        breakdown = [["Date", *[f"{title} - {c}" for c in codes]]]
        breakdown.append(
            [
                "",
                "Lifetime: Aggregated Facebook location data, sorted by country, "
                "about the people who like your Page. (Unique Users)",
                "",
                "",
            ]
        )
        breakdown += [[r[0], *[int(r[1] * s) for s in shares]] for r in rows[2:]]
    data = xlsx_bytes([("Key Metrics", _xlsx_cells(rows)), (title, _xlsx_cells(breakdown))])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
