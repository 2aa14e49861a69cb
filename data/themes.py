"""Themes: which subjects a post is about, from the rule file `themes.csv` an analyst edits.

`data/registry/themes.csv` (`theme,language,pattern`) lists, for each theme id, the keywords,
hashtags and phrases that make a post belong to it. It ships with the built-in themes
(`BUILT_IN_THEMES`, labels in `i18n/*/themes.json`); an analyst adds or removes lines, or adds
a theme of their own (shown by its id). A registry folder without the file (`--registry DIR`)
uses the shipped one: the built-ins are the file, not a second list in code.

The matching rule, once (`fold` and `ThemeRules.match`):

- Case and diacritics do not matter: text and pattern are both *folded*: Unicode compatibility
  decomposition (NFKD, so full-width `ＡＳＥＡＮ` is `ASEAN`), the combining marks of the Latin
  alphabets removed (U+0300–U+036F: every Vietnamese tone and vowel mark), recomposed (NFC,
  so that Japanese voiced kana and Korean syllables stay whole), case-folded, `đ` → `d`
  (Đ is a letter of its own in Unicode, not D with a mark). `Tết` = `TET` = `tet`.
- Whole words: a pattern matches where it is neither preceded nor followed by a letter or a
  digit; `tet` does not match `tetanus`. The words of a phrase may be separated by any run of
  spaces or punctuation (`di sản` matches `di-sản`). A keyword also matches its hashtag
  (`tet` matches `#Tết`); a pattern written as a hashtag (`#VNDiplomacy`) matches only the
  hashtag. A pattern ending in `*` matches words that start with it (`invest*`).
- Scripts written without spaces between words (Chinese, Japanese kana and kanji, Korean
  Hangul, whose nouns take particles, Thai, Lao, Khmer, Myanmar) have no word boundary to
  look for: a pattern with a character of such a script is found anywhere in the text, inside
  longer words too (`観光` matches `観光地`; a mixed `ASEAN共同体` as well). Short patterns in
  those scripts should be chosen with that in mind.
- A post may belong to several themes; a post without text belongs to none.

A bad line is refused with one message naming the file, the row, what is wrong and what to do,
in English and Vietnamese (`ThemesError.message`).
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from data.registry import registry_folder
from i18n import t

DEFAULT_THEMES_FILE = Path(__file__).with_name("registry") / "themes.csv"
THEME_COLUMNS = ["theme", "language", "pattern"]
# The themes DiploPulse ships, in the order pages list them; their ids never change.
BUILT_IN_THEMES = (
    "culture",
    "economy",
    "tourism",
    "consular",
    "visits",
    "multilateral",
    "education",
    "community",
    "national_days",
)
_THEME_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")
_MARKS = re.compile("[\u0300-\u036f]+")
# Scripts that do not separate words by spaces (see the module docstring).
_UNSPACED = re.compile(
    "[\u0e00-\u0eff"  # Thai, Lao
    "\u1000-\u109f"  # Myanmar
    "\u1780-\u17ff"  # Khmer
    "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"  # Hangul
    "\u3040-\u30ff\u31f0-\u31ff"  # Hiragana, Katakana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"  # Han
)


def fold(text: str) -> str:
    """`text` as matching compares it: no case, no Latin diacritics, `đ` as `d`."""
    if text.isascii():  # the same result, 10x faster: NFKD changes no ASCII text
        return text.lower()
    text = _MARKS.sub("", unicodedata.normalize("NFKD", text))
    return unicodedata.normalize("NFC", text).casefold().replace("đ", "d")


class ThemesError(ValueError):
    """`themes.csv` is not valid: one line saying file, row, what is wrong and what to do."""

    def __init__(self, file: str, row: int | None, code: str, **params: object) -> None:
        self.file, self.row, self.code, self.params = file, row, code, params
        super().__init__(self.message("en"))

    def message(self, lang: str | None = None) -> str:
        """The line in `lang` (en, vi; the current language by default)."""
        detail = t(f"themes.error.{self.code}", lang=lang, **self.params)
        if self.row is None:
            return t("themes.error.file", lang=lang, file=self.file, detail=detail)
        return t("themes.error.row", lang=lang, file=self.file, row=self.row, detail=detail)


_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r"#?\w+")


def _words(folded: str) -> list[str]:
    return _WORD.findall(folded)


def _regex(folded: str) -> str:
    """The regular expression of one folded pattern (the rule in the module docstring): what
    `ThemeRules.match` finds with words, written as one expression. Documents the rule and
    checks the fast path (tests); duplicates are told apart by it."""
    hashtag, prefix = folded.startswith("#"), folded.endswith("*")
    body = ("#" if hashtag else "") + r"\W+".join(re.escape(w) for w in _words(folded))
    if _UNSPACED.search(folded):
        return body  # no word boundary in a script without spaces
    return r"(?<!\w)" + body + (r"\w*" if prefix else "") + r"(?!\w)"


@dataclass(frozen=True)
class _Index:
    """The rules arranged for matching many texts fast (built once per rule set)."""

    words: dict[str, frozenset[str]]  # one word or '#tag' -> themes
    phrases: dict[str, list[tuple[str, frozenset[str], re.Pattern[str]]]]  # first word -> ...
    prefixes: dict[str, frozenset[str]]  # word start -> themes
    prefix_tuple: tuple[str, ...]
    unspaced: list[tuple[str, re.Pattern[str]]]  # theme -> alternation, no boundaries


@functools.lru_cache(maxsize=8)
def _index(rules: tuple[tuple[str, str, str], ...]) -> _Index:
    words: dict[str, set[str]] = {}
    phrases: dict[str, list[tuple[str, frozenset[str], re.Pattern[str]]]] = {}
    prefixes: dict[str, set[str]] = {}
    unspaced: dict[str, list[str]] = {}
    for theme, _, pattern in rules:
        folded = fold(pattern)
        parts = _words(folded)
        if _UNSPACED.search(folded):
            unspaced.setdefault(theme, []).append(_regex(folded))
        elif folded.endswith("*"):
            prefixes.setdefault(parts[0], set()).add(theme)
        elif len(parts) == 1:
            words.setdefault(("#" if folded.startswith("#") else "") + parts[0], set()).add(theme)
        else:
            regex = re.compile(_regex(folded))
            phrases.setdefault(parts[0], []).append((theme, frozenset(parts), regex))
    return _Index(
        words={k: frozenset(v) for k, v in words.items()},
        phrases=phrases,
        prefixes={k: frozenset(v) for k, v in prefixes.items()},
        prefix_tuple=tuple(prefixes),
        unspaced=[(th, re.compile("|".join(alts))) for th, alts in unspaced.items()],
    )


@dataclass(frozen=True)
class ThemeRules:
    """The validated rules: (theme, language, pattern) lines, in the file's order.

    Hashable, and nothing but its lines: it is part of the cache key of the read functions
    that use it (the matching index is kept apart, per rule set, by `_index`).
    """

    rules: tuple[tuple[str, str, str], ...]
    source: str = ""  # the file they came from

    @property
    def themes(self) -> tuple[str, ...]:
        """Theme ids: the built-in ones first in their order, then the file's own in its order."""
        seen = dict.fromkeys(theme for theme, _, _ in self.rules)
        return tuple(
            [t_ for t_ in BUILT_IN_THEMES if t_ in seen]
            + [t_ for t_ in seen if t_ not in BUILT_IN_THEMES]
        )

    @property
    def fingerprint(self) -> str:
        """A short digest of the rules (tells two rule sets apart in a cache or a report)."""
        text = "\n".join(",".join(rule) for rule in self.rules)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def match(self, text: str | None) -> frozenset[str]:
        """The themes of one post's text (empty for no text).

        Words, not one regular expression per theme: the text is cut into its words once and
        each word looked up (a phrase is checked only when all its words are there); 15-25 µs
        a post instead of 700 with per-theme alternations (docs/METRICS.md, "Themes").
        """
        if not isinstance(text, str) or not text:  # None, or NaN from a data frame
            return frozenset()
        index = _index(self.rules)  # built once per rule set
        folded = fold(text)
        tokens = set(_TOKEN.findall(folded))
        tokens.update([tok[1:] for tok in tokens if tok[0] == "#"])
        found: set[str] = set()
        # Set intersections in C, then a look-up only for the words that are patterns.
        for token in tokens & index.words.keys():
            found |= index.words[token]
        for token in tokens & index.phrases.keys():
            for theme, parts, regex in index.phrases[token]:
                if theme not in found and parts <= tokens and regex.search(folded):
                    found.add(theme)
        starts = index.prefix_tuple
        if starts:
            for token in tokens:
                if token.startswith(starts):  # one call per word; which prefix only on a hit
                    for start, themes in index.prefixes.items():
                        if token.startswith(start):
                            found |= themes
        if index.unspaced and _UNSPACED.search(folded):
            found.update(th for th, regex in index.unspaced if regex.search(folded))
        return frozenset(found)

    def tag(self, texts: Iterable[str | None]) -> list[frozenset[str]]:
        """`match` of each text, in order; a text repeated (a post cross-posted on several
        platforms, a recurring notice) is matched once."""
        seen: dict[object, frozenset[str]] = {}
        out = []
        for text in texts:
            key = text if isinstance(text, str) else None
            found = seen.get(key)
            if found is None:
                found = seen[key] = self.match(key)
            out.append(found)
        return out


