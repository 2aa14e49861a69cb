"""Session glue: the store, the language in use, and widgets mirrored in the page's URL.

Filters live in the URL (`?lang=vi&period=30d&platforms=facebook,x&mission=emb-jp-tokyo`) so that
a view can be shared as a link. A link's value a picker does not know (a mission no longer in
the registry, a mistyped KPI) gives way to the picker's default, and the page says so at its
top (`link_notices`): a shared link never shows another view without a word.

Streamlit's own `bind="query-params"` writes an option's *displayed label* into the URL, which
would put translated mission names in links and lose the choice when the language changes; so
we keep ids in the URL ourselves: a widget's session value is seeded from its URL parameter the
first time the widget is drawn, and written back after.

The value of a picker is an id (`ytd`, `emb-jp-tokyo`), its label comes from `format_func`. But
Streamlit's browser side holds a selectbox, multiselect or radio choice as the option's *label*
and sends that label back on every run: after a language switch it would send an English label
the Vietnamese options do not have, and Streamlit would fall back to the first option (the
issue #6 bug). `hold()` therefore hands such a widget its id again whenever it is drawn in a
language other than the last, which makes Streamlit send the browser the label in the new
language.
"""

from __future__ import annotations

import contextvars
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import streamlit as st

import i18n
import metrics
from connectors.base import display_text
from data.store import Store, default_db_path, get_store

LANG_PARAM = "lang"
LANG_KEY = "ui_lang"


@st.cache_resource(show_spinner=False)
def _store_for(path: str) -> Store:
    store = get_store(Path(path))
    # Every account's partial aggregates and alerts in the period presets' windows, built once
    # per version in the background: a page's reads over a preset read them instead of the
    # sources, for any choice of missions, platforms and owners (metrics.PREPARERS).
    store.prepare_versions(*metrics.PREPARERS)
    # After an import, the first render of a view would read the new version cold (seconds at
    # 10x): a background thread runs the reads of the views looked at so far on each new
    # version as soon as it is published, so that the next render finds them in the cache.
    store.start_warming()
    return store


def store() -> Store:
    """The process-wide store of the database file in use (`DIPLOPULSE_DB` or the default)."""
    return _store_for(str(default_db_path().resolve()))


@contextmanager
def reader() -> Iterator[duckdb.DuckDBPyConnection]:
    """`with reader() as con:` a cursor on the newest published version of the store."""
    with store().read() as con:
        yield con


# -- URL parameters ----------------------------------------------------------------------


def url_param(name: str) -> str | None:
    """The value of a URL query parameter (the last one if repeated), or None."""
    value = st.query_params.get(name)
    return value if value else None


def set_url_param(name: str, value: str | None) -> None:
    """Set a URL query parameter, or remove it when `value` is None or empty."""
    if not value:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != value:
        st.query_params[name] = value


def _remembered() -> dict[str, str]:
    # The last URL value of every parameter in this session. Streamlit's page navigation drops
    # the query string; the sidebar's widgets keep their values (they are drawn on every page),
    # but a page's own pickers are forgotten with the page, so they come back from here.
    return st.session_state.setdefault("_ui_url_memory", {})


_DRAWN_IN = "_ui_drawn_in"


def hold(key: str) -> None:
    """Keep the widget `key`'s value (an id) across a language switch; call before drawing it.

    Before the widget is drawn, its session value is still read with the previous run's labels,
    so it is the id the user chose. Setting it again makes Streamlit send the browser this id's
    label in the language of this run (see the module docstring); in other runs nothing is set,
    so a user's click is never overwritten.
    """
    drawn_in: dict[str, str] = st.session_state.setdefault(_DRAWN_IN, {})
    lang = language()
    if key in st.session_state and drawn_in.get(key, lang) != lang:
        st.session_state[key] = st.session_state[key]
    drawn_in[key] = lang


_OPEN = "_ui_open_"


def expander(label: str, key: str, expanded: bool = False, force_open: bool = False) -> Any:
    """`st.expander` that stays open, or closed, across a language switch.

    Streamlit (1.67) tells an expander by its label and its `expanded`, even when it has a
    `key`: the same expander labelled in the other language is another one, drawn folded (an
    editor being filled in folded away). This one keeps whether it is open under `key` (a click
    on it reruns the script to remember it) and draws the expander in that state. `expanded`:
    its state until the first click; `force_open`: open it now whatever it was (an error to
    show inside). Its widgets keep their values, as they have keys of their own."""
    remembered = f"{_OPEN}{key}"
    if force_open or remembered not in st.session_state:
        st.session_state[remembered] = expanded or force_open

    def keep() -> None:
        st.session_state[remembered] = bool(st.session_state[key])

    return st.expander(label, expanded=st.session_state[remembered], key=key, on_change=keep)


