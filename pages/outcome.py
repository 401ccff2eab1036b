"""Outcome: why did the outcome move? The chosen week's cohort against the target with its 95%
interval, cohort activation by week, by segment, channel and plan, how long activation takes, and
the sign-ups behind the number."""

import re

import pandas as pd
import streamlit as st

from pipelines.query import NO_VALUE, OUTCOME_DIMENSIONS
from pipelines.summary import percent
from ui import charts, data, widgets
from ui.frame import page_context, url_selectbox
from ui.widgets import md

ALL = "(all)"  # the rows filter's "every sign-up in the cohort"

context = page_context()
build = context.build
week = context.week
settings = data.run(build, "query.outcome_settings")
cohort = data.run(build, "query.week_row", "outcome_cohorts", week)
signature = data.run(build, "query.week_row", "signature_weekly", week)
if cohort is None:
    st.info("No cohort for this week: choose another week in the sidebar.")
    st.stop()

name, target, window = settings["name"], settings["target"], int(settings["window_days"])
stall_weeks = int(settings["stall_weeks"])
st.title(f"{md(name)} · cohort of {week:%-d %B %Y}")
st.caption(
    f"{md(build.info['workspace_name'])} · sign-ups of the week commencing {week:%A %-d %B %Y} · "
    f"activated = first milestone within {window} days"
)


def days(value) -> str:
    return "—" if value is None or pd.isna(value) else f"{value:.1f} days"


# The answer: this cohort's rate against the target, its interval and maturity, and why.
has_signups = cohort["signups"] > 0
rate_column, interval_column, count_column, time_column = st.columns([1, 1.5, 1, 1])
rate_column.metric(
    "Cohort rate",
    percent(cohort["rate"]),
    help=f"Activated ÷ sign-ups of this week's cohort; target {percent(target, 0)}.",
    border=True,
)
interval_column.metric(
    "95% interval",
    f"{percent(cohort['rate_low'])}–{percent(cohort['rate_high'])}" if has_signups else "—",
    help="Wilson score interval (z = 1.96): the range of true rates these sign-ups are consistent with.",
    border=True,
)
count_column.metric(
    "Activated of sign-ups", f"{cohort['activated']:,} of {cohort['signups']:,}", border=True
)
time_column.metric(
    "Median days to activate",
    days(cohort["median_days_to_activate"]),
    help=f"Among the sign-ups activated within the {window}-day window; p75 "
    f"{days(cohort['p75_days_to_activate'])}.",
    border=True,
)

badge = widgets.status_badge(cohort["status"])
target_text = f"target {percent(target, 0)}"
if not has_signups:
    why = "No sign-ups in this week, so it has no rate."
elif not cohort["mature"]:
    why = (
        f"Provisional: not every sign-up has had its {window}-day window yet, so the rate can still rise; "
        f"it is final on {cohort['mature_on']:%-d %b %Y} and is never counted as a stall."
    )
elif signature["outcome_stalled"]:
    why = (
        f"Stalled for {signature['stalled_weeks']} week{'s' if signature['stalled_weeks'] != 1 else ''}: the last "
        f"{stall_weeks} cohorts are all below target and moved {signature['outcome_gain'] * 100:+.1f} pp; pooled "
        f"they activated {percent(signature['trailing_rate'])} (95% interval {percent(signature['trailing_rate_low'])}"
        f" – {percent(signature['trailing_rate_high'])}), a gap to target wider than the noise."
    )
elif signature["stall_uncertain"]:
    why = (
        f"Below target but too noisy to call a stall: the last {stall_weeks} cohorts pooled "
        f"({signature['trailing_activated']:,} of {signature['trailing_signups']:,}, "
        f"{percent(signature['trailing_rate'])}) have a 95% interval of {percent(signature['trailing_rate_low'])}"
        f" – {percent(signature['trailing_rate_high'])}, wider than the gap to target."
    )
elif cohort["status"] == "green":
    why = "On target: at least the target share of this cohort activated within the window."
else:
    gain = signature["outcome_gain"]
    why = "Below target, not stalled."
    if gain is not None and not pd.isna(gain):
        why = f"Below target, not stalled: over the last {stall_weeks} cohorts it moved {gain * 100:+.1f} pp."
st.markdown(f"{badge} · {target_text} · {why}")

# Cohort activation by week, with the interval and the target.
org_changes = data.run(build, "query.org_changes")
cohorts = data.run(build, "query.outcome_cohorts", context.since)
st.subheader("Cohort activation by week")
st.altair_chart(charts.outcome_intervals(cohorts, target, week, org_changes), width="stretch")
st.caption(
    f"Each point is a week's sign-ups; the band is its 95% interval. The dashed red line is the "
    f"{percent(target, 0)} target. Grey cohorts are provisional (not every sign-up has had its {window} days): "
    "they are drawn apart, off the line, and never counted as a stall. Dashed verticals are org changes."
)

