"""Command line: a mission's KPIs, the ranking of the missions by one KPI, or the daily values
the store holds for one account.

    python -m metrics kpis --mission emb-jp-tokyo --start 2025-03-01 --end 2025-03-31 [--json]
    python -m metrics compare --mission emb-jp-tokyo --start 2025-03-01 --end 2025-03-31 \
        [--against previous|year] [--json]
    python -m metrics rank --kpi er_reach --start 2025-03-01 --end 2025-03-31 [--json]
    python -m metrics daily --account emb-jp-tokyo-facebook --metric reach \
        --start 2025-03-01 --end 2025-03-31 [--json]
    python -m metrics best-time --mission emb-jp-tokyo --start 2025-03-01 --end 2025-03-31 [--json]
    python -m metrics formats --mission emb-jp-tokyo --start 2025-03-01 --end 2025-03-31 [--json]
    python -m metrics detect-languages [--all] [--db FILE] [--json]

`--json` prints exactly `metrics.kpis(...)` (keys KPI_NAMES, null for unknown, integers for
counts): the numbers a script or a benchmark compares; `daily --json` prints
`[{"date": "YYYY-MM-DD", "value": 42.0}, ...]`, the days with a known value; `compare --json`
prints `{"current": {...}, "previous": {...}, "change": {...}, "left_out": {...}}`
(`metrics.kpi_changes`: changes like for like, a fraction for counts, a difference for ratios); `detect-languages --json` prints `{"posts": n, "platform": n, "detected": n,
"undetermined": n, "detector": "..."}`, the posts whose language it decided. Without it, a table for people, in the
language of `DIPLOPULSE_LANG` (en, vi). Exit status: 0 done, 2 wrong input (unknown mission,
account or metric, bad date, no database), 1 the database stayed busy.
"""

from __future__ import annotations

import argparse
import json
import math
import signal
import sys
from collections.abc import Callable, Sequence
from datetime import date

import pandas as pd

from data.domain import PLATFORMS
from data.store import Store, StoreBusy
from i18n import format_date, format_number, format_percent, language, t, weekday_name
from i18n.names import mission_name
from metrics import (
    COMPARISONS,
    KPIS,
    Scope,
    UnknownAccount,
    UnknownMetric,
    UnknownMission,
    best_time,
    daily_metric_names,
    daily_values,
    kpi_changes,
    kpis,
    post_formats,
    ranking,
)
from metrics.engine import plain_number


def _help(key: str, **params: object) -> str:
    """A translated help text for argparse, which %-formats help: "95 %" must reach it as
    "95 %%" (else `--help` fails)."""
    return t(key, **params).replace("%", "%%")


def _window_arguments(command: argparse.ArgumentParser) -> None:
    """--start and --end, the window every reading command asks for."""
    for flag in ("--start", "--end"):
        command.add_argument(
            flag,
            required=True,
            type=_date,
            metavar="YYYY-MM-DD",
            help=_help(f"metrics_cli.{flag[2:]}_help"),
        )


class UsageError(Exception):
    """Wrong input: the message is printed on one line and the exit status is 2."""


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(t("metrics_cli.bad_date", value=value)) from error


def format_value(name: str, value: float | None, lang: str | None = None) -> str:
    """A KPI value as people read it: whole numbers, percentages for ratios, one decimal for
    rates; `–` for unknown."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    unit = KPIS[name].unit
    if unit == "ratio":
        return format_percent(value, decimals=2, lang=lang)
    if unit == "rate":
        return format_number(value, decimals=1, lang=lang)
    return format_number(value, lang=lang)


def _plain(name: str, value: object) -> float | int | None:
    number = plain_number(value)
    return round(number) if number is not None and KPIS[name].is_count else number


def _open(db: str | None) -> Store:
    store = Store(db)
    if not store.path.exists():
        raise UsageError(t("metrics_cli.no_database", db=store.path))
    return store


def _check_window(start: date, end: date) -> None:
    if end < start:
        raise UsageError(t("metrics_cli.bad_window", start=start, end=end))


def _title(
    key: str, args: argparse.Namespace, names: Sequence[str] | None = None, **more: object
) -> str:
    """The heading of a command's table: `key`'s text with the window, the platform (or all
    platforms) and, given the mission's (name_en, name_vi), its name in the reader's language
    and its id."""
    params: dict[str, object] = {
        "platform": args.platform or t("metrics_cli.all_platforms"),
        "start": _day(args.start),
        "end": _day(args.end),
        **more,
    }
    if names is not None:
        row = {"mission_id": args.mission, "name_en": names[0], "name_vi": names[1]}
        params.update(mission=mission_name(row), mission_id=args.mission)
    return t(key, **params)


def _day(value: date | str | None) -> str:
    """A day in a line people read, written the language's way (22/11/2026, Nov 22, 2026);
    JSON keeps ISO dates."""
    return format_date(date.fromisoformat(value) if isinstance(value, str) else value)


def cmd_kpis(args: argparse.Namespace) -> int:
    """Print one mission's KPIs."""
    _check_window(args.start, args.end)
    store = _open(args.db)
    with store.read() as con:
        try:
            values = kpis(con, args.mission, args.start, args.end, args.platform)
        except UnknownMission as error:
            raise UsageError(t("metrics_cli.unknown_mission", mission=error.mission_id)) from None
        names = con.execute(
            "SELECT name_en, name_vi FROM missions WHERE mission_id = ?", [args.mission]
        ).fetchall()[0]
    if args.json:
        print(json.dumps(values, ensure_ascii=False))
        return 0
    lang = language()
    print(_title("metrics_cli.kpis_title", args, names))
    labels = {name: t(KPIS[name].label_key) for name in values}
    width = max(len(label) for label in labels.values())
    for name, value in values.items():
        print(f"  {labels[name]:<{width}}  {format_value(name, value, lang):>14}")
    return 0


