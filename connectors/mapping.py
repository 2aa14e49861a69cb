"""Mapping a file's headers to a format's columns: near misses, the mapping form's logic, and
the list of formats (`python -m connectors formats`).

Platforms write export headers in the user's interface language. A language DiploPulse does
not know yet makes a file unrecognisable: no format's `detect` accepts it. Instead of a bare
"unknown format", the engine then looks for the format the file is closest to (`close_formats`):
for each format that declares `required_columns`, how many of them a header row of the file
has once the header aliases are applied (any of the first `HEADER_ROWS` rows, every sheet).
A format whose required columns are mostly there (at least half, and at least two) but not
all, in a row whose headers the format mostly knows (generic names such as `Date` or `Likes`
in another platform's file do not make it one), is a near miss, refused as `close_format`
with the columns it could not place, the file's headers it did not recognise and the line to
add to the registry's `header_aliases.csv`.

The Data page's mapping form (pages/data.py, laid out from `mapping_proposal`) asks the analyst
which header of the file holds each column, shows a few values of each header to choose by,
and saves the answers as the registry's aliases (`save_mapping`): the next import, and every
later file in that language, is read with them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from connectors.aliases import (
    Alias,
    AliasBook,
    append_registry_aliases,
    book_for,
    builtin_book,
)
from connectors.base import (
    Cell,
    Document,
    ExportFormat,
    ImportRefused,
    display_params,
    formats,
    normalise,
)

#: header rows looked at: a title or a description row may stand above the header
HEADER_ROWS = 3
#: a near miss has at least this share of a format's required columns, and at least MIN_FOUND
CLOSE_SHARE = 0.5
MIN_FOUND = 2
#: ... in a row whose headers the format mostly knows: more than FIT known for each unknown one
FIT = 2
#: how much of a file's headers a message lists
LIST_MAX = 6
CELL_MAX = 40
SAMPLES = 3
SAMPLE_MAX = 24
EXAMPLE_HEADER = "<header in your file>"


def _shown(cell: Cell, limit: int = CELL_MAX) -> str:
    """A cell as one short line: white space collapsed, cut with `…`."""
    text = " ".join(str(cell if cell is not None else "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _listed(items: Sequence[str]) -> str:
    shown = ", ".join(items[:LIST_MAX])
    return shown + (", …" if len(items) > LIST_MAX else "") if items else "–"


def csv_line(*cells: str) -> str:
    """One line of a CSV file (quoted where a cell needs it)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()


def mappable_formats() -> list[ExportFormat]:
    """The formats that declare required columns (the ones a file can be mapped to)."""
    return [f for f in formats() if f.required_columns]


def format_by_id(format_id: str) -> ExportFormat:
    """A registered format by id (KeyError when there is none)."""
    for fmt in formats():
        if fmt.id == format_id:
            return fmt
    raise KeyError(format_id)


def book_of(doc: Document) -> AliasBook:
    """The header aliases a document is read with."""
    return doc.aliases if isinstance(doc.aliases, AliasBook) else builtin_book()


def known_columns(fmt: ExportFormat, book: AliasBook) -> set[str]:
    """Every canonical column (normalised) the format reads or its aliases name."""
    names = {normalise(c) for c in (*fmt.required_columns, *fmt.optional_columns)}
    return names | {normalise(a.column) for a in book.for_format(fmt.id)}


@dataclass(frozen=True)
class HeaderRow:
    """A row of a sheet that may be a header: its cells as written, trimmed."""

    sheet: str
    row: int
    cells: tuple[str, ...]

    @property
    def headers(self) -> list[str]:
        """The non-empty cells, each once, in file order."""
        seen: dict[str, str] = {}
        for cell in self.cells:
            if cell:
                seen.setdefault(normalise(cell), cell)
        return list(seen.values())


def header_rows(doc: Document, limit: int = HEADER_ROWS) -> list[HeaderRow]:
    """The first `limit` rows of every sheet, as candidate header rows."""
    rows = []
    for sheet, cells in doc.sheets.items():
        for number, row in enumerate(cells[:limit]):
            shown = tuple(" ".join(str(c).replace("\ufeff", "").split()) if c else "" for c in row)
            if any(shown):
                rows.append(HeaderRow(sheet, number, shown))
    return rows


@dataclass(frozen=True)
class Closeness:
    """How much of a format's required columns one header row of a file has."""

    format: ExportFormat
    header: HeaderRow
    found: tuple[str, ...]  # required columns placed (as the format spells them)
    missing: tuple[str, ...]  # required columns not placed
    unplaced: tuple[str, ...]  # the row's headers the format does not know (as written)

    @property
    def share(self) -> float:
        return len(self.found) / len(self.format.required_columns)

    @property
    def placed(self) -> int:
        """How many of the row's headers the format knows."""
        return sum(1 for cell in self.header.cells if cell) - len(self.unplaced)

    def refusal(self) -> ImportRefused:
        """`close_format`: what could not be placed, and the alias line that would place it."""
        first = self.missing[0] if self.missing else self.format.required_columns[0]
        return ImportRefused(
            "close_format",
            format=self.format.id,
            format_id=self.format.id,
            missing=_listed([_shown(m) for m in self.missing]),
            unplaced=_listed([_shown(h) for h in self.unplaced]),
            example=csv_line(self.format.id, first, EXAMPLE_HEADER),
        )


