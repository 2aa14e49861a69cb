"""Command line: a mission's KPIs, or the ranking of the missions by one KPI.

    python -m metrics kpis --mission emb-jp-tokyo --start 2025-03-01 --end 2025-03-31 [--json]
    python -m metrics rank --kpi er_reach --start 2025-03-01 --end 2025-03-31 [--json]

`--json` prints exactly `metrics.kpis(...)` (keys KPI_NAMES, null for unknown, integers for
counts): the numbers a script or a benchmark compares. Without it, a table for people, in the
language of `DIPLOPULSE_LANG` (en, vi). Exit status: 0 done, 2 wrong input (unknown mission,
bad date, no database), 1 the database stayed busy.
"""

from __future__ import annotations

import argparse
import json
import math
import signal
import sys
from collections.abc import Sequence
from datetime import date

import pandas as pd

from connectors.base import PLATFORMS
from data.store import Store, StoreBusy
from i18n import format_number, format_percent, language, t
from metrics import KPIS, Scope, UnknownMission, kpis, ranking


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
    if value is None or pd.isna(value):
        return None
    return round(float(value)) if KPIS[name].is_count else float(value)


def _open(db: str | None) -> Store:
    store = Store(db)
    if not store.path.exists():
        raise UsageError(t("metrics_cli.no_database", db=store.path))
    return store


def _check_window(start: date, end: date) -> None:
    if end < start:
        raise UsageError(t("metrics_cli.bad_window", start=start, end=end))


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
    print(
        t(
            "metrics_cli.kpis_title",
            mission=names[1] if lang == "vi" else names[0],
            mission_id=args.mission,
            platform=args.platform or t("metrics_cli.all_platforms"),
            start=args.start.isoformat(),
            end=args.end.isoformat(),
        )
    )
    labels = {name: t(KPIS[name].label_key) for name in values}
    width = max(len(label) for label in labels.values())
    for name, value in values.items():
        print(f"  {labels[name]:<{width}}  {format_value(name, value, lang):>14}")
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
    print(
        t(
            "metrics_cli.rank_title",
            kpi=t(KPIS[args.kpi].label_key),
            platform=args.platform or t("metrics_cli.all_platforms"),
            start=args.start.isoformat(),
            end=args.end.isoformat(),
        )
    )
    name_column = "name_vi" if lang == "vi" else "name_en"
    for row in frame.itertuples(index=False):
        rank = "–" if pd.isna(row.rank) else str(int(row.rank))
        value = format_value(args.kpi, row.value, lang)
        print(f"  {rank:>4}  {value:>14}  {row.mission_id:<24} {getattr(row, name_column)}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `python -m metrics` (help texts in the current language)."""
    parser = argparse.ArgumentParser(
        prog="python -m metrics", description=t("metrics_cli.description")
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def common(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--start",
            required=True,
            type=_date,
            metavar="YYYY-MM-DD",
            help=t("metrics_cli.start_help"),
        )
        command.add_argument(
            "--end", required=True, type=_date, metavar="YYYY-MM-DD", help=t("metrics_cli.end_help")
        )
        command.add_argument("--platform", choices=PLATFORMS, help=t("metrics_cli.platform_help"))
        command.add_argument("--db", metavar="FILE", help=t("metrics_cli.db_help"))
        command.add_argument("--json", action="store_true", help=t("metrics_cli.json_help"))

    one = sub.add_parser("kpis", help=t("metrics_cli.kpis_help"))
    one.add_argument("--mission", required=True, metavar="ID", help=t("metrics_cli.mission_help"))
    common(one)
    one.set_defaults(handler=cmd_kpis)

    rank = sub.add_parser("rank", help=t("metrics_cli.rank_help"))
    rank.add_argument("--kpi", required=True, choices=list(KPIS), help=t("metrics_cli.kpi_help"))
    rank.add_argument("--limit", type=int, default=0, metavar="N", help=t("metrics_cli.limit_help"))
    common(rank)
    rank.set_defaults(handler=cmd_rank)
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
