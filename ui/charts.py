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


def function_kpi(
    history: pd.DataFrame, week: dt.date, org_changes: pd.DataFrame, compact: bool = False
) -> alt.LayerChart:
    """One function's KPI week by week against its target: bars coloured by status from zero, the
    target as a dashed rule, the amber band between the target and where red begins, org changes
    and the chosen week marked. `history` is query.function_history; `compact` is for a grid of
    small charts (no legend, no org-change labels)."""
    history = history.assign(status_label=history["status"].map(STATUS_LABELS).fillna("No value"))
    kpi = history["kpi"].iloc[0] if len(history) else "KPI"
    statuses = ["green", "amber", "red"]
    band = (
        alt.Chart(history.head(1))
        .mark_rect(color=STATUS_COLOURS["amber"], opacity=0.18)
        .encode(
            y="amber_bound:Q",
            y2="target:Q",
            tooltip=[
                alt.Tooltip("amber_bound:Q", title="Amber from", format=",.4~g"),
                alt.Tooltip("target:Q", title="Target", format=",.4~g"),
            ],
        )
    )
    bars = (
        alt.Chart(history)
        .mark_bar()
        .encode(
            x=_WEEK,
            y=alt.Y(
                "value:Q",
                title=None if compact else kpi,
                scale=alt.Scale(zero=True),
                axis=alt.Axis(minExtent=_Y_AXIS_WIDTH),
            ),
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=statuses, range=[STATUS_COLOURS[s] for s in statuses]),
                legend=None if compact else alt.Legend(title=None, orient="top", labelExpr=_legend_labels()),
            ),
            tooltip=[
                alt.Tooltip("week_start:T", title="Week commencing", format="%-d %b %Y"),
                alt.Tooltip("value:Q", title=kpi, format=",.4~g"),
                alt.Tooltip("target:Q", title="Target", format=",.4~g"),
                alt.Tooltip("status_label:N", title="Status"),
                alt.Tooltip("green_streak:Q", title="Green weeks in a row"),
                alt.Tooltip("row_count:Q", title="Rows counted", format=","),
            ],
        )
    )
    chosen = (
        alt.Chart(history[pd.to_datetime(history["week_start"]) == pd.Timestamp(week)])
        .mark_bar(fill=None, stroke="#1f4e79", strokeWidth=2.5)
        .encode(x=_WEEK, y="value:Q")
    )
    target_rule = (
        alt.Chart(history.head(1))
        .mark_rule(color="#333", strokeDash=[6, 4])
        .encode(y="target:Q", tooltip=[alt.Tooltip("target:Q", title="Target", format=",.4~g")])
    )
    layers = [band, bars, chosen, target_rule, *_markers(history["week_start"], week, org_changes, not compact)]
    return alt.layer(*layers).properties(height=180 if compact else 260, title=f"{kpi} against its target")


