"""KPI cards: a value, its change against the previous period of equal length, and what it means.

The numbers come from one row of `metrics.compare` (columns `k`, `k_prev`, `k_change`); the
cards only write them. A KPI where lower is better shows a fall in green (`delta_color`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from i18n import t
from ui.format import format_change, format_kpi, kpi_help, kpi_label


def card_texts(row: Mapping[str, Any], name: str) -> tuple[str, str | None, str]:
    """(value, signed change or None, help with the previous value) of one KPI card."""
    value = format_kpi(name, row.get(name))
    change = format_change(row.get(f"{name}_change"))
    previous = format_kpi(name, row.get(f"{name}_prev"))
    helptext = f"{kpi_help(name)}\n\n{t('ui.cards.previous', value=previous)}"
    return value, change, helptext


def kpi_cards(row: Mapping[str, Any] | None, names: Sequence[str], per_row: int = 4) -> None:
    """A grid of `st.metric` cards for the KPIs `names` of one `compare` row."""
    from metrics import KPIS

    row = row or {}
    for offset in range(0, len(names), per_row):
        columns = st.columns(per_row)
        for column, name in zip(columns, names[offset : offset + per_row], strict=False):
            value, change, helptext = card_texts(row, name)
            kpi = KPIS.get(name)
            with column:
                st.metric(
                    kpi_label(name),
                    value,
                    delta=change,
                    delta_color="normal" if kpi is None or kpi.higher_is_better else "inverse",
                    help=helptext,
                    border=True,
                )
