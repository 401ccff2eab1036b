"""Data: which exports were read, when and how many rows each gave, what was rejected and why, which
builds there were; and new exports uploaded and the workspace rebuilt."""

import streamlit as st

from pipelines.config import WorkspaceError
from ui import data, widgets
from ui.frame import follow_latest, page_context
from ui.widgets import md

_FLASH = "seams-data-flash"  # what the last rebuild or upload did, shown after the rerun it causes
# A click is recorded by the button's callback and acted on below: a callback survives the rerun that
# a page run outside app.py makes (ui/frame.py page_context), a button's return value does not.
_REQUEST = "seams-data-request"
_EXPORT_TYPES = ["csv", "tsv", "txt", "parquet", "jsonl", "ndjson", "gz"]

context = page_context()
build = context.build
info = build.info

st.title("Data behind the numbers")
st.caption(
    f"Workspace `{info['workspace']}` · build `{build.build_id}` · built {info['built_at']:%-d %b %Y %H:%M} UTC "
    f"in {info['duration_seconds']:.1f} s · data to {info['as_of_date']:%-d %b %Y}"
)
if _FLASH in st.session_state:
    st.success(st.session_state.pop(_FLASH), icon=":material/check_circle:")

sources = data.run(build, "query.sources")
st.subheader("Exports read")
st.caption("For every file: rows read = rows loaded + rows rejected. Sizes in bytes; times in UTC.")
st.dataframe(
    sources,
    hide_index=True,
    width="stretch",
    column_order=[
        "file", "table_name", "rows_read", "rows_loaded", "rows_rejected", "bytes", "modified_at", "adapter",
        "encoding", "timezone", "note",
    ],
    column_config={
        "table_name": "table",
        "rows_read": st.column_config.NumberColumn("rows read", format="localized"),
        "rows_loaded": st.column_config.NumberColumn("rows loaded", format="localized"),
        "rows_rejected": st.column_config.NumberColumn("rows rejected", format="localized"),
        "bytes": st.column_config.NumberColumn("size (bytes)", format="localized"),
        "modified_at": st.column_config.DatetimeColumn("modified (UTC)", format="D MMM YYYY HH:mm"),
        "timezone": "time zone of naive times",
    },
)
if not info["has_calendar"]:
    st.info("No calendar export (meetings and attendees) was given: coordination is not shown.")
if not info["has_people"]:
    st.info("No people export was given: coordination hours count, but cost and functions are unknown.")

if info["has_calendar"]:
    st.subheader("Meetings left out of coordination")
    st.caption(
        "All-day events, broadcasts above the configured size and one-person events are not coordination "
        "(`[coordination]` in seams.toml): they count in no hours or cost."
    )
    excluded = data.run(build, "query.excluded_meetings_summary")
    if excluded.empty:
        st.success("No meeting was left out.")
    else:
        st.dataframe(excluded, hide_index=True, width="stretch")

st.subheader("Rejected rows")
reasons = data.run(build, "query.reject_examples")
if reasons.empty:
    st.success("Every row of every export was read.")
else:
    st.caption(
        f"{int(reasons['rows'].sum()):,} rows were not loaded, grouped by file, column and reason with the first "
        "few as examples. Each row is listed below with the line an editor shows (header = line 1), the first "
        "bad column and why."
    )
    st.dataframe(
        reasons,
        hide_index=True,
        width="stretch",
        column_config={"table_name": "table", "first_line": "first line"},
    )
    rejects = data.run(build, "query.rejects", None)
    widgets.download_rows(rejects, f"rejects-{build.build_id}", "rejects")
    st.dataframe(rejects.head(1000), hide_index=True, width="stretch", column_config={"table_name": "table"})

st.subheader("Builds")
kept = data.builds_kept()
st.caption(
    f"Every build, newest first. The last {kept} good builds are kept (`[builds] keep`): a link pinned to one "
    "reopens its numbers. A failed build changed nothing; the build before it kept serving."
)
history = data.history()
if history.empty:
    st.info("No build of this workspace has been recorded beside its built file yet.")
else:
    st.dataframe(
        history.assign(shown=history["build_id"] == build.build_id),
        hide_index=True,
        width="stretch",
        column_order=["build_id", "started_at", "as_of", "duration_seconds", "result", "rows_rejected", "kept",
                      "shown", "error"],
        column_config={
            "build_id": "build",
            "started_at": st.column_config.DatetimeColumn("started (UTC)", format="D MMM YYYY HH:mm:ss"),
            "as_of": "data to",
            "duration_seconds": st.column_config.NumberColumn("seconds", format="%.1f"),
            "rows_rejected": st.column_config.NumberColumn("rows rejected", format="localized"),
            "kept": st.column_config.CheckboxColumn("kept for links"),
            "shown": st.column_config.CheckboxColumn("shown here"),
        },
    )


def _request(action: str):
    st.session_state[_REQUEST] = action


def _report_failure(status, what: str, exc: Exception):
    status.update(label=f"{what} failed: nothing was changed", state="error", expanded=True)
    message = str(exc) if isinstance(exc, WorkspaceError) else f"{type(exc).__name__}: {exc}"
    st.error(f"**{what} failed; the last good build keeps serving.** {md(message)}", icon=":material/error:")


request = st.session_state.pop(_REQUEST, None)
st.subheader("Rebuild")
st.caption("The app rebuilds by itself when an export or seams.toml changes; rebuild now to read them again anyway.")
st.button("Rebuild now", icon=":material/refresh:", key="data-rebuild", on_click=_request, args=("rebuild",))
if request == "rebuild":
    with st.status("Rebuilding …", expanded=True) as status:
        try:
            result = data.rebuild(progress=status.write)
        except Exception as exc:  # noqa: BLE001 - shown as one readable line; the history records it
            _report_failure(status, "The rebuild", exc)
        else:
            status.update(label=f"Built {result.build_id} in {result.seconds:.1f} s", state="complete")
            st.session_state[_FLASH] = (
                f"Built `{result.build_id}` in {result.seconds:.1f} s; {result.rows_rejected:,} rows rejected. "
                "This page now shows it."
            )
            follow_latest()
            st.rerun()

st.subheader("Upload new exports")
st.caption(
    "Files named after their table (`tickets.csv`, `events.parquet`, …) or as mapped in `[sources]`. They are "
    "checked by a trial build first: only if it succeeds do they replace the old files (kept in "
    "`.seams/replaced/`) and the new build is swapped in. A failed upload changes nothing."
)
uploaded = st.file_uploader("Export files", type=_EXPORT_TYPES, accept_multiple_files=True, key="data-upload")
st.button(
    "Check and replace", icon=":material/upload:", disabled=not uploaded, key="data-replace", on_click=_request,
    args=("replace",),
)
if request == "replace" and uploaded:
    with st.status("Checking the upload with a trial build …", expanded=True) as status:
        try:
            outcome = data.replace_exports({f.name: f.getvalue() for f in uploaded}, progress=status.write)
        except Exception as exc:  # noqa: BLE001 - shown as one readable line
            _report_failure(status, "The upload", exc)
        else:
            status.update(label=f"Replaced and built {outcome.build.build_id}", state="complete")
            kept_in = f"; the previous files are in {md(outcome.kept_in)}" if outcome.kept_in else ""
            st.session_state[_FLASH] = (
                f"Uploaded {', '.join(md(name) for name in outcome.replaced + outcome.added)} and built "
                f"`{outcome.build.build_id}`{kept_in}. This page now shows it."
            )
            follow_latest()
            st.rerun()

widgets.copy_link(context)
