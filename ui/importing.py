"""Importing uploaded exports from the Data page, without ever showing a traceback.

`import_uploads` runs the same import engine as the command line (origin `upload`) and turns
everything that can happen (a refused file, a bad registry, a store busy with another import,
an unexpected error) into one translated line per file or problem, with a level the page shows
as success / info / warning / error.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from connectors.base import SourceFile, display_text
from connectors.importer import Importer
from connectors.sources import expand
from data.registry import RegistryError
from data.store import Store, StoreBusy
from i18n import t

_LOG = logging.getLogger(__name__)

LEVELS = {"imported": "success", "unchanged": "info", "refused": "error"}


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
    lang: str | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[Line]:
    """Import uploaded files; returns the report, one line per file (or one for a failure).

    `registry_dir` is the registry folder (`data/registry/` when None).
    """
    try:
        sources = sources_from_uploads(uploads)
        if not sources:
            return [Line("warning", t("ui.data.no_files", lang=lang))]
        importer = Importer(
            store, registry_dir=registry_dir, account=account or None, origin="upload"
        )
        results = importer.import_sources(sources, progress=progress)
    except RegistryError as error:
        detail = display_text(str(error), 300, markdown=True)
        return [Line("error", t("ui.data.registry_error", lang=lang, detail=detail))]
    except StoreBusy:
        return [Line("error", t("ui.data.store_busy", lang=lang))]
    except Exception as error:  # the page must explain, never crash
        _LOG.exception("import of uploaded files failed")
        return [Line("error", t("ui.data.unexpected_error", lang=lang, error=type(error).__name__))]
    # the page renders lines as markdown: what comes from a file (names, cells) is escaped
    return [Line(LEVELS.get(r.status, "warning"), r.message(lang, markdown=True)) for r in results]


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
