"""Functions: is each function hitting its own number, for how long, which rows make its KPI, and
does the KPI move with the outcome of later cohorts (an association, never a cause)?"""

import re

import streamlit as st

from pipelines.summary import percent
from ui import charts, data, widgets
from ui.frame import page_context, url_selectbox
from ui.widgets import md

context = page_context()
build = context.build
functions = data.run(build, "query.function_list")
if functions.empty:
    st.info("This workspace configures no function KPIs: add `[[functions]]` to seams.toml and rebuild.")
    st.stop()

names = functions["function"].tolist()
function = url_selectbox("Function", names, "function", names[0], help="The function whose KPI this page explains.")
now = data.run(build, "query.function_week", function, context.week)
if now is None:
    st.info("No data for this week: choose another week in the sidebar.")
    st.stop()
kpi, measure = now["kpi"], now["measure"]
configured = functions[functions["function"] == function].iloc[0]
at_least = now["direction"] == "higher"


def weeks_text(n: int) -> str:
    return f"{n} week{'' if n == 1 else 's'}"


st.title(f"{md(function)} · {md(kpi)}")
st.caption(f"Week commencing {context.week:%A %-d %B %Y} · {md(build.info['workspace_name'])}")

# The answer: this week's status, against the target, and for how long it has been green.
target_text = f"{'at least' if at_least else 'at most'} {widgets.kpi_number(now['target'], measure)}"
if now["value"] is None:
    answer = f"{widgets.status_badge(None)}: no rows this week, so the {md(kpi).lower()} has no value."
else:
    answer = (
        f"{widgets.status_badge(now['status'])} this week: **{widgets.kpi_number(now['value'], measure)}** "
        f"against a target of {target_text}."
    )
if now["green_streak"]:
    answer += (
        f" Green for **{weeks_text(now['green_streak'])} in a row** (since {now['green_since']:%-d %b %Y}); "
        f"the longest run so far is {weeks_text(now['longest_green_streak'])}."
    )
else:
    answer += f" Not green this week; the longest green run so far is {weeks_text(now['longest_green_streak'])}."
st.markdown(answer)

value_column, target_column, streak_column, longest_column = st.columns(4)
value_column.metric(
    "This week",
    widgets.kpi_number(now["value"], measure),
    delta=None if now["change"] is None else f"{widgets.kpi_number(now['change'], measure)} vs last week",
    delta_color="normal" if at_least else "inverse",
    border=True,
)
target_column.metric(
    "Target",
    widgets.kpi_number(now["target"], measure),
    help=f"Green at {target_text}; amber within {percent(now['amber_band'], 0)} of it; red beyond.",
    border=True,
)
streak_column.metric("Green weeks in a row", f"{now['green_streak']}", border=True)
longest_column.metric("Longest green run so far", f"{now['longest_green_streak']}", border=True)

lags = data.run(build, "query.function_outcome_lag")
min_pairs = int(lags["min_pairs"].iloc[0])
strongest = data.run(build, "query.strongest_outcome_lag", function)
if strongest is None:
    st.warning(
        f"Too few weeks to say whether the {md(kpi).lower()} moves with the outcome: at every lag there are "
        f"fewer than {min_pairs} pairs of a KPI week and a later mature cohort.",
        icon=":material/info:",
    )
else:
    later = strongest["lag_weeks"]
    st.markdown(
        f"**Does it move with the outcome?** Its closest association with later mature cohorts is "
        f"r = {strongest['correlation']:+.2f} ({strongest['strength']}), with the cohorts that signed up "
        f"{weeks_text(later)} later, over {strongest['pairs']} week pairs. "
        "An association, not a cause."
    )

# The charts: the KPI against its target on the same weeks as the outcome.
org_changes = data.run(build, "query.org_changes")
outcome = data.run(build, "query.outcome_settings")
st.subheader("Against its target, week by week")
history = data.run(build, "query.function_history", function, context.since)
st.altair_chart(charts.function_kpi(history, context.week, org_changes), width="stretch")
cohorts = data.run(build, "query.outcome_cohorts", context.since)
st.altair_chart(charts.outcome_trend(cohorts, outcome["target"], context.week, org_changes), width="stretch")
st.caption(
    "Bars are the KPI, coloured by its status; the dashed line is the target and the amber band runs from "
    "the target to where red begins. Grey cohorts are not mature yet: their rate is provisional."
)

