"""Data: which exports were read, how many rows each gave, and what was rejected and why."""

import streamlit as st

from ui import data, widgets
from ui.frame import page_context

context = page_context()
build = context.build
info = build.info

st.title("Data behind the numbers")
st.caption(
    f"Workspace `{info['workspace']}` · build `{build.build_id}` · built {info['built_at']:%-d %b %Y %H:%M} UTC "
    f"in {info['duration_seconds']:.1f} s · data to {info['as_of_date']:%-d %b %Y}"
)

sources = data.run(build, "query.sources")
st.subheader("Exports read")
st.caption("For every file: rows read = rows loaded + rows rejected.")
st.dataframe(
    sources,
    hide_index=True,
    width="stretch",
    column_config={
        "bytes": st.column_config.NumberColumn("bytes", format="compact"),
        "modified_at": st.column_config.DatetimeColumn("modified (UTC)", format="D MMM YYYY HH:mm"),
        "sha256": None,
    },
)
if not info["has_calendar"]:
    st.info("No calendar export (meetings and attendees) was given: coordination is not shown.")
if not info["has_people"]:
    st.info("No people export was given: coordination hours count, but cost and functions are unknown.")

st.subheader("Rejected rows")
reasons = data.run(build, "query.reject_reasons")
if reasons.empty:
    st.success("Every row of every export was read.")
else:
    st.caption(
        f"{int(reasons['rows'].sum()):,} rows were not loaded. Each is listed with its file, the line an "
        "editor shows (header = line 1), the first bad column and why."
    )
    st.dataframe(reasons, hide_index=True, width="stretch")
    st.dataframe(data.run(build, "query.rejects"), hide_index=True, width="stretch")
widgets.copy_link(context)
