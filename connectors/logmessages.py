"""The import log's messages, stored as a code and parameters and written in the reader's language.

A line of the `imports` table keeps what its message says as `message_code` (an i18n key:
`refused.<code>` for a refused file, `import.left_out.line` for an import that left out rows of
pages the registry does not know) and `message_params` (JSON), so the Data page and the CLI can
write it in the language of whoever reads it. The English text is still written to `message` for
SQL readers and older versions; lines written before the code existed have only that text, and
are shown as they were written.

Parameters are stored raw (as the file gave them) and made safe when shown (`display_params`:
control characters escaped, length capped, markdown escaped where markdown is rendered).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from connectors.base import PARAM_LIMIT, ImportRefused, display_params, display_text

if TYPE_CHECKING:
    from connectors.importer import LeftOut

LEFT_OUT_CODE = "import.left_out.line"
_REFUSED_PREFIX = "refused."
# Parameters a message has since renamed, by code: (old name, new name). Lines stored before
# keep their old names; the message's text asks for the new one.
_RENAMED = {"refused.unknown_format": ("known", "known_formats")}
# A stored English text of an old line is shown whole (it was capped when it was written).
_FALLBACK_LIMIT = 2000


def _json_value(value: object) -> object:
    # Numbers stay numbers (a message may count them); anything else is kept as the text it
    # would have been shown as, so that a tuple or a date reads the same after the round trip.
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def from_refusal(refusal: ImportRefused) -> tuple[str, str]:
    """(message_code, message_params) of a refused file's line."""
    params = {key: _json_value(value) for key, value in refusal.params.items()}
    return _REFUSED_PREFIX + refusal.code, json.dumps(params, ensure_ascii=False)


def from_left_out(left_out: Sequence[LeftOut]) -> tuple[str, str]:
    """(message_code, message_params) of an import that left out rows of unknown pages."""
    pages = [
        {"platform": i.platform, "external_id": i.external_id, "name": i.name, "rows": i.rows}
        for i in left_out
    ]
    return LEFT_OUT_CODE, json.dumps({"pages": pages}, ensure_ascii=False)


def render(
    code: object,
    params: object,
    fallback: object = None,
    lang: str | None = None,
    markdown: bool = False,
) -> str:
    """A log line's message in `lang` from its code and JSON parameters; without a code (or
    with one this version does not know) the stored English `fallback`, made safe to show."""
    from i18n import catalog, t

    decoded = _decode(params)
    if isinstance(code, str) and decoded is not None:
        if code == LEFT_OUT_CODE and isinstance(decoded.get("pages"), list):
            from connectors.importer import LeftOut, left_out_message

            try:
                pages = [LeftOut(**page) for page in decoded["pages"]]
            except TypeError:  # not the parameters this version writes: show the stored text
                pages = []
            if pages:
                return left_out_message(pages, lang, markdown)
        elif code.startswith(_REFUSED_PREFIX) and code in catalog("en"):
            params = dict(decoded)
            old, new = _RENAMED.get(code, (None, None))
            if old in params and new not in params:
                params[new] = params.pop(old)
            return t(code, lang=lang, **display_params(params, markdown, lang))
    if fallback is None or fallback != fallback:  # None or NaN (a missing value of pandas)
        return ""
    return display_text(fallback, max(_FALLBACK_LIMIT, PARAM_LIMIT), markdown)


def _decode(params: object) -> Mapping[str, object] | None:
    if not isinstance(params, str):
        return None
    try:
        decoded = json.loads(params)
    except ValueError:
        return None
    return decoded if isinstance(decoded, dict) else None
