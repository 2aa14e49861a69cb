"""The language of every post: the platform's own field first, else detected offline.

A post's language is what the KPIs of the language family read (`host_language_share`,
`vietnamese_share`, `english_share`, `host_language_lift`; docs/METRICS.md, "Language"). It is
decided once per post and kept in the plain table `post_languages` (data/schema.sql), so that a
page never runs a detector:

1. **The platform's field.** Meta's content export has a `Languages` column (stored as
   `posts.platform_language` by the connector, through `iso_code`): when it names exactly one
   language, that is the post's language (`source = 'platform'`, confidence 1).
2. **Detection**, offline, with `lingua-language-detector`, limited to the *candidates* of the
   post's mission: Vietnamese, English and the mission's `languages` (data/registry/missions.csv).
   A small candidate set is both faster (a detector of three or four languages is built in
   microseconds and scores a post in a fraction of a millisecond) and more accurate (Danish is
   not mistaken for Norwegian at the embassy in Tokyo). One detector is built per process and
   per candidate set (`detector`). URLs, @mentions and #hashtags are left out of the text first:
   hashtags are mostly English or transliterated whatever the post's language. The detector
   reads only the words in the script most of the letters are in, and its confidence is
   multiplied by their share of the letters: a Swedish photo credit under an Arabic post does not
   make it Swedish. It scores each part of the text (paragraphs, sentences, what an emoji
   closes) and weighs the parts by their letters: a post half in Vietnamese and half in English
   is 0.5 of each, so undetermined, not the language lingua would prefer for the whole.
   Lao, Khmer, Burmese and Sinhala, which lingua does not know, are told by their scripts, which
   no other candidate uses (`SCRIPTS`).
3. **Undetermined, never a guess**: no text, fewer than `MIN_LETTERS` letters once URLs, tags
   and mentions are left out, or a best confidence under `THRESHOLD`. The language is then NULL
   and `reason` says which (`no_text`, `too_short`, `low_confidence`).

What it costs (issue #7, part 11: the import with detection within 1.3x of its time without):
each distinct text is decided once per process, and so is each distinct text once URLs,
hashtags and mentions are left out (its score depends on nothing else: 113,796 texts are 71,400
at ministry scale), prepared (cut into parts, its script found) once whatever the candidates;
each distinct part of a text (a signature line, a recurring sentence) is scored by lingua once
per candidate set; a part scores the same whatever else is in the batch, so the decisions are
those of scoring every post alone. A text whose platform field decides is not scored. The
store's side reads and writes Arrow (BENCHMARKS.md, 27 November 2026, evening).

The rows carry the detector's version (`DETECTOR_VERSION`), the candidates and a digest of the
input (text and platform field): the importer re-detects, in the transaction that writes a file,
the posts of the accounts it touched whose text, platform field, mission languages or detector
changed (`detect_post_languages`), and `python -m metrics detect-languages [--all]` does it for
every account.
"""

from __future__ import annotations

import functools
import importlib.metadata
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import duckdb
import pyarrow as pa
from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

