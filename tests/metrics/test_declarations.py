"""One definition per KPI: the declaration, docs/METRICS.md and the i18n help say the same."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

import metrics.kpi as kpi_module
from i18n import catalog, t
from metrics import KPI_NAMES, KPIS, Scope, compute, ranking
from metrics.engine import SQL_DIR
from metrics.kpi import KPI, expand, register, registry

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "METRICS.md").read_text(encoding="utf-8")
W = (date(2025, 3, 1), date(2025, 3, 14))


def _flat(text: str) -> str:
    return " ".join(text.split())


def doc_sections() -> dict[str, str]:
    """KPI name -> text of its `### `name`` section in METRICS.md."""
    parts = re.split(r"^### `([a-z0-9_]+)`\s*$", DOC, flags=re.MULTILINE)
    sections = {}
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        sections[name] = body.split("\n## ")[0]
    return sections


def test_every_kpi_has_a_section_with_its_description_and_formula():
    sections = doc_sections()
    assert list(sections) == list(KPI_NAMES)  # same KPIs, same order
    for name, kpi in KPIS.items():
        body = _flat(sections[name])
        assert _flat(kpi.description_en) in body, name
        assert f"**Formula:** {_flat(kpi.formula)}" in body, name
        assert f"Family {kpi.family} · unit {kpi.unit}" in body, name


def test_english_help_is_the_declared_description_and_both_languages_label_every_kpi():
    for name, kpi in KPIS.items():
        assert t(kpi.help_key, lang="en") == kpi.description_en
        for lang in ("en", "vi"):
            assert kpi.label_key in catalog(lang), (lang, name)
            assert kpi.help_key in catalog(lang), (lang, name)
    assert t("kpi.posts", lang="vi") == "Bài đăng"


def test_every_kpi_names_an_existing_source_and_expands():
    sources = {p.stem for p in SQL_DIR.glob("*.sql")}
    assert sources == {"posts", "account_days", "accounts", "geography"}
    for kpi in KPIS.values():
        assert kpi.source in sources
        assert "{" not in expand(kpi, KPIS)
    assert expand(KPIS["posts_per_week"], KPIS) == (
        "(CASE WHEN bool_or(has_post_data) THEN count(post_id) END) / ($days / 7.0)"
    )


def test_families_are_one_module_each():
    families = {kpi.family for kpi in KPIS.values()}
    assert families == {"volume", "engagement", "reach", "audience", "host_audience", "language"}
    for family in families:
        assert (ROOT / "metrics" / "families" / f"{family}.py").is_file()


def test_a_kpi_is_registered_once():
    with pytest.raises(ValueError, match="registered twice"):
        register(KPIS["posts"])


def test_a_new_kpi_registers_like_the_built_ins_and_ranks_lower_is_better(monkeypatch, con):
    """A newcomer's KPI: one declaration, then compute, ranking and the rest know it."""
    monkeypatch.setattr(kpi_module, "_REGISTRY", dict(kpi_module._REGISTRY))
    register(
        KPI(
            name="posts_without_comments",
            family="engagement",
            unit="count",
            higher_is_better=False,
            description_en="Posts of the period whose comments are known to be 0.",
            formula="count of posts with comments = 0",
            source="posts",
            sql="count(post_id) FILTER (WHERE comments = 0)",
            order=1000,
        )
    )
    assert list(registry())[-1] == "posts_without_comments"
    frame = ranking(con, "posts_without_comments", Scope(*W))
    # emb-us: fb-4 has 0 comments -> 1; emb-jp: yt-1 has 5, yt-2 unknown -> 0;
    # cg-vancouver: no posts -> 0. Lower is better: the two 0s share rank 1, then rank 3.
    assert list(frame["mission_id"]) == ["cg-vancouver", "emb-jp", "emb-us"]
    assert list(frame["rank"]) == [1, 1, 3]
    assert list(frame["value"]) == [0, 0, 1]
    assert compute(con, Scope(*W))["posts_without_comments"].iloc[0] == 1


def test_bad_declarations_are_refused():
    with pytest.raises(ValueError, match="unit"):
        KPI("x", "volume", "percent", True, "d", "f", "posts", "count(*)", 1)
    with pytest.raises(ValueError, match="lower_snake_case"):
        KPI("Posts", "volume", "count", True, "d", "f", "posts", "count(*)", 1)
    broken = KPI("x", "volume", "count", True, "d", "f", "accounts", "{posts} * 2", 1)
    with pytest.raises(ValueError, match="not a KPI of source"):
        expand(broken, KPIS)
