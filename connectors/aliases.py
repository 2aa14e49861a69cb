"""Header aliases: the names each canonical column of a format is known by, in every language.

Platforms write their export headers in the user's interface language (`ID bài viết`,
`Publicerings-id`, `identificador de la publicación` are all Meta's `Post ID`). A format reads
canonical English column names only; this module maps what a file says to those names.

Aliases are data, in two files of the same shape:

- `connectors/header_aliases.csv`, built in: `format,column,alias,language` (the language
  of the alias, ISO 639-1, used to pick the file's number and value conventions);
- `header_aliases.csv` in the registry folder, kept by analysts: exactly `format,column,alias`
  (a format id, the canonical English column, the header seen in the file). `--registry DIR`
  brings its own; the Data page's mapping form appends to it.

Headers are compared normalised (`connectors.base.normalise`: trimmed, inner white space
collapsed, lower case); a canonical name always matches itself.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from connectors.base import normalise

BUILTIN_FILE = Path(__file__).with_name("header_aliases.csv")
BUILTIN_COLUMNS = ["format", "column", "alias", "language"]
REGISTRY_FILE = "header_aliases.csv"
REGISTRY_COLUMNS = ["format", "column", "alias"]


class AliasFileError(ValueError):
    """An alias file is not valid; the message names the file, row and problem."""

    def __init__(self, file: str, detail: str) -> None:
        super().__init__(f"{file}: {detail}")
        self.file = file
        self.detail = detail


@dataclass(frozen=True)
class Alias:
    """One header a canonical column of a format is known by."""

    format: str
    column: str  # canonical English name, as the format reads it
    alias: str  # the header as a file writes it
    language: str | None = None  # None: not known (an analyst's alias)


@dataclass
class AliasBook:
    """Every alias known, looked up by format and normalised header."""

    aliases: list[Alias] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._index: dict[str, dict[str, tuple[str, str | None]]] = {}
        for alias in self.aliases:
            by_header = self._index.setdefault(alias.format, {})
            # The first alias of a header wins: built-in ones come first, so an analyst's line
            # cannot silently re-point a header Meta documents.
            by_header.setdefault(normalise(alias.alias), (normalise(alias.column), alias.language))

    def lookup(self, format_id: str, header: str) -> tuple[str, str | None] | None:
        """(canonical normalised name, language) of a normalised header, or None."""
        return self._index.get(format_id, {}).get(header)

    def canonical(self, format_id: str, headers: Sequence[str]) -> list[str]:
        """Normalised headers with every known alias replaced by its canonical name."""
        index = self._index.get(format_id)
        if not index:
            return list(headers)
        return [index[h][0] if h in index else h for h in headers]

    def language(self, format_id: str, headers: Sequence[str]) -> str | None:
        """The interface language most of the localised headers are in, or None (English or
        not known). English aliases (variant spellings) do not count."""
        index = self._index.get(format_id, {})
        languages = Counter(
            index[h][1] for h in headers if h in index and index[h][1] not in (None, "en")
        )
        return languages.most_common(1)[0][0] if languages else None

    def for_format(self, format_id: str) -> list[Alias]:
        """The aliases of one format, in file order."""
        return [a for a in self.aliases if a.format == format_id]

    def with_aliases(self, extra: Iterable[Alias]) -> AliasBook:
        """This book plus `extra` (which come after, so they cannot override)."""
        return AliasBook([*self.aliases, *extra])


def _rows(text: str, file: str, columns: list[str]) -> list[dict[str, str]]:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or [c.strip() for c in rows[0]] != columns:
        raise AliasFileError(file, f"the header must be exactly: {','.join(columns)}")
    out = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(columns):
            raise AliasFileError(
                file, f"row {number} has {len(row)} cells, expected {len(columns)}"
            )
        values = {c: cell.strip() for c, cell in zip(columns, row, strict=True)}
        missing = [c for c in columns[:3] if not values[c]]
        if missing:
            raise AliasFileError(file, f"row {number}: {', '.join(missing)} must not be empty")
        out.append(values)
    return out


@cache
def builtin_book() -> AliasBook:
    """The aliases shipped with DiploPulse."""
    rows = _rows(BUILTIN_FILE.read_text(encoding="utf-8"), str(BUILTIN_FILE), BUILTIN_COLUMNS)
    return AliasBook(
        [Alias(r["format"], r["column"], r["alias"], r["language"] or None) for r in rows]
    )


def read_registry_aliases(folder: Path) -> list[Alias]:
    """The analyst's aliases of a registry folder (none when the file does not exist)."""
    path = folder / REGISTRY_FILE
    if not path.is_file():
        return []
    rows = _rows(path.read_text(encoding="utf-8-sig"), str(path), REGISTRY_COLUMNS)
    return [Alias(r["format"], r["column"], r["alias"]) for r in rows]


def book_for(folder: Path | None) -> AliasBook:
    """The built-in aliases plus those of the registry folder `folder`."""
    book = builtin_book()
    return book.with_aliases(read_registry_aliases(folder)) if folder else book


def append_registry_aliases(folder: Path, aliases: Iterable[Alias]) -> list[Alias]:
    """Add aliases to the registry's `header_aliases.csv` (created when missing); returns the
    ones that were new."""
    path = folder / REGISTRY_FILE
    existing = {
        (a.format, normalise(a.column), normalise(a.alias)) for a in read_registry_aliases(folder)
    }
    new = []
    for alias in aliases:
        key = (alias.format, normalise(alias.column), normalise(alias.alias))
        if key not in existing:
            existing.add(key)
            new.append(alias)
    if not new:
        return []
    fresh = not path.is_file() or path.stat().st_size == 0
    text = path.read_text(encoding="utf-8-sig") if not fresh else ""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if fresh:
        writer.writerow(REGISTRY_COLUMNS)
    elif not text.endswith("\n"):
        buffer.write("\n")
    for alias in new:
        writer.writerow([alias.format, alias.column, alias.alias])
    with path.open("a", encoding="utf-8", newline="") as out:
        out.write(buffer.getvalue())
    return new


VALUE_FILE = Path(__file__).with_name("value_aliases.csv")


@cache
def _value_words() -> dict[tuple[str, str], str]:
    rows = _rows(
        VALUE_FILE.read_text(encoding="utf-8"),
        str(VALUE_FILE),
        ["kind", "value", "alias", "language"],
    )
    words = {(r["kind"], normalise(r["alias"])): r["value"] for r in rows}
    for r in rows:
        words.setdefault((r["kind"], normalise(r["value"])), r["value"])
    return words


@lru_cache(maxsize=4096)
def canonical_value(kind: str, value: str | None) -> str | None:
    """A localised value word (a post type such as `Ảnh`, `IG-bild`) as its English
    canonical word (`Photos`, `IG image`); a word not in `value_aliases.csv` is kept as is."""
    if value is None:
        return None
    return _value_words().get((kind, normalise(value)), value)


@lru_cache(maxsize=1024)
def is_lifetime(value: str | None) -> bool:
    """True for the word an export writes for "lifetime" in any known language."""
    return value is not None and _value_words().get(("lifetime", normalise(value))) == "Lifetime"