def function_outcome_lag(lags: pd.DataFrame, function: str) -> alt.LayerChart:
    """Functions × lag: Pearson's r of each weekly KPI with the rate of mature cohorts signed up that
    many weeks later. Cells with too few week pairs are grey and say so; the chosen function is
    outlined. `lags` is query.function_outcome_lag."""
    lags = lags.assign(
        row_label=lags["function"] + " · " + lags["kpi"],
        cell_text=[
            f"{r:+.2f}" if enough and pd.notna(r) else ("too few" if not enough else "–")
            for r, enough in zip(lags["correlation"], lags["is_enough_pairs"], strict=True)
        ],
        strength_text=lags["strength"].fillna("not enough pairs to say"),
    )
    rows = lags.sort_values(["function_order", "lag_weeks"]).drop_duplicates("row_label")["row_label"].tolist()
    x = alt.X("lag_weeks:O", title="Cohorts that signed up this many weeks later", axis=alt.Axis(labelAngle=0))
    y = alt.Y("row_label:N", title=None, sort=rows, axis=alt.Axis(labelLimit=260))
    tooltip = [
        alt.Tooltip("row_label:N", title="KPI"),
        alt.Tooltip("lag_weeks:O", title="Weeks later"),
        alt.Tooltip("pairs:Q", title="Week pairs (n)"),
        alt.Tooltip("correlation:Q", title="Pearson r", format="+.3f"),
        alt.Tooltip("rank_correlation:Q", title="Spearman rho", format="+.3f"),
        alt.Tooltip("strength_text:N", title="Association"),
        alt.Tooltip("first_week:T", title="First KPI week", format="%-d %b %Y"),
        alt.Tooltip("last_week:T", title="Last KPI week", format="%-d %b %Y"),
    ]
    base = alt.Chart(lags).encode(x=x, y=y, tooltip=tooltip)
    coloured = base.transform_filter("datum.is_enough_pairs").mark_rect(stroke="white").encode(
        color=alt.Color(
            "correlation:Q",
            title="Pearson r",
            scale=alt.Scale(scheme="blueorange", domain=[-1, 1]),
            legend=alt.Legend(orient="right", format="+.1f"),
        )
    )
    too_few = base.transform_filter("!datum.is_enough_pairs").mark_rect(stroke="white", color="#eceef1")
    text = base.mark_text(fontSize=11).encode(
        text="cell_text:N",
        color=alt.condition("datum.is_enough_pairs", alt.value("#222"), alt.value("#8a9099")),
    )
    chosen = (
        alt.Chart(lags[lags["function"] == function])
        .mark_rect(fill=None, stroke="#1f4e79", strokeWidth=2)
        .encode(x=x, y=y)
    )
    return alt.layer(coloured, too_few, text, chosen).properties(
        height=alt.Step(30), title="How each KPI moves with the outcome of later cohorts (association, not cause)"
    )


def function_outcome_pairs(pairs: pd.DataFrame, kpi: str, lag_weeks: int) -> alt.Chart:
    """The week pairs behind one correlation: the KPI in week W against the rate of the mature cohort
    of week W + lag_weeks. `pairs` is query.function_outcome_pairs."""
    return (
        alt.Chart(pairs)
        .mark_point(filled=True, size=60, color="#1f4e79")
        .encode(
            x=alt.X("kpi_value:Q", title=f"{kpi} in week W", scale=alt.Scale(zero=False)),
            y=alt.Y(
                "later_rate:Q",
                title=f"Cohort rate of week W + {lag_weeks}",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(zero=False),
            ),
            tooltip=[
                alt.Tooltip("week_start:T", title="KPI week", format="%-d %b %Y"),
                alt.Tooltip("kpi_value:Q", title=kpi, format=",.4~g"),
                alt.Tooltip("cohort_week:T", title="Cohort week", format="%-d %b %Y"),
                alt.Tooltip("later_rate:Q", title="Cohort rate", format=".1%"),
            ],
        )
        .properties(height=260, title=f"Each week's {kpi} against the cohort {lag_weeks} weeks later")
    )


# The Outcome page. Mature cohorts in blue, provisional (immature) ones in grey and never joined to
# the mature line: their rate can still rise.
_MATURITY = alt.Scale(domain=["Mature", "Provisional (not mature)"], range=["#1f4e79", "#9aa0a6"])


