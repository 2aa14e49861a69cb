"""Command line: `python -m connectors import PATH...` and `python -m connectors status`.

`import` prints one line per file (format, account, rows, or why it was refused) and exits 1 when
any file was refused, else 0. `status` lists the imports and the coverage of each account.
Messages follow `DIPLOPULSE_LANG` (en, vi).
"""

from __future__ import annotations

import argparse
import signal
import sys
from datetime import date
from pathlib import Path

from connectors.aliases import AliasFileError
from connectors.base import display_text
from connectors.importer import Importer
from data.registry import RegistryError
from data.store import Store, StoreBusy, default_db_path
from i18n import t


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


def cmd_import(args: argparse.Namespace) -> int:
    """Import files, folders and zips; one line per file."""
    store = Store(args.db)
    try:
        importer = Importer(
            store,
            registry_dir=args.registry,
            account=args.account,
            origin="cli",
            as_of=args.as_of,
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


def cmd_status(args: argparse.Namespace) -> int:
    """The import log and each account's coverage."""
    from metrics import coverage

    store = Store(args.db)
    if not store.path.exists():
        print(t("cli.no_database", db=store.path), file=sys.stderr)
        return 1
    with store.read() as cur:
        log = cur.execute(
            "SELECT imported_at, outcome, format, account_id, row_count, as_of, file_name, message "
            "FROM imports ORDER BY imported_at DESC LIMIT ?",
            [args.limit],
        ).fetchall()
        cov = coverage(cur)
    print(t("cli.status_imports", db=store.path))
    for at, outcome, fmt, account, rows, as_of, name, message in log:
        detail = (
            message if outcome == "refused" else f"{fmt}  {account}  {rows} rows  as of {as_of}"
        )
        # names come from files and zips: a newline in one must not start a line of its own
        print(f"  {at:%Y-%m-%d %H:%M}  {outcome:<8}  {display_text(name, 160)}  {detail}")
    print()
    print(t("cli.status_coverage"))
    if cov.empty:
        print("  –")
    else:
        print(cov.to_string(index=False))
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
        "--as-of", type=_day, default=None, metavar="YYYY-MM-DD", help=t("cli.as_of_help")
    )
    imp.set_defaults(func=cmd_import)
    status = sub.add_parser("status", help=t("cli.status_help"))
    status.add_argument(
        "--db", type=Path, default=None, help=t("cli.db_help", default=default_db_path())
    )
    status.add_argument("--limit", type=int, default=50, help=t("cli.limit_help"))
    status.set_defaults(func=cmd_status)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    # Piped into `head`: stop quietly when the reader has gone, as other command-line tools do.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