def seed(key: str, param: str, default: Any, parse: Callable[[str], Any] | None = None) -> Any:
    """Give the widget `key` its value from URL parameter `param` (or `default`) if it has none.

    Call right before drawing the widget (without passing it a default). `parse` turns the URL
    text into a value and returns None for text it does not accept (a list parser keeps the
    items it knows). Without the parameter in the URL, the value this session last had for it is
    used (after a page change). What the URL asked for and `parse` did not accept is said at the
    top of the page (`link_notice`).
    """
    if key not in st.session_state:
        linked = url_param(param)
        raw = linked if linked is not None else _remembered().get(param)
        value = None
        if raw is not None:
            value = parse(raw) if parse else raw
        if linked is not None:
            if isinstance(value, list):  # a list parser keeps the items it knows
                unknown = [item for item in list_items(linked) if item not in value]
            else:
                unknown = [linked] if value is None else []
            if unknown:
                link_notice(param, ",".join(unknown))
        st.session_state[key] = default if value is None else value
    hold(key)
    return st.session_state[key]


# Where this run says which of the link's values were not understood: (placeholder, notices).
_LINK_NOTICES: contextvars.ContextVar[tuple[Any, list[str]] | None] = contextvars.ContextVar(
    "diplopulse_link_notices", default=None
)


@contextmanager
def link_notices() -> Iterator[None]:
    """Keep room at the top of the page for `link_notice`s (app.py, around the whole run):
    an empty placeholder, filled only when a notice comes."""
    token = _LINK_NOTICES.set((st.empty(), []))
    try:
        yield
    finally:
        _LINK_NOTICES.reset(token)


def link_notice(param: str, raw: str) -> None:
    """Say at the top of the page that the link's `param=raw` is not known here, so the page
    shows its default instead, and what to do (outside `link_notices`: nothing)."""
    found = _LINK_NOTICES.get()
    if found is None:
        return
    slot, notices = found
    notices.append(
        i18n.t(
            "ui.link.unknown",
            param=display_text(param, 40, markdown=True),
            value=display_text(raw, 80, markdown=True),
        )
    )
    slot.warning("\n\n".join(notices), icon=":material/link_off:")


def publish(param: str, value: Any, default: Any, dump: Callable[[Any], str] = str) -> None:
    """Mirror a widget's value in the URL; a default value is left out to keep links short."""
    text = None if value == default else dump(value)
    memory = _remembered()
    if text is None:
        memory.pop(param, None)
    else:
        memory[param] = text
    set_url_param(param, text)


def choice_parser(choices: Sequence[str]) -> Callable[[str], str | None]:
    """A `parse` for `seed` that accepts only one of `choices`."""
    allowed = set(choices)
    return lambda raw: raw if raw in allowed else None


def list_items(raw: str) -> list[str]:
    """The items of a list parameter's URL text (`dump_list`'s form), blanks left out."""
    return [item for item in (part.strip() for part in raw.split(",")) if item]


def list_parser(choices: Sequence[str]) -> Callable[[str], list[str] | None]:
    """A `parse` for comma-separated lists, keeping the known items in the order of `choices`."""

    def parse(raw: str) -> list[str] | None:
        wanted = set(list_items(raw))
        picked = [c for c in choices if c in wanted]
        return picked or None

    return parse


def dump_list(values: Sequence[str]) -> str:
    """The URL form of a list parameter."""
    return ",".join(values)


# -- language ----------------------------------------------------------------------------


def init_language() -> str:
    """Decide the language of this run (switch, else `?lang=`, else English) and use it."""
    lang = seed(LANG_KEY, LANG_PARAM, i18n.DEFAULT_LANGUAGE, choice_parser(i18n.LANGUAGES))
    if lang not in i18n.LANGUAGES:
        lang = st.session_state[LANG_KEY] = i18n.DEFAULT_LANGUAGE
    i18n.set_language(lang)
    return lang


def language() -> str:
    """The language of this run."""
    return i18n.language()


LANGUAGE_NAMES = {"en": "English", "vi": "Tiếng Việt"}


def language_switch() -> None:
    """The language switch; its value is mirrored in `?lang=`."""
    st.segmented_control(
        i18n.t("ui.app.language"),
        options=list(i18n.LANGUAGES[::-1]),  # English first: it is the default
        format_func=LANGUAGE_NAMES.__getitem__,
        key=LANG_KEY,
        required=True,
        width="stretch",
    )
    publish(LANG_PARAM, st.session_state[LANG_KEY], i18n.DEFAULT_LANGUAGE)
    _mark_page_language()


def _mark_page_language() -> None:
    # `<html lang>` tells screen readers how to pronounce the page and keeps the browser from
    # offering to translate "English" Vietnamese. Streamlit has no setting for it (its page
    # config has none as of 1.67), so a one-line script does it; `lang` is one of LANGUAGES.
    lang = json.dumps(language())
    st.html(
        f"<script>document.documentElement.lang = {lang};</script>",
        unsafe_allow_javascript=True,
        width="content",
    )


_IN_FRAME: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "diplopulse_in_frame", default=False
)


@contextmanager
def page_frame() -> Iterator[None]:
    """Mark the page run by app.py as running inside its frame."""
    token = _IN_FRAME.set(True)
    try:
        yield
    finally:
        _IN_FRAME.reset(token)


def require_frame() -> None:
    """Run the page inside app.py's frame (language switch, filters, sample banner).

    Streamlit still treats a `pages/` folder beside the entry point as an old-style multipage
    app until `st.navigation` has run once in the server process (streamlit/streamlit#10276):
    the first request of a freshly started server for `/mission` would run this page on its
    own. Then turn that mode off and run again, which goes through app.py to the same page.
    """
    if _IN_FRAME.get():
        return
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    st.rerun()
