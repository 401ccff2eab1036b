"""Altair chart builders. Each takes long-form DataFrames from pipelines/query.py and returns a chart,
so tests can read `to_dict()`. Colours carry meaning everywhere: green / amber / red statuses, grey
for a provisional (immature) cohort, and a dark mark where the signature holds.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

STATUS_COLOURS = {
    "green": "#2e9e5b",
    "amber": "#f0a202",
    "red": "#d64541",
    "provisional": "#c8ccd2",
    "signature": "#3a2e6e",
}
STATUS_LABELS = {
    "green": "Green: on target",
    "amber": "Amber: within the band",
    "red": "Red: off target",
    "provisional": "Provisional: cohort not mature",
    "signature": "Signature: all green, outcome stalled",
}
# Weeks are categories (one band each), so bars, cells and rules line up on every chart.
_WEEK = alt.X(
    "week_start:O",
    timeUnit="yearmonthdate",
    title=None,
    axis=alt.Axis(format="%-d %b", labelAngle=0, labelOverlap=True),
)

# Charts stacked on one page share this y-axis width, so their weeks line up.
_Y_AXIS_WIDTH = 48


def _within(frame: pd.DataFrame, weeks: pd.Series) -> pd.DataFrame:
    """Marks for weeks on the chart only: a week outside would add a category of its own."""
    return frame[pd.to_datetime(frame["week_start"]).isin(pd.to_datetime(weeks))]


def _org_change_rules(org_changes: pd.DataFrame, with_labels: bool) -> alt.Chart:
    base = alt.Chart(org_changes).encode(x=alt.X("week_start:O", timeUnit="yearmonthdate"))
    rules = base.mark_rule(color="#555", strokeDash=[4, 3]).encode(
        tooltip=[
            alt.Tooltip("label:N", title="Org change"),
            alt.Tooltip("changed_on:T", title="On", format="%-d %b %Y"),
        ]
    )
    if not with_labels:
        return rules
    labels = base.mark_text(align="left", dx=4, dy=-4, baseline="bottom", fontSize=11, color="#333").encode(
        text="label:N", y=alt.value(0)
    )
    return rules + labels


def _selected_week(week: dt.date) -> alt.Chart:
    return (
        alt.Chart(pd.DataFrame({"week_start": [pd.Timestamp(week)]}))
        .mark_rule(color="#1f4e79", strokeWidth=2, opacity=0.35)
        .encode(x=alt.X("week_start:O", timeUnit="yearmonthdate"))
    )


def _markers(weeks: pd.Series, week: dt.date, org_changes: pd.DataFrame, with_labels: bool) -> list[alt.Chart]:
    """The org-change rules and the chosen week's rule, for the weeks on this chart."""
    markers = [_org_change_rules(_within(org_changes, weeks), with_labels)]
    if pd.Timestamp(week) in set(pd.to_datetime(weeks)):
        markers.append(_selected_week(week))
    return markers


def status_grid(grid: pd.DataFrame, week: dt.date, org_changes: pd.DataFrame) -> alt.LayerChart:
    """Weeks × (functions, outcome, signature): the signature reads as columns of green over a red
    outcome, marked in the top row."""
    grid = grid.assign(
        status_label=grid["status"].map(STATUS_LABELS).fillna("No value"),
        value_text=grid["value"].map(lambda v: "" if pd.isna(v) else f"{v:,.3g}"),
    )
    rows = grid.drop_duplicates("row_label").sort_values("row_order", ascending=False)["row_label"].tolist()
    cells = (
        alt.Chart(grid)
        .mark_rect(stroke="white", strokeWidth=1.5)
        .encode(
            x=alt.X(
                "week_start:O",
                title=None,
                timeUnit="yearmonthdate",
                axis=alt.Axis(format="%-d %b", labelAngle=0, labelOverlap=True),
            ),
            y=alt.Y("row_label:N", title=None, sort=rows, axis=alt.Axis(labelLimit=260, labelOverlap=False)),
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values())),
                legend=alt.Legend(title=None, orient="bottom", columns=3, labelLimit=320, labelExpr=_legend_labels()),
            ),
            tooltip=[
                alt.Tooltip("row_label:N", title="Row"),
                alt.Tooltip("week_start:T", title="Week commencing", format="%a %-d %b %Y"),
                alt.Tooltip("status_label:N", title="Status"),
                alt.Tooltip("value_text:N", title="Value"),
                alt.Tooltip("target:Q", title="Target", format=",.3g"),
            ],
        )
    )
    chosen = (
        alt.Chart(grid[grid["week_start"].dt.date == week])
        .mark_rect(fill=None, stroke="#1f4e79", strokeWidth=2.5)
        .encode(x=alt.X("week_start:O", timeUnit="yearmonthdate"), y=alt.Y("row_label:N", sort=rows))
    )
    return alt.layer(cells, chosen, *_markers(grid["week_start"], week, org_changes, False)[:1]).properties(
        height=alt.Step(26)
    )


def _legend_labels() -> str:
    cases = " : ".join(f"datum.label == '{k}' ? '{v}'" for k, v in STATUS_LABELS.items())
    return f"{cases} : datum.label"


