"""Every question the pages ask of a built file: one function per question, bound parameters, a
DataFrame back. No Streamlit here, so that tests, the report and the benchmark use the same calls.

Each function takes a DuckDB cursor already pointed at the built database (`use seams`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd

Cursor = duckdb.DuckDBPyConnection


def attach(path: str) -> duckdb.DuckDBPyConnection:
    """A built file attached read-only to a fresh in-memory database (PLATFORM.md: a writer swapping
    the file in never blocks or confuses its readers). Take a `cursor_of` it per query and thread.

    A folder is a Spark build (pipelines/spark_build.py): its `<table>.parquet` files become views of
    the same names, so that every query reads it as it reads a built file."""
    con = duckdb.connect(":memory:")
    con.execute("set TimeZone = 'UTC'")
    if Path(path).is_dir():
        con.execute("attach ':memory:' as seams")
        con.execute("use seams")
        for item in sorted(Path(path).iterdir()):
            if item.name.endswith(".parquet") and not item.name.startswith(("_", ".")):
                # Made through the relation API, so that no path is written into SQL text.
                con.read_parquet(parquet_files(item)).create_view(item.name.removesuffix(".parquet"))
    else:
        con.execute("attach ? as seams (read_only)", [str(path)])
    return con


def parquet_files(path: Path) -> list[str]:
    """The files of one table of a Spark build: the file itself, or the part files of the dataset
    folder Spark wrote (its `_SUCCESS` and `.crc` files left out)."""
    path = Path(path)
    if not path.is_dir():
        return [str(path)]
    parts = sorted(str(p) for p in path.iterdir() if p.name.endswith(".parquet") and not p.name.startswith(("_", ".")))
    if not parts:
        raise FileNotFoundError(f"{path}: a Parquet dataset folder without part files")
    return parts


def cursor_of(con: duckdb.DuckDBPyConnection) -> Cursor:
    cur = con.cursor()
    cur.execute("use seams")  # cursors do not inherit `use`
    return cur


def build_info(cur: Cursor) -> pd.DataFrame:
    return cur.execute("select * from build_info").df()


def weeks(cur: Cursor) -> pd.DataFrame:
    """The weeks shown, newest first, with whether each week's cohort is mature."""
    return cur.execute(
        """select weeks.week_start, outcome_cohorts.mature
        from weeks left join outcome_cohorts on weeks.week_start = outcome_cohorts.cohort_week
        order by weeks.week_start desc"""
    ).df()


def default_week(cur: Cursor) -> dt.date | None:
    """The latest week whose outcome is known (its cohort is mature); else the latest week."""
    row = cur.execute(
        """select coalesce(max(cohort_week) filter (where mature and signups > 0), max(cohort_week))
        from outcome_cohorts"""
    ).fetchone()
    return row[0] if row else None


def signature_weekly(cur: Cursor, since: dt.date | None = None) -> pd.DataFrame:
    return cur.execute(
        "select * from signature_weekly where week_start >= coalesce(?, week_start) order by week_start", [since]
    ).df()


def function_weekly(cur: Cursor, since: dt.date | None = None) -> pd.DataFrame:
    return cur.execute(
        """select * from function_weekly where week_start >= coalesce(?, week_start)
        order by function_order, week_start""",
        [since],
    ).df()


def outcome_cohorts(cur: Cursor, since: dt.date | None = None) -> pd.DataFrame:
    return cur.execute(
        "select * from outcome_cohorts where cohort_week >= coalesce(?, cohort_week) order by cohort_week", [since]
    ).df()


def coordination_weekly(cur: Cursor, since: dt.date | None = None) -> pd.DataFrame:
    return cur.execute(
        """select *,
            attendee_hours - cross_functional_attendee_hours as within_function_attendee_hours
        from coordination_weekly where week_start >= coalesce(?, week_start) order by week_start""",
        [since],
    ).df()


