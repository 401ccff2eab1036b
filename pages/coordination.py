"""Coordination: what does coordinating cost, where are the seams, and did an org change lower the load?

Hours and cost per week against the outcome, cost by meeting series and how the outcome moved while
each ran, the seam matrix (function x function attendee-hours), over-collaboration weeks (hours
rising while the outcome stays flat), a before/after comparison around an org change, and the
meetings behind any of it. No figure is shown for a group smaller than the privacy floor.
"""

import datetime as dt

import pandas as pd
import streamlit as st

from pipelines.summary import percent
from ui import charts, data, widgets
from ui.frame import page_context, url_selectbox
from ui.widgets import md

ALL_SERIES = "all"
SEAM_PERIODS = {"all": "All weeks", "week": "The chosen week"}

context = page_context()
build = context.build
info = build.info
week = context.week
currency = info["currency"]

st.title("Coordination")
st.caption(
    f"{md(info['workspace_name'])} · week commencing {week:%A %-d %B %Y} · what coordination costs, where the "
    "seams are, and whether an org change lowered the load"
)
if not info["has_calendar"]:
    st.info("No calendar export was given (meetings and attendees), so there is no coordination to show.")
    widgets.copy_link(context)
    st.stop()

settings = data.run(build, "query.coordination_settings")
floor = int(settings["min_group_size"])
HIDDEN = f"hidden (fewer than {floor} people)"
if not info["has_people"]:
    st.info("No people export was given: hours count, but cost and functions are unknown.")


def hours_text(value, hidden: bool) -> str:
    return HIDDEN if hidden else "—" if value is None or pd.isna(value) else f"{value:,.1f}"


def money_text(value, hidden: bool) -> str:
    if not info["has_people"]:
        return "unknown"  # no people export: nobody's hourly cost is known
    return HIDDEN if hidden else "—" if value is None or pd.isna(value) else f"{value:,.0f}"


def share_text(value, hidden: bool) -> str:
    return HIDDEN if hidden else percent(value)


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def pp_text(value) -> str:
    return "—" if value is None or pd.isna(value) else f"{value * 100:+.1f} pp"


def columns() -> dict:
    """How every table on this page shows its columns (a column a table lacks is ignored)."""
    date = st.column_config.DateColumn(format="D MMM YYYY")
    hours = st.column_config.NumberColumn(format="%.1f")
    share = st.column_config.NumberColumn(format="percent")
    return {
        "note": st.column_config.TextColumn("privacy"),
        **dict.fromkeys(
            ["week_start", "first_week", "last_week", "window_start", "window_end", "first_immature_week",
             "window_first_week", "changed_on"],
            date,
        ),
        **dict.fromkeys(["starts_at_local", "ends_at_local"], st.column_config.DatetimeColumn(format="D MMM HH:mm")),
        **dict.fromkeys(
            ["hours", "attendee_hours", "unknown_cost_attendee_hours", "attendee_hours_per_week",
             "unknown_cost_attendee_hours_per_week", "window_first_attendee_hours", "meetings_per_week"],
            hours,
        ),
        "cost": st.column_config.NumberColumn(f"cost ({currency})", format="%.0f"),
        "cost_per_week": st.column_config.NumberColumn(f"cost per week ({currency})", format="%.0f"),
        **dict.fromkeys(
            ["cross_functional_share", "mature_rate", "outcome_rate", "hours_rise", "outcome_gain", "outcome_change"],
            share,
        ),
        "first_week_rate": st.column_config.NumberColumn("outcome, first week", format="percent"),
        "last_week_rate": st.column_config.NumberColumn("outcome, last week", format="percent"),
        "is_outcome_flat": st.column_config.CheckboxColumn("outcome flat"),
    }


def table(rows: pd.DataFrame):
    st.dataframe(rows, hide_index=True, width="stretch", column_config=columns())


def with_note(rows: pd.DataFrame) -> pd.DataFrame:
    """A first column that says why a row's hours and cost are empty (the privacy floor)."""
    note = ["" if pd.isna(hidden) or not hidden else HIDDEN for hidden in rows["is_hidden"]]
    return pd.concat([pd.DataFrame({"note": note}, index=rows.index), rows], axis=1)


