"""The registry's things by name, in the language in use: a mission from its row, a platform and
an account's owner from their ids. Here, below every layer that shows them, so that the pages
(through `ui.format`) and the command lines name them by one rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from i18n import language, t


def mission_name(row: Mapping[str, Any], lang: str | None = None) -> str:
    """A mission's name in the language in use (falls back to the id)."""
    lang = lang or language()
    name = row.get("name_vi") if lang == "vi" else row.get("name_en")
    return str(name) if name else str(row.get("mission_id", "–"))


def platform_label(platform: str, lang: str | None = None) -> str:
    """A platform's display name."""
    return t(f"ui.platform.{platform}", lang=lang)


def owner_label(owner: str, lang: str | None = None) -> str:
    """`mission` / `ambassador` in words."""
    return t(f"ui.owner.{owner}", lang=lang)