def outcome_trend(cohorts: pd.DataFrame, target: float, week: dt.date, org_changes: pd.DataFrame) -> alt.LayerChart:
    """Cohort rate by week against the target; provisional cohorts drawn apart, never as final."""
    cohorts = cohorts.assign(
        week_start=cohorts["cohort_week"],
        maturity=cohorts["mature"].map({True: "Mature", False: "Provisional (not mature)"}),
    )
    base = alt.Chart(cohorts).encode(x=_WEEK)
    line = (
        base.transform_filter("datum.mature")
        .mark_line(color="#1f4e79")
        .encode(
            y=alt.Y(
                "rate:Q",
                title="Cohort rate",
                axis=alt.Axis(format="%", minExtent=_Y_AXIS_WIDTH),
                scale=alt.Scale(domain=[0, max(0.5, target * 1.2)]),
            )
        )
    )
    points = base.mark_point(filled=True, size=45).encode(
        y="rate:Q",
        color=alt.Color(
            "maturity:N",
            scale=alt.Scale(domain=["Mature", "Provisional (not mature)"], range=["#1f4e79", "#9aa0a6"]),
            legend=alt.Legend(title=None, orient="top"),
        ),
        shape=alt.Shape(
            "maturity:N",
            scale=alt.Scale(domain=["Mature", "Provisional (not mature)"], range=["circle", "circle"]),
            legend=None,
        ),
        tooltip=[
            alt.Tooltip("cohort_week:T", title="Cohort (week commencing)", format="%-d %b %Y"),
            alt.Tooltip("rate:Q", title="Rate", format=".1%"),
            alt.Tooltip("activated:Q", title="Activated", format=","),
            alt.Tooltip("signups:Q", title="Sign-ups", format=","),
            alt.Tooltip("maturity:N", title="Maturity"),
            alt.Tooltip("mature_on:T", title="Mature on", format="%-d %b %Y"),
        ],
    )
    target_rule = (
        alt.Chart(pd.DataFrame({"target": [target]}))
        .mark_rule(color="#d64541", strokeDash=[6, 4])
        .encode(y="target:Q", tooltip=[alt.Tooltip("target:Q", title="Target", format=".0%")])
    )
    layers = [line, points, target_rule, *_markers(cohorts["week_start"], week, org_changes, True)]
    return alt.layer(*layers).properties(height=320, title="Outcome by sign-up cohort")


def coordination_hours(coordination: pd.DataFrame, week: dt.date, org_changes: pd.DataFrame) -> alt.LayerChart:
    """Attendee-hours per week, cross-functional stacked on within-function."""
    bars = (
        alt.Chart(coordination)
        .transform_fold(
            ["cross_functional_attendee_hours", "within_function_attendee_hours"], as_=["kind", "attendee_hours_part"]
        )
        .transform_calculate(
            kind_label="datum.kind == 'cross_functional_attendee_hours' ? 'Cross-functional' : 'Within one function'"
        )
        .mark_bar()
        .encode(
            x=_WEEK,
            y=alt.Y(
                "attendee_hours_part:Q", title="Attendee-hours", stack="zero", axis=alt.Axis(minExtent=_Y_AXIS_WIDTH)
            ),
            color=alt.Color(
                "kind_label:N",
                title=None,
                scale=alt.Scale(domain=["Cross-functional", "Within one function"], range=["#b5651d", "#d9c3a5"]),
                legend=alt.Legend(orient="top"),
            ),
            order=alt.Order("kind:N", sort="ascending"),
            tooltip=[
                alt.Tooltip("week_start:T", title="Week commencing", format="%-d %b %Y"),
                alt.Tooltip("kind_label:N", title="Kind"),
                alt.Tooltip("attendee_hours_part:Q", title="Attendee-hours", format=",.1f"),
                alt.Tooltip("attendee_hours:Q", title="All attendee-hours", format=",.1f"),
                alt.Tooltip("meetings:Q", title="Meetings", format=","),
            ],
        )
    )
    return alt.layer(bars, *_markers(coordination["week_start"], week, org_changes, False)).properties(
        height=300, title="Coordination hours per week"
    )


def coordination_cost(
    coordination: pd.DataFrame, currency: str, week: dt.date, org_changes: pd.DataFrame
) -> alt.LayerChart:
    """Priced coordination per week (attendees with a known hourly cost)."""
    bars = (
        alt.Chart(coordination)
        .mark_bar(color="#6b4c9a")
        .encode(
            x=_WEEK,
            y=alt.Y("cost:Q", title=f"Cost ({currency})", axis=alt.Axis(format="~s", minExtent=_Y_AXIS_WIDTH)),
            tooltip=[
                alt.Tooltip("week_start:T", title="Week commencing", format="%-d %b %Y"),
                alt.Tooltip("cost:Q", title=f"Cost ({currency})", format=",.0f"),
                alt.Tooltip("unknown_cost_attendee_hours:Q", title="Attendee-hours with no known cost", format=",.1f"),
            ],
        )
    )
    return alt.layer(bars, *_markers(coordination["week_start"], week, org_changes, False)).properties(
        height=240, title="Coordination cost per week"
    )