def status_grid(cur: Cursor, since: dt.date | None = None) -> pd.DataFrame:
    """Long form, one row per week and grid row: each function's status, then the outcome's, then
    whether the signature held. `row_order` keeps the functions above the outcome."""
    return cur.execute(
        """with functions as (
            select week_start, function || ' · ' || kpi as row_label, function_order as row_order,
                status, value, target
            from function_weekly
        ),
        outcome as (
            select cohort_week as week_start, cfg_outcome.name as row_label, 1000 as row_order,
                status, rate as value, outcome_cohorts.target
            from outcome_cohorts cross join cfg_outcome
        ),
        signature as (
            select week_start, 'Signature' as row_label, 2000 as row_order,
                case when signature then 'signature' end as status, null as value, null as target
            from signature_weekly
        )
        select * from (
            select * from functions union all select * from outcome union all select * from signature
        )
        where week_start >= coalesce(?, week_start)
        order by row_order, week_start""",
        [since],
    ).df()


def org_changes(cur: Cursor) -> pd.DataFrame:
    return cur.execute(
        """select org_changes.* from org_changes
        where week_start between (select min(week_start) from weeks) and (select max(week_start) from weeks)
        order by changed_on"""
    ).df()


def outcome_settings(cur: Cursor) -> dict:
    return cur.execute("select * from cfg_outcome").df().iloc[0].to_dict()


def function_scorecard(cur: Cursor, week: dt.date) -> pd.DataFrame:
    """Each function in `week` beside the week before: value, target, status and the change."""
    return cur.execute(
        """select this_week.function, this_week.kpi, this_week.value, this_week.target, this_week.status,
            this_week.direction, this_week.measure, previous.value as previous_value,
            this_week.value - previous.value as change
        from function_weekly as this_week
        left join function_weekly as previous
            on previous.function = this_week.function and previous.week_start = this_week.week_start - 7
        where this_week.week_start = ?
        order by this_week.function_order""",
        [week],
    ).df()


_WEEKLY_MARTS = {
    "outcome_cohorts": "cohort_week",
    "coordination_weekly": "week_start",
    "signature_weekly": "week_start",
}


def week_row(cur: Cursor, table: str, week: dt.date) -> dict | None:
    """One weekly mart's row for `week`, as a dict of Python values; None for a week not shown."""
    column = _WEEKLY_MARTS[table]  # a fixed set of names: nothing from outside reaches the SQL
    result = cur.execute(f"select * from {table} where {column} = ?", [week])
    names = [d[0] for d in result.description]
    row = result.fetchone()
    return dict(zip(names, row, strict=True)) if row else None


def sources(cur: Cursor) -> pd.DataFrame:
    return cur.execute("select * from sources order by table_name, file").df()


def reject_reasons(cur: Cursor) -> pd.DataFrame:
    return cur.execute(
        """select file, table_name, "column", reason, count(*) as rows, min(line) as first_line
        from rejects group by all order by rows desc, file, first_line"""
    ).df()


def rejects(cur: Cursor, limit: int = 1000) -> pd.DataFrame:
    return cur.execute(
        """select file, line, "column", value, reason, table_name from rejects
        order by file, line limit ?""",
        [limit],
    ).df()


# The Outcome page: cohorts with intervals (outcome_cohorts above holds rate_low and rate_high),
# breakdowns, time to activate and the sign-ups behind a cohort figure.
OUTCOME_DIMENSIONS = ("segment", "channel", "plan")
NO_VALUE = "(none)"  # what outcome_breakdown calls a missing or blank value
COHORT_ROWS_LIMIT = 10_000


def _dimension(dimension: str) -> str:
    if dimension not in OUTCOME_DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}; expected one of {', '.join(OUTCOME_DIMENSIONS)}")
    return dimension


def outcome_breakdown(cur: Cursor, dimension: str, since: dt.date | None = None) -> pd.DataFrame:
    """One row per cohort week and value of `dimension` (segment, channel or plan): sign-ups,
    activated, rate and its 95% interval, maturity; every value in every week shown."""
    return cur.execute(
        """select * from outcome_breakdown
        where dimension = ? and cohort_week >= coalesce(?, cohort_week)
        order by value, cohort_week""",
        [_dimension(dimension), since],
    ).df()


def breakdown_week(cur: Cursor, week: dt.date, dimension: str) -> pd.DataFrame:
    """The values of `dimension` in one cohort, most sign-ups first."""
    return cur.execute(
        """select value, signups, activated, rate, rate_low, rate_high, mature from outcome_breakdown
        where dimension = ? and cohort_week = ?
        order by signups desc, value""",
        [_dimension(dimension), week],
    ).df()


