"""Every question the pages ask of a built file: one function per question, bound parameters, a
DataFrame back. No Streamlit here, so that tests, the report and the benchmark use the same calls.

Each function takes a DuckDB cursor already pointed at the built database (`use seams`).
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

Cursor = duckdb.DuckDBPyConnection


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