def format_change(name: str, value: float | None, lang: str | None = None) -> str:
    """A like-for-like change as people read it: `+12.5%` for counts, `+0.07 pt` for ratios."""
    if value is None:
        return "–"
    if KPIS[name].change == "points":
        text = format_number(abs(value) * 100, decimals=2, lang=lang)
        return t("metrics_cli.points", sign="−" if value < 0 else "+", value=text, lang=lang)
    text = format_percent(abs(value), decimals=1, lang=lang)
    return f"{'−' if value < 0 else '+'}{text}"


def cmd_compare(args: argparse.Namespace) -> int:
    """Print one mission's KPIs, the compared period's and the like-for-like changes."""
    _check_window(args.start, args.end)
    store = _open(args.db)
    with store.read() as con:
        try:
            result = kpi_changes(
                con, args.mission, args.start, args.end, args.platform, args.against
            )
        except UnknownMission as error:
            raise UsageError(t("metrics_cli.unknown_mission", mission=error.mission_id)) from None
    if args.json:
        keys = ("current", "previous", "change", "left_out")
        print(json.dumps({key: result[key] for key in keys}, ensure_ascii=False))
        return 0
    lang = language()
    print(
        t(
            "metrics_cli.compare_title",
            mission_id=args.mission,
            start=_day(args.start),
            end=_day(args.end),
            against=t(f"metrics_cli.against.{args.against}"),
        )
    )
    labels = {name: t(KPIS[name].label_key) for name in KPIS}
    width = max(len(label) for label in labels.values())
    for name in KPIS:
        current = format_value(name, result["current"][name], lang)
        previous = format_value(name, result["previous"][name], lang)
        change = format_change(name, result["change"][name], lang)
        note = ""
        if result["reason"][name]:
            note = t(f"metrics_cli.reason.{result['reason'][name]}")
        elif result["left_out"][name]:
            note = t("metrics_cli.left_out", accounts=", ".join(result["left_out"][name]))
        line = f"  {labels[name]:<{width}}  {current:>14}  {previous:>14}  {change:>10}  {note}"
        print(line.rstrip())
    return 0


def cmd_rank(args: argparse.Namespace) -> int:
    """Print the missions ranked by one KPI."""
    _check_window(args.start, args.end)
    store = _open(args.db)
    scope = Scope(args.start, args.end, platforms=(args.platform,) if args.platform else None)
    with store.read() as con:
        frame = ranking(con, args.kpi, scope)
    if args.limit:
        frame = frame.head(args.limit)
    if args.json:
        rows = [
            {
                "rank": None if pd.isna(row.rank) else int(row.rank),
                "mission_id": row.mission_id,
                "name_en": row.name_en,
                "name_vi": row.name_vi,
                "value": _plain(args.kpi, row.value),
            }
            for row in frame.itertuples(index=False)
        ]
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    lang = language()
    print(_title("metrics_cli.rank_title", args, kpi=t(KPIS[args.kpi].label_key)))
    for row in frame.to_dict("records"):
        rank = "–" if pd.isna(row["rank"]) else str(int(row["rank"]))
        value = format_value(args.kpi, row["value"], lang)
        print(f"  {rank:>4}  {value:>14}  {row['mission_id']:<24} {mission_name(row, lang)}")
    return 0


def _daily_value(value: float, lang: str) -> str:
    # Most daily metrics are counts; watch time in hours is not, and is shown to 2 decimals.
    decimals = 0 if float(value).is_integer() else 2
    return format_number(value, decimals=decimals, lang=lang)


