"""Command line: `python -m connectors import PATH...`, `status` and `formats`.

`import` prints one line per file (format, account, rows, or why it was refused) and exits 1 when
any file was refused, else 0. `status` lists the imports and the coverage per mission and platform
(as the Data page shows it; `--accounts` adds the technical detail per account).
`formats [--json] [--registry DIR]` lists the export formats read, their required and optional
columns, and the header aliases known for them (built-in by language, and the registry's).
Messages follow `DIPLOPULSE_LANG` (en, vi); `status --lang vi` writes the log in Vietnamese.
"""

from __future__ import annotations

import argparse
import json
import numbers
import signal
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

import i18n
from connectors import logmessages
from connectors.aliases import AliasFileError
from connectors.base import display_text, format_label
from connectors.importer import Importer
from connectors.reading import default_workers
from data import queries
from data.localtime import HOME_ZONE, ministry_time, ministry_today
from data.registry import RegistryError
from data.store import Store, StoreBusy, default_db_path
from i18n import t
from i18n.collation import ranked_rows, sort_by_name
from i18n.names import mission_name, owner_label, platform_label

if TYPE_CHECKING:
    from metrics.coverage import MissionCoverage


def _progress_printer(stream: object) -> object:
    def progress(done: int, total: int, name: str) -> None:
        if name and stream.isatty():  # a running count on a terminal, erased by the result line
            stream.write(f"\r[{done + 1}/{total}] {display_text(name, 90)}\033[K")
            stream.flush()

    return progress


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(t("cli.bad_date", value=value)) from error


#: DuckDB's memory in a command-line import (a 200 MB export peaks at about 0.6 GB with it)
IMPORT_MEMORY = "512MB"


def cmd_import(args: argparse.Namespace) -> int:
    """Import files, folders and zips; one line per file."""
    store = Store(args.db)
    # A large file is read and written one chunk at a time; merging it into the store is one
    # DuckDB statement, which would otherwise keep gigabytes of buffers (issue #5).
    store.limit_memory(IMPORT_MEMORY)
    try:
        importer = Importer(
            store,
            registry_dir=args.registry,
            account=args.account,
            origin="cli",
            as_of=args.as_of,
            workers=max(0, args.workers),  # processes that parse files while this one writes
        )
    except (RegistryError, AliasFileError) as error:
        print(t("cli.registry_error", file=error.file, detail=error.detail), file=sys.stderr)
        return 1
    refused = 0
    total = 0
    progress = _progress_printer(sys.stderr)
    try:
        for source_result in importer.iter_import(args.paths, progress=progress):
            total += 1
            if sys.stderr.isatty():
                sys.stderr.write("\r\033[K")
            print(source_result.message(), flush=True)
            refused += not source_result.ok
    except StoreBusy as error:
        print(t("cli.store_busy", detail=str(error)), file=sys.stderr)
        return 1
    if total == 0:
        print(t("cli.no_files"), file=sys.stderr)
        return 1
    print(t("cli.import_summary", total=total, refused=refused), file=sys.stderr)
    return 1 if refused else 0


def _cell(value: object) -> str:
    """A table cell as read in a terminal: unknown is "–", a day in the language's format, a
    count as a whole number in its grouping."""
    if value is None or pd.isna(value):
        return "–"
    if isinstance(value, date):
        return i18n.format_date(value.date() if isinstance(value, datetime) else value)
    if isinstance(value, numbers.Real):  # numpy's integers too (a frame's row counts)
        return i18n.format_number(value)
    return display_text(str(value), 80)


def _text_table(frame: pd.DataFrame, columns: dict[str, str], numeric: set[str]) -> str:
    """`frame`'s `columns` (column -> label) as aligned text: counts to the right, the rest to
    the left, indented two spaces; "  –" when there are no rows."""
    if frame.empty:
        return "  –"
    cells = [[_cell(v) for v in frame[c].astype(object)] for c in columns]
    widths = [
        max(len(label), *map(len, col)) for label, col in zip(columns.values(), cells, strict=True)
    ]

    def line(values: list[str]) -> str:
        return (
            "  "
            + "  ".join(
                v.rjust(w) if c in numeric else v.ljust(w)
                for c, v, w in zip(columns, values, widths, strict=True)
            ).rstrip()
        )

    return "\n".join(
        [line(list(columns.values()))] + [line(list(r)) for r in zip(*cells, strict=True)]
    )


