"""KPI cards: a value, its like-for-like change against the compared period, what it covers,
and (on the Mission page) where the mission stands among the others.

The numbers come from one row of `metrics.compare` (columns `k`, `k_prev`, `k_change`,
`k_left_out`, `k_missing`, `k_reason`, `accounts`) and, for the standing, one row per KPI of
`metrics.standing`; the cards only write them. A change is written the way the KPI's
declaration says (`KPI.change`): in % for counts and rates, in percentage points for ratios.
A KPI where lower is better shows a fall in green (`delta_color`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from data.domain import PLATFORMS
from i18n import format_number, format_percent, t
from ui.format import format_kpi, kpi_help, kpi_label, mission_name, owner_label, platform_label

# How many left-out accounts a card names on its face; the tooltip names them all.
NAMED_ON_CARD = 2
# The Mission page's cards, each with its rank and medians among all missions (their standing
# is computed for these KPIs only: `metrics.mission_standing(..., kpis=MISSION_CARD_KPIS)`).
MISSION_CARD_KPIS = (
    "followers_end",
    "net_follows",
    "posts",
    "posts_per_week",
    "interactions",
    "reach",
    "er_reach",
    "er_followers",
    # the languages it speaks in (issue #7 part 1): does it speak to the host country, and
    # does that work?
    "host_language_share",
    "host_language_lift",
    "vietnamese_share",
    "english_share",
)


@dataclass(frozen=True)
class CardText:
    """Everything a card writes, in the language in use."""

    value: str
    change: str | None  # the signed change (`+12.5%`, `+0.07 pt`), None when there is none
    coverage: str | None  # what the change covers, or why there is none
    help: str  # the tooltip: the KPI, the earlier value, the change's basis, who is left out
    standing: tuple[str, ...] = ()  # rank and medians lines (Mission page)


def format_kpi_change(name: str, value: Any, lang: str | None = None) -> str | None:
    """A change as the KPI's declaration reads it: `+12.5%` (relative, counts and rates) or
    `+0.07 pt` / `+0,07 điểm %` (a difference of ratios, in percentage points); None if
    unknown."""
    from metrics import KPIS

    if value is None or pd.isna(value):
        return None
    number = float(value)
    sign = "-" if number < 0 else "+"  # ASCII minus: st.metric reads it for the arrow
    kpi = KPIS.get(name)
    if kpi is not None and kpi.change == "points":
        points = format_number(abs(number) * 100, 2, lang=lang)
        return t("ui.cards.points", sign=sign, value=points, lang=lang)
    return f"{sign}{format_percent(abs(number), 1, lang=lang)}"


def account_labels(accounts: pd.DataFrame, lang: str | None = None) -> dict[str, str]:
    """How a card names each account of `metrics.accounts_in_scope`: its platform (and owner,
    for an ambassador's account) within one mission, else also the mission's name."""
    if accounts.empty:
        return {}
    one_mission = accounts["mission_id"].nunique() == 1
    labels = {}
    for row in accounts.to_dict("records"):
        label = platform_label(row["platform"], lang=lang)
        if row.get("owner") == "ambassador":
            label = f"{label} ({owner_label('ambassador', lang=lang)})"
        if not one_mission:
            label = f"{mission_name(row, lang=lang)} – {label}"
        labels[row["account_id"]] = label
    return labels


def _ids(value: Any) -> list[str]:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    return [str(v) for v in value]


def _coverage(row: Mapping[str, Any], name: str, names: Mapping[str, str]) -> str | None:
    """`3 of 4 platforms; Facebook has no data for this in this period`, or why no change."""
    reason = row.get(f"{name}_reason")
    if reason:
        return t(f"ui.cards.reason.{reason}")
    accounts = _ids(row.get("accounts"))
    left_out = _ids(row.get(f"{name}_left_out"))
    if not left_out or not accounts:
        return None
    missing = set(_ids(row.get(f"{name}_missing")))
    labels = [names.get(a, a) for a in accounts]
    # "platforms" when each account is one platform of one mission (the Mission page's usual
    # case), else "accounts".
    plain = {platform_label(p) for p in PLATFORMS}
    platforms = len(set(labels)) == len(labels) and all(x in plain for x in labels)
    counted = t(
        "ui.cards.counted_platforms" if platforms else "ui.cards.counted_accounts",
        n=format_number(len(accounts) - len(left_out)),
        total=format_number(len(accounts)),
    )
    if len(left_out) == 1:
        account = left_out[0]
        when = "now" if account in missing else "before"
        detail = t(f"ui.cards.one_left_out.{when}", name=names.get(account, account))
    elif len(left_out) <= NAMED_ON_CARD:
        detail = t("ui.cards.left_out", names=", ".join(names.get(a, a) for a in left_out))
    else:
        shown = ", ".join(names.get(a, a) for a in left_out[:NAMED_ON_CARD])
        detail = t(
            "ui.cards.left_out_more",
            names=shown,
            more=format_number(len(left_out) - NAMED_ON_CARD),
        )
    return f"{counted}; {detail}"


def _left_out_help(row: Mapping[str, Any], name: str, names: Mapping[str, str]) -> str | None:
    left_out = _ids(row.get(f"{name}_left_out"))
    if not left_out:
        return None
    missing = set(_ids(row.get(f"{name}_missing")))
    lines = [
        t(
            "ui.cards.help_left_out_now" if a in missing else "ui.cards.help_left_out_before",
            name=names.get(a, a),
        )
        for a in left_out
    ]
    return t("ui.cards.help_left_out") + "\n" + "\n".join(f"- {line}" for line in lines)


def standing_lines(name: str, standing: Mapping[str, Any] | None) -> tuple[str, ...]:
    """`#3 of 95 missions · #2 of 20 in Asia-Pacific` and `Median: network 1,234 · Asia-Pacific
    2,345` for one KPI of `metrics.standing` (empty without one)."""
    from ui.format import region_label

    if not standing:
        return ()
    region = region_label(standing["region"]) if standing.get("region") else "–"
    rank, region_rank = standing.get("rank"), standing.get("region_rank")
    ranks = t(
        "ui.cards.rank",
        rank="–" if rank is None or pd.isna(rank) else format_number(int(rank)),
        of=format_number(int(standing.get("ranked") or 0)),
        region_rank="–"
        if region_rank is None or pd.isna(region_rank)
        else format_number(int(region_rank)),
        region_of=format_number(int(standing.get("region_ranked") or 0)),
        region=region,
    )
    medians = t(
        "ui.cards.medians",
        network=format_kpi(name, standing.get("median")),
        region=region,
        region_median=format_kpi(name, standing.get("region_median")),
    )
    return ranks, medians


def card_texts(
    row: Mapping[str, Any],
    name: str,
    names: Mapping[str, str] | None = None,
    standing: Mapping[str, Any] | None = None,
) -> CardText:
    """The texts of one KPI card, from a `compare` row (`names`: account id → label, see
    `account_labels`; `standing`: the KPI's row of `metrics.standing`)."""
    names = names or {}
    value = format_kpi(name, row.get(name))
    change = format_kpi_change(name, row.get(f"{name}_change"))
    previous = format_kpi(name, row.get(f"{name}_prev"))
    parts = [kpi_help(name), t("ui.cards.previous", value=previous)]
    if change is not None:
        parts.append(
            t(
                "ui.cards.help_basis",
                now=format_kpi(name, row.get(f"{name}_lfl")),
                before=format_kpi(name, row.get(f"{name}_lfl_prev")),
            )
        )
    left_out = _left_out_help(row, name, names)
    if left_out:
        parts.append(left_out)
    return CardText(
        value=value,
        change=change,
        coverage=_coverage(row, name, names),
        help="\n\n".join(parts),
        standing=standing_lines(name, standing),
    )


def kpi_cards(
    row: Mapping[str, Any] | None,
    names: Sequence[str],
    per_row: int = 4,
    *,
    accounts: Mapping[str, str] | None = None,
    standing: pd.DataFrame | None = None,
) -> None:
    """A grid of cards for the KPIs `names` of one `compare` row: the value and its change
    (`st.metric`), then what the change covers and, with `standing` (a `metrics.standing`
    frame), the rank and medians."""
    from metrics import KPIS

    row = row or {}
    for offset in range(0, len(names), per_row):
        columns = st.columns(per_row)
        for column, name in zip(columns, names[offset : offset + per_row], strict=False):
            place = (
                standing.loc[name].to_dict()
                if standing is not None and name in standing.index
                else None
            )
            text = card_texts(row, name, accounts, place)
            kpi = KPIS.get(name)
            with column, st.container(border=True):
                st.metric(
                    kpi_label(name),
                    text.value,
                    delta=text.change,
                    delta_color="normal" if kpi is None or kpi.higher_is_better else "inverse",
                    help=text.help,
                )
                for line in (text.coverage, *text.standing):
                    if line:
                        st.caption(line)