# The confidence under which a post is undetermined: lingua's for the language among the
# candidates (they add up to 1), weighted over the text's parts by their letters. 0.7 keeps a
# post written half in one language and half in another out of both, while single-language
# posts of a sentence or more score 0.9-1.
THRESHOLD = 0.7
# Letters (after URLs, mentions and hashtags are left out) under which a text is too short to
# tell: lingua is unreliable on a word or two, and "Thank you!" is English and Dutch alike.
MIN_LETTERS = 20
# Characters read per post: the first paragraphs decide; a 5,000-character post costs no more.
MAX_CHARS = 1000
# Letters under which a part of a text is scored with its neighbour (see `_parts`).
MIN_PART = 15
# Texts whose detection a process remembers (per candidate set; a few MB).
CACHE_TEXTS = 50_000
# lingua's low-accuracy mode (trigram models only). Checked again for issue #7 part 11 on the
# real exports' 4,291 Meta posts (each detected alone, among its page's candidates): the same
# decision as the high-accuracy mode for 96.1 % of them; of the 167 others, 144 are a post near
# the threshold going one way or the other (detected in one mode, undetermined in the other) and
# 23 (0.5 %) are given different languages. It takes a third of the CPU time and 130 MB of models
# for every registry language instead of 840 MB (the import's memory). Posts shorter than
# MIN_LETTERS, where it is weakest, are undetermined anyway. So kept (BENCHMARKS.md).
LOW_ACCURACY = True
# Always candidates: the ministry's own language and the lingua franca of its pages.
BASE_LANGUAGES = ("vi", "en")
# Languages lingua does not model, told by a script that no other candidate writes in: the
# share of the text's letters in that script is the confidence.
# (ISO 639-1 -> the first word of the Unicode names of the script's letters)
SCRIPTS: dict[str, str] = {"lo": "LAO", "km": "KHMER", "my": "MYANMAR", "si": "SINHALA"}
# ISO 639-1 codes whose lingua languages are several: Norwegian is Bokmål or Nynorsk in lingua.
_SEVERAL = {"no": (Language.BOKMAL, Language.NYNORSK)}
_LINGUA_VERSION = importlib.metadata.version("lingua-language-detector")
# Stored with every row: a new version, threshold or rule re-detects the posts (`--all` or not).
DETECTOR_VERSION = (
    f"lingua {_LINGUA_VERSION}{' low accuracy' if LOW_ACCURACY else ''}; threshold {THRESHOLD}; "
    f"min {MIN_LETTERS} letters; parts"
)

PLATFORM, DETECTED, UNDETERMINED = "platform", "detected", "undetermined"
NO_TEXT, TOO_SHORT, LOW_CONFIDENCE = "no_text", "too_short", "low_confidence"

# Letters outside the Latin blocks (Vietnamese included): Greek, Cyrillic, Arabic, Indic, Thai,
# Lao, Khmer, Burmese, Hangul, kana, Han, ...
_NON_LATIN = re.compile(r"[\u0370-\u1DFF\u2C00-\uD7FF\uF900-\uFDFF\uFE70-\uFEFF\uFF00-\uFFEF]")
# A letter of any script (\\w less digits and _); combining marks are not letters.
_LETTER = re.compile(r"[^\W\d_]")
_NON_LETTERS = re.compile(r"[\W\d_]+")
# Where a post's parts end: line breaks, a sentence's end, an emoji or pictograph.
# (The lookahead, which every cut passes, lets the scan skip a letter at one test instead of
# three: a third less time.)
_BOUNDARY = re.compile(
    r"(?=[\s\u2600-\u27BF\U0001F000-\U0001FAFF])"
    r"(?:\n+|(?<=[.!?。！？])\s+|[\u2600-\u27BF\U0001F000-\U0001FAFF]+)"
)
_LATIN = re.compile(r"[A-Za-z\u00AA\u00BA\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u1E00-\u1EFF]")
# What is left out of a text before it is read: URLs, bare domains, #hashtags and @mentions.
_DOMAINS = ("com", "se", "vn", "org", "net", "gov")
_NOISE = re.compile(rf"https?://\S+|www\.\S+|\S+\.(?:{'|'.join(_DOMAINS)})\S*|[#@]\w+")
# The same without the bare-domain branch, for a text with no `.com`, `.se`, ... in it: that
# branch cannot match there, so both find the same, but it is the slow one (it runs along every
# word and back), 0.5 of 0.85 s for the ministry's 114,000 texts.
_NOISE_NO_DOMAIN = re.compile(r"https?://\S+|www\.\S+|[#@]\w+")
_DOMAIN_END = re.compile(rf"\.(?:{'|'.join(_DOMAINS)})")


@dataclass(frozen=True)
class Detection:
    """A post's language: an ISO 639-1 code or None, the confidence, where it came from
    (`platform` | `detected` | `undetermined`) and, when undetermined, why."""

    language: str | None
    confidence: float | None
    source: str
    reason: str | None = None


