"""The Data page's mapping form, without Streamlit: which uploads it is offered for, what it
shows, and what saving does.

An upload refused because no format recognised it (`unknown_format`, `close_format`) or
because a recognised format misses columns (`missing_columns`) is kept in the session (`keep`:
a few files, each under a size cap) so that the analyst can say which of its headers holds
each column of a format (`form_for`). Saving (`save_and_import`) appends the answers to the
registry's `header_aliases.csv` and imports the file again, through the same import function
as an upload: every later file in that interface language is then read too.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from connectors.aliases import AliasFileError, book_for
from connectors.base import Document, ExportFormat, SourceFile, display_text
from connectors.formats.meta_content_facebook import id_in_filename
from connectors.importer import ImportResult
from connectors.mapping import (
    MappingError,
    Proposal,
    close_formats,
    format_by_id,
    mappable_formats,
    mapping_proposal,
    near_misses,
    save_mapping,
)
from connectors.sources import read_document
from data.store import Store
from i18n import t
from ui.importing import Line, import_sources

#: refusals the mapping form can help with
MAPPABLE = ("unknown_format", "close_format", "missing_columns")
MAX_FILES = 5
MAX_BYTES = 10 * 1024 * 1024  # a content export of a year is a few MB
SESSION_KEY = "mapping_files"
#: the layouts Meta Business Suite names `Jan-27-2025_Feb-23-2025_<page or account id>.csv`
META_CONTENT = ("meta_content_facebook", "meta_content_instagram", "meta_content_facebook_video")


@dataclass(frozen=True)
class Unmapped:
    """An upload kept for the mapping form."""

    source: SourceFile
    code: str  # the refusal
    format_id: str | None  # the format the refusal names (closest, or missing columns)
    as_of: date | None = None  # the export end date given with the upload

    @property
    def key(self) -> str:
        """A short stable id for the page's widget keys."""
        return hashlib.sha256(self.source.data).hexdigest()[:12]


def unmapped(
    refused: list[tuple[SourceFile, ImportResult]], as_of: date | None = None
) -> list[Unmapped]:
    """The refused files the mapping form can help with (`as_of`: given with the upload)."""
    kept = []
    for source, result in refused:
        refusal = result.refusal
        if refusal is None or refusal.code not in MAPPABLE:
            continue
        format_id = refusal.params.get("format_id") or (
            result.format if refusal.code == "missing_columns" else None
        )
        kept.append(Unmapped(source, refusal.code, format_id, as_of))
    return kept


def keep(kept: list[Unmapped] | None, new: list[Unmapped]) -> tuple[list[Unmapped], list[str]]:
    """The files to keep for the form: the new ones first (a file uploaded again replaces its
    older copy), at most `MAX_FILES`, none over `MAX_BYTES`. Returns them and the names of the
    new files that were too big to keep."""
    too_big = [item.source.name for item in new if len(item.source.data) > MAX_BYTES]
    fresh = [item for item in new if len(item.source.data) <= MAX_BYTES]
    keys = {item.key for item in fresh}
    older = [item for item in kept or [] if item.key not in keys]
    return (fresh + older)[:MAX_FILES], too_big


def forget(kept: list[Unmapped] | None, key: str) -> list[Unmapped]:
    """The kept files without the one of `key`."""
    return [item for item in kept or [] if item.key != key]


def document(item: Unmapped, registry_dir: Path) -> Document:
    """The kept file decoded, read with the registry's aliases."""
    doc = read_document(item.source)
    doc.aliases = book_for(registry_dir)
    return doc


def candidate_formats(item: Unmapped, doc: Document) -> list[ExportFormat]:
    """Every format a file can be mapped to: the one the refusal names first, else the one it
    is close to, else (a file whose headers are all in a language nobody configured, where a
    `Data` and a `Visualizações` make a YouTube chart as likely as anything) a Meta content
    format when the file keeps Meta's content export name; then the others, closest first.
    This only orders the form's choices: the analyst sees the format and can change it."""
    ranked = [near.format for near in near_misses(doc)]
    first = []
    if item.format_id:
        first = [format_by_id(item.format_id)]
    elif close := close_formats(doc):
        first = [close[0].format]
    elif id_in_filename(item.source.filename):
        first = [fmt for fmt in ranked if fmt.id in META_CONTENT][:1]
    order = {fmt.id: i for i, fmt in enumerate(ranked)}
    rest = sorted(mappable_formats(), key=lambda f: order.get(f.id, len(order)))
    return first + [fmt for fmt in rest if fmt not in first]


def form_for(item: Unmapped, registry_dir: Path, format_id: str | None = None) -> Proposal:
    """What the form shows for a kept file and a format (default: the first candidate)."""
    doc = document(item, registry_dir)
    fmt = format_by_id(format_id) if format_id else candidate_formats(item, doc)[0]
    return mapping_proposal(doc, fmt)


def header_label(proposal: Proposal, header: str | None, lang: str | None = None) -> str:
    """An option of a column's select: the header with a few of its values, or "none"."""
    if not header:
        return t("mapping.ui.no_header", lang=lang)
    return proposal.option_label(header)


def save_and_import(
    store: Store,
    item: Unmapped,
    registry_dir: Path,
    format_id: str,
    chosen: dict[str, str | None],
    *,
    lang: str | None = None,
) -> tuple[list[Line], bool]:
    """Append the chosen aliases to the registry and import the file again. Returns the report
    lines (the first says what was added to header_aliases.csv) and whether the file is done
    with (imported, or unchanged); one error line when the mapping cannot be saved (nothing is
    then written)."""
    try:
        doc = document(item, registry_dir)
        fmt = format_by_id(format_id)
        added = save_mapping(registry_dir, doc, fmt, chosen)
    except MappingError as error:
        return [Line("error", error.message(lang, markdown=True))], False
    except AliasFileError as error:
        detail = display_text(str(error), 300, markdown=True)
        return [Line("error", t("ui.data.registry_error", lang=lang, detail=detail))], False
    except OSError as error:  # a registry folder the dashboard may not write to
        where = display_text(registry_dir / "header_aliases.csv", 300, markdown=True)
        problem = display_text(error.strerror or type(error).__name__, 120, markdown=True)
        return [
            Line("error", t("mapping.ui.write_error", lang=lang, file=where, error=problem))
        ], False
    saved = Line(
        "info",
        t(
            "mapping.ui.saved",
            lang=lang,
            n=len(added),
            file=display_text(registry_dir / "header_aliases.csv", 300, markdown=True),
        ),
    )
    lines = import_sources(
        store, [item.source], registry_dir=registry_dir, as_of=item.as_of, lang=lang
    )
    return [saved, *lines], all(line.level in ("success", "info") for line in lines)