def time_to_activate(cur: Cursor, since: dt.date | None = None) -> pd.DataFrame:
    """Per cohort: median and p75 of days from sign-up to first milestone, among the sign-ups
    activated within the window."""
    return cur.execute(
        """select cohort_week, signups, activated, median_days_to_activate, p75_days_to_activate, mature, mature_on
        from outcome_cohorts where cohort_week >= coalesce(?, cohort_week) order by cohort_week""",
        [since],
    ).df()


def activation_distribution(cur: Cursor, week: dt.date) -> pd.DataFrame:
    """For one cohort, day 0 to window_days: activated on that day, and the share activated by its end."""
    return cur.execute(
        "select * from activation_times where cohort_week = ? order by activation_day", [week]
    ).df()


def cohort_rows(
    cur: Cursor, week: dt.date, dimension: str | None = None, value: str | None = None, limit: int = COHORT_ROWS_LIMIT
) -> pd.DataFrame:
    """The sign-ups behind a cohort figure: the cohort of `week`, or only those whose `dimension`
    is `value` ("(none)" for a missing one), first `limit` by sign-up time. Times are local
    wall-clock times in the workspace zone; source_file and source_line name the export row."""
    if (dimension is None) != (value is None):
        raise ValueError("cohort_rows takes a dimension and a value together, or neither")
    return cur.execute(
        """with labelled as (
            select
                signup_outcomes.*,
                coalesce(nullif(trim(case ?
                    when 'segment' then segment when 'channel' then channel when 'plan' then plan
                end), ''), ?) as dimension_value
            from signup_outcomes
            where cohort_week = ?
        )
        select
            labelled.user_id,
            timezone(cfg_workspace.timezone, labelled.signed_up_at) as signed_up_local,
            labelled.segment,
            labelled.channel,
            labelled.plan,
            labelled.account_id,
            timezone(cfg_workspace.timezone, labelled.first_milestone_at) as first_milestone_local,
            labelled.is_activated,
            labelled.days_to_activate,
            labelled.source_file,
            labelled.source_line
        from labelled
        cross join cfg_workspace
        where ? is null or labelled.dimension_value = ?
        order by labelled.signed_up_at, labelled.user_id
        limit ?""",
        [_dimension(dimension) if dimension else None, NO_VALUE, week, value, value, limit],
    ).df()


# --- Functions page: each KPI against its target, its green streak, the rows behind it, and how it
# moves with the outcome of later mature cohorts.


def function_list(cur: Cursor) -> pd.DataFrame:
    """The configured functions in config order: name, KPI, table, measure, target, direction, band."""
    return cur.execute(
        """select function, kpi, table_name, date_column, measure, value_column, target, direction, amber_band
        from cfg_functions order by function_order"""
    ).df()


def function_week(cur: Cursor, function: str, week: dt.date) -> dict | None:
    """One function in `week`: its function_weekly row, its streak (function_streaks) and last week's
    value; None for an unknown function or a week not shown."""
    result = cur.execute(
        """select this_week.function, this_week.kpi, this_week.week_start, this_week.value, this_week.target,
            this_week.status, this_week.direction, this_week.amber_band, this_week.measure, this_week.row_count,
            previous.value as previous_value, this_week.value - previous.value as change,
            streaks.green_streak, streaks.longest_green_streak, streaks.green_since
        from function_weekly as this_week
        inner join function_streaks as streaks
            on streaks.function = this_week.function and streaks.week_start = this_week.week_start
        left join function_weekly as previous
            on previous.function = this_week.function and previous.week_start = this_week.week_start - 7
        where this_week.function = ? and this_week.week_start = ?""",
        [function, week],
    )
    names = [d[0] for d in result.description]
    row = result.fetchone()
    return dict(zip(names, row, strict=True)) if row else None