def _lingua(code: str) -> tuple[Language, ...]:
    """The lingua languages of an ISO 639-1 code; () for one lingua does not know."""
    if code in _SEVERAL:
        return _SEVERAL[code]
    iso = getattr(IsoCode639_1, code.upper(), None)
    if iso is None:
        return ()
    try:
        return (Language.from_iso_code_639_1(iso),)
    except ValueError:
        return ()


@functools.cache
def _code(language: Language) -> str:
    """The ISO 639-1 code of a lingua language (Bokmål and Nynorsk are both `no`)."""
    for code, several in _SEVERAL.items():
        if language in several:
            return code
    return language.iso_code_639_1.name.lower()


def candidates(mission_languages: str | None) -> tuple[str, ...]:
    """The languages a mission's posts are detected among: Vietnamese, English and the
    mission's `languages` (';'-separated ISO 639-1), sorted, each once."""
    extra = [c.strip() for c in (mission_languages or "").split(";") if c.strip()]
    return tuple(sorted({*BASE_LANGUAGES, *extra}))


_DETECTORS: dict[tuple[str, ...], LanguageDetector | None] = {}


def detector(languages: tuple[str, ...]) -> LanguageDetector | None:
    """One lingua detector per process and candidate set (None when lingua knows none of them:
    then only the scripts of `SCRIPTS` can tell). Building one takes microseconds; its models
    (about 3 MB a language in low-accuracy mode, 17 MB in high) are loaded when it first scores a text."""
    if languages not in _DETECTORS:
        known = sorted({lang for c in languages for lang in _lingua(c)}, key=lambda x: x.name)
        if len(known) == 1:
            # lingua needs two languages; a lone one is compared with English (not a candidate
            # when it is not in `languages`: such a text is undetermined).
            known = sorted({*known, Language.ENGLISH}, key=lambda x: x.name)
        builder = LanguageDetectorBuilder.from_languages(*known) if known else None
        if builder is not None and LOW_ACCURACY:
            builder = builder.with_low_accuracy_mode()
        _DETECTORS[languages] = builder.build() if builder is not None else None
    return _DETECTORS[languages]


def release_models() -> None:
    """Let go of the language models loaded so far: an import of every mission loads every
    registry language's (130 MB; 840 MB in high-accuracy mode), which a long-running process (the dashboard, after an
    upload) should not keep. The next detection loads what it needs again."""
    for found in _DETECTORS.values():
        if found is not None:
            found.unload_language_models()
    _DETECTORS.clear()


def iso_code(value: str | None) -> str | None:
    """The one language a platform's language field names, as ISO 639-1; None when it is
    empty, names several, or names none we know. Accepts codes (`vi`, `en_US`, `pt-BR`) and
    English names (`Vietnamese`, `English (UK)`)."""
    if value is None:
        return None
    parts = [p.strip() for p in re.split(r"[,;/|]", value) if p.strip()]
    if len(parts) != 1:
        return None
    word = parts[0]
    code = re.split(r"[_\-\s(]", word, maxsplit=1)[0].lower()
    if len(code) == 2 and (code in SCRIPTS or _lingua(code)):
        return code
    name = re.sub(r"\s*\(.*\)$", "", word).strip().upper()
    for language in Language.all():
        if language.name == name:
            return _code(language)
    if name == "NORWEGIAN":
        return "no"
    return None


def _cleaned(text: str) -> str:
    head = text[:MAX_CHARS]
    if _DOMAIN_END.search(head):
        return _NOISE.sub(" ", head)
    return _NOISE_NO_DOMAIN.sub(" ", head)


def _letters(text: str) -> list[str]:
    return _LETTER.findall(text)


# ASCII characters that are not letters: in ASCII, `_LETTER` is [A-Za-z].
_ASCII_NON_LETTERS = bytes(c for c in range(128) if not chr(c).isalpha())


def _letter_count(text: str) -> int:
    if text.isascii():  # an English part: bytes.translate deletes in C, no regex
        return len(text.encode("ascii").translate(None, _ASCII_NON_LETTERS))
    return len(_NON_LETTERS.sub("", text))  # three times as fast as counting what findall finds


