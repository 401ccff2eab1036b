"""The rows each configured function KPI counts, as one long table `function_rows`.

A KPI names its table and columns in seams.toml, so this SQL is assembled per function. Only names
the config has already checked against the contract (pipelines/config.py) are placed in the text;
every value (function name, filter values) is a bound parameter.
"""

from __future__ import annotations

from pipelines.config import Config, Function
from pipelines.contract import TABLES

# With no KPI configured the table is empty, with the types the selects below give its columns
# (untyped nulls would have no type that every engine can store).
_EMPTY = """select cast(null as varchar) as function, cast(null as varchar) as row_key,
    cast(null as timestamptz) as counted_at, cast(null as date) as week_start, cast(null as double) as value
where false"""


def _select(function: Function) -> tuple[str, list]:
    table = TABLES[function.table]
    value = "1.0" if function.measure == "count" else f"cast(kpi_table.{function.column} as double)"
    # DESIGN.md "Values": `where` compares text case-insensitively, ignoring surrounding spaces.
    filters = "".join(f"\n    and lower(trim(kpi_table.{column})) = lower(trim(?))" for column, _ in function.where)
    sql = f"""
select
    ? as function,
    cast(kpi_table.{table.key[0] if table.key else table.column_names[0]} as varchar) as row_key,
    kpi_table.{function.date_column} as counted_at,
    week_of(timezone(workspace.timezone, kpi_table.{function.date_column}), workspace.week_start_isodow) as week_start,
    {value} as value
from stg_{function.table} as kpi_table
cross join cfg_workspace as workspace
cross join as_of
where kpi_table.{function.date_column} <= as_of.last_row_at{filters}"""
    return sql, [function.name, *(value for _, value in function.where)]


def function_rows_sql(config: Config) -> tuple[str, list]:
    """One row per (function, counted row): the union of every function's select."""
    if not config.functions:
        return _EMPTY, []
    parts = [_select(f) for f in config.functions]
    return "\nunion all\n".join(sql for sql, _ in parts), [p for _, params in parts for p in params]