# ---------------------------------------------------------------- the chosen week
row = data.run(build, "query.week_row", "coordination_weekly", week)
hidden = bool(row["is_hidden"])
a, b, c, d = st.columns(4)
a.metric("Attendee-hours this week", hours_text(row["attendee_hours"], hidden), border=True)
b.metric(
    f"Cost this week ({currency})",
    money_text(row["cost"], hidden),
    help=None if hidden or not info["has_people"] else f"{row['unknown_cost_attendee_hours']:,.1f} attendee-hours "
    "have no known hourly cost and are not priced.",
    border=True,
)
c.metric(
    "Cross-functional share",
    share_text(row["cross_functional_share"], hidden),
    help="Attendee-hours in meetings whose attendees come from two or more functions.",
    border=True,
)
d.metric("Meetings this week", f"{row['meetings']:,}", border=True)
excluded = data.run(build, "query.excluded_meetings_summary")
if not excluded.empty:
    left_out = " · ".join(f"{md(r.reason)}: {r.meetings:,}" for r in excluded.itertuples())
    st.caption(
        f"Meetings left out of every coordination figure: {left_out}. The Data page lists them. No hours or cost are "
        f"shown for any group of fewer than {floor} people (a week, a series, a seam, a window or a meeting)."
    )

# ---------------------------------------------------------------- weekly hours and cost against the outcome
st.subheader("Hours and cost per week, against the outcome")
outcome = data.run(build, "query.outcome_settings")
cohorts = data.run(build, "query.outcome_cohorts", context.since)
weekly = data.run(build, "query.coordination_weekly", context.since)
org_changes = data.run(build, "query.org_changes")
st.altair_chart(charts.outcome_trend(cohorts, float(outcome["target"]), week, org_changes), width="stretch")
st.altair_chart(charts.coordination_hours(weekly, week, org_changes), width="stretch")
st.altair_chart(charts.coordination_cost(weekly, currency, week, org_changes), width="stretch")

# ---------------------------------------------------------------- series
st.subheader("Cost by meeting series")
series = data.run(build, "query.coordination_series")
labels = {
    r.series_ref: f"{r.title} · {r.series_ref}" if r.series_kind == "series_id" else f"{r.title} (by title)"
    for r in series.itertuples()
}
labels[ALL_SERIES] = "All series"
chosen = url_selectbox(
    "Meeting series",
    [ALL_SERIES, *sorted(labels.keys() - {ALL_SERIES}, key=lambda ref: (labels[ref].lower(), ref))],
    "series",
    ALL_SERIES,
    format_func=labels.get,
    help="A series is the meetings sharing a series_id, or a title when a meeting has no series_id.",
)
# The widest seams first: a standing meeting of many functions while the outcome did not move is the
# article's alignment sync.
flat = data.run(build, "query.flat_outcome_series")
if not flat.empty:
    top = flat.iloc[0]
    st.warning(
        f"**{len(flat):,} series ran while the outcome stayed flat** (their first and last weekly cohorts both "
        f"below target, moving less than {outcome['stall_min_gain'] * 100:g} pp). "
        f"Widest first: **{md(top['title'])}**: {top['functions']} functions "
        f"({md(top['function_names'])}), {top['meetings']:,} meetings from {top['first_week']:%-d %b} to "
        f"{top['last_week']:%-d %b %Y}, {hours_text(top['attendee_hours'], top['is_hidden'])} attendee-hours, "
        f"{currency} {money_text(top['cost'], top['is_hidden'])}; the outcome went from "
        f"{percent(top['first_week_rate'])} to {percent(top['last_week_rate'])}.",
        icon=":material/trending_flat:",
    )