# Breakdowns by segment, channel and plan.
st.subheader("By segment, channel and plan")
by = url_selectbox(
    "Break down by",
    list(OUTCOME_DIMENSIONS),
    "by",
    OUTCOME_DIMENSIONS[0],
    format_func=str.capitalize,
    help="Which sign-up attribute to split the cohorts by. A missing value shows as (none).",
)
breakdown = data.run(build, "query.outcome_breakdown", by, context.since)
if breakdown.empty:
    st.info("No sign-ups in the weeks shown.")
else:
    st.altair_chart(charts.outcome_breakdown(breakdown, target, by), width="stretch")
this_week = data.run(build, "query.breakdown_week", week, by)
st.markdown(f"**This cohort by {by}**")
st.dataframe(
    this_week,
    hide_index=True,
    width="stretch",
    column_config={
        "value": st.column_config.TextColumn(by.capitalize()),
        "signups": st.column_config.NumberColumn("Sign-ups"),
        "activated": st.column_config.NumberColumn("Activated"),
        "rate": st.column_config.NumberColumn("Rate", format="percent"),
        "rate_low": st.column_config.NumberColumn("95% interval from", format="percent"),
        "rate_high": st.column_config.NumberColumn("95% interval to", format="percent"),
        "mature": st.column_config.CheckboxColumn("Mature"),
    },
)

# Time to activate.
st.subheader("Time to activate")
st.caption(
    f"Days from sign-up to the first milestone, among the sign-ups activated within the {window}-day window "
    "(those who had not activated by then are not in these figures)."
)
times = data.run(build, "query.time_to_activate", context.since)
st.altair_chart(charts.time_to_activate(times, week, org_changes), width="stretch")
figures_column, distribution_column = st.columns([1, 3])
figures_column.metric("Median, this cohort", days(cohort["median_days_to_activate"]), border=True)
figures_column.metric("75th percentile, this cohort", days(cohort["p75_days_to_activate"]), border=True)
distribution = data.run(build, "query.activation_distribution", week)
distribution_column.altair_chart(charts.activation_days(distribution), width="stretch")

# The rows behind the number.
st.subheader("The sign-ups behind this cohort")
values = this_week.loc[this_week["signups"] > 0, "value"].tolist()
value = url_selectbox(
    f"Sign-ups by {by}",
    [ALL, *values],
    "value",
    ALL,
    format_func=lambda v: "All sign-ups" if v == ALL else v,
    help=f"Only the sign-ups of this cohort with this {by}; {NO_VALUE} is a missing value.",
)
rows = data.run(build, "query.cohort_rows", week, None if value == ALL else by, None if value == ALL else value)
total = cohort["signups"] if value == ALL else int(this_week.loc[this_week["value"] == value, "signups"].iloc[0])
st.caption(
    f"{len(rows):,} of {total:,} sign-ups"
    + ("" if len(rows) == total else " (the first by sign-up time)")
    + f". Times are local ({md(build.info['timezone'])}); source_file and source_line name the export row."
)
st.dataframe(
    rows,
    hide_index=True,
    width="stretch",
    column_config={"days_to_activate": st.column_config.NumberColumn("days_to_activate", format="%.2f")},
)
safe_value = re.sub(r"[^A-Za-z0-9_-]+", "-", value if value != ALL else "all")
widgets.download_rows(rows, f"signups-{week}-{by}-{safe_value}", key="cohort-rows")

with st.expander("Definitions: how each number is computed"):
    st.markdown(
        f"- **Cohort**: the sign-ups of one week (weeks start on the workspace's week day, in its time zone).\n"
        f"- **Activated**: the first milestone event at or after sign-up falls within {window} × 24 hours of "
        "elapsed time.\n"
        "- **Cohort rate**: activated ÷ sign-ups. **Mature** once every sign-up has had its whole window "
        "(week start + 7 days + window ≤ as_of); before that the rate is provisional.\n"
        "- **95% interval**: the Wilson score interval of activated out of sign-ups, z = 1.96.\n"
        f"- **Stalled**: the last {stall_weeks} cohorts are all mature, all below target, and the latest gained "
        f"less than {settings['stall_min_gain'] * 100:.1f} pp on the first of them; **and** the gap from their "
        "pooled rate to the target is wider than the half-width of its 95% interval. When only the interval "
        "stands in the way, the outcome is *too noisy to call*.\n"
        f"- **Time to activate**: days from sign-up to the first milestone, for sign-ups activated within the "
        f"window; median and 75th percentile interpolate between neighbours. Day *d* of the distribution holds "
        f"activations from *d* × 24 h to just before (*d* + 1) × 24 h; day {window} holds only those at exactly "
        f"{window} × 24 h.\n"
        f"- **Breakdowns**: every value seen in the weeks shown appears in every week; a missing or blank value "
        f"is {NO_VALUE}."
    )
widgets.copy_link(context, by=by, value=value)
