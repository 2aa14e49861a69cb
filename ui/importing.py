"""Importing uploaded exports from the Data page, without ever showing a traceback.

`import_uploads` runs the same import engine as the command line (origin `upload`) and turns
everything that can happen (a refused file, a bad registry, a store busy with another import,
an unexpected error) into one translated line per file or problem, with a level the page shows
as success / info / warning / error. `attach_page` adds a page the registry did not know to
`accounts.csv` and imports its rows from the files that were kept for it.

The registry folder the page uses is `registry_folder()`: `DIPLOPULSE_REGISTRY`, else
`data/registry/`. `log_messages` writes the import log's messages in the reader's language from
their stored code and parameters (`connectors/logmessages.py`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from connectors import logmessages
from connectors.aliases import AliasFileError
from connectors.base import SourceFile, display_text
from connectors.importer import Importer, ImportResult
from connectors.sources import expand
from data import queries
from data.registry import REGISTRY_ENV, RegistryError, append_account, registry_folder
from data.store import Store, StoreBusy
from i18n import t

_LOG = logging.getLogger(__name__)

LEVELS = {"imported": "success", "unchanged": "info", "refused": "error"}
__all__ = ["REGISTRY_ENV", "registry_folder"]  # the folder's rule lives in data.registry


@dataclass(frozen=True)
class Line:
    """One line of the import report."""

    level: str  # success | info | warning | error
    text: str


def sources_from_uploads(uploads: Iterable[tuple[str, bytes]]) -> list[SourceFile]:
    """Uploaded (name, bytes) as export files; a zip becomes its members."""
    files: list[SourceFile] = []
    for name, data in uploads:
        files.extend(expand(name, data))
    return files


def import_uploads(
    store: Store,
    uploads: Iterable[tuple[str, bytes]],
    *,
    account: str | None = None,
    registry_dir: Path | str | None = None,
    as_of: date | None = None,
    lang: str | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    refused: list[tuple[SourceFile, ImportResult]] | None = None,
) -> list[Line]:
    """Import uploaded files; returns the report, one line per file (or one for a failure).

    `registry_dir` is the registry folder (`registry_folder()` when None); `as_of` the export's
    end date for every file (`--as-of`). When `refused` is given, the refused files are added
    to it with their result (the page keeps some of them for the mapping form).
    """
    try:
        sources = sources_from_uploads(uploads)
    except Exception as error:  # the page must explain, never crash
        _LOG.exception("reading uploaded files failed")
        return [Line("error", t("ui.data.unexpected_error", lang=lang, error=type(error).__name__))]
    if not sources:
        return [Line("warning", t("ui.data.no_files", lang=lang))]
    return import_sources(
        store,
        sources,
        account=account,
        registry_dir=registry_dir,
        as_of=as_of,
        lang=lang,
        progress=progress,
        refused=refused,
    )


def import_sources(
    store: Store,
    sources: list[SourceFile],
    *,
    account: str | None = None,
    registry_dir: Path | str | None = None,
    as_of: date | None = None,
    lang: str | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    refused: list[tuple[SourceFile, ImportResult]] | None = None,
) -> list[Line]:
    """`import_uploads` of files already expanded (a kept upload, a pending copy)."""
    try:
        importer = Importer(
            store,
            registry_dir=registry_dir or registry_folder(),
            account=account or None,
            origin="upload",
            as_of=as_of,
        )
        results = importer.import_sources(sources, progress=progress)
    except (RegistryError, AliasFileError) as error:
        detail = display_text(str(error), 300, markdown=True)
        return [Line("error", t("ui.data.registry_error", lang=lang, detail=detail))]
    except StoreBusy:
        return [Line("error", t("ui.data.store_busy", lang=lang))]
    except Exception as error:  # the page must explain, never crash
        _LOG.exception("import of uploaded files failed")
        return [Line("error", t("ui.data.unexpected_error", lang=lang, error=type(error).__name__))]
    if refused is not None:
        refused.extend(
            (source, result)
            for source, result in zip(sources, results, strict=True)
            if result.status == "refused"
        )
    # the page renders lines as markdown: what comes from a file (names, cells) is escaped
    return [Line(LEVELS.get(r.status, "warning"), r.message(lang, markdown=True)) for r in results]


def attach_page(
    store: Store,
    *,
    platform: str,
    external_id: str,
    display_name: str | None,
    mission_id: str,
    owner: str,
    account_id: str,
    registry_dir: Path | str | None = None,
    lang: str | None = None,
    mission_label: str | None = None,
) -> list[Line]:
    """Add a page the registry did not know to `accounts.csv` and import its rows from every
    kept copy of a file that held rows of it (the engine imports only the rows not imported
    yet: idempotence is per file and account). One line for the registry, one per file; the
    first names the mission `mission_label` (as the page names it; its id when None)."""
    folder = Path(registry_dir) if registry_dir else registry_folder()
    try:
        append_account(
            folder,
            {
                "account_id": account_id,
                "mission_id": mission_id,
                "platform": platform,
                "owner": owner,
                "external_id": external_id,
                "display_name": display_name or "",
            },
        )
    except RegistryError as error:
        detail = display_text(str(error), 300, markdown=True)
        return [Line("error", t("unknown.error", lang=lang, detail=detail))]
    except OSError as error:  # a registry folder the dashboard may not write to
        where = display_text(folder / "accounts.csv", 300, markdown=True)
        problem = display_text(error.strerror or type(error).__name__, 120, markdown=True)
        return [Line("error", t("mapping.ui.write_error", lang=lang, file=where, error=problem))]
    lines = [
        Line(
            "success",
            t(
                "unknown.added",
                lang=lang,
                account=display_text(account_id, 80, markdown=True),
                id=display_text(external_id, 80, markdown=True),
                mission=display_text(mission_label or mission_id, 120, markdown=True),
            ),
        )
    ]
    with store.read() as con:
        files = queries.pending_files(con, platform, external_id)
    sources: list[SourceFile] = []
    seen: set[str] = set()
    for name, pending in files:
        path = store.path.parent / pending if pending else None
        if pending in seen:
            continue
        try:
            data = path.read_bytes() if path is not None else None
        except OSError:  # removed (or unreadable) since the import that kept it
            data = None
        if data is None:
            shown = display_text(name, 160, markdown=True)
            lines.append(Line("warning", t("unknown.copy_missing", lang=lang, file=shown)))
            continue
        seen.add(pending)
        sources.append(SourceFile(name=name, data=data))
    # Even without a file to import, the import run upserts the registry into the store, so
    # that the page is no longer listed as unknown.
    return lines + import_sources(store, sources, registry_dir=folder, lang=lang)


def summary(lines: Iterable[Line], lang: str | None = None) -> str:
    """`3 imported, 1 unchanged, 2 refused` (in the language in use)."""
    counts = {"success": 0, "info": 0, "error": 0, "warning": 0}
    for line in lines:
        counts[line.level] = counts.get(line.level, 0) + 1
    return t(
        "ui.data.summary",
        lang=lang,
        imported=counts["success"],
        unchanged=counts["info"],
        refused=counts["error"] + counts["warning"],
    )


def log_messages(log: pd.DataFrame, lang: str | None = None) -> list[str]:
    """The message of each line of `queries.import_log` in `lang` (the language in use), from
    its code and parameters; a line written before codes existed keeps its English text."""
    return [
        logmessages.render(code, params, message, lang)
        for code, params, message in zip(
            log["message_code"], log["message_params"], log["message"], strict=True
        )
    ]