series_columns = [
    "title", "first_week", "last_week", "meetings", "attendee_hours", "cost", "unknown_cost_attendee_hours",
    "people", "functions", "function_names", "cross_functional_share", "first_week_rate", "last_week_rate",
    "outcome_change", "is_outcome_flat", "series_ref", "series_kind", "is_hidden",
]
shown_series = with_note(series[series_columns])
st.dataframe(
    shown_series.style.apply(
        lambda r: ["background-color: #fde2c8" if r["is_outcome_flat"] else "" for _ in r], axis=1
    ),
    hide_index=True,
    width="stretch",
    column_config=columns(),
)
st.caption(
    "Highlighted: the outcome stayed flat while the series ran. The outcome over a series' life is the rate of the "
    "cohort of its first week against that of its last week, each only once that cohort is mature (a series still "
    "running has no last rate yet). People are distinct attendees; no figure is per person."
)
widgets.download_rows(series, "coordination-series", "series-rows")

if chosen != ALL_SERIES and chosen in set(series["series_ref"]):
    picked = series[series["series_ref"] == chosen].iloc[0]
    is_hidden = bool(picked["is_hidden"])
    st.markdown(f"**{md(picked['title'])}** · {md(chosen)} · {picked['first_week']:%-d %b %Y} to "
                f"{picked['last_week']:%-d %b %Y}")
    s1, s2, s3, s4 = st.columns(4)
    s1.metric("Series attendee-hours", hours_text(picked["attendee_hours"], is_hidden), border=True)
    s2.metric(f"Series cost ({currency})", money_text(picked["cost"], is_hidden), border=True)
    s3.metric("Series meetings", f"{picked['meetings']:,}", border=True)
    s4.metric(
        "Outcome over its life",
        pp_text(picked["outcome_change"]),
        help=f"Cohort of its first week {percent(picked['first_week_rate'])}, of its last week "
        f"{percent(picked['last_week_rate'])} (mature cohorts only).",
        border=True,
    )
    series_rows = data.run(build, "query.coordination_meeting_rows", None, chosen)
    st.markdown("**The meetings of this series**")
    table(with_note(series_rows))
    widgets.download_rows(series_rows, "series-meetings", "series-meetings")

# ---------------------------------------------------------------- seam matrix
st.subheader("The seam matrix: where functions spend hours together")
period = url_selectbox("Seam matrix for", list(SEAM_PERIODS), "seams", "all", format_func=SEAM_PERIODS.get)
cells = data.run(build, "query.seam_matrix", week if period == "week" else None)
functions = data.run(build, "query.seam_functions")
if cells.empty:
    st.info("No meeting brought two known functions together in this period.")
else:
    title = "All weeks" if period == "all" else f"Week commencing {week:%-d %b %Y}"
    st.altair_chart(charts.seam_heatmap(cells, functions, currency, title), width="content")
    st.caption(
        "A seam's attendee-hours: in every meeting with attendees of both functions, the attendee-hours of the "
        "attendees from either (a meeting of three functions adds to three seams, so seams overlap). Attendees with "
        f"no known function are in no seam. Grey cells are {HIDDEN}."
    )
    seam_rows = cells[cells["row_function"] < cells["column_function"]]
    with st.expander("The seams as rows"):
        table(with_note(seam_rows))
        widgets.download_rows(seam_rows, "seam-matrix", "seam-rows")

# ---------------------------------------------------------------- over-collaboration
st.subheader("Over-collaboration: hours rising while the outcome stays flat")
over = data.run(build, "query.over_collaboration_weekly", context.since)
st.altair_chart(charts.over_collaboration(over, week, org_changes), width="stretch")
flagged = over[over["is_over_collaboration"]]
rise = percent(settings["over_collaboration_rise"], 0)
stall_weeks = int(outcome["stall_weeks"])
if flagged.empty:
    st.success(
        f"No week is flagged: attendee-hours never rose {rise} or more over {stall_weeks} weeks while the outcome "
        "was stalled.",
        icon=":material/check_circle:",
    )
else:
    st.error(
        f"**{plural(len(flagged), 'week')} flagged** as over-collaboration: attendee-hours up {rise} or more while "
        "the outcome was stalled.",
        icon=":material/warning:",
    )
    table(flagged)