def closeness(doc: Document, fmt: ExportFormat, book: AliasBook | None = None) -> Closeness:
    """The header row of `doc` that has most of `fmt`'s required columns (the first on a tie)."""
    book = book or book_of(doc)
    known = known_columns(fmt, book)
    required = [(normalise(c), c) for c in fmt.required_columns]
    best: Closeness | None = None
    for row in header_rows(doc) or [HeaderRow(next(iter(doc.sheets), ""), 0, ())]:
        canonical = book.canonical(fmt.id, [normalise(c) for c in row.cells])
        present = set(canonical)
        found = tuple(c for n, c in required if n in present)
        candidate = Closeness(
            fmt,
            row,
            found,
            tuple(c for n, c in required if n not in present),
            tuple(
                cell
                for cell, name in zip(row.cells, canonical, strict=True)
                if cell and name not in known
            ),
        )
        if best is None or len(candidate.found) > len(best.found):
            best = candidate
    assert best is not None
    return best


def near_misses(doc: Document, book: AliasBook | None = None) -> list[Closeness]:
    """Every mappable format with how close `doc` is to it, closest first: most required
    columns found, then the highest share of them, then most of the file's headers known."""
    book = book or book_of(doc)
    scored = [closeness(doc, fmt, book) for fmt in mappable_formats()]
    # More required columns found is better evidence than a higher share of a format that
    # requires only one (`Date`)
    return sorted(scored, key=lambda c: (-len(c.found), -c.share, -c.placed))


def close_formats(doc: Document, book: AliasBook | None = None) -> list[Closeness]:
    """The formats `doc` nearly is (none of which detected it), closest first: at least half
    of the required columns and at least `MIN_FOUND` of them placed, in a row whose headers the
    format mostly knows (more than `FIT` known for each unknown one), but not all; or
    all of them while the format still does not recognise the file, which then lacks columns
    the format tells its layout by (listed among the optional ones, e.g. `Page ID`)."""
    book = book or book_of(doc)
    close = []
    for near in near_misses(doc, book):
        if len(near.found) < MIN_FOUND or near.share < CLOSE_SHARE:
            continue
        if near.placed <= FIT * len(near.unplaced):
            # Generic names (`Date`, `Likes`, `Shares`) in a row whose other headers the format
            # does not know: another platform's file (a TikTok overview), not this format with
            # a few headers in a new language
            continue
        if not near.missing:
            canonical = set(
                book.canonical(near.format.id, [normalise(c) for c in near.header.cells])
            )
            absent = tuple(c for c in near.format.optional_columns if normalise(c) not in canonical)
            if not absent:
                continue
            near = replace(near, missing=absent)
        close.append(near)
    return close


# -- the mapping form ----------------------------------------------------------------------


def sample_values(doc: Document, header: HeaderRow, limit: int = SAMPLES) -> dict[str, list[str]]:
    """A few values of each header's column (the first distinct non-empty ones below it)."""
    rows = doc.sheets.get(header.sheet, [])[header.row + 1 :]
    samples: dict[str, list[str]] = {}
    for col, cell in enumerate(header.cells):
        if not cell or cell in samples:
            continue
        values: list[str] = []
        for row in rows:
            value = _shown(row[col], SAMPLE_MAX) if col < len(row) else ""
            if value and value not in values:
                values.append(value)
                if len(values) >= limit:
                    break
        samples[cell] = values
    return samples


@dataclass(frozen=True)
class ColumnChoice:
    """A column of the format and the header of the file pre-selected for it (None: none)."""

    column: str
    required: bool
    header: str | None


@dataclass
class Proposal:
    """What the mapping form shows for one format: the file's headers with sample values and,
    for each column of the format, the header pre-selected (the one its aliases name)."""

    format: ExportFormat
    header: HeaderRow
    samples: dict[str, list[str]]
    columns: list[ColumnChoice] = field(default_factory=list)

    @property
    def headers(self) -> list[str]:
        return list(self.samples)

    def option_label(self, header: str) -> str:
        """`Thời gian đăng — 03/19/2026 06:02, 03/18/2026 …`: a header with a few values."""
        values = self.samples.get(header) or []
        return f"{header} — {', '.join(values)}" if values else header