def _mission_coverage_text(by_mission: MissionCoverage) -> str:
    """The Data page's coverage per mission and platform, stalest first, with the labels of the
    language in use; then the missions that have sent nothing, and why."""
    from metrics import FRESH_DAYS, STALE_DAYS

    table = by_mission.platforms
    table = table.assign(mission=[mission_name(row) for row in table.to_dict("records")])
    # As the Data page orders them: a tie in staleness by name, not by id.
    table = ranked_rows(table, "days_stale", "mission", unknown_first=True)
    shown = table.assign(
        platform=[platform_label(p) for p in table["platform"]],
        # The status last: its coloured marks are two columns wide in a terminal.
        staleness=[
            t(f"coverage.staleness.{s}", fresh=FRESH_DAYS, stale=STALE_DAYS)
            for s in table["staleness"]
        ],
    )
    counts = {"days_stale", "posts", "daily_days"}
    columns = {
        "mission": t("coverage.col.mission"),
        "platform": t("coverage.col.platform"),
        "last_day": t("coverage.col.last_day"),
        "days_stale": t("coverage.col.days_stale"),
        "first_day": t("coverage.col.first_day"),
        "posts": t("coverage.col.posts"),
        "daily_days": t("coverage.col.daily_days"),
        "staleness": t("coverage.col.status"),
    }
    lines = [_text_table(shown, columns, counts), ""]
    silent = by_mission.sent_nothing
    lines.append(t("coverage.sent_nothing", n=i18n.format_number(len(silent))))
    named = [(mission_name(row), row["reason"]) for row in silent.to_dict("records")]
    for mission, reason in sort_by_name(named, lambda item: item[0]):  # as the Data page lists them
        lines.append(f"  {display_text(mission, 80)}: {t(f'coverage.reason.{reason}')}")
    return "\n".join(lines)


def _account_coverage_text(frame: pd.DataFrame) -> str:
    """The per-account technical detail, with the Data page's labels."""
    frame = frame.assign(
        platform=[platform_label(p) for p in frame["platform"]],
        owner=[owner_label(o) for o in frame["owner"]],
    )
    dates = ("first_post", "last_post", "snapshot_as_of", "daily_first", "daily_last")
    follower_days = t("ui.col.follower_days")
    columns = {
        "account_id": t("ui.col.account"),
        "platform": t("ui.col.platform"),
        "owner": t("ui.col.owner"),
        "posts": t("ui.col.posts"),
        **{c: t(f"ui.col.{c}") for c in dates},
        "follower_days_reported": t("export.col.reported", column=follower_days),
        "follower_days_rebuilt": t("export.col.rebuilt", column=follower_days),
        "daily_metrics": t("ui.col.daily_metrics"),
    }
    return _text_table(frame, columns, {"posts", "follower_days_reported", "follower_days_rebuilt"})


def cmd_status(args: argparse.Namespace) -> int:
    """The import log, the coverage per mission and platform, and with `--accounts` per account."""
    from metrics import coverage, mission_coverage

    if args.lang:
        i18n.set_language(args.lang)
    store = Store(args.db)
    if not store.path.exists():
        print(t("cli.no_database", db=store.path), file=sys.stderr)
        return 1
    today = ministry_today()  # once: the heading says the day the staleness is counted to
    with store.read() as cur:
        log = queries.import_log(cur, args.limit)
        by_mission = mission_coverage(cur, today)
        accounts = coverage(cur) if args.accounts else None
    print(t("cli.status_imports", db=store.path, zone=i18n.zone_name(HOME_ZONE)))
    outcomes = {o: t(f"ui.data.outcome.{o}") for o in ("imported", "refused")}
    width = max(len(text) for text in outcomes.values())
    # The store keeps UTC; the log is read on the ministry's clock, written as the language
    # writes a date and time (their lengths vary in English: the column is padded).
    times = [i18n.format_datetime(ministry_time(at)) for at in log["imported_at"]]
    time_width = max((len(text) for text in times), default=0)
    for at, row in zip(times, log.itertuples(index=False), strict=True):
        outcome, name = row.outcome, row.file_name
        # The message in the language asked for, from its code (English for older lines).
        message = logmessages.render(row.message_code, row.message_params, row.message)
        detail = (
            message
            if outcome == "refused"
            else t(
                "cli.status_imported",
                format=format_label(row.format) if isinstance(row.format, str) else "–",
                account=row.account_id,
                rows=_cell(row.row_count),
                as_of=_cell(row.as_of),
            )
            + (f"  {message}" if message else "")
        )
        # names come from files and zips: a newline in one must not start a line of its own
        shown = outcomes.get(outcome, outcome)
        print(f"  {at:<{time_width}}  {shown:<{width}}  {display_text(name, 160)}  {detail}")
    print()
    print(t("cli.status_coverage", today=i18n.format_date(today)))
    print(_mission_coverage_text(by_mission))
    if args.accounts:
        print()
        print(t("coverage.per_account") + ":")
        print(_account_coverage_text(accounts))
    return 0