st.caption(
    f"Flagged when a week's attendee-hours are at least {rise} above those {stall_weeks - 1} weeks earlier (the "
    f"{stall_weeks} weeks of the stall rule) and the outcome is stalled in that week."
)

# ---------------------------------------------------------------- before / after an org change
st.subheader("Before and after an org change")
changes = data.run(build, "query.org_change_dates")
if changes.empty:
    st.info("No org change is recorded (the config's [[org_changes]] or an org_changes export).")
else:
    change_labels = {
        r.changed_on.date().isoformat(): f"{r.changed_on:%-d %b %Y} · {r.label}" for r in changes.itertuples()
    }
    options = list(change_labels)
    change = url_selectbox("Org change", options, "change", options[-1], format_func=change_labels.get)
    comparison = data.run(build, "query.org_change_comparison", dt.date.fromisoformat(change))
    before, after, delta = (comparison.iloc[i] for i in range(3))
    weeks = int(settings["comparison_weeks"])
    st.caption(
        f"Equal windows of {weeks} weeks: before is the {weeks} weeks ending the week before the change's week, after "
        "starts with the change's week. Only weeks shown count. The figures are the after window's; the arrows "
        "compare it with before."
    )
    c1, c2, c3, c4 = st.columns(4)
    for column, label, key, text, change_text in [
        (c1, "Attendee-hours a week", "attendee_hours_per_week", hours_text, lambda v: f"{v:+,.1f}"),
        (c2, f"Cost a week ({currency})", "cost_per_week", money_text, lambda v: f"{v:+,.0f}"),
        (c3, "Cross-functional after", "cross_functional_share", share_text, lambda v: f"{v * 100:+.1f} pp"),
    ]:
        known = not (before["is_hidden"] or after["is_hidden"]) and pd.notna(delta[key])
        known = known and (key != "cost_per_week" or info["has_people"])
        column.metric(
            label,
            text(after[key], bool(after["is_hidden"])),
            delta=change_text(delta[key]) if known else None,
            delta_color="inverse" if key != "cross_functional_share" else "off",
            help=f"Before: {text(before[key], bool(before['is_hidden']))}",
            border=True,
        )
    c4.metric(
        "Mature cohorts' outcome",
        percent(after["mature_rate"]),
        delta=pp_text(delta["mature_rate"]) if pd.notna(delta["mature_rate"]) else None,
        help=f"Before: {percent(before['mature_rate'])}. Pooled: activated ÷ sign-ups of the window's mature cohorts.",
        border=True,
    )
    for window in (before, after):
        if window["weeks"] == 0:
            st.caption(f"The {window['window_name']} window has no week shown.")
            continue
        edge = "" if window["weeks"] == weeks else f" (only {window['weeks']} of {weeks}: the edge of the data)"
        immature = (
            f"; {plural(window['immature_cohorts'], 'cohort')} from {window['first_immature_week']:%-d %b %Y} on "
            f"{'is' if window['immature_cohorts'] == 1 else 'are'} not mature yet and left out of its outcome"
            if window["immature_cohorts"]
            else "; every cohort in it is mature"
        )
        st.caption(
            f"**{window['window_name'].capitalize()}**: {plural(window['weeks'], 'week')}{edge}, "
            f"{window['first_week']:%-d %b} to {window['last_week']:%-d %b %Y}{immature}."
        )
    table(with_note(comparison))
    widgets.download_rows(comparison, f"org-change-{change}", "change-rows")

# ---------------------------------------------------------------- the rows behind the week
st.subheader(f"Meetings in the week of {week:%-d %b %Y}")
week_rows = data.run(build, "query.coordination_meeting_rows", week, None)
st.caption(
    f"Every meeting counted this week. A meeting of fewer than {floor} attendees shows no hours or cost "
    "(it still counts in the week's totals)."
)
table(with_note(week_rows))
widgets.download_rows(week_rows, f"meetings-{week.isoformat()}", "week-meetings")

widgets.copy_link(context)