def mapping_proposal(doc: Document, fmt: ExportFormat, book: AliasBook | None = None) -> Proposal:
    """The mapping form of `doc` for `fmt`: its best header row, sample values, pre-selections."""
    book = book or book_of(doc)
    near = closeness(doc, fmt, book)
    by_column: dict[str, str] = {}
    for cell in near.header.headers:
        name = book.canonical(fmt.id, [normalise(cell)])[0]
        by_column.setdefault(name, cell)
    columns = [ColumnChoice(c, True, by_column.get(normalise(c))) for c in fmt.required_columns] + [
        ColumnChoice(c, False, by_column.get(normalise(c))) for c in fmt.optional_columns
    ]
    return Proposal(fmt, near.header, sample_values(doc, near.header), columns)


class MappingError(ValueError):
    """A mapping that cannot be saved; `code` names a message `mapping.error.<code>`."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def message(self, lang: str | None = None, markdown: bool = False) -> str:
        """The message in `lang`; `markdown=True` for text the dashboard renders."""
        from i18n import t

        params = display_params(self.params, markdown, lang)
        return t(f"mapping.error.{self.code}", lang=lang, **params)


def aliases_for(
    fmt: ExportFormat, chosen: Mapping[str, str | None], book: AliasBook
) -> list[Alias]:
    """The aliases that make `chosen` (column -> header of the file) true, or MappingError:
    a required column without a header, one header for two columns, or a header the aliases
    already give to another column of the format (built-in aliases cannot be overridden)."""
    required = [c for c in fmt.required_columns if not chosen.get(c)]
    if required:
        raise MappingError("required", columns=", ".join(required))
    used: dict[str, str] = {}
    for column, header in chosen.items():
        if not header:
            continue
        key = normalise(header)
        if key in used:
            raise MappingError("twice", header=_shown(header), first=used[key], second=column)
        used[key] = column
    new = []
    for column, header in chosen.items():
        if not header:
            continue
        key = normalise(header)
        if key == normalise(column):
            continue  # the file uses the canonical name itself
        known = book.lookup(fmt.id, key)
        if known is not None:
            if known[0] != normalise(column):
                raise MappingError(
                    "taken", header=_shown(header), column=column, other=_canonical(fmt, known[0])
                )
            continue
        if key in known_columns(fmt, book):
            # A canonical name of another column of this format: an alias could not win
            raise MappingError(
                "taken", header=_shown(header), column=column, other=_canonical(fmt, key)
            )
        new.append(Alias(fmt.id, column, header))
    return new


def _canonical(fmt: ExportFormat, name: str) -> str:
    for column in (*fmt.required_columns, *fmt.optional_columns):
        if normalise(column) == name:
            return column
    return name


def check_mapping(doc: Document, fmt: ExportFormat, aliases: Iterable[Alias]) -> None:
    """MappingError `not_recognised` when `fmt` still does not recognise `doc` with `aliases`
    added (it tells its layout by columns left unmapped, such as `Page ID` or `Page name`)."""
    book = book_of(doc).with_aliases(aliases)
    trial = replace(doc, aliases=book)
    if fmt.detect(trial):
        return
    canonical = set(
        book.canonical(fmt.id, [normalise(c) for row in header_rows(trial) for c in row.cells])
    )
    absent = [c for c in fmt.optional_columns if normalise(c) not in canonical]
    raise MappingError("not_recognised", format=fmt.id, columns=_listed(absent))


def save_mapping(
    registry_dir: Path, doc: Document, fmt: ExportFormat, chosen: Mapping[str, str | None]
) -> list[Alias]:
    """Check the analyst's choices and append them to the registry's `header_aliases.csv`;
    returns the aliases added (none when the file was already readable so)."""
    book = book_for(registry_dir)
    doc = replace(doc, aliases=book)
    aliases = aliases_for(fmt, chosen, book)
    check_mapping(doc, fmt, aliases)
    return append_registry_aliases(registry_dir, aliases)


# -- the list of formats -----------------------------------------------------------------------


def formats_listing(registry_dir: Path | None = None) -> list[dict]:
    """Every registered format with its columns and the aliases known for them: built-in ones
    by language, the registry folder's (`header_aliases.csv`) apart."""
    from connectors.aliases import read_registry_aliases

    registry = read_registry_aliases(registry_dir) if registry_dir else []
    listing = []
    for fmt in sorted(formats(), key=lambda f: f.id):
        by_language: dict[str, dict[str, list[str]]] = {}
        for alias in builtin_book().for_format(fmt.id):
            language = alias.language or "–"
            by_language.setdefault(language, {}).setdefault(alias.column, []).append(alias.alias)
        analyst: dict[str, list[str]] = {}
        for alias in registry:
            if alias.format == fmt.id:
                analyst.setdefault(alias.column, []).append(alias.alias)
        listing.append(
            {
                "id": fmt.id,
                "platform": fmt.platform,
                "label": fmt.label,
                "label_vi": fmt.label_vi,
                "required_columns": list(fmt.required_columns),
                "optional_columns": list(fmt.optional_columns),
                "aliases": dict(sorted(by_language.items())),
                "registry_aliases": analyst,
            }
        )
    return listing