def function_history(cur: Cursor, function: str, since: dt.date | None = None) -> pd.DataFrame:
    """One function week by week: value, target, status, streak, and `amber_bound`, where amber ends
    and red begins (target × (1 − band) for "higher", × (1 + band) for "lower"), rounded as
    function_weekly rounds it."""
    return cur.execute(
        """select weekly.week_start, weekly.function, weekly.kpi, weekly.value, weekly.target, weekly.status,
            weekly.direction, weekly.measure, weekly.row_count,
            round(case when weekly.direction = 'higher' then weekly.target * (1 - weekly.amber_band)
                else weekly.target * (1 + weekly.amber_band) end, 9) as amber_bound,
            streaks.green_streak, streaks.longest_green_streak
        from function_weekly as weekly
        inner join function_streaks as streaks
            on streaks.function = weekly.function and streaks.week_start = weekly.week_start
        where weekly.function = ? and weekly.week_start >= coalesce(?, weekly.week_start)
        order by weekly.week_start""",
        [function, since],
    ).df()


def function_outcome_lag(cur: Cursor) -> pd.DataFrame:
    """Every function × lag (0–8 weeks): week pairs, Pearson's r, Spearman's rho, whether there are
    enough pairs to mean anything, and the size of r in words. An association, never a cause."""
    return cur.execute("select * from function_outcome_lag order by function_order, lag_weeks").df()


def strongest_outcome_lag(cur: Cursor, function: str) -> dict | None:
    """The lag at which `function`'s KPI moves most closely with later mature cohorts (largest |r|,
    the shorter lag on a tie), among lags with enough pairs; None when no lag has enough."""
    result = cur.execute(
        """select * from function_outcome_lag
        where function = ? and is_enough_pairs and correlation is not null
        order by abs(correlation) desc, lag_weeks limit 1""",
        [function],
    )
    names = [d[0] for d in result.description]
    row = result.fetchone()
    return dict(zip(names, row, strict=True)) if row else None


# The staging table behind each table a KPI may read, the column function_rows.row_key holds
# (pipelines/kpis.py: the table's key, else its first column) and its timestamp columns. Only these
# fixed names reach the SQL text; the config's table and date column only choose among them.
_KPI_STAGING = {
    "signups": ("stg_signups", "user_id", ("signed_up_at",)),
    "events": ("stg_events", "user_id", ("occurred_at",)),
    "tickets": ("stg_tickets", "ticket_id", ("created_at", "solved_at")),
    "demos": ("stg_demos", "demo_id", ("held_at",)),
    "issues": ("stg_issues", "issue_key", ("resolved_at",)),
    "meetings": ("stg_meetings", "meeting_id", ("starts_at", "ends_at")),
}


def function_rows_behind(cur: Cursor, function: str, week: dt.date) -> pd.DataFrame:
    """The staging rows `function`'s KPI counted in `week`, each with `counted_value` (1 for a count,
    else the column summed or averaged), oldest first. For a count KPI there are as many rows as the
    KPI's value; for a sum the counted values add up to it. Empty for an unknown function.

    A row is matched by its key and its date column. Events have no key (user_id stands in), so two
    events of one user at the same instant, one of them filtered out by `where`, both show."""
    config = cur.execute(
        "select table_name, date_column from cfg_functions where function = ?", [function]
    ).fetchone()
    if config is None or config[0] not in _KPI_STAGING:
        return pd.DataFrame()
    staging, key, timestamp_columns = _KPI_STAGING[config[0]]
    if config[1] not in timestamp_columns:
        return pd.DataFrame()
    date_column = timestamp_columns[timestamp_columns.index(config[1])]
    rows = cur.execute(
        f"""select distinct kpi_table.*, function_rows.value as counted_value
        from {staging} as kpi_table
        inner join function_rows
            on function_rows.row_key = cast(kpi_table.{key} as varchar)
            and function_rows.counted_at = kpi_table.{date_column}
        where function_rows.function = ? and function_rows.week_start = ?
        order by kpi_table.{date_column}, kpi_table.source_file, kpi_table.source_line""",
        [function, week],
    ).df()
    # Times as the week was judged: in the workspace's zone (the same instants, local offsets).
    (zone,) = cur.execute("select timezone from cfg_workspace").fetchone()
    for column in timestamp_columns:
        rows[column] = rows[column].dt.tz_convert(zone)
    return rows


def function_outcome_pairs(cur: Cursor, function: str, lag_weeks: int) -> pd.DataFrame:
    """The week pairs behind one correlation of function_outcome_lag: each KPI week's value and the
    rate of the mature cohort lag_weeks later."""
    return cur.execute(
        """select function, lag_weeks, week_start, kpi_value, cohort_week, later_rate
        from function_outcome_pairs where function = ? and lag_weeks = ? order by week_start""",
        [function, lag_weeks],
    ).df()


