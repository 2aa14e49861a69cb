"""The languages of the sample posts (data/generator/text.py, host_texts.py): each language's
texts are detected as that language by data/languages.py, every host language of the registry
is written, the mix of languages follows the mission, the texts change no count, and the
committed samples are mostly decided."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from connectors.importer import import_paths
from data.generator import text
from data.generator.host_texts import SENTENCES
from data.generator.model import (
    DEFAULT_SEED,
    make_accounts,
    read_missions,
    select_missions,
    simulate,
)
from data.generator.text import (
    EN,
    ENGLISH_WITH_GREETING,
    HOST_LANGUAGES,
    SUBJECTS,
    VI,
    Place,
    language_mix,
    written_in,
)
from data.languages import candidates, detect
from data.registry import DEFAULT_REGISTRY
from data.store import Store
from data.themes import load_themes

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples" / "exports"
POSTS = 330  # per language: every subject 30 times, on Facebook, Instagram and X in turn
PLACE = Place(vi="Nhật Bản", en="Japan", tag="Japan", languages=())


def generated(language: str) -> list[str]:
    """POSTS texts in `language` as the generator writes them, with hashtags as posts have."""
    rng = random.Random(f"test:{language}")
    place = PLACE if language in ("vi", "en") else Place("Nhật Bản", "Japan", "Japan", (language,))
    return [
        written_in(
            language,
            SUBJECTS[i % len(SUBJECTS)],
            place,
            date(2026, 5, 1) + timedelta(days=i % 180),
            ("facebook", "instagram", "x")[i % 3],
            rng,
            closing=i % 3,
            multiline=i % 5 == 0,
        )
        + " #VietNam #Japan"
        for i in range(POSTS)
    ]


@pytest.mark.parametrize("language", sorted(HOST_LANGUAGES | {"vi", "en"}))
def test_texts_are_detected_as_their_language(language):
    # Among the candidates a mission of that language has (Vietnamese, English and it), as
    # the importer detects them. The four languages written in English after a greeting
    # (Irish, Māori, isiZulu, isiXhosa) are expected to be English.
    expected = "en" if language in ENGLISH_WITH_GREETING else language
    found = Counter(d.language for d in detect(generated(language), candidates(language)))
    assert found[expected] / POSTS >= 0.9, found
    # Not decided as another language (undetermined is allowed, a wrong language is not).
    assert sum(n for lang, n in found.items() if lang not in (expected, None)) / POSTS <= 0.05


def test_every_host_language_of_the_registry_is_written():
    registry = {
        code
        for row in read_missions(DEFAULT_REGISTRY)
        for code in row["languages"].split(";")
        if code
    }
    assert registry - {"en"} <= HOST_LANGUAGES
    assert {"ga", "mi", "zu", "xh"} == ENGLISH_WITH_GREETING


# The generator's subjects and the themes of data/registry/themes.csv they are about.
THEME_OF = {
    "national_day": "national_days", "tet": "national_days", "trade": "economy",
    "culture": "culture", "consular": "consular", "asean": "multilateral", "visit": "visits",
    "education": "education", "tourism": "tourism", "community": "community", "everyday": None,
}  # fmt: skip


def test_headlines_are_about_their_theme_in_every_language_of_the_themes_file():
    rules = load_themes()
    tables = {"vi": VI, "en": EN, **SENTENCES}
    languages = {lang for _, lang, _ in rules.rules} & set(tables)
    assert {"vi", "en", "fr", "de", "es", "ja", "ko", "zh", "ar", "ru", "pt"} <= languages
    fields = {"place_vi": "Nhật Bản", "place_en": "Japan", "year": 2026, "next_year": 2027,
              "month": 9, "month_name": "September", "years": 81}  # fmt: skip
    for language in sorted(languages):
        for subject, sentences in tables[language].items():
            theme = THEME_OF[subject]
            if theme is None:  # everyday posts are about no theme, in any sentence
                assert all(not rules.match(s.format(**fields)) for s in sentences), language
            else:  # the headline, which every post of the subject has, is about it
                assert theme in rules.match(sentences[0].format(**fields)), (language, subject)


def test_language_mix_follows_the_mission():
    tokyo = Place("Nhật Bản", "Japan", "Japan", ("ja",), english=False, kind="embassy")
    # Facebook: vi 0.36, ja 0.36, en 0.16, vi+ja 0.06, vi+en 0.06 (they add up to 1).
    assert dict(language_mix(tokyo, "facebook")) == pytest.approx(
        {"vi": 0.36, "host": 0.36, "en": 0.16, "vi+host": 0.06, "vi+en": 0.06}
    )
    # X: English x 1.8 = 0.288, the bilingual ones halved (0.03 each): total 1.068, so the
    # host language is 0.36 / 1.068 = 0.3371 and English 0.288 / 1.068 = 0.2697.
    x = dict(language_mix(tokyo, "x"))
    assert x["host"] == pytest.approx(0.36 / 1.068)
    assert x["en"] == pytest.approx(0.288 / 1.068)
    assert sum(x.values()) == pytest.approx(1.0)
    # A consulate writes more for the community, in Vietnamese.
    osaka = Place("Osaka", "Osaka", "Osaka", ("ja",), english=False, kind="consulate")
    assert dict(language_mix(osaka, "facebook"))["vi"] == pytest.approx(0.48)
    # Washington has no host language but English: no host-language layout at all.
    washington = Place("Hoa Kỳ", "the United States", "UnitedStates", (), english=True)
    assert dict(language_mix(washington, "facebook")) == pytest.approx(
        {"vi": 0.45, "en": 0.45, "vi+en": 0.10}
    )


def test_texts_change_no_count(monkeypatch):
    missions = select_missions(read_missions(DEFAULT_REGISTRY), 1, DEFAULT_SEED)
    account = make_accounts(missions, DEFAULT_SEED)[0]  # emb-jp-tokyo-facebook
    first, last = date(2026, 9, 1), date(2026, 9, 30)
    before = simulate(account, first, last, DEFAULT_SEED)
    # Other sentences, as many of them: the simulation draws the same numbers.
    monkeypatch.setattr(
        text, "EN", {k: tuple("Other words here." for _ in v) for k, v in text.EN.items()}
    )
    monkeypatch.setitem(
        text.SENTENCES, "ja", dict.fromkeys(text.SENTENCES["ja"], ("別の文です。",))
    )
    after = simulate(account, first, last, DEFAULT_SEED)
    assert [(p.post_id, p.m) for p in after.posts] == [(p.post_id, p.m) for p in before.posts]
    assert after.followers == before.followers
    assert [p.text for p in after.posts] != [p.text for p in before.posts]


def test_committed_samples_are_mostly_decided(tmp_path):
    store = Store(tmp_path / "samples.duckdb")
    import_paths(store, [SAMPLES], origin="sample")
    with store.read() as cur:
        rows = cur.execute(
            """
            SELECT a.mission_id, count(*), count(l.language)
            FROM post_languages l JOIN accounts a USING (account_id)
            GROUP BY 1 ORDER BY 1
            """
        ).fetchall()
        languages = {
            r[0]
            for r in cur.execute(
                "SELECT DISTINCT language FROM post_languages WHERE language IS NOT NULL"
            ).fetchall()
        }
    posts = sum(r[1] for r in rows)
    decided = sum(r[2] for r in rows)
    assert decided / posts >= 0.9  # 7,005 of 7,466 when written (93.8 %)
    assert all(r[2] / r[1] >= 0.85 for r in rows), rows
    # The samples' host languages that have sentences are each there (isiZulu and isiXhosa
    # are written in English, see host_texts.py).
    assert {"vi", "en", "ja", "zh", "ko", "de", "fr", "ar", "af"} <= languages


def kpis(db: Path, mission: str) -> dict:
    """`python -m metrics kpis --json` for the samples' last 90 days, as a user runs it."""
    env = {key: value for key, value in os.environ.items() if key != "DIPLOPULSE_DB"}
    done = subprocess.run(
        [sys.executable, "-m", "metrics", "kpis", "--mission", mission, "--start", "2026-08-03",
         "--end", "2026-10-31", "--db", str(db), "--json"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_host_language_kpis_of_the_samples_are_known_and_follow_the_mix(tmp_path):
    store = Store(tmp_path / "samples.duckdb")
    import_paths(store, [SAMPLES], origin="sample")
    tokyo = kpis(store.path, "emb-jp-tokyo")
    # Every decided Tokyo post is Vietnamese, English or Japanese: the three shares add up.
    assert tokyo["host_language_share"] + tokyo["vietnamese_share"] + tokyo[
        "english_share"
    ] == pytest.approx(1.0)
    # The mix (language_mix) gives Japanese 0.36 of Facebook and Instagram posts, of which
    # 0.88 are in one language: 0.41 of the decided ones; on X 0.337 / 0.944 = 0.36. English:
    # 0.16 / 0.88 = 0.18 and 0.270 / 0.944 = 0.29. Drawn posts scatter around these.
    assert 0.28 <= tokyo["host_language_share"] <= 0.48
    assert 0.12 <= tokyo["english_share"] <= 0.35
    assert tokyo["host_language_lift"] is not None
    cairo = kpis(store.path, "emb-eg-cairo")
    assert 0.28 <= cairo["host_language_share"] <= 0.48
    # Washington's host language is English: 0.45 / 0.9 = 0.5 of Facebook and Instagram
    # posts, 0.81 / 1.31 = 0.62 on X.
    washington = kpis(store.path, "emb-us-washington")
    assert washington["host_language_share"] == washington["english_share"]
    assert 0.42 <= washington["host_language_share"] <= 0.68
