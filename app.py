"""DiploPulse dashboard: `streamlit run app.py`.

The entry point draws what every page shares: the language switch, the first-run loading of the
sample data, the "sample data" banner, the navigation and the sidebar filters; then it runs the
page the user is on (`pages/`). Everything lives in `main()` so that tests can run it with
Streamlit's AppTest. Each page starts with `state.require_frame()`, which makes sure it runs
inside this frame (see there why).
"""

from __future__ import annotations

import logging
import threading

import streamlit as st

from connectors.samples import ensure_sample_data, should_load_samples, uses_sample_data
from data.registry import RegistryError
from data.store import StoreBusy
from i18n import t
from ui import filters, state

PAGES = (
    # (script, url path, i18n key of the title, icon)
    ("pages/overview.py", "overview", "ui.nav.overview", ":material/public:"),
    ("pages/mission.py", "mission", "ui.nav.mission", ":material/account_balance:"),
    ("pages/compare.py", "compare", "ui.nav.compare", ":material/leaderboard:"),
    # issue #7 part 5: events against the mission's baseline, and the events.csv editor
    ("pages/events.py", "events", "events.nav", ":material/event:"),
    # issue #7: the Content page (formats, best time; languages and themes after merging)
    ("pages/content.py", "content", "content.nav", ":material/schedule:"),
    ("pages/data.py", "data", "ui.nav.data", ":material/database:"),
)
DATA_PAGE = "pages/data.py"

_LOG = logging.getLogger(__name__)
# Two browser tabs opening a fresh install at once must not both import the samples.
_SAMPLES_LOCK = threading.Lock()


def navigation() -> st.navigation:
    """The pages, with translated titles; the Overview is the landing page."""
    pages = [
        st.Page(script, title=t(title), icon=icon, url_path=path, default=index == 0)
        for index, (script, path, title, icon) in enumerate(PAGES)
    ]
    return st.navigation(pages, position="top")


def load_samples_once() -> None:
    """On a fresh install, import the bundled sample exports, with a progress bar."""
    store = state.store()
    if not should_load_samples(store):
        return
    with _SAMPLES_LOCK:
        if not should_load_samples(store):
            return
        bar = st.progress(0.0, text=t("ui.app.loading_samples"))

        def progress(done: int, total: int, name: str) -> None:
            fraction = done / total if total else 1.0
            bar.progress(
                min(fraction, 1.0), text=t("ui.app.loading_samples_file", n=done, total=total)
            )

        try:
            ensure_sample_data(store, progress)
        except RegistryError as error:
            st.error(t("ui.data.registry_error", detail=str(error)))
        except StoreBusy:
            st.warning(t("ui.data.store_busy"))
        except Exception as error:
            _LOG.exception("loading the sample data failed")
            st.error(t("ui.app.samples_failed", error=type(error).__name__))
        bar.empty()


def sample_banner() -> None:
    """The banner every page shows while the store holds the bundled sample data."""
    if not uses_sample_data(state.store()):
        return
    with st.container(border=True, key="sample_banner"):
        st.markdown(f"**:orange[:material/science:] {t('ui.app.sample_title')}**")
        st.markdown(t("ui.app.sample_body"))
        st.page_link(DATA_PAGE, label=t("ui.app.sample_link"), icon=":material/upload:")


def main() -> None:
    """Draw the shared frame and run the current page."""
    st.set_page_config(
        page_title="DiploPulse",
        page_icon="🌏",  # an emoji: a Material icon would be fetched from Google
        layout="wide",
        # Open on a desktop, folded away on a phone (Streamlit decides by the screen width).
        initial_sidebar_state="auto",
    )
    # A link's values the pickers do not know are said at the top of the page.
    with state.link_notices():
        state.init_language()
        page = navigation()
        load_samples_once()

        with st.sidebar:
            st.markdown(f"### {t('ui.app.title')}")
            st.caption(t("ui.app.tagline"))
            state.language_switch()
        with state.reader() as con:
            filters.sidebar_filters(con)

        sample_banner()
        with state.page_frame():
            page.run()


if __name__ == "__main__":
    main()
