"""Page pieces shared by the pages: the signature banner, the scorecard, metrics, the link box.
They lay out numbers already computed in pipelines/ (summary, query); they compute nothing."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from pipelines import export
from pipelines.summary import WeekSummary, percent
from ui import data

# Streamlit markdown: a coloured Material icon and the status in words (colour is never the only cue).
_STATUS_BADGE = {
    "green": ":green[:material/check_circle: green]",
    "amber": ":orange[:material/error: amber]",
    "red": ":red[:material/cancel: red]",
    "provisional": ":gray[:material/hourglass_top: provisional]",
}
_NO_STATUS = ":gray[:material/remove: no value]"


def md(text: object) -> str:
    """Text from a config or an export, made inert for Streamlit markdown."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\\\1", str(text))


def signature_banner(summary: WeekSummary):
    headline = md(summary.headline())
    if summary.signature["signature"]:
        st.error(f"**Signature this week.** {headline}", icon=":material/warning:")
    elif summary.is_provisional:
        st.info(f"**Outcome not known yet.** {headline}", icon=":material/hourglass_top:")
    else:
        st.success(f"**No signature this week.** {headline}", icon=":material/check_circle:")


def _number(value, measure: str) -> str:
    if value is None or pd.isna(value):
        return "—"
    return f"{value:,.1f}" if measure == "mean" else f"{value:,.0f}"


def scorecard(summary: WeekSummary):
    functions = summary.functions
    columns = st.columns(len(functions) + 1)
    for column, row in zip(columns, functions.itertuples(), strict=False):
        with column.container(border=True):
            st.markdown(f"**{md(row.function)}** · {md(row.kpi)}")
            st.metric(
                "This week",
                _number(row.value, row.measure),
                delta=None if pd.isna(row.change) else f"{_number(row.change, row.measure)} vs last week",
                delta_color="normal" if row.direction == "higher" else "inverse",
            )
            st.markdown(
                f"{_STATUS_BADGE.get(row.status, _NO_STATUS)} · target {_number(row.target, row.measure)} "
                f"({'at least' if row.direction == 'higher' else 'at most'})"
            )
            st.page_link(
                "pages/functions.py", label="Rows behind this number", icon=":material/table_rows:",
                query_params={"function": row.function, "week": summary.week.isoformat()},
            )
    cohort = summary.cohort
    change = summary.outcome_change
    with columns[-1].container(border=True):
        st.markdown(f"**Outcome** · {md(summary.outcome_name)}")
        st.metric(
            "This week's cohort",
            percent(cohort["rate"]),
            delta=None if change is None else f"{change * 100:+.1f} pp vs last week",
            help=f"{cohort['activated']:,} of {cohort['signups']:,} sign-ups in this week reached the milestone within "
            "the window.",
        )
        st.markdown(
            f"{_STATUS_BADGE.get(cohort['status'], _NO_STATUS)} · target {percent(summary.outcome_target, 0)}"
            + ("" if cohort["mature"] else f" · final on {cohort['mature_on']:%-d %b}")
        )
        st.page_link(
            "pages/outcome.py", label="Why it moved, and its sign-ups", icon=":material/table_rows:",
            query_params={"week": summary.week.isoformat()},
        )


def coordination_metrics(summary: WeekSummary, info: dict):
    now = summary.coordination
    currency = info["currency"]
    if now.get("is_hidden"):
        # The privacy floor (coordination_weekly): too few people met this week to show their hours or cost.
        st.info(
            f"Coordination hours and cost this week are hidden: {now['meetings']:,} "
            f"meeting{'' if now['meetings'] == 1 else 's'}, but fewer people "
            "than the privacy floor (`[coordination] min_group_size`) attended them.",
            icon=":material/visibility_off:",
        )
        return

    def change(key, fmt):
        difference = summary.coordination_change(key)
        return None if difference is None else fmt.format(difference)

    a, b, c, d = st.columns(4)
    a.metric(
        "Attendee-hours this week",
        f"{now['attendee_hours']:,.1f}",
        change("attendee_hours", "{:+,.1f}"),
        delta_color="inverse",
        border=True,
    )
    b.metric(
        f"Cost this week ({currency})",
        f"{now['cost']:,.0f}",
        change("cost", "{:+,.0f}"),
        delta_color="inverse",
        help=f"{now['unknown_cost_attendee_hours']:,.1f} attendee-hours have no known hourly cost and are not priced."
        if info["has_people"]
        else "No people export was given: cost and functions are unknown.",
        border=True,
    )
    c.metric(
        "Cross-functional share",
        percent(now["cross_functional_share"]),
        border=True,
        help="Attendee-hours in meetings whose attendees come from two or more functions.",
    )
    d.metric("Meetings this week", f"{now['meetings']:,}", change("meetings", "{:+,}"), delta_color="off", border=True)
    st.page_link(
        "pages/coordination.py", label="The meetings behind these hours, by series and by seam",
        icon=":material/table_rows:", query_params={"week": summary.week.isoformat()},
    )


def numbers_behind(summary: WeekSummary, cohorts: pd.DataFrame, coordination: pd.DataFrame):
    st.markdown("**Function KPIs this week** (`function_weekly`)")
    st.dataframe(summary.functions, hide_index=True, width="stretch")
    st.markdown("**Outcome by cohort** (`outcome_cohorts`)")
    st.dataframe(
        cohorts,
        hide_index=True,
        width="stretch",
        column_config={"rate": st.column_config.NumberColumn(format="percent")},
    )
    st.markdown("**Coordination by week** (`coordination_weekly`)")
    st.dataframe(coordination, hide_index=True, width="stretch")


def copy_link(context, **filters):
    """The link to this view; a page passes its own filters (`function="Support"`) to keep them in it."""
    st.caption("Link to this view (page, week, filters and build: it reopens these numbers after later rebuilds):")
    st.code(context.link(**filters), language=None)


def download_rows(rows: pd.DataFrame, name: str, key: str):
    """CSV and Parquet downloads of `rows`, formulas neutralised (pipelines/export.py)."""
    left, right = st.columns(2)
    left.download_button(
        f"Download {len(rows):,} rows (CSV)", export.to_csv(rows), f"{name}.csv", "text/csv",
        key=f"{key}-csv", icon=":material/download:",
    )
    right.download_button(
        f"Download {len(rows):,} rows (Parquet)", export.to_parquet(rows), f"{name}.parquet",
        "application/vnd.apache.parquet", key=f"{key}-parquet", icon=":material/download:",
    )


def status_badge(status: str | None) -> str:
    """A status as Streamlit markdown: coloured icon and word (colour is never the only cue)."""
    return _STATUS_BADGE.get(status, _NO_STATUS)


def kpi_number(value, measure: str) -> str:
    """A KPI value as the scorecard shows it: whole numbers for a count or sum, one decimal for a mean."""
    return _number(value, measure)


def week_note_download(context):
    """The week as a Markdown note with PNG charts (pipelines/report.py), made only when asked for."""
    week, since = context.week, context.since
    st.download_button(
        "Download this week's summary (Markdown and charts, .zip)",
        data=lambda: data.run(context.build, "report.week_note", week, since).zip_bytes(),
        file_name=f"seams-week-{week.isoformat()}.zip",
        mime="application/zip",
        icon=":material/summarize:",
        key="week-note",
    )