def _with_maturity(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(
        week_start=frame["cohort_week"],
        maturity=frame["mature"].map({True: "Mature", False: "Provisional (not mature)"}),
    )


def outcome_intervals(cohorts: pd.DataFrame, target: float, week: dt.date, org_changes: pd.DataFrame) -> alt.LayerChart:
    """Cohort rate by week with its 95% interval: a shaded band over mature cohorts, a grey bar over
    provisional ones, the target as a dashed rule, org changes and the chosen week marked.
    `cohorts` is query.outcome_cohorts."""
    cohorts = _with_maturity(cohorts)
    axis = alt.Axis(format="%", minExtent=_Y_AXIS_WIDTH)
    scale = alt.Scale(domain=[0, max(0.5, target * 1.2, float(cohorts["rate_high"].fillna(0).max()))])
    y = alt.Y("rate:Q", title="Cohort rate", axis=axis, scale=scale)
    tooltip = [
        alt.Tooltip("cohort_week:T", title="Cohort (week commencing)", format="%-d %b %Y"),
        alt.Tooltip("rate:Q", title="Rate", format=".1%"),
        alt.Tooltip("rate_low:Q", title="95% interval from", format=".1%"),
        alt.Tooltip("rate_high:Q", title="95% interval to", format=".1%"),
        alt.Tooltip("activated:Q", title="Activated", format=","),
        alt.Tooltip("signups:Q", title="Sign-ups", format=","),
        alt.Tooltip("maturity:N", title="Maturity"),
        alt.Tooltip("mature_on:T", title="Final on", format="%-d %b %Y"),
    ]
    base = alt.Chart(cohorts).encode(x=_WEEK)
    band = (
        base.transform_filter("datum.mature")
        .mark_area(color="#1f4e79", opacity=0.15)
        .encode(y=alt.Y("rate_low:Q", title="Cohort rate", axis=axis, scale=scale), y2="rate_high:Q")
    )
    provisional_bars = (
        base.transform_filter("!datum.mature")
        .mark_rule(color="#9aa0a6", strokeWidth=3, opacity=0.6)
        .encode(y="rate_low:Q", y2="rate_high:Q")
    )
    line = base.transform_filter("datum.mature").mark_line(color="#1f4e79").encode(y=y)
    points = base.mark_point(filled=True, size=45).encode(
        y="rate:Q",
        color=alt.Color("maturity:N", scale=_MATURITY, legend=alt.Legend(title=None, orient="top")),
        tooltip=tooltip,
    )
    target_rule = (
        alt.Chart(pd.DataFrame({"target": [target]}))
        .mark_rule(color="#d64541", strokeDash=[6, 4])
        .encode(y="target:Q", tooltip=[alt.Tooltip("target:Q", title="Target", format=".0%")])
    )
    markers = _markers(cohorts["week_start"], week, org_changes, True)
    layers = [band, provisional_bars, line, points, target_rule, *markers]
    return alt.layer(*layers).properties(height=320, title="Cohort activation with its 95% interval")


def outcome_breakdown(breakdown: pd.DataFrame, target: float, dimension: str) -> alt.FacetChart:
    """Small multiples, one per value of `dimension`: each value's cohort rate with its 95% interval
    against the target; provisional cohorts grey and off the line. `breakdown` is
    query.outcome_breakdown."""
    breakdown = _with_maturity(breakdown)
    y = alt.Y("rate:Q", title="Cohort rate", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]))
    base = alt.Chart().encode(x=_WEEK)
    band = base.transform_filter("datum.mature").mark_area(color="#1f4e79", opacity=0.15).encode(
        y=alt.Y("rate_low:Q", title="Cohort rate", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        y2="rate_high:Q",
    )
    line = base.transform_filter("datum.mature").mark_line(color="#1f4e79").encode(y=y)
    points = base.mark_point(filled=True, size=25).encode(
        y="rate:Q",
        color=alt.Color("maturity:N", scale=_MATURITY, legend=alt.Legend(title=None, orient="top")),
        tooltip=[
            alt.Tooltip("value:N", title=dimension.capitalize()),
            alt.Tooltip("cohort_week:T", title="Cohort (week commencing)", format="%-d %b %Y"),
            alt.Tooltip("rate:Q", title="Rate", format=".1%"),
            alt.Tooltip("rate_low:Q", title="95% interval from", format=".1%"),
            alt.Tooltip("rate_high:Q", title="95% interval to", format=".1%"),
            alt.Tooltip("activated:Q", title="Activated", format=","),
            alt.Tooltip("signups:Q", title="Sign-ups", format=","),
            alt.Tooltip("maturity:N", title="Maturity"),
        ],
    )
    target_rule = alt.Chart().mark_rule(color="#d64541", strokeDash=[6, 4]).encode(y=alt.datum(target))
    return (
        alt.layer(band, line, points, target_rule, data=breakdown)
        .properties(width=260, height=150)
        .facet(facet=alt.Facet("value:N", title=None, header=alt.Header(labelFontWeight="bold")), columns=3)
        .properties(title=f"Cohort activation by {dimension}")
    )


def time_to_activate(times: pd.DataFrame, week: dt.date, org_changes: pd.DataFrame) -> alt.LayerChart:
    """Median and p75 of days to activate per cohort, among sign-ups activated within the window;
    provisional cohorts grey. `times` is query.time_to_activate."""
    times = _with_maturity(times)
    measures = {"median_days_to_activate": "Median", "p75_days_to_activate": "75th percentile"}
    base = (
        alt.Chart(times)
        .transform_fold(list(measures), as_=["measure", "days"])
        .transform_calculate(
            measure_label="datum.measure == 'median_days_to_activate' ? 'Median' : '75th percentile'"
        )
        .encode(x=_WEEK)
    )
    y = alt.Y("days:Q", title="Days to activate", axis=alt.Axis(minExtent=_Y_AXIS_WIDTH), scale=alt.Scale(zero=True))
    colour = alt.Color(
        "measure_label:N",
        title=None,
        scale=alt.Scale(domain=list(measures.values()), range=["#1f4e79", "#b5651d"]),
        legend=alt.Legend(orient="top"),
    )
    lines = base.transform_filter("datum.mature").mark_line().encode(y=y, color=colour)
    points = base.mark_point(filled=True, size=35).encode(
        y="days:Q",
        color=colour,
        opacity=alt.condition("datum.mature", alt.value(1.0), alt.value(0.35)),
        tooltip=[
            alt.Tooltip("cohort_week:T", title="Cohort (week commencing)", format="%-d %b %Y"),
            alt.Tooltip("measure_label:N", title="Measure"),
            alt.Tooltip("days:Q", title="Days", format=".1f"),
            alt.Tooltip("activated:Q", title="Activated sign-ups", format=","),
            alt.Tooltip("maturity:N", title="Maturity"),
        ],
    )
    layers = [lines, points, *_markers(times["week_start"], week, org_changes, False)]
    return alt.layer(*layers).properties(height=240, title="Days from sign-up to first milestone (activated only)")


def activation_days(distribution: pd.DataFrame) -> alt.LayerChart:
    """One cohort's activations by whole day since sign-up (day 0 = the first 24 hours), from zero.
    `distribution` is query.activation_distribution."""
    bars = (
        alt.Chart(distribution)
        .mark_bar(color="#1f4e79")
        .encode(
            x=alt.X("activation_day:O", title="Days since sign-up (whole days)", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("activated:Q", title="Sign-ups activating that day", scale=alt.Scale(zero=True)),
            tooltip=[
                alt.Tooltip("activation_day:O", title="Day"),
                alt.Tooltip("activated:Q", title="Activated that day", format=","),
                alt.Tooltip("share_of_activated:Q", title="Share of the activated", format=".1%"),
                alt.Tooltip("cumulative_rate:Q", title="Cohort activated by the end of the day", format=".1%"),
            ],
        )
    )
    # A one-layer layer: Streamlit drew no title over a single-view bar chart here.
    return alt.layer(bars).properties(height=220, title="When this cohort activated, by day since sign-up")


# --- Coordination page -----------------------------------------------------------------------------

_HIDDEN_LABEL = "hidden"


def seam_heatmap(cells: pd.DataFrame, functions: list[str], currency: str, title: str) -> alt.LayerChart:
    """The seam matrix: function x function attendee-hours, both halves filled (query.seam_matrix).
    A cell below the privacy floor is grey and says "hidden"; a pair that never met is empty."""
    cells = cells.assign(
        shown_hours=cells["attendee_hours"],
        cell_text=[
            _HIDDEN_LABEL if hidden else f"{hours:,.0f}"
            for hidden, hours in zip(cells["is_hidden"], cells["attendee_hours"], strict=True)
        ],
    )
    axis = alt.Axis(labelLimit=160, labelAngle=0)
    base = alt.Chart(cells).encode(
        x=alt.X("column_function:N", title=None, sort=functions, scale=alt.Scale(domain=functions), axis=axis),
        y=alt.Y("row_function:N", title=None, sort=functions, scale=alt.Scale(domain=functions), axis=axis),
    )
    tooltip = [
        alt.Tooltip("row_function:N", title="Function"),
        alt.Tooltip("column_function:N", title="With"),
        alt.Tooltip("cell_text:N", title="Attendee-hours"),
        alt.Tooltip("cost:Q", title=f"Cost ({currency})", format=",.0f"),
        alt.Tooltip("meetings:Q", title="Meetings together", format=","),
    ]
    shown = (
        base.transform_filter("!datum.is_hidden")
        .mark_rect(stroke="white", strokeWidth=1.5)
        .encode(
            color=alt.Color(
                "shown_hours:Q",
                title="Attendee-hours",
                scale=alt.Scale(scheme="oranges", zero=True),
                legend=alt.Legend(orient="right"),
            ),
            tooltip=tooltip,
        )
    )
    hidden = (
        base.transform_filter("datum.is_hidden")
        .mark_rect(stroke="white", strokeWidth=1.5, color="#e3e5e8")
        .encode(tooltip=tooltip)
    )
    darkest = cells["shown_hours"].max()
    text = base.mark_text(fontSize=11).encode(
        text="cell_text:N",
        # Light text on the darkest cells, so every figure stays readable.
        color=alt.condition(f"datum.shown_hours > {0.6 * (darkest if pd.notna(darkest) else 0)}", alt.value("white"),
                            alt.value("#222")),
    )
    return alt.layer(shown, hidden, text).properties(width=alt.Step(78), height=alt.Step(34), title=title)


_OVER_COLLABORATION = {
    "Over-collaboration: hours up, outcome stalled": "#d64541",
    "Hours up, outcome not stalled": "#f0a202",
    "Not flagged": "#c9b8a6",
}


def over_collaboration(weekly: pd.DataFrame, week: dt.date, org_changes: pd.DataFrame) -> alt.LayerChart:
    """Attendee-hours per week, coloured by DESIGN.md's over-collaboration rule
    (query.over_collaboration_weekly): red where hours rose while the outcome stalled."""
    names = list(_OVER_COLLABORATION)
    weekly = weekly.assign(
        flag=[
            names[0] if flagged else names[1] if rising else names[2]
            for flagged, rising in zip(weekly["is_over_collaboration"], weekly["is_hours_rising"], strict=True)
        ]
    )
    bars = (
        alt.Chart(weekly)
        .mark_bar()
        .encode(
            x=_WEEK,
            y=alt.Y("attendee_hours:Q", title="Attendee-hours", axis=alt.Axis(minExtent=_Y_AXIS_WIDTH)),
            color=alt.Color(
                "flag:N",
                title=None,
                scale=alt.Scale(domain=names, range=list(_OVER_COLLABORATION.values())),
                legend=alt.Legend(orient="top", labelLimit=320),
            ),
            tooltip=[
                alt.Tooltip("week_start:T", title="Week commencing", format="%-d %b %Y"),
                alt.Tooltip("flag:N", title="Rule"),
                alt.Tooltip("attendee_hours:Q", title="Attendee-hours", format=",.1f"),
                alt.Tooltip("window_first_week:T", title="Compared with the week of", format="%-d %b %Y"),
                alt.Tooltip("window_first_attendee_hours:Q", title="Attendee-hours then", format=",.1f"),
                alt.Tooltip("hours_rise:Q", title="Rise", format="+.1%"),
                alt.Tooltip("outcome_stalled:N", title="Outcome stalled"),
            ],
        )
    )
    return alt.layer(bars, *_markers(weekly["week_start"], week, org_changes, False)).properties(
        height=240, title="Attendee-hours per week, by the over-collaboration rule"
    )
