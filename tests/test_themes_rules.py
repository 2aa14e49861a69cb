"""themes.csv: the shipped rules, the matching rule (case, diacritics, whole words, several
themes, scripts without spaces) and the refusal of a bad row in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from data.themes import (
    BUILT_IN_THEMES,
    DEFAULT_THEMES_FILE,
    ThemesError,
    _regex,
    fold,
    load_themes,
    parse_themes,
    theme_label,
)

HEADER = "theme,language,pattern\n"


def rules(*lines: str):
    return parse_themes(HEADER + "".join(f"{line}\n" for line in lines))


def test_fold_removes_case_and_vietnamese_marks():
    assert fold("Tết") == "tet"
    assert fold("TẾT NGUYÊN ĐÁN") == "tet nguyen dan"
    assert fold("Đại sứ quán") == "dai su quan"  # Đ is no D with a mark: mapped on purpose
    assert fold("Tết") == fold("Te\u0302\u0301t")  # already decomposed text: the same
    assert fold("ＡＳＥＡＮ") == "asean"  # full-width letters (Japanese texts)
    assert fold("ガイド") == "ガイド"  # Japanese voiced kana keep their mark
    assert fold("관광") == "관광"  # Korean syllables stay whole


def test_matching_ignores_case_and_diacritics_on_whole_words():
    r = rules("national_days,vi,Tết", "culture,vi,văn hóa")
    assert r.match("Chúc mừng năm mới, vui đón TẾT!") == {"national_days"}
    assert r.match("Happy Tet") == {"national_days"}  # Tết = Tet
    assert r.match("#Tết2025") == frozenset()  # a longer word: not the word tet
    assert r.match("#Tết") == {"national_days"}  # a keyword matches its hashtag
    assert r.match("Tetanus") == frozenset()  # whole words only
    assert r.match("Đêm Văn Hoá Việt Nam") == {"culture"}  # hoá / hóa / HÓA alike
    assert r.match("van-hoa") == {"culture"}  # a phrase across punctuation
    assert r.match("vanhoa") == frozenset()
    assert r.match(None) == frozenset()
    assert r.match(float("nan")) == frozenset()  # a NULL text in a data frame


def test_a_post_can_have_several_themes():
    r = load_themes()
    text = "🧧 Cộng đồng người Việt tại Nhật Bản vui đón Tết & ASEAN Day"
    assert r.match(text) == {"community", "national_days", "multilateral"}


def test_hashtags_prefixes_and_scripts_without_spaces():
    r = rules(
        "diplomacy,en,#VNDiplomacy",
        "economy,en,invest*",
        "tourism,ja,観光",
        "community,ko,베트남 교민",
    )
    assert r.match("Our #VNDiplomacy work") == {"diplomacy"}
    assert r.match("VNDiplomacy without the hash") == frozenset()
    assert r.match("Investors and investment") == {"economy"}
    assert r.match("reinvest") == frozenset()  # a prefix starts a word
    assert r.match("ベトナムの観光地") == {"tourism"}  # no spaces between Japanese words
    assert r.match("베트남 교민 여러분") == {"community"}
    assert r.match("베트남교민들") == frozenset()  # the phrase's space is needed


def test_the_fast_matcher_agrees_with_the_rule_written_as_regular_expressions():
    # _regex writes the documented rule as one expression per pattern; match() takes a faster
    # way through the words. Both must find the same themes on the generator's kind of texts.
    r = load_themes()
    texts = [
        "Diễn đàn xúc tiến thương mại & đầu tư Việt Nam – Nhật Bản 📈 #VietNam #ASEAN",
        "📢 THÔNG BÁO: Lịch tiếp công dân, cấp hộ chiếu & thị thực tháng 3/2025",
        "Scholarships & student exchanges between Viet Nam and France 🎓 Merci à tous",
        "Honoured to share: The Ambassador met local leaders; 両国の友好と協力",
        "Khám phá Việt Nam 🌏 Hạ Long, Hội An, Sa Pa… 観光 旅行",
        "Investissements et exportations : la Francophonie à l'ONU",
        "Tetanus, important imports, Uncle Ho, un pays ami",
    ]
    for text in texts:
        expected = {
            theme for theme, _, pattern in r.rules if re.search(_regex(fold(pattern)), fold(text))
        }
        assert r.match(text) == expected, text


def test_the_shipped_file_has_every_built_in_theme_in_vietnamese_and_english():
    r = load_themes()
    assert r.themes == BUILT_IN_THEMES
    for theme in BUILT_IN_THEMES:
        languages = {lang for th, lang, _ in r.rules if th == theme}
        assert {"vi", "en"} <= languages, theme
        assert len(languages) >= 4, theme  # and some host languages
        for lang in ("en", "vi"):
            assert not theme_label(theme, lang).startswith("⟦")
    assert theme_label("national_days", "vi") == "Ngày lễ quốc gia và Tết"
    assert theme_label("my_own_theme", "vi") == "my_own_theme"  # an analyst's theme: its id


def test_a_registry_folder_without_themes_uses_the_shipped_file(tmp_path):
    assert load_themes(tmp_path).rules == load_themes().rules
    (tmp_path / "themes.csv").write_text(HEADER + "ocean,en,sea\n", encoding="utf-8")
    assert load_themes(tmp_path).themes == ("ocean",)
    assert DEFAULT_THEMES_FILE.name == "themes.csv"


@pytest.mark.parametrize(
    ("content", "row", "en", "vi"),
    [
        ("theme,lang,pattern\n", 1, "the first row must be exactly", "dòng đầu phải đúng là"),
        (HEADER + "culture,vi\n", 2, "2 cells instead of 3", "có 2 ô thay vì 3"),
        (HEADER + "Culture,vi,văn hóa\n", 2, 'theme "Culture" is not', "không phải mã chủ đề"),
        (HEADER + "culture,vie,văn hóa\n", 2, "two-letter ISO 639-1", "mã ISO 639-1"),
        (HEADER + "culture,vi,văn hóa\nculture,vi, !!\n", 3, "has no letter", "không có chữ"),
        (HEADER + "culture,en,#two words\n", 2, "has a space", "có dấu cách"),
        (HEADER + "culture,en,art (s)\n", 2, "cannot use", "không dùng được"),
        (HEADER + "economy,en,trade policy*\n", 2, "ends with *", "kết thúc bằng *"),
        (
            HEADER + "culture,vi,Văn hóa\nculture,en,culture\nculture,vi,VĂN HOÁ\n",
            4,
            "already on row 2",
            "đã có ở dòng 2",
        ),
    ],
)
def test_a_bad_row_is_refused_with_one_line_in_both_languages(tmp_path, content, row, en, vi):
    (tmp_path / "themes.csv").write_text(content, encoding="utf-8")
    with pytest.raises(ThemesError) as caught:
        load_themes(tmp_path)
    error = caught.value
    assert error.row == row
    for lang, words in (("en", en), ("vi", vi)):
        line = error.message(lang)
        assert "\n" not in line
        assert line.startswith(f"{tmp_path / 'themes.csv'}, ")
        assert (f"row {row}: " if lang == "en" else f"dòng {row}: ") in line
        assert words in line


def test_the_same_word_in_two_languages_or_two_themes_is_allowed(tmp_path):
    r = rules("culture,ja,文化", "culture,zh,文化", "consular,en,visa", "tourism,en,visa")
    assert r.match("visa 文化") == {"culture", "consular", "tourism"}


def test_an_empty_or_missing_file(tmp_path):
    with pytest.raises(ThemesError, match="no pattern"):
        parse_themes(HEADER)
    from data.themes import read_themes

    with pytest.raises(ThemesError) as caught:
        read_themes(Path(tmp_path / "nowhere.csv"))
    assert "thiếu tệp" in caught.value.message("vi")
