"""The frame around every page: page config, navigation, the shared controls (week, weeks shown)
and the build they read.

`app.py` draws the frame and runs the chosen page. A page calls `page_context()` first: inside
app.py it gets the context already drawn; when a fresh server runs a page file directly (the
`pages/` first-request pitfall in PLATFORM.md), the page draws the same frame itself, so the first
request of a deep link shows exactly what a warm server shows.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from urllib.parse import urlencode

import streamlit as st

from ui import data

PAGES = [
    # (file, title, icon, url path)
    ("pages/overview.py", "Overview", ":material/dashboard:", ""),
    ("pages/outcome.py", "Outcome", ":material/trending_up:", "outcome"),
    ("pages/functions.py", "Functions", ":material/groups:", "functions"),
    ("pages/coordination.py", "Coordination", ":material/diversity_3:", "coordination"),
    ("pages/data.py", "Data", ":material/database:", "data"),
]
RANGES = {"all": "All weeks", "26": "Last 26 weeks", "13": "Last 13 weeks"}
WEEK_KEY, RANGE_KEY = "week", "range"

_drawn = threading.local()  # the context drawn by app.py for the page running in this thread


@dataclass(frozen=True)
class PageContext:
    build: data.Build
    week: dt.date
    since: dt.date | None  # first week shown on time charts (None: all)
    error: str | None  # a build problem to show: the last good build is serving

    def link(self, **extra) -> str:
        """A link that reopens this view: page, week and filters in the query string."""
        params = {WEEK_KEY: self.week.isoformat(), RANGE_KEY: st.session_state.get(RANGE_KEY, "all"), **extra}
        return f"{st.context.url or ''}?{urlencode(params)}"


def _pages() -> list:
    return [
        st.Page(path, title=title, icon=icon, url_path=url or None, default=not url) for path, title, icon, url in PAGES
    ]


def run_app():
    """app.py: frame, navigation, shared controls, then the chosen page."""
    _page_config()
    page = st.navigation(_pages())
    _drawn.context = _shared_controls()
    try:
        page.run()
    finally:
        _drawn.context = None


def page_context() -> PageContext:
    """The shared context, for a page to read. A page file run without app.py is the first request
    of a fresh server in the old `pages/` mode: declaring the app's navigation switches the server
    to it for good, and the rerun then goes through app.py to this same page, frame and all."""
    context = getattr(_drawn, "context", None)
    if context is None:
        st.navigation(_pages(), position="hidden")
        st.rerun()
    return context


def url_selectbox(label: str, options: list[str], key: str, default: str, **kwargs) -> str:
    """A selectbox whose value lives in the URL as `key=value`, always, default included: a copied
    link names its week even after later data moves the default. The URL seeds a new session; after
    that the session's choice is written back to the URL on every run (page links drop it)."""
    if st.session_state.get(key) not in options:
        from_url = st.query_params.get(key)
        st.session_state[key] = from_url if from_url in options else default
    value = st.selectbox(label, options, key=key, **kwargs)
    st.query_params[key] = value
    return value


def _page_config():
    st.set_page_config(page_title="Seams", page_icon=":material/join_inner:", layout="wide")


def _shared_controls() -> PageContext:
    build, error = data.current_build()
    if build is None:
        st.error(f"Seams cannot show this workspace yet. {error}")
        st.info(f"Workspace: `{data.workspace_dir()}`. Fix the file named above and reload this page.")
        st.stop()
    weeks = data.run(build, "query.weeks")
    if weeks.empty:
        st.info("The workspace has no weeks to show yet: add sign-ups or function exports and rebuild.")
        st.stop()
    options = [w.isoformat() for w in weeks["week_start"].dt.date]
    default = data.run(build, "query.default_week").isoformat()
    with st.sidebar:
        week = url_selectbox(
            "Week", options, WEEK_KEY, default,
            help="Weeks start on the workspace's week day, in its time zone. The default is the latest week "
            "whose outcome is known (its cohort is mature).",
        )
        shown = url_selectbox("Weeks shown", list(RANGES), RANGE_KEY, "all", format_func=RANGES.get)
        info = build.info
        st.caption(
            f"**{info['workspace_name']}** · data to {info['as_of_date']:%-d %b %Y} · build `{build.build_id}`"
        )
    if error:
        st.warning(f"The workspace changed but could not be rebuilt; showing the last good build. {error}")
    week = dt.date.fromisoformat(week)
    latest = dt.date.fromisoformat(options[0])
    since = None if shown == "all" else latest - dt.timedelta(weeks=int(shown) - 1)
    return PageContext(build, week, since, error)