def cmd_formats(args: argparse.Namespace) -> int:
    """The formats, their columns and the header aliases known for them."""
    from connectors.aliases import REGISTRY_FILE
    from connectors.mapping import formats_listing
    from data.registry import DEFAULT_REGISTRY

    folder = args.registry or DEFAULT_REGISTRY
    try:
        listing = formats_listing(folder)
    except AliasFileError as error:
        print(t("cli.registry_error", file=error.file, detail=error.detail), file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(listing, ensure_ascii=False, indent=2))
        return 0
    none = t("mapping.cli.none")
    for item in listing:
        print(f"{item['id']}  ({item['platform'] or none})  {format_label(item['id'])}")
        print(f"  {t('mapping.cli.required')}: {', '.join(item['required_columns']) or none}")
        print(f"  {t('mapping.cli.optional')}: {', '.join(item['optional_columns']) or none}")
        groups = [
            (t("mapping.cli.aliases", language=language), columns)
            for language, columns in item["aliases"].items()
        ]
        if item["registry_aliases"]:
            groups.append(
                (
                    t("mapping.cli.registry_aliases", file=folder / REGISTRY_FILE),
                    item["registry_aliases"],
                )
            )
        for title, columns in groups:
            print(f"  {title}:")
            for column, aliases in columns.items():
                print(f"    {column} = {' | '.join(aliases)}")
        print()
    print(t("mapping.cli.hint", file=folder / REGISTRY_FILE))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m connectors`."""
    parser = argparse.ArgumentParser(prog="python -m connectors", description=t("cli.description"))
    sub = parser.add_subparsers(dest="command", required=True)
    imp = sub.add_parser("import", help=t("cli.import_help"))
    imp.add_argument("paths", nargs="+", metavar="PATH", help=t("cli.paths_help"))
    imp.add_argument(
        "--db", type=Path, default=None, help=t("cli.db_help", default=default_db_path())
    )
    imp.add_argument("--registry", type=Path, default=None, help=t("cli.registry_help"))
    imp.add_argument("--account", default=None, metavar="ID", help=t("cli.account_help"))
    imp.add_argument(
        "--workers",
        type=int,
        default=default_workers(),
        metavar="N",
        help=t("cli.workers_help", default=default_workers()),
    )
    imp.add_argument(
        "--as-of", type=_day, default=None, metavar="YYYY-MM-DD", help=t("cli.as_of_help")
    )
    imp.set_defaults(func=cmd_import)
    status = sub.add_parser("status", help=t("cli.status_help"))
    status.add_argument(
        "--db", type=Path, default=None, help=t("cli.db_help", default=default_db_path())
    )
    status.add_argument("--limit", type=int, default=50, help=t("cli.limit_help"))
    status.add_argument("--accounts", action="store_true", help=t("cli.accounts_help"))
    status.add_argument("--lang", choices=i18n.LANGUAGES, default=None, help=t("cli.lang_help"))
    status.set_defaults(func=cmd_status)
    listing = sub.add_parser("formats", help=t("mapping.cli.formats_help"))
    listing.add_argument("--json", action="store_true", help=t("mapping.cli.json_help"))
    listing.add_argument("--registry", type=Path, default=None, help=t("mapping.cli.registry_help"))
    listing.set_defaults(func=cmd_formats)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    # Piped into `head`: stop quietly when the reader has gone, as other command-line tools do.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