def detect(
    texts: Sequence[str | None], languages: tuple[str, ...], platform: Sequence[str | None] = ()
) -> list[Detection]:
    """The language of each text among the candidate `languages` (see `candidates`); a
    platform's field (`platform[i]`, ISO 639-1 or None) is taken first when given. The texts
    not scored before in this process are scored together, on every core (lingua's parallel
    scoring)."""
    # A text whose platform field decides is not scored (unless another post of it has none).
    scores = _scores(
        [
            t
            for i, t in enumerate(texts)
            if t is not None and not (i < len(platform) and platform[i]) and t.strip()
        ],
        languages,
    )
    # One Detection per distinct text (it is immutable): a text posted on several platforms,
    # or listed in several snapshots, is decided once.
    decided: dict[str, Detection] = {}
    out: list[Detection] = []
    for i, text in enumerate(texts):
        given = platform[i] if i < len(platform) else None
        if given:
            out.append(Detection(given, 1.0, PLATFORM))
        elif text is None or not text.strip():
            out.append(Detection(None, None, UNDETERMINED, NO_TEXT))
        elif text in decided:
            out.append(decided[text])
        else:
            code, confidence, reason = scores[text]
            if reason is None and (code is None or confidence is None or confidence < THRESHOLD):
                reason = LOW_CONFIDENCE
            decided[text] = (
                Detection(None, confidence, UNDETERMINED, reason)
                if reason is not None
                else Detection(code, confidence, DETECTED)
            )
            out.append(decided[text])
    return out


@functools.lru_cache(maxsize=4096)
def _script(char: str) -> str:
    """The script of a letter, by its Unicode name (`ARABIC LETTER ALEF` -> ARABIC); Japanese
    kana and Han characters are one script, as Japanese writes them together."""
    word = unicodedata.name(char, "UNKNOWN").split()[0]
    return "CJK" if word in ("CJK", "HIRAGANA", "KATAKANA", "HALFWIDTH") else word


def _majority_script(text: str, count: int) -> tuple[str, float, str]:
    """The script most of the letters are in, its share of the letters, and the text's words
    in that script only (what the detector reads: a Swedish photo credit under an Arabic post
    does not make it Swedish)."""
    if not _NON_LATIN.search(text):  # most posts: Latin letters only, nothing to sort out
        return "LATIN", 1.0, text
    latin = len(_LATIN.findall(text))
    if latin * 2 >= count:  # mostly Latin (found without naming every letter's script)
        words = [w for w in text.split() if _LATIN.search(w)]
        return "LATIN", latin / count, " ".join(words)
    # Each distinct letter's script once (Counter counts in C, in the order letters first
    # appear, so that a tie goes to the script met first, as counting letter by letter did).
    counts: dict[str, int] = {}
    scripts: dict[str, str] = {}
    for char, n in Counter(_letters(text)).items():
        script = scripts[char] = _script(char)
        counts[script] = counts.get(script, 0) + n
    script, count = max(counts.items(), key=lambda item: item[1])
    # The words with a letter of that script (isdisjoint runs in C; the letters are those of
    # the text that are alphabetic, as a word's test was).
    own = {char for char, found in scripts.items() if found == script and char.isalpha()}
    words = [w for w in text.split() if not own.isdisjoint(w)]
    return script, count / sum(counts.values()), " ".join(words)


# (text, candidates) -> score, for the texts a process has scored: a mission posts the same
# text on several platforms, and an export read again (a newer snapshot) brings its posts back.
# The oldest half is forgotten when it is full.
_Score = tuple[str | None, float | None, str | None]
_SCORED: dict[tuple[str, tuple[str, ...]], _Score] = {}
# (part, candidates) -> lingua's confidence values for it, as (ISO code, value) in lingua's
# order, zeros left out. Distinct posts share parts (a mission's signature line, a recurring
# sentence, the same paragraph under another photo): each is scored once. lingua scores a part
# the same whatever else is in the batch, so a remembered part decides exactly as a new one.
# On the generator's 229,531 posts, 123,202 parts to score are 24,546 distinct; on the real
# exports' 3,756 posts, 8,749 are 7,924 (BENCHMARKS.md, 27 November 2026, evening).
# (cleaned text, candidates) -> score: the same for texts that differ only in what `_cleaned`
# leaves out (their URLs, hashtags, mentions).
_CLEANED: dict[tuple[str, tuple[str, ...]], _Score] = {}
_Values = tuple[tuple[str, float], ...]
_PARTS: dict[tuple[str, tuple[str, ...]], _Values] = {}


