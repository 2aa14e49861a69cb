"""Deciding a post's language (data/languages.py): the platform's field, detection among the
mission's candidates, the threshold, and the real exports' texts (read in place)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

import data.languages as languages
from data.languages import (
    DETECTED,
    LOW_CONFIDENCE,
    NO_TEXT,
    PLATFORM,
    TOO_SHORT,
    UNDETERMINED,
    Detection,
    candidates,
    detect,
    detector,
    iso_code,
)

# 34 Lao letters (category Lo; the vowel and tone marks are Mn and do not count)
LAO = "ສະຖານທູດຫວຽດນາມ ປະຈຳ ລາວ ຂໍສະແດງຄວາມຍິນດີ"


def test_candidates_are_vietnamese_english_and_the_missions_languages():
    assert candidates("fr;nl;de") == ("de", "en", "fr", "nl", "vi")
    assert candidates("en") == ("en", "vi")
    assert candidates(None) == candidates("") == ("en", "vi")


def test_one_detector_per_candidate_set_and_process():
    assert detector(("en", "sv", "vi")) is detector(("en", "sv", "vi"))
    assert detector(("en", "sv", "vi")) is not detector(("en", "vi"))


def test_platform_field_is_read_as_one_iso_code():
    assert iso_code("vi") == "vi"
    assert iso_code("en_US") == "en"
    assert iso_code("pt-BR") == "pt"
    assert iso_code("Vietnamese") == "vi"
    assert iso_code("English (UK)") == "en"
    assert iso_code("Norwegian") == "no"
    assert iso_code(" lo ") == "lo"  # Lao: no lingua model, still a language
    # empty, several or unknown: no platform language (the text is detected instead)
    assert iso_code(None) is None
    assert iso_code("") is None
    assert iso_code("English, French") is None
    assert iso_code("Klingon") is None


def test_the_platform_field_wins_over_the_text():
    found = detect(["Hello everyone, welcome to the embassy's open day!"], ("en", "vi"), ["vi"])
    assert found == [Detection("vi", 1.0, PLATFORM)]


def test_no_text_and_short_texts_are_undetermined_never_guessed():
    found = detect(
        [
            None,
            "   ",
            "Thank you!",  # 8 letters
            # URLs, mentions and hashtags are left out: 0 letters remain
            "#VietNam #Japan @VNEmbassyJP https://vnembassy-jp.org/news/123",
            # 17 letters once the hashtag is left out (4 + 4 + 3 + 3 + 3): under MIN_LETTERS, 20
            "Chúc mừng năm mới Tết 2026! #Tet",
        ],
        candidates("ja"),
    )
    assert [f.reason for f in found] == [NO_TEXT, NO_TEXT, TOO_SHORT, TOO_SHORT, TOO_SHORT]
    assert {(f.language, f.source) for f in found} == {(None, UNDETERMINED)}


def test_clear_texts_are_detected_among_the_candidates():
    found = detect(
        [
            "Đại sứ quán Việt Nam tại Nhật Bản tổ chức lễ kỷ niệm Quốc khánh 2/9",
            "The Embassy of Viet Nam in Japan celebrates the 81st National Day",
            "在日本越南大使馆举行国庆招待会，庆祝两国友好关系",
            "Vennskap og samarbeid mellom våre to land. Vi gleder oss til å se dere alle.",
        ],
        ("en", "ja", "no", "vi", "zh"),
    )
    assert [f.language for f in found] == ["vi", "en", "zh", "no"]
    assert {f.source for f in found} == {DETECTED}
    assert all(f.confidence >= languages.THRESHOLD for f in found)


def test_threshold_decides_between_a_language_and_undetermined(monkeypatch):
    text = "The Embassy of Viet Nam in Japan celebrates the 81st National Day"
    confidence = detect([text], ("en", "vi"))[0].confidence
    monkeypatch.setattr(languages, "THRESHOLD", confidence)  # at the threshold: detected
    assert detect([text], ("en", "vi"))[0].language == "en"
    monkeypatch.setattr(languages, "THRESHOLD", min(confidence + 0.001, 1.001))
    below = detect([text], ("en", "vi"))[0]
    assert (below.language, below.source, below.reason) == (None, UNDETERMINED, LOW_CONFIDENCE)
    assert below.confidence == confidence  # the confidence is kept, the language is not


def test_scripts_lingua_does_not_know_and_their_threshold():
    found = detect([LAO, LAO + " Viet Nam", LAO + " Viet Nam Laos friendship"], candidates("lo"))
    # all Lao: 34 / 34 = 1.0; with "Viet Nam" (7 Latin letters): 34 / 41 = 0.829 >= 0.7;
    # with "Viet Nam Laos friendship" (21): 34 / 55 = 0.618, mostly Lao but under 0.7.
    assert [f.language for f in found] == ["lo", "lo", None]
    assert [f.confidence for f in found] == pytest.approx([1.0, 34 / 41, 34 / 55])
    assert found[2].reason == LOW_CONFIDENCE
    # a script no candidate writes in: nothing to match, undetermined
    arabic = "أظهر فيديو لحظة ضبط محاولة غش خلال الاختبار النظري لرخصة القيادة"
    assert detect([arabic], candidates("sv"))[0].source == UNDETERMINED


def _texts(path: Path, column: int) -> list[str | None]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    return [row[column] if len(row) > column else None for row in rows[1:]]


def test_real_exports_vietnamese_english_swedish(real_exports: Path):
    # Click Studio (Vietnamese interface, Vietnamese posts): the titles are Vietnamese, e.g.
    # "CÁC CÔNG ĐOẠN ĐẰNG SAU MỘT BỘ PHIM HOẠT HÌNH CỦA PIXAR ...".
    vi = _texts(
        real_exports
        / "meta-bs-content-fb-vi/clickstudio/Mar-17-2026_Apr-13-2026_952479047478341.csv",
        3,
    )
    found = detect(vi, candidates("en"))
    assert found[0].language == "vi"
    # of 18: 14 Vietnamese, 1 English ("Cyberpunk Android - Realtime UE 5.7 Character ..."), 3
    # half English titles, half Vietnamese text: undetermined
    assert Counter(f.language for f in found)["vi"] >= 14
    # oigetit (South African news, English): every post with a title is English.
    en = _texts(
        real_exports / "meta-bs-content-fb-en/oigetit/Jan-14-2025_Apr-14-2025_1396269028466733.csv",
        3,
    )
    found = detect(en, candidates("en"))
    assert {f.language for f in found if f.reason != NO_TEXT} == {"en"}
    # Sveriges Radio, detected as for a mission to Sweden (candidates en, sv, vi):
    # "Lillebror och Karlsson på taket i Barnradion! ..." is Swedish; the Arabic service's
    # posts, in a script no candidate writes in, are undetermined, not forced into one.
    path = real_exports / (
        "meta-bs-content-fb-sv/sverigesradio/FB Riks Jan-01-2026_Jan-31-2026_1909489173296485.csv"
    )
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    first = detect([rows[0][3]], candidates("sv"))[0]
    assert (first.language, first.source) == ("sv", DETECTED)
    arabic = [r[3] for r in rows if len(r) > 3 and r[1] == "100063585008247"]  # Arabic service
    found = detect(arabic, candidates("sv"))
    assert len(arabic) == 214
    assert Counter(f.language for f in found)[None] >= 200
    easy_swedish = [r[3] for r in rows if len(r) > 3 and r[1] == "100063753424746"]
    found = detect(easy_swedish, candidates("sv"))
    assert Counter(f.language for f in found)["sv"] >= 0.9 * len(easy_swedish)


# -- what makes it cheap (issue #7, part 11): each distinct part scored once, exactly as alone ---


def _forget(monkeypatch: pytest.MonkeyPatch) -> None:
    """A process that has scored nothing yet."""
    monkeypatch.setattr(languages, "_SCORED", {})
    monkeypatch.setattr(languages, "_PARTS", {})
    monkeypatch.setattr(languages, "_CLEANED", {})
    monkeypatch.setattr(languages, "_PREPARED", {})


def test_a_part_shared_by_several_texts_is_scored_once_and_decides_as_alone(monkeypatch):
    _forget(monkeypatch)
    signature = "Đại sứ quán Việt Nam tại Thụy Điển trân trọng thông báo"  # 44 letters
    texts = [
        f"The embassy is closed on Monday for the national holiday.\n{signature}",
        f"Visa applications are received on Tuesday and Thursday mornings.\n{signature}",
        signature,
    ]
    scored: list[str] = []
    real = languages.LanguageDetector.compute_language_confidence_values_in_parallel

    class Counting:
        """The detector, noting every part it is asked to score."""

        def __init__(self, inner: languages.LanguageDetector) -> None:
            self.inner = inner

        def compute_language_confidence_values_in_parallel(self, parts: list[str]) -> list:
            scored.extend(parts)
            return real(self.inner, parts)

    inner = detector(candidates("sv"))
    monkeypatch.setattr(languages, "detector", lambda _: Counting(inner))
    together = detect(texts, candidates("sv"))
    # 5 parts (each text's sentences, the signature on its own line), 3 distinct texts: the
    # signature is scored once, not three times.
    assert sorted(scored) == sorted(
        [
            "The embassy is closed on Monday for the national holiday.",
            "Visa applications are received on Tuesday and Thursday mornings.",
            signature,
        ]
    )
    # Asked again, nothing is scored: the texts are remembered.
    scored.clear()
    assert detect(texts, candidates("sv")) == together
    assert scored == []
    # Each text decides as it does in a process that has seen no other (confidences may differ
    # in the last digit: lingua's parallel sums are not always added in the same order).
    for text, found in zip(texts, together, strict=True):
        _forget(monkeypatch)
        alone = detect([text], candidates("sv"))[0]
        assert (alone.language, alone.source, alone.reason) == (
            found.language,
            found.source,
            found.reason,
        )
        assert alone.confidence == pytest.approx(found.confidence, abs=1e-12)
    # The two English-and-Vietnamese texts are half of each (by letters): undetermined; the
    # signature alone is Vietnamese.
    assert [f.language for f in together] == [None, None, "vi"]


def test_letters_are_counted_the_same_on_the_fast_paths():
    # ASCII: the bytes path counts exactly what the letter pattern finds, character by character
    for code in range(128):
        text = f"a{chr(code)}b {chr(code)}"
        assert languages._letter_count(text) == len(languages._letters(text)), repr(chr(code))
    # A Latin text whose letters are counted from its parts: "❶" (a dingbat digit, cut like an
    # emoji) counts as a letter for MIN_LETTERS as before: 18 letters + ❶❷ = 20, not too short.
    text = "Lịch làm việc ❶❷ tuần này"  # Lịch 4, làm 3, việc 4, tuần 4, này 3 = 18 letters
    assert languages._letter_count(languages._cleaned(text)) == 20
    assert detect([text], candidates(""))[0].reason != TOO_SHORT
    assert detect(["Lịch làm việc tuần này"], candidates(""))[0].reason == TOO_SHORT


def test_parts_are_cut_at_line_breaks_sentence_ends_and_emoji():
    text = (
        "Chúc mừng năm mới an khang!\n\nHappy New Year to all our friends 🌸 "
        "Bonne année à tous les amis. Merci"
    )
    assert languages._parts(text) == [
        ("Chúc mừng năm mới an khang!", 21),  # 4 + 4 + 3 + 3 + 2 + 5
        ("Happy New Year to all our friends ", 27),  # 5 + 3 + 4 + 2 + 3 + 3 + 7
        # "Merci" (5 letters, under MIN_PART) goes with the sentence before it
        (" Bonne année à tous les amis. Merci", 27),  # 5 + 5 + 1 + 4 + 3 + 4 + 5
    ]


def test_the_majority_script_and_its_words():
    # Arabic letters: مرحبا 5, بكم 3, في 2, السفارة 7 = 17; Latin: Foto 4, TT 2 = 6; 23 in all.
    text = "مرحبا بكم في السفارة Foto: TT"
    assert languages._majority_script(text, 23) == ("ARABIC", 17 / 23, "مرحبا بكم في السفارة")
    # A tie goes to the script met first: 4 Greek letters, then 4 Cyrillic.
    assert languages._majority_script("αβγδ абвг", 8) == ("GREEK", 0.5, "αβγδ")