st.subheader("Does each KPI move with the outcome of later cohorts?")
st.caption(
    "Each cell is Pearson's r between a KPI's weekly value and the rate of the mature cohort that signed up "
    "that many weeks later, over the weeks where both are known. It is an association, never a cause: a "
    "function that stays green while the outcome moves shows r near 0. With fewer than "
    f"{min_pairs} week pairs a cell says \"too few\": that few weeks cannot tell an association from noise."
)
st.altair_chart(charts.function_outcome_lag(lags, function), width="stretch")
lag_options = [str(k) for k in sorted(lags["lag_weeks"].unique())]
with st.columns([1, 2])[0]:
    lag = url_selectbox(
        "Cohorts signed up this many weeks later",
        lag_options,
        "lag",
        str(strongest["lag_weeks"]) if strongest else lag_options[0],
        help="The lag whose week pairs are drawn below. The default is the strongest association with enough pairs.",
    )
chosen_lag = lags[(lags["function"] == function) & (lags["lag_weeks"] == int(lag))].iloc[0]
pairs = data.run(build, "query.function_outcome_pairs", function, int(lag))
if chosen_lag["is_enough_pairs"]:
    st.caption(
        f"{chosen_lag['pairs']} week pairs · Pearson r {chosen_lag['correlation']:+.3f} · "
        f"Spearman rho {chosen_lag['rank_correlation']:+.3f} · association: {chosen_lag['strength']}"
    )
else:
    st.warning(
        f"Only {chosen_lag['pairs']} week pairs at this lag (fewer than {chosen_lag['min_pairs']}): too few to mean "
        "anything.",
        icon=":material/info:",
    )
if not pairs.empty:
    st.altair_chart(charts.function_outcome_pairs(pairs, kpi, int(lag)), width="stretch")
    with st.expander("The week pairs behind this correlation"):
        st.dataframe(
            pairs,
            hide_index=True,
            width="stretch",
            column_config={"later_rate": st.column_config.NumberColumn(format="percent")},
        )
        widgets.download_rows(pairs, f"week-pairs-lag-{lag}", key="function-pairs")

st.subheader("Every function against its target")
columns = st.columns(2)
for index, name in enumerate(names):
    other = data.run(build, "query.function_history", name, context.since)
    with columns[index % 2]:
        st.markdown(f"**{md(name)}**")
        st.altair_chart(charts.function_kpi(other, context.week, org_changes, compact=True), width="stretch")

# The rows behind this week's figure, downloadable.
st.subheader("The rows behind this week's figure")
rows = data.run(build, "query.function_rows_behind", function, context.week)
if rows.empty:
    st.info(f"{md(function)} counted no rows in the week commencing {context.week:%-d %b %Y}.")
else:
    how = {
        "count": "the KPI is how many there are",
        "sum": "the KPI is the sum of their `counted_value`",
        "mean": "the KPI is the mean of their `counted_value`",
    }[measure]
    st.caption(
        f"{len(rows):,} rows of {md(configured['table_name'])} counted in the week commencing "
        f"{context.week:%-d %b %Y} by their {md(configured['date_column'])}; {how}. "
        "`source_file` and `source_line` point at each row in its export."
    )
    st.dataframe(rows, hide_index=True, width="stretch")
    slug = re.sub(r"[^a-z0-9]+", "-", function.lower()).strip("-") or "function"
    widgets.download_rows(rows, f"{slug}-rows-{context.week.isoformat()}", key="function-rows")

with st.expander("Definitions"):
    st.markdown(
        "**Status.** For a KPI where higher is better, green when the value meets the target, amber when it "
        "is within the amber band below it (value ≥ target × (1 − band)), red otherwise; mirrored when lower "
        "is better. A week with no rows is 0 for a count or a sum and has no value (and no status) for a mean.\n\n"
        "**Green weeks in a row** counts the consecutive green weeks ending at the chosen week; any week that "
        "is not green (amber, red or no value) ends a run. The longest run counts the weeks shown up to and "
        "including the chosen week.\n\n"
        "**Rows behind** are the rows of the export the KPI counted: the configured filters applied, and its "
        "date column in the chosen week (in the workspace's time zone), up to the data's as-of time.\n\n"
        "**Association.** For each lag of 0 to 8 weeks, each week W where the KPI has a value is paired with "
        "the rate of the cohort that signed up in week W + lag, when that cohort is mature. Pearson's r "
        "measures how closely the pairs follow a straight line (−1 to +1); Spearman's rho does the same on "
        "their ranks. Sizes: |r| below 0.1 none, below 0.3 weak, below 0.5 moderate, else strong. Fewer "
        f"than {min_pairs} pairs mean nothing. A correlation says two numbers moved together in these weeks, not "
        "that one caused the other."
    )
widgets.copy_link(context, function=function, lag=lag)