def reject_examples(cur: Cursor, examples: int = 3) -> pd.DataFrame:
    """Rejected rows grouped by file, table, column and reason: how many rows, the first line, and the
    first `examples` of them as examples (`line 4: not a date`), for the Data page."""
    return cur.execute(
        """with numbered as (
            select file, table_name, "column", reason, line, value,
                row_number() over (partition by file, table_name, "column", reason order by line) as example_number
            from rejects
        ),
        grouped as (
            select file, table_name, "column", reason, count(*) as rows, min(line) as first_line,
                string_agg(
                    case when example_number <= ? then 'line ' || line || ': ' || coalesce(value, '(empty)') end,
                    ' · ' order by line
                ) as examples
            from numbered
            group by file, table_name, "column", reason
        ),
        final as (
            select * from grouped
        )
        select * from final order by rows desc, file, first_line""",
        [examples],
    ).df()


# --- Coordination page -----------------------------------------------------------------------------


def coordination_settings(cur: Cursor) -> dict:
    """The [coordination] config: over_collaboration_rise, min_group_size, broadcast_size, comparison_weeks."""
    result = cur.execute("select * from cfg_coordination")
    names = [d[0] for d in result.description]
    return dict(zip(names, result.fetchone(), strict=True))


def excluded_meetings_summary(cur: Cursor) -> pd.DataFrame:
    """How many meetings each exclusion rule left out of coordination (all-day events, broadcasts,
    one-person events), in the rules' order; a rule that left nothing out has no row."""
    return cur.execute(
        """select reason, count(*) as meetings
        from meeting_exclusions
        group by rule, reason
        order by case rule when 'all_day' then 1 when 'broadcast' then 2 else 3 end"""
    ).df()


def excluded_meetings(cur: Cursor, limit: int = 1000) -> pd.DataFrame:
    """The meetings left out of coordination, each with its reason (titles are export text; times
    are local wall-clock time in the workspace zone)."""
    return cur.execute(
        """select meeting_id, week_start, timezone(cfg_workspace.timezone, starts_at) as starts_at_local,
            timezone(cfg_workspace.timezone, ends_at) as ends_at_local, title, series_id, attendees, reason
        from meeting_exclusions cross join cfg_workspace order by starts_at, meeting_id limit ?""",
        [limit],
    ).df()


def coordination_series(cur: Cursor) -> pd.DataFrame:
    """Every meeting series, costliest first (series below the privacy floor, whose cost is hidden, last)."""
    return cur.execute(
        """select * from coordination_series
        order by cost desc nulls last, attendee_hours desc nulls last, title, series_ref"""
    ).df()


def seam_matrix(cur: Cursor, week: dt.date | None = None) -> pd.DataFrame:
    """The seam matrix of one week (or of all weeks shown when `week` is None), one row per ordered
    pair of functions: each seam appears twice, (a, b) and (b, a), so a heat map fills both halves."""
    return cur.execute(
        """with cells as (
            select * from seam_matrix
            where (cast(? as date) is null and is_total) or week_start = cast(? as date)
        ),
        both_halves as (
            select function_a as row_function, function_b as column_function, meetings, people,
                attendee_hours, cost, unknown_cost_attendee_hours, is_hidden
            from cells
            union all
            select function_b as row_function, function_a as column_function, meetings, people,
                attendee_hours, cost, unknown_cost_attendee_hours, is_hidden
            from cells
        )
        select * from both_halves order by row_function, column_function""",
        [week, week],
    ).df()


def seam_functions(cur: Cursor) -> list[str]:
    """Every function in any seam, for the axes of the seam matrix."""
    rows = cur.execute(
        """select function_a as function from seam_matrix union select function_b from seam_matrix order by 1"""
    ).fetchall()
    return [row[0] for row in rows]


def over_collaboration_weekly(cur: Cursor, since: dt.date | None = None) -> pd.DataFrame:
    return cur.execute(
        """select * from over_collaboration_weekly where week_start >= coalesce(?, week_start)
        order by week_start""",
        [since],
    ).df()