def cmd_daily(args: argparse.Namespace) -> int:
    """Print the stored daily values of one account and metric (newest export per day)."""
    _check_window(args.start, args.end)
    # Checked before opening the store, so that a typo is answered without a database.
    if args.metric not in daily_metric_names():
        raise UsageError(
            t(
                "metrics_cli.unknown_metric",
                metric=args.metric,
                metrics=", ".join(daily_metric_names()),
            )
        )
    store = _open(args.db)
    with store.read() as con:
        try:
            values = daily_values(con, args.account, args.metric, args.start, args.end)
        except UnknownAccount as error:
            raise UsageError(t("metrics_cli.unknown_account", account=error.account_id)) from None
        except UnknownMetric as error:  # the name list changed between the check and the call
            raise UsageError(
                t(
                    "metrics_cli.unknown_metric",
                    metric=error.metric,
                    metrics=", ".join(daily_metric_names()),
                )
            ) from None
    if args.json:
        rows = [{"date": day.isoformat(), "value": value} for day, value in values]
        print(json.dumps(rows))
        return 0
    lang = language()
    print(
        t(
            "metrics_cli.daily_title",
            account=args.account,
            metric=args.metric,
            start=_day(args.start),
            end=_day(args.end),
            days=format_number(len(values), lang=lang),
        )
    )
    if not values:
        print(f"  {t('metrics_cli.daily_none')}")
    days = [_day(day) for day, _ in values]
    width = max((len(day) for day in days), default=0)  # "Aug 1, 2026", "Aug 12, 2026"
    for day, (_, value) in zip(days, values, strict=True):
        print(f"  {day:<{width}}  {_daily_value(value, lang):>14}")
    return 0


# -- events: an event against the mission's baseline (issue #7 part 5) -----------------------


def cmd_event(args: argparse.Namespace) -> int:
    """Print an event's KPIs against the mission's baseline, with the uplift's interval."""
    from data.events import EventsError, load_events
    from data.registry import registry_folder
    from metrics import UnknownEvent, baseline_window, event_uplift, find_event

    if args.baseline_days is not None and args.baseline_days < 1:
        raise UsageError(t("events.cli_bad_baseline", value=args.baseline_days))
    folder = args.registry or registry_folder()
    try:
        event = find_event(load_events(folder), args.event)
    except EventsError as error:
        raise UsageError(error.message(language())) from None
    except UnknownEvent:
        raise UsageError(
            t("events.cli_unknown_event", event=args.event, file=f"{folder}/events.csv")
        ) from None
    store = _open(args.db)
    with store.read() as con:
        try:
            values = event_uplift(con, args.mission, event, args.baseline_days)
        except UnknownMission as error:
            raise UsageError(t("metrics_cli.unknown_mission", mission=error.mission_id)) from None
        names = con.execute(
            "SELECT name_en, name_vi FROM missions WHERE mission_id = ?", [args.mission]
        ).fetchall()[0]
    if args.json:
        print(json.dumps({"kpis": values}, ensure_ascii=False))
        return 0
    lang = language()
    base_start, base_end = baseline_window(event, args.baseline_days)
    print(
        t(
            "events.cli_title",
            event=event.name(lang),
            start=_day(event.start),
            end=_day(event.end),
            mission=names[1] if lang == "vi" else names[0],
            base_start=_day(base_start),
            base_end=_day(base_end),
        )
    )
    print(f"  ({t('events.cli_columns')})")
    labels = {name: t(KPIS[name].label_key) for name in values}
    width = max(len(label) for label in labels.values())

    def percent(value: float | None) -> str:
        return format_percent(value, decimals=1, lang=lang)

    for name, row in values.items():
        print(
            f"  {labels[name]:<{width}}  {format_value(name, row['event'], lang):>12}"
            f"  {format_number(row['baseline'], decimals=1, lang=lang):>12}"
            f"  {percent(row['uplift']):>9} [{percent(row['low'])}, {percent(row['high'])}]"
        )
    return 0


def add_event_command(sub: argparse._SubParsersAction) -> None:
    """`python -m metrics event --mission ID --event EVENT_ID [--baseline-days N] [--json]`."""
    event = sub.add_parser("event", help=_help("events.cli_help"))
    event.add_argument(
        "--mission", required=True, metavar="ID", help=_help("metrics_cli.mission_help")
    )
    event.add_argument(
        "--event", required=True, metavar="EVENT_ID", help=_help("events.cli_event_help")
    )
    event.add_argument(
        "--baseline-days", type=int, metavar="N", help=_help("events.cli_baseline_help")
    )
    event.add_argument("--registry", metavar="DIR", help=_help("events.cli_registry_help"))
    event.add_argument("--db", metavar="FILE", help=_help("metrics_cli.db_help"))
    event.add_argument("--json", action="store_true", help=_help("metrics_cli.json_help"))
    event.set_defaults(handler=cmd_event)