def parse_themes(text: str, file: str = "themes.csv") -> ThemeRules:
    """Validate the content of a themes file; ThemesError on the first bad row."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    if not rows or [c.strip().lower() for c in rows[0]] != THEME_COLUMNS:
        raise ThemesError(file, 1, "header", columns=",".join(THEME_COLUMNS))
    rules: list[tuple[str, str, str]] = []
    seen: dict[tuple[str, str, str], int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(THEME_COLUMNS):
            raise ThemesError(file, number, "cells", found=len(row))
        theme, lang, pattern = (cell.strip() for cell in row)
        if not _THEME_ID.match(theme):
            raise ThemesError(file, number, "theme", value=theme)
        if not _LANGUAGE.match(lang):
            raise ThemesError(file, number, "language", value=lang)
        folded = fold(pattern)
        words = re.findall(r"\w+", folded)
        if not words:
            raise ThemesError(file, number, "pattern_empty", value=pattern)
        if re.search(r"[^\w\s#*'’.&/-]", folded) or "*" in folded[:-1] or "#" in folded[1:]:
            raise ThemesError(file, number, "pattern_characters", value=pattern)
        if folded.startswith("#") and len(words) > 1:
            raise ThemesError(file, number, "pattern_hashtag", value=pattern)
        if folded.endswith("*") and (len(words) > 1 or folded.startswith("#")):
            raise ThemesError(file, number, "pattern_prefix", value=pattern)
        key = (theme, lang, _regex(folded))
        if key in seen:
            raise ThemesError(file, number, "duplicate", value=pattern, other=seen[key])
        seen[key] = number
        rules.append((theme, lang, pattern))
    if not rules:
        raise ThemesError(file, None, "empty")
    return ThemeRules(tuple(rules), source=file)


def themes_file(folder: Path | str | None = None) -> Path:
    """The themes file of a registry folder (default: `data.registry.registry_folder()`): its
    own `themes.csv`, else the shipped one."""
    own = Path(folder if folder is not None else registry_folder()) / "themes.csv"
    return own if own.exists() else DEFAULT_THEMES_FILE


def read_themes(path: Path | str) -> ThemeRules:
    """Read and validate one themes file; ThemesError when it is missing or bad."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ThemesError(str(path), None, "missing") from None
    except UnicodeDecodeError:
        raise ThemesError(str(path), None, "encoding") from None
    return parse_themes(text, str(path))


def load_themes(folder: Path | str | None = None) -> ThemeRules:
    """Read and validate the themes file of a registry folder (see `themes_file`)."""
    return read_themes(themes_file(folder))


def theme_label(theme: str, lang: str | None = None) -> str:
    """A theme's name in `lang`: the built-in themes' from i18n/*/themes.json; a theme an
    analyst added is shown by its id, as written in the file."""
    label = t(f"themes.label.{theme}", lang=lang)
    return theme if label.startswith("⟦") else label