def org_change_dates(cur: Cursor) -> pd.DataFrame:
    """The org changes that can be compared (one row per date, labels of one date joined)."""
    return cur.execute(
        "select distinct changed_on, label from org_change_comparison order by changed_on"
    ).df()


def org_change_comparison(cur: Cursor, changed_on: dt.date) -> pd.DataFrame:
    """The 'before' and 'after' windows of one org change, then a 'change' row: after minus before,
    for the figures that compare (per-week figures, the cross-functional share, the mature rate)."""
    return cur.execute(
        """with windows as (
            select * from org_change_comparison where changed_on = ?
        ),
        before_window as (
            select * from windows where window_name = 'before'
        ),
        after_window as (
            select * from windows where window_name = 'after'
        ),
        change as (
            select
                after_window.changed_on, after_window.label, 'change' as window_name,
                after_window.meetings_per_week - before_window.meetings_per_week as meetings_per_week,
                after_window.attendee_hours_per_week - before_window.attendee_hours_per_week
                    as attendee_hours_per_week,
                after_window.cost_per_week - before_window.cost_per_week as cost_per_week,
                after_window.cross_functional_share - before_window.cross_functional_share as cross_functional_share,
                after_window.mature_rate - before_window.mature_rate as mature_rate
            from after_window cross join before_window
        ),
        final as (
            select changed_on, label, window_name, window_start, window_end, weeks, first_week, last_week,
                meetings, meetings_per_week, attendee_hours_per_week, cost_per_week,
                unknown_cost_attendee_hours_per_week, cross_functional_share, people, is_hidden,
                mature_cohorts, immature_cohorts, first_immature_week, mature_signups, mature_activated,
                mature_rate, case window_name when 'before' then 1 else 2 end as window_order
            from windows
            union all
            select changed_on, label, window_name, null, null, null, null, null,
                null, meetings_per_week, attendee_hours_per_week, cost_per_week,
                null, cross_functional_share, null, null,
                null, null, null, null, null,
                mature_rate, 3 as window_order
            from change
        )
        select * exclude (window_order) from final order by window_order""",
        [changed_on],
    ).df()


def coordination_meeting_rows(
    cur: Cursor, week: dt.date | None = None, series_ref: str | None = None, limit: int = 5000
) -> pd.DataFrame:
    """The counted meetings behind a week and/or a series: start and end (local wall-clock time in
    the workspace zone), title, series, attendees, functions and, for a meeting of at least
    min_group_size attendees, its hours, attendee-hours and cost (a smaller meeting is a group below
    the privacy floor: those stay empty)."""
    return cur.execute(
        """select
            meetings.meeting_id, meetings.week_start,
            timezone(cfg_workspace.timezone, meetings.starts_at) as starts_at_local,
            timezone(cfg_workspace.timezone, meetings.ends_at) as ends_at_local, meetings.title,
            meetings.series_ref, meetings.series_kind, meetings.attendees, meetings.functions,
            meetings.is_cross_functional,
            meetings.attendees < cfg_coordination.min_group_size as is_hidden,
            case when meetings.attendees >= cfg_coordination.min_group_size then meetings.hours end as hours,
            case when meetings.attendees >= cfg_coordination.min_group_size then meetings.attendee_hours end
                as attendee_hours,
            case when meetings.attendees >= cfg_coordination.min_group_size then meetings.cost end as cost,
            case when meetings.attendees >= cfg_coordination.min_group_size
                then meetings.unknown_cost_attendee_hours end as unknown_cost_attendee_hours
        from coordination_meetings as meetings
        cross join cfg_coordination
        cross join cfg_workspace
        where meetings.week_start = coalesce(?, meetings.week_start)
            and meetings.series_ref = coalesce(?, meetings.series_ref)
        order by meetings.starts_at, meetings.meeting_id
        limit ?""",
        [week, series_ref, limit],
    ).df()


def flat_outcome_series(cur: Cursor) -> pd.DataFrame:
    """The series that ran while the outcome stayed flat (coordination_series.is_outcome_flat), the
    widest seams first: most functions, then the costliest (a hidden cost last)."""
    return cur.execute(
        """select * from coordination_series where is_outcome_flat
        order by functions desc, cost desc nulls last, title, series_ref"""
    ).df()