# -- issue #7: the Content page's numbers (best time to post, formats) ------------------------


def _mission_row(con: object, mission_id: str) -> tuple[str, str, str]:
    """(name_en, name_vi, timezone) of a registry mission; UsageError when unknown."""
    rows = con.execute(  # type: ignore[attr-defined]
        "SELECT name_en, name_vi, timezone FROM missions WHERE mission_id = ?", [mission_id]
    ).fetchall()
    if not rows:
        raise UsageError(t("metrics_cli.unknown_mission", mission=mission_id))
    return rows[0]


def _mission_scope(args: argparse.Namespace) -> Scope:
    platforms = (args.platform,) if args.platform else None
    return Scope(args.start, args.end, missions=(args.mission,), platforms=platforms)


def cmd_best_time(args: argparse.Namespace) -> int:
    """Print the median engagement rate per weekday and hour of one mission's posts."""
    _check_window(args.start, args.end)
    store = _open(args.db)
    with store.read() as con:
        name_en, name_vi, zone = _mission_row(con, args.mission)
        result = best_time(con, _mission_scope(args))
    cells = [
        {
            "weekday": int(row.weekday),
            "hour": int(row.hour),
            "posts": int(row.posts),
            "median": None if pd.isna(row.median) else float(row.median),
            "enough": bool(row.enough),
        }
        for row in result.cells.itertuples(index=False)
    ]
    if args.json:
        out = {
            "mission_id": args.mission,
            "timezone": zone,
            "rate": result.rate,
            "min_posts": result.min_posts,
            "rated": result.rated,
            "untimed": result.untimed,
            "unrated": result.unrated,
            "cells": cells,
        }
        print(json.dumps(out, ensure_ascii=False))
        return 0
    lang = language()
    print(_title("content.cli.best_time_title", args, (name_en, name_vi), zone=zone))
    if not cells:
        print(f"  {t('content.cli.no_cell')}")
    width = max(len(weekday_name(d, lang)) for d in range(1, 8))
    for cell in cells:
        median = format_percent(cell["median"], decimals=2, lang=lang)
        note = "" if cell["enough"] else t("content.best.n_below", n=result.min_posts)
        day = weekday_name(cell["weekday"], lang)
        line = f"  {day:<{width}}  {cell['hour']:02d}:00  {cell['posts']:>5}  {median:>8}  {note}"
        print(line.rstrip())
    for key, count in (("untimed", result.untimed), ("unrated", result.unrated)):
        if count:
            print(t(f"content.best.{key}", n=format_number(count, lang=lang)))
    return 0


