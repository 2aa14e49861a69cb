"""The one order in which names are listed to a user: Vietnamese alphabetical order.

Every mission, country or region picker and every list of names sorts with `name_key`, in both
languages. Python's own order puts `Đ` (U+0110) after `Z` and `Ô`, `Ư` after every plain letter;
`str.casefold` does not help. Babel has no collation and PyICU is not installed; DuckDB's ICU
extension has one (`COLLATE vi`), but the pickers sort in Python, so the rule is written out here
and tests/pages/test_collation.py checks it against that ICU collation on every registry name.

The rule (CLDR's Vietnamese tailoring, as in Vietnamese dictionaries):

1. *Primary*: letters compare by the Vietnamese alphabet
   a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y,
   with the letters only foreign names use at their Latin places (f after ê, j after i, w after
   v, z after y). Spaces come before punctuation, punctuation before digits, digits before
   letters (ICU's default, "non-ignorable"): `Hoa Kỳ` before `Hoai`.
2. *Secondary*, only between names equal on 1: the tones, in the order
   none < huyền (à) < hỏi (ả) < ngã (ã) < sắc (á) < nặng (ạ); then other accents of foreign
   names (é is e with sắc; ü, ç, å come after the tones).
3. *Tertiary*, only between names equal on 1 and 2: lower case before upper case.

English names use the same key: on plain Latin letters it is the ordinary case-insensitive
alphabetical order, so one rule serves both languages. Nothing depends on the host's locale.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    import pandas as pd

T = TypeVar("T")

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# The tone marks (combining characters after NFD), in dictionary order: huyền, hỏi, ngã, sắc,
# nặng. A letter without one weighs 0.
TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# The marks that make a letter of their own (ă â ê ô ơ ư): kept with the base letter.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
# ICU's root order of the punctuation our names hold, after the spaces.
_PUNCTUATION = "_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$"

_SPACE, _PUNCT, _DIGIT, _LETTER, _OTHER = 1, 100, 200, 300, 1000
_RANK = {letter: _LETTER + i for i, letter in enumerate(ALPHABET)}


def _weights(char: str) -> tuple[int, int, int]:
    """(primary, secondary, tertiary) of one character of an NFC string."""
    lower = char.lower()
    case = 0 if char == lower else 1
    if char.isspace():
        return _SPACE, 0, 0
    if char in _PUNCTUATION:
        return _PUNCT + _PUNCTUATION.index(char), 0, 0
    if char.isdigit():
        return _DIGIT + unicodedata.digit(char, 0), 0, 0
    decomposed = unicodedata.normalize("NFD", lower)
    base = decomposed[0] + "".join(m for m in decomposed[1:] if m in _LETTER_MARKS)
    letter = unicodedata.normalize("NFC", base)
    accents = [m for m in decomposed[1:] if m not in _LETTER_MARKS]
    tone = 0
    for mark in accents:
        # A tone weighs its place; another accent (ü, ç) comes after every tone.
        tone = tone * 10 + TONES.get(mark, 6)
    if letter in _RANK:
        return _RANK[letter], tone, case
    if unicodedata.category(char).startswith(("P", "S")):
        return _PUNCT + len(_PUNCTUATION) + ord(char) % 50, 0, 0
    return _OTHER + ord(letter[0]), tone, case


def name_key(text: str | None) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """The sort key of a name in Vietnamese alphabetical order (see the module docstring)."""
    weights = [_weights(c) for c in unicodedata.normalize("NFC", text or "")]
    return (
        tuple(w[0] for w in weights),
        tuple(w[1] for w in weights),
        tuple(w[2] for w in weights),
    )


def sort_by_name(items: Iterable[T], name: Callable[[T], str]) -> list[T]:
    """`items` in the Vietnamese alphabetical order of `name(item)` (stable for equal names)."""
    return sorted(items, key=lambda item: name_key(name(item)))


def rows_by_name(frame: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """`frame`'s rows in the Vietnamese alphabetical order of `names` (one per row, in the
    frame's order); rows of equal names as they were."""
    return frame.iloc[sort_by_name(range(len(names)), names.__getitem__)]


def ranked_rows(
    frame: pd.DataFrame,
    column: str,
    name: str,
    *,
    largest_first: bool = True,
    unknown_first: bool = False,
) -> pd.DataFrame:
    """`frame`'s rows by `column`, largest first (smallest with `largest_first=False`: a
    rank) and unknown last (first with `unknown_first`: "no data" before the oldest data),
    equal values in the alphabetical order of the column `name` (Vietnamese order: Đ after D),
    rows equal in both in their order in `frame`: a table opens in the order of the ranking
    above it, or of its own caption, and missions tied or without a value are listed by name,
    not by id."""
    return rows_by_name(frame, frame[name].tolist()).sort_values(
        column,
        ascending=not largest_first,
        na_position="first" if unknown_first else "last",
        kind="stable",
    )
