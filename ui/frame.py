"""The frame around every page: page config, navigation, the shared controls (week, weeks shown)
and the build they read.

Builds and links: a link that names a build (`?build=<id>`) opens that build's numbers for the whole
session, even after later rebuilds, as long as the build is kept (`[builds] keep`, default 26); an
expired or unknown id opens the latest build with a notice saying so. A visit without `build` follows
the latest build and leaves `build` out of the address bar (a reload shows the newest numbers);
the "link to this view" box always names the build shown, so a copied link pins it.

`app.py` draws the frame and runs the chosen page. A page calls `page_context()` first: inside
app.py it gets the context already drawn; when a fresh server runs a page file directly (the
`pages/` first-request pitfall in PLATFORM.md), the page draws the same frame itself, so the first
request of a deep link shows exactly what a warm server shows.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import streamlit as st

from pipelines import builds
from ui import data
from ui.widgets import md

PAGES = [
    # (file, title, icon, url path)
    ("pages/overview.py", "Overview", ":material/dashboard:", ""),
    ("pages/outcome.py", "Outcome", ":material/trending_up:", "outcome"),
    ("pages/functions.py", "Functions", ":material/groups:", "functions"),
    ("pages/coordination.py", "Coordination", ":material/diversity_3:", "coordination"),
    ("pages/data.py", "Data", ":material/database:", "data"),
]
RANGES = {"all": "All weeks", "26": "Last 26 weeks", "13": "Last 13 weeks"}
WEEK_KEY, RANGE_KEY, BUILD_KEY = "week", "range", "build"
# Session state: the build id this session is pinned to ("" follows the latest), and the notice of a
# link whose build is no longer kept.
_PIN_KEY, _NOTICE_KEY = "seams-pinned-build", "seams-build-notice"

_drawn = threading.local()  # the context drawn by app.py for the page running in this thread


@dataclass(frozen=True)
class PageContext:
    build: data.Build
    week: dt.date
    since: dt.date | None  # first week shown on time charts (None: all)
    error: str | None  # a build problem to show: the last good build is serving
    latest_id: str = ""  # the latest build's id (the build shown, unless the session is pinned)

    @property
    def pinned(self) -> bool:
        """The session shows a build other than the latest, because its link named it."""
        return self.build.build_id != self.latest_id

    def link(self, **extra) -> str:
        """A link that reopens this view with these numbers: page, week, filters (every state the
        page keeps in the URL) and the build, in the query string."""
        params = {
            **st.query_params.to_dict(),
            WEEK_KEY: self.week.isoformat(),
            RANGE_KEY: st.session_state.get(RANGE_KEY, "all"),
            BUILD_KEY: self.build.build_id,
            **extra,
        }
        base = st.context.url or ""
        if base and not urlsplit(base).path:
            base += "/"  # the default page's address is `/`
        return f"{base}?{urlencode(params)}"


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


def follow_latest():
    """Show the latest build from now on (the session was pinned by its link, or a rebuild ran)."""
    st.session_state[_PIN_KEY] = ""
    st.session_state.pop(_NOTICE_KEY, None)


def _chosen_build(latest: data.Build) -> data.Build:
    """The build this session shows: the one its link pinned while it is kept, else the latest."""
    if _PIN_KEY not in st.session_state:
        # A new session: the link's build, if it names one.
        st.session_state[_PIN_KEY] = st.query_params.get(BUILD_KEY) or ""
    pin = st.session_state[_PIN_KEY]
    build = latest
    if pin and pin != latest.build_id:
        build, resolved = data.pinned_build(pin)
        if build is None:
            kept = data.builds_kept()
            why = (
                f"is no longer kept (only the last {kept} builds are)"
                if resolved.status == "expired"
                else "is not a build of this workspace"
            )
            # The id comes from a URL: shown as code only when it has a build id's shape.
            named = f"`{pin}`" if builds.is_build_id(pin) else md(pin[:40])
            st.session_state[_NOTICE_KEY] = (
                f"The link named build {named}, which {why}: showing the latest build, `{latest.build_id}`. "
                "Its numbers may differ from the ones that were shared."
            )
            st.session_state[_PIN_KEY] = ""  # from now on this session follows the latest build
            pin, build = "", latest
    if pin:
        st.query_params[BUILD_KEY] = pin  # written on every run: page links drop it
    elif BUILD_KEY in st.query_params:
        del st.query_params[BUILD_KEY]
    return build


def _shared_controls() -> PageContext:
    latest, error = data.current_build()
    if latest is None:
        st.error(f"Seams cannot show this workspace yet. {error}")
        st.info(f"Workspace: `{data.workspace_dir()}`. Fix the file named above and reload this page.")
        st.stop()
    build = _chosen_build(latest)
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
        pinned = " (pinned by the link)" if build is not latest else ""
        st.caption(
            f"**{md(info['workspace_name'])}** · data to {info['as_of_date']:%-d %b %Y} · "
            f"build `{build.build_id}`{pinned}"
        )
    if error:
        st.warning(f"The workspace changed but could not be rebuilt; showing the last good build. {md(error)}")
    if _NOTICE_KEY in st.session_state:
        st.warning(st.session_state[_NOTICE_KEY], icon=":material/history:")
    if build is not latest:
        with st.container(border=True):
            st.info(
                f"**Pinned to build `{build.build_id}`** (built {info['built_at']:%-d %b %Y %H:%M} UTC, data to "
                f"{info['as_of_date']:%-d %b %Y}): these are the numbers as they were shared. The latest build is "
                f"`{latest.build_id}` (data to {latest.info['as_of_date']:%-d %b %Y}).",
                icon=":material/push_pin:",
            )
            st.button("Show the latest build", key="seams-follow-latest", on_click=follow_latest)
    week = dt.date.fromisoformat(week)
    latest_week = dt.date.fromisoformat(options[0])
    since = None if shown == "all" else latest_week - dt.timedelta(weeks=int(shown) - 1)
    return PageContext(build, week, since, error, latest.build_id)