def _remember(cache: dict, found: dict) -> None:
    """Add `found` to `cache`, forgetting the oldest half first when it would pass CACHE_TEXTS."""
    if len(cache) + len(found) > CACHE_TEXTS:
        for key in list(cache)[: len(cache) // 2]:
            del cache[key]
    cache.update(found)


# cleaned text -> what scoring it needs whatever the candidates (`_prepare`): a mission's text
# is often posted by missions with other candidates too.
_PREPARED: dict[str, tuple[str | None, float, list[tuple[str, int]]]] = {}


def _prepare(cleaned: str) -> tuple[str | None, float, list[tuple[str, int]]]:
    """The script most of a cleaned text's letters are in (None: too short to tell), their
    share of the letters, and the parts (`_parts`) of its words in that script."""
    if not _NON_LATIN.search(cleaned):
        # Most posts: Latin letters only, all read. The parts hold the text's letters (the cuts
        # take out line breaks, spaces and emoji), so they are counted once; only a text that
        # looks short is counted whole, for the rare "letter" in a cut (a dingbat digit such as
        # ❶ counts as one).
        parts = _parts(cleaned)
        if sum(n for _, n in parts) < MIN_LETTERS and _letter_count(cleaned) < MIN_LETTERS:
            return None, 0.0, []
        return "LATIN", 1.0, parts
    count = _letter_count(cleaned)
    if count < MIN_LETTERS:
        return None, 0.0, []
    script, share, kept = _majority_script(cleaned, count)
    return script, share, _parts(kept)


def _scores(texts: Sequence[str], languages: tuple[str, ...]) -> dict[str, _Score]:
    """(the language most of each text is in, the confidence, why it cannot be told or None)."""
    # A score depends on the cleaned text only: texts that differ in their URLs, hashtags or
    # mentions (a mission's posts signed with the city's hashtag) are scored once. On the
    # ministry's posts, 113,796 distinct texts are 71,400 cleaned ones.
    cleaned_of: dict[str, str] = {}  # the texts not remembered whole -> their cleaned text
    out: dict[str, _Score] = {}
    found_now: dict[str, _Score] = {}  # cleaned text -> score
    pending: dict[str, tuple[float, list[tuple[str, int]]]] = {}
    scripts = {SCRIPTS[code]: code for code in languages if code in SCRIPTS}
    for text in texts:
        if text in out or text in cleaned_of:
            continue
        known = _SCORED.get((text, languages))
        if known is not None:
            out[text] = known
            continue
        cleaned = cleaned_of[text] = _cleaned(text)
        if cleaned in found_now or cleaned in pending:
            continue
        known = _CLEANED.get((cleaned, languages))
        if known is not None:
            found_now[cleaned] = known
            continue
        prepared = _PREPARED.get(cleaned)
        if prepared is None:
            prepared = _prepare(cleaned)
            if len(_PREPARED) >= CACHE_TEXTS:
                _PREPARED.clear()  # preparing again is cheap
            _PREPARED[cleaned] = prepared
        script, share, parts = prepared
        if script is None:
            found_now[cleaned] = (None, None, TOO_SHORT)
        elif script in scripts:
            # Lao, Khmer, Burmese, Sinhala: the script's share is the confidence
            found_now[cleaned] = (scripts[script], share, None)
        else:
            pending[cleaned] = (share, parts)
    found = detector(languages)
    if pending and found is None:
        found_now.update(dict.fromkeys(pending, (None, 0.0, None)))
    elif pending:
        assert found is not None
        values = _part_values(
            found, [p for _, parts in pending.values() for p, _ in parts], languages
        )
        for cleaned, (share, parts) in pending.items():
            # Each part (a paragraph, a sentence, what an emoji closes) is scored on its own,
            # weighted by its letters: a post half Vietnamese and half English is 0.5 of each,
            # not the one lingua prefers for the whole (lingua's own sections, detect_multiple_
            # languages_of, took five times as long). Bokmål and Nynorsk add up as Norwegian.
            total = sum(n for _, n in parts)
            by_code: dict[str, float] = {}
            for part, letters_in_part in parts:
                for code, value in values[part]:
                    by_code[code] = by_code.get(code, 0.0) + value * letters_in_part / total
            code, best = max(by_code.items(), key=lambda item: item[1], default=(None, 0.0))
            # The words read were `share` of the letters: the rest says nothing for the language.
            found_now[cleaned] = ((code if code in languages else None), best * share, None)
    for text, cleaned in cleaned_of.items():
        out[text] = found_now[cleaned]
    _remember(_CLEANED, {(cleaned, languages): score for cleaned, score in found_now.items()})
    _remember(_SCORED, {(text, languages): score for text, score in out.items()})
    return out


def _part_values(
    found: LanguageDetector, parts: Sequence[str], languages: tuple[str, ...]
) -> dict[str, _Values]:
    """lingua's confidence values of each part, those not scored before in this process scored
    together, on every core (lingua's parallel scoring)."""
    values: dict[str, _Values] = {}
    new: list[str] = []
    for part in parts:
        if part in values:
            continue
        known = _PARTS.get((part, languages))
        if known is None:
            values[part] = ()  # a placeholder, so that a part repeated in the batch is scored once
            new.append(part)
        else:
            values[part] = known
    scored = found.compute_language_confidence_values_in_parallel(new) if new else []
    for part, confidences in zip(new, scored, strict=True):
        kept: list[tuple[str, float]] = []
        for value in confidences:
            if value.value <= 0.0:
                break  # sorted, most confident first: the rest add nothing
            kept.append((_code(value.language), value.value))
        values[part] = tuple(kept)
    _remember(_PARTS, {(part, languages): values[part] for part in new})
    return values


# piece of a text -> its letters, for the pieces a process has cut: posts share sentences (a
# signature, a recurring phrase), and a look-up costs less than counting again.
_PIECE_LETTERS: dict[str, int] = {}


def _parts(text: str) -> list[tuple[str, int]]:
    """The text cut at line breaks, sentence ends and emoji, as (part, letters); a part of
    fewer than MIN_PART letters goes with the one before (or after) it."""
    parts: list[tuple[str, int]] = []
    known = _PIECE_LETTERS
    for piece in _BOUNDARY.split(text):
        letters = known.get(piece)
        if letters is None:
            letters = _letter_count(piece)
            if len(known) >= CACHE_TEXTS:
                known.clear()  # a few MB at most; counting again is cheap
            known[piece] = letters
        if not letters:
            continue
        if parts and (letters < MIN_PART or parts[-1][1] < MIN_PART):
            joined = f"{parts[-1][0]} {piece}"
            parts[-1] = (joined, parts[-1][1] + letters)
        else:
            parts.append((piece, letters))
    return parts


# -- the store ----------------------------------------------------------------------------------

# What decides a post's language: its text and its platform field (a digest, to find changes).
_INPUT = "md5(coalesce(p.platform_language, '') || chr(31) || coalesce(p.text, ''))"


@dataclass(frozen=True)
class DetectionCounts:
    """What `detect_post_languages` did: posts (re)decided, and how many of each source."""

    posts: int
    platform: int
    detected: int
    undetermined: int

    def as_dict(self) -> dict[str, int]:
        return {
            "posts": self.posts,
            "platform": self.platform,
            "detected": self.detected,
            "undetermined": self.undetermined,
        }


def detect_post_languages(
    cur: duckdb.DuckDBPyConnection,
    account_ids: Iterable[str] | None = None,
    redo: bool = False,
) -> DetectionCounts:
    """Decide the language of the posts of `account_ids` (None: every account) that have no
    row in `post_languages` yet, or whose text, platform field, mission languages or detector
    changed since (every one with `redo`), and write their rows, in the caller's transaction."""
    accounts = None if account_ids is None else sorted(set(account_ids))
    if accounts == []:
        return DetectionCounts(0, 0, 0, 0)
    missions = cur.execute("SELECT mission_id, languages FROM missions").fetchall()
    sets = pa.table(
        {
            "mission_id": pa.array([m for m, _ in missions], pa.string()),
            "candidates": pa.array([";".join(candidates(langs)) for _, langs in missions]),
        }
    )
    touched = pa.table({"account_id": pa.array(accounts or [], pa.string())})
    cur.register("language_candidates", sets)
    cur.register("language_accounts", touched)
    try:
        where = (
            "" if accounts is None else "WHERE p.account_id IN (SELECT * FROM language_accounts)"
        )
        # Arrow, not Python tuples: only the texts, platform fields and candidate sets become
        # Python objects; the ids and digests go back to the store as they came.
        rows = cur.sql(
            f"""
            WITH wanted AS (
                SELECT p.account_id, p.post_id, p.text, p.platform_language, c.candidates,
                       {_INPUT} AS input_md5
                FROM posts p
                JOIN accounts a ON a.account_id = p.account_id
                JOIN language_candidates c ON c.mission_id = a.mission_id
                {where}
            )
            SELECT w.account_id, w.post_id, w.text, w.platform_language, w.candidates,
                   w.input_md5, l.post_id IS NOT NULL AS decided
            FROM wanted w
            LEFT JOIN post_languages l ON l.account_id = w.account_id AND l.post_id = w.post_id
            WHERE $redo OR l.post_id IS NULL OR l.input_md5 <> w.input_md5
               OR l.candidates <> w.candidates OR l.detector <> $version
            ORDER BY w.candidates
            """,
            params={"redo": redo, "version": DETECTOR_VERSION},
        ).to_arrow_table()
    finally:
        cur.unregister("language_candidates")
        cur.unregister("language_accounts")
    if not rows.num_rows:
        return DetectionCounts(0, 0, 0, 0)
    texts = rows.column("text").to_pylist()
    given = rows.column("platform_language").to_pylist()
    sets = rows.column("candidates").to_pylist()
    results: list[Detection] = []
    start = 0
    while start < len(sets):  # one detector per candidate set: the rows come sorted by it
        end = start
        while end < len(sets) and sets[end] == sets[start]:
            end += 1
        languages = tuple(sets[start].split(";"))
        results += detect(texts[start:end], languages, given[start:end])
        start = end
    stage = pa.table(
        {
            "account_id": rows.column("account_id"),
            "post_id": rows.column("post_id"),
            "language": pa.array([d.language for d in results], pa.string()),
            "confidence": pa.array([d.confidence for d in results], pa.float64()),
            "source": pa.array([d.source for d in results], pa.string()),
            "reason": pa.array([d.reason for d in results], pa.string()),
            "candidates": rows.column("candidates"),
            "input_md5": rows.column("input_md5"),
            "detector": pa.repeat(pa.scalar(DETECTOR_VERSION, pa.string()), rows.num_rows),
        }
    )
    cur.register("stage_languages", stage)
    try:
        # A post decided before is decided again: its old row goes (new posts, most of an
        # import's, have none, and the statement is skipped).
        if any(rows.column("decided").to_pylist()):
            cur.execute(
                "DELETE FROM post_languages USING stage_languages s "
                "WHERE post_languages.account_id = s.account_id "
                "AND post_languages.post_id = s.post_id"
            )
        cur.execute("INSERT INTO post_languages BY NAME SELECT * FROM stage_languages")
    finally:
        cur.unregister("stage_languages")
    sources = [d.source for d in results]
    return DetectionCounts(
        posts=rows.num_rows,
        platform=sources.count(PLATFORM),
        detected=sources.count(DETECTED),
        undetermined=sources.count(UNDETERMINED),
    )
