"""Overview: in the week chosen, is every function green while the outcome stalls, and what does
coordination cost? The weekly leadership review, readable in 30 seconds."""

import streamlit as st

from pipelines.summary import percent
from ui import charts, data, widgets
from ui.frame import page_context

context = page_context()
build = context.build
summary = data.run(build, "summary.week_summary", context.week)
if summary is None:
    st.info("No data for this week: choose another week in the sidebar.")
    st.stop()

st.title(f"Week commencing {context.week:%A %-d %B %Y}")
st.caption(f"{build.info['workspace_name']} · weekly review · compared with the week before")

widgets.signature_banner(summary)
widgets.week_note_download(context)

st.subheader("Each function against its own number, beside the outcome")
widgets.scorecard(summary)

grid = data.run(build, "query.status_grid", context.since)
org_changes = data.run(build, "query.org_changes")
st.subheader("Weeks at a glance")
st.caption(
    "A signature week is a column of green functions over a red outcome. Grey cohorts are not mature "
    "yet: their rate is provisional and never counts as a stall."
)
st.altair_chart(charts.status_grid(grid, context.week, org_changes), width="stretch")

st.subheader("What coordination costs, against the outcome")
cohorts = data.run(build, "query.outcome_cohorts", context.since)
coordination = data.run(build, "query.coordination_weekly", context.since)
if not build.info["has_calendar"]:
    st.info("No calendar export was given (meetings and attendees), so coordination hours and cost are not shown.")
    st.altair_chart(charts.outcome_trend(cohorts, summary.outcome_target, context.week, org_changes), width="stretch")
else:
    widgets.coordination_metrics(summary, build.info)
    st.altair_chart(charts.outcome_trend(cohorts, summary.outcome_target, context.week, org_changes), width="stretch")
    st.altair_chart(charts.coordination_hours(coordination, context.week, org_changes), width="stretch")
    st.altair_chart(
        charts.coordination_cost(coordination, build.info["currency"], context.week, org_changes), width="stretch"
    )

with st.expander("The numbers behind this page"):
    widgets.numbers_behind(summary, cohorts, coordination)
    st.markdown(
        f"**Definitions.** A function is green when its KPI meets its target, amber within its band, red otherwise. "
        f"The outcome is the share of a week's sign-ups whose first milestone falls within the window "
        f"({percent(summary.outcome_target, 0)} target); a cohort is mature once every sign-up has had the whole "
        f"window. The outcome is stalled when the trailing mature cohorts are all below target and not improving."
    )
widgets.copy_link(context)