def cmd_formats(args: argparse.Namespace) -> int:
    """Print posts, interactions and interactions per post by format for one mission."""
    _check_window(args.start, args.end)
    store = _open(args.db)
    with store.read() as con:
        name_en, name_vi, _ = _mission_row(con, args.mission)
        frame = post_formats(con, _mission_scope(args))

    rows = [
        {
            "format": row.format,
            "posts": int(row.posts),
            "interactions": None if pd.isna(row.interactions) else round(row.interactions),
            "interactions_per_post": plain_number(row.interactions_per_post),
        }
        for row in frame.itertuples(index=False)
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    lang = language()
    print(_title("content.cli.formats_title", args, (name_en, name_vi)))
    labels = {row["format"]: t(f"content.format.{row['format']}") for row in rows}
    width = max((len(label) for label in labels.values()), default=0)
    for row in rows:
        interactions = format_number(row["interactions"], lang=lang)
        per_post = format_number(row["interactions_per_post"], decimals=1, lang=lang)
        print(
            f"  {labels[row['format']]:<{width}}  {row['posts']:>6}  {interactions:>10}"
            f"  {per_post:>10}"
        )
    return 0


def add_content_commands(sub: argparse._SubParsersAction, common: Callable) -> None:
    """`best-time` and `formats` (issue #7, the Content page's numbers)."""
    best = sub.add_parser("best-time", help=_help("content.cli.best_time_help"))
    best.add_argument(
        "--mission", required=True, metavar="ID", help=_help("metrics_cli.mission_help")
    )
    common(best)
    best.set_defaults(handler=cmd_best_time)

    kinds = sub.add_parser("formats", help=_help("content.cli.formats_help"))
    kinds.add_argument(
        "--mission", required=True, metavar="ID", help=_help("metrics_cli.mission_help")
    )
    common(kinds)
    kinds.set_defaults(handler=cmd_formats)


# -- themes (issue #7, part 2) and the ambassador beside the mission (part 4) ---------------


def _theme_rules_or_usage() -> object:
    from data.themes import ThemesError
    from metrics import theme_rules

    try:
        return theme_rules()
    except ThemesError as error:
        raise UsageError(error.message()) from None


def cmd_themes(args: argparse.Namespace) -> int:
    """Print a mission's posts, interactions and interactions per post per theme."""
    from data.themes import theme_label
    from metrics import theme_list

    _check_window(args.start, args.end)
    rules = _theme_rules_or_usage()
    store = _open(args.db)
    with store.read() as con:
        try:
            rows = theme_list(con, args.mission, args.start, args.end, args.platform, rules)
        except UnknownMission as error:
            raise UsageError(t("metrics_cli.unknown_mission", mission=error.mission_id)) from None
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    lang = language()
    rules_file = rules.source  # type: ignore[attr-defined]
    print(_title("themes.cli.themes_title", args, mission_id=args.mission, rules=rules_file))
    labels = {row["theme"]: theme_label(str(row["theme"]), lang) for row in rows}
    width = max([len(label) for label in labels.values()] + [len(t("themes.cli.col.theme"))])
    print(
        f"  {t('themes.cli.col.theme'):<{width}}  {t('themes.cli.col.posts'):>8}  "
        f"{t('themes.cli.col.interactions'):>12}  {t('themes.cli.col.per_post'):>10}"
    )
    for row in rows:
        interactions = row["interactions"]
        per_post = row["interactions_per_post"]
        print(
            f"  {labels[row['theme']]:<{width}}  {format_number(row['posts'], lang=lang):>8}  "
            f"{'–' if interactions is None else format_number(interactions, lang=lang):>12}  "
            f"{'–' if per_post is None else format_number(per_post, decimals=1, lang=lang):>10}"
        )
    return 0


def cmd_ambassador(args: argparse.Namespace) -> int:
    """Print the ambassador's numbers beside the mission's and the shared-theme share."""
    from metrics import ambassador_summary

    _check_window(args.start, args.end)
    rules = _theme_rules_or_usage()
    store = _open(args.db)
    with store.read() as con:
        try:
            result = ambassador_summary(con, args.mission, args.start, args.end, rules=rules)
        except UnknownMission as error:
            raise UsageError(t("metrics_cli.unknown_mission", mission=error.mission_id)) from None
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    lang = language()
    print(
        t(
            "themes.cli.ambassador_title",
            mission_id=args.mission,
            start=_day(args.start),
            end=_day(args.end),
        )
    )
    if not result["has_ambassador"]:
        print(f"  {t('themes.cli.no_ambassador', mission_id=args.mission)}")
    owners = result["owners"]
    labels = {name: t(KPIS[name].label_key) for name in ("followers_end", "posts", "interactions")}
    width = max(len(label) for label in labels.values())
    head = f"{t('themes.owner.mission'):>18}  {t('themes.owner.ambassador'):>18}"
    print(f"  {'':<{width}}  {head}")
    for name, label in labels.items():
        values = [
            format_value(name, None if owners[o] is None else owners[o][name], lang)
            for o in ("mission", "ambassador")
        ]
        print(f"  {label:<{width}}  {values[0]:>18}  {values[1]:>18}")
    shared = result["shared_theme"]
    share = shared["share"]
    print(
        "  "
        + t(
            "themes.cli.share_line",
            share="–" if share is None else format_percent(share, decimals=1, lang=lang),
            sharing=shared["sharing"],
            with_text=shared["with_text"],
            posts=shared["posts"],
        )
    )
    return 0


def add_theme_commands(sub: argparse._SubParsersAction, common: object) -> None:
    """`themes` and `ambassador`, added to the parser by `build_parser`."""
    themes = sub.add_parser("themes", help=_help("themes.cli.themes_help"))
    themes.add_argument(
        "--mission", required=True, metavar="ID", help=_help("metrics_cli.mission_help")
    )
    common(themes)  # type: ignore[operator]
    themes.set_defaults(handler=cmd_themes)

    ambassador = sub.add_parser("ambassador", help=_help("themes.cli.ambassador_help"))
    ambassador.add_argument(
        "--mission", required=True, metavar="ID", help=_help("metrics_cli.mission_help")
    )
    _window_arguments(ambassador)
    ambassador.add_argument("--db", metavar="FILE", help=_help("metrics_cli.db_help"))
    ambassador.add_argument(
        "--json", action="store_true", help=_help("themes.cli.ambassador_json_help")
    )
    ambassador.set_defaults(handler=cmd_ambassador)


# -- end of themes ---------------------------------------------------------------------------


# -- objectives and alerts (issue #7, parts 6 and 7) --------------------------------------------


def _registry_folder(folder: str | None):
    # The dashboard's rule (DIPLOPULSE_REGISTRY, else data/registry/), not a copy of it.
    from pathlib import Path

    from data.registry import registry_folder

    return Path(folder) if folder else registry_folder()


def _objective_json(row: dict) -> dict:
    def day(value: object) -> str | None:
        return None if value is None or pd.isna(value) else value.isoformat()

    return {
        "mission_id": row["mission_id"],
        "kpi": row["kpi"],
        "start": day(row["start"]),
        "end": day(row["end"]),
        "target": plain_number(row["target"]),
        "reading": row["reading"],
        "status": row["status"],
        "as_of": day(row["as_of"]),
        "elapsed_days": int(row["elapsed_days"]),
        "period_days": int(row["period_days"]),
        "baseline": plain_number(row["baseline"]),
        "actual": plain_number(row["actual"]),
        "expected": plain_number(row["expected"]),
        "progress": plain_number(row["progress"]),
        "on_track": row["on_track"] if isinstance(row["on_track"], bool) else None,
    }


def cmd_objectives(args: argparse.Namespace) -> int:
    """Print each objective of one mission with its actual value, progress and on-track."""
    from data.localtime import ministry_today
    from data.objectives import ObjectivesError, objectives_file
    from metrics import progress, read_objectives

    on = args.on or ministry_today()
    store = _open(args.db)
    path = objectives_file(_registry_folder(args.registry))
    with store.read() as con:
        from metrics import mission_exists

        if not mission_exists(con, args.mission):
            raise UsageError(t("metrics_cli.unknown_mission", mission=args.mission))
        try:
            objectives = read_objectives(con, path)
        except ObjectivesError as error:
            raise UsageError(error.message(language())) from None
        mine = tuple(o for o in objectives if o.mission_id == args.mission)
        frame = progress(con, mine, on)
    rows = [_objective_json(row) for row in frame.to_dict("records")]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    lang = language()
    print(t("objectives.cli_title", mission_id=args.mission, on=_day(on)))
    if not rows:
        print(f"  {t('objectives.cli_none')}")
    for row in rows:
        state = (
            t(f"objectives.on_track.{str(row['on_track']).lower()}")
            if row["on_track"] is not None
            else t("objectives.cli_unknown")
        )
        print(
            "  "
            + t(
                "objectives.cli_row",
                kpi=t(KPIS[row["kpi"]].label_key),
                start=_day(row["start"]),
                end=_day(row["end"]),
                actual=format_value(row["kpi"], row["actual"], lang),
                target=format_value(row["kpi"], row["target"], lang),
                progress="–"
                if row["progress"] is None
                else format_percent(row["progress"], decimals=0, lang=lang),
                expected=format_value(row["kpi"], row["expected"], lang),
                state=state,
            )
        )
    return 0


def _alert_json(row: dict) -> dict:
    return {
        "account_id": row["account_id"],
        "mission_id": row["mission_id"],
        "platform": row["platform"],
        "owner": row["owner"],
        "day": row["day"].isoformat(),
        "metric": row["metric"],
        "value": plain_number(row["value"]),
        "median": plain_number(row["median"]),
        "mad": plain_number(row["mad"]),
        "scale": plain_number(row["scale"]),
        "baseline_days": int(row["baseline_days"]),
        "direction": row["direction"],
        "posts": [
            post | {"published_date": post["published_date"].isoformat()} for post in row["posts"]
        ],
    }


def cmd_alerts(args: argparse.Namespace) -> int:
    """Print the spikes and drops of the period (of one mission's accounts, or all)."""
    from metrics import alerts, mission_exists

    _check_window(args.start, args.end)
    store = _open(args.db)
    scope = Scope(args.start, args.end, missions=(args.mission,) if args.mission else None)
    with store.read() as con:
        if args.mission and not mission_exists(con, args.mission):
            raise UsageError(t("metrics_cli.unknown_mission", mission=args.mission))
        frame = alerts(con, scope)
    rows = [_alert_json(row) for row in frame.to_dict("records")]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    lang = language()
    print(
        t(
            "alerts.cli_title",
            start=_day(args.start),
            end=_day(args.end),
            count=format_number(len(rows), lang=lang),
        )
    )
    for row in rows:
        print(
            "  "
            + t(
                "alerts.cli_row",
                day=_day(row["day"]),
                account=row["account_id"],
                metric=t(f"alerts.metric.{row['metric']}"),
                value=format_number(row["value"], lang=lang),
                direction=t(f"alerts.direction.{row['direction']}"),
                median=format_number(row["median"], decimals=1, lang=lang),
                mad=format_number(row["mad"], decimals=1, lang=lang),
            )
        )
        for post in row["posts"]:
            text = " ".join(str(post["text"] or "").split())[:70]
            interactions = (
                "–"
                if post["interactions"] is None
                else format_number(post["interactions"], lang=lang)
            )
            print(f"      {interactions:>10}  {post['post_id']}  {text}")
    return 0


def _goals_parsers(sub: argparse._SubParsersAction) -> None:
    """The `objectives` and `alerts` commands."""
    goals = sub.add_parser("objectives", help=_help("objectives.cli_help"))
    goals.add_argument(
        "--mission", required=True, metavar="ID", help=_help("metrics_cli.mission_help")
    )
    goals.add_argument("--on", type=_date, metavar="YYYY-MM-DD", help=_help("objectives.on_help"))
    goals.add_argument("--registry", metavar="DIR", help=_help("objectives.registry_help"))
    goals.add_argument("--db", metavar="FILE", help=_help("metrics_cli.db_help"))
    goals.add_argument("--json", action="store_true", help=_help("metrics_cli.json_help"))
    goals.set_defaults(handler=cmd_objectives)

    alert = sub.add_parser("alerts", help=_help("alerts.cli_help"))
    _window_arguments(alert)
    alert.add_argument("--mission", metavar="ID", help=_help("alerts.mission_help"))
    alert.add_argument("--db", metavar="FILE", help=_help("metrics_cli.db_help"))
    alert.add_argument("--json", action="store_true", help=_help("metrics_cli.json_help"))
    alert.set_defaults(handler=cmd_alerts)


# -----------------------------------------------------------------------------------------------


# -- index (issue #7 part 9): the Digital Diplomacy Index of a peer group -----------------------


def cmd_index(args: argparse.Namespace) -> int:
    """Print the Digital Diplomacy Index of the peer group's missions, best first."""
    from metrics.index import (
        COMPONENTS,
        PeersError,
        WeightsError,
        diplomacy_index,
        index_records,
        load_weights,
        parse_peers,
    )

    _check_window(args.start, args.end)
    try:
        peers = parse_peers(args.peers)
        weights = load_weights(args.registry)
    except (PeersError, WeightsError) as error:
        raise UsageError(error.message()) from None
    store = _open(args.db)
    owners = (args.owner,) if args.owner else None
    with store.read() as con:
        frame = diplomacy_index(
            con, args.start, args.end, peers, weights, platforms=args.platform, owners=owners
        )
    if args.json:
        print(json.dumps(index_records(frame), ensure_ascii=False))
        return 0
    lang = language()
    print(
        t(
            "index.cli_title",
            peers=peers.text,
            start=_day(args.start),
            end=_day(args.end),
        )
    )
    if frame.empty:
        print(f"  {t('index.cli_empty')}")
    for row in frame.to_dict("records"):
        value = "–" if pd.isna(row["score"]) else format_number(row["score"], decimals=1, lang=lang)
        parts = ", ".join(
            f"{t(f'index.component.{c}')} {format_number(row[f'{c}_contribution'], 1, lang=lang)}"
            for c in COMPONENTS
            if not pd.isna(row[f"{c}_contribution"])
        )
        print(f"  {value:>6}  {row['mission_id']:<24} {mission_name(row, lang)}")
        if parts:
            print(f"          {parts}")
        if row["missing"]:
            missing = ", ".join(t(f"index.component.{c}") for c in row["missing"])
            print(f"          {t('index.cli_missing', components=missing)}")
    return 0


def add_index_parser(sub: argparse._SubParsersAction) -> None:
    """`python -m metrics index --start --end [--peers] [--platform ...] [--owner] [--db]
    [--registry] [--json]`."""
    index = sub.add_parser("index", help=_help("index.cli_help"))
    _window_arguments(index)
    index.add_argument("--peers", default="all", metavar="GROUP", help=_help("index.peers_help"))
    index.add_argument(
        "--platform", action="append", choices=PLATFORMS, help=_help("index.platform_help")
    )
    index.add_argument("--owner", choices=("mission", "ambassador"), help=_help("index.owner_help"))
    index.add_argument("--db", metavar="FILE", help=_help("metrics_cli.db_help"))
    index.add_argument("--registry", metavar="DIR", help=_help("index.registry_help"))
    index.add_argument("--json", action="store_true", help=_help("index.json_help"))
    index.set_defaults(handler=cmd_index)


# -- languages: decide the language of the posts (issue #7 part 1) ------------------------------


def cmd_detect_languages(args: argparse.Namespace) -> int:
    """Decide the language of the posts that have none yet or whose text, platform field,
    mission languages or detector changed (every post with --all), and publish the store."""
    from data.languages import DETECTOR_VERSION, detect_post_languages

    store = _open(args.db)
    with store.write() as cur:
        counts = detect_post_languages(cur, None, redo=args.all)
    if args.json:
        print(json.dumps({**counts.as_dict(), "detector": DETECTOR_VERSION}, ensure_ascii=False))
        return 0
    lang = language()
    print(
        t(
            "languages.detected",
            posts=format_number(counts.posts, lang=lang),
            platform=format_number(counts.platform, lang=lang),
            detected=format_number(counts.detected, lang=lang),
            undetermined=format_number(counts.undetermined, lang=lang),
            detector=DETECTOR_VERSION,
        )
    )
    return 0


def add_languages_command(sub: argparse._SubParsersAction) -> None:
    """`detect-languages [--all] [--db FILE] [--json]`."""
    detect = sub.add_parser("detect-languages", help=_help("languages.cli_help"))
    detect.add_argument("--all", action="store_true", help=_help("languages.all_help"))
    detect.add_argument("--db", metavar="FILE", help=_help("metrics_cli.db_help"))
    detect.add_argument("--json", action="store_true", help=_help("languages.json_help"))
    detect.set_defaults(handler=cmd_detect_languages)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `python -m metrics` (help texts in the current language)."""
    parser = argparse.ArgumentParser(
        prog="python -m metrics", description=t("metrics_cli.description")
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def common(command: argparse.ArgumentParser) -> None:
        _window_arguments(command)
        command.add_argument(
            "--platform", choices=PLATFORMS, help=_help("metrics_cli.platform_help")
        )
        command.add_argument("--db", metavar="FILE", help=_help("metrics_cli.db_help"))
        command.add_argument("--json", action="store_true", help=_help("metrics_cli.json_help"))

    one = sub.add_parser("kpis", help=_help("metrics_cli.kpis_help"))
    one.add_argument(
        "--mission", required=True, metavar="ID", help=_help("metrics_cli.mission_help")
    )
    common(one)
    one.set_defaults(handler=cmd_kpis)

    both = sub.add_parser("compare", help=_help("metrics_cli.compare_help"))
    both.add_argument(
        "--mission", required=True, metavar="ID", help=_help("metrics_cli.mission_help")
    )
    both.add_argument(
        "--against", choices=COMPARISONS, default="previous", help=_help("metrics_cli.against_help")
    )
    common(both)
    both.set_defaults(handler=cmd_compare)

    rank = sub.add_parser("rank", help=_help("metrics_cli.rank_help"))
    rank.add_argument(
        "--kpi", required=True, choices=list(KPIS), help=_help("metrics_cli.kpi_help")
    )
    rank.add_argument(
        "--limit", type=int, default=0, metavar="N", help=_help("metrics_cli.limit_help")
    )
    common(rank)
    rank.set_defaults(handler=cmd_rank)

    daily = sub.add_parser("daily", help=_help("metrics_cli.daily_help"))
    daily.add_argument(
        "--account", required=True, metavar="ID", help=_help("metrics_cli.account_help")
    )
    # No argparse `choices`: an unknown name gets the one-line message listing the names, and
    # the names are read when the command runs (connectors may add daily metrics).
    daily.add_argument(
        "--metric",
        required=True,
        metavar="NAME",
        help=_help("metrics_cli.metric_help", metrics=", ".join(daily_metric_names())),
    )
    _window_arguments(daily)
    daily.add_argument("--db", metavar="FILE", help=_help("metrics_cli.db_help"))
    daily.add_argument("--json", action="store_true", help=_help("metrics_cli.daily_json_help"))
    daily.set_defaults(handler=cmd_daily)
    add_event_command(sub)
    add_content_commands(sub, common)  # issue #7: best-time, formats
    add_theme_commands(sub, common)
    add_index_parser(sub)  # issue #7 part 9
    _goals_parsers(sub)  # objectives and alerts (issue #7)
    add_languages_command(sub)  # issue #7 part 1: detect-languages
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `python -m metrics`; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except UsageError as error:
        print(str(error), file=sys.stderr)
        return 2
    except StoreBusy as error:
        print(t("metrics_cli.store_busy", detail=str(error)), file=sys.stderr)
        return 1


if __name__ == "__main__":
    # Piped into `head`: stop quietly when the reader has gone, as other command-line tools do.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
