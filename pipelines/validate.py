"""Types, validates and deduplicates raw rows by the rules of DESIGN.md "Reading exports".

Generated from the contract (pipelines/contract.py) rather than written per table, because the rules
are the same for every table: only contract column names (never export text) reach the SQL.

    raw_<t>    text, as read         -> typed_<t>   typed values + the first bad column, if any
    typed_<t>  rows without a bad value -> dropped_<t> exact duplicates and superseded rows
    typed_<t>  minus bad and dropped rows -> valid_<t>
Every raw row ends in exactly one of valid_<t> or rejects, so rows read = loaded + rejected.
"""

from __future__ import annotations

from pipelines.contract import BOOLEAN, DATE, EMAIL, MONEY, NUMBER, RESPONSES, TIMESTAMP, Column, Table

_MISSING = "missing required value"


def _text(column: str) -> str:
    """The column's trimmed text, null when empty (computed once per row in typed_sql)."""
    return f"_text_{column}"


def _typed(column: Column) -> str:
    value = _text(column.name)
    return {
        TIMESTAMP: f"parse_timestamp({value}, _zone)",
        DATE: f"try_cast({value} as date)",
        NUMBER: f"try_cast({value} as double)",
        MONEY: f"parse_money({value})",
        EMAIL: f"normalise_email({value})",
        "response": f"coalesce(replace(replace(lower({value}), ' ', '_'), '-', '_'), 'needs_action')",
        BOOLEAN: f"case when lower({value}) in ('true', 'yes', '1') then true "
        f"when lower({value}) in ('false', 'no', '0') then false end",
    }.get(column.kind, value)


def _problem(column: Column) -> list[tuple[str, str]]:
    """(condition on typed/raw values, reason) pairs, in the order they are checked."""
    raw = _text(column.name)
    typed = f"_typed_{column.name}"
    checks = []
    if column.required:
        checks.append((f"{raw} is null", _MISSING))
    reasons = {
        TIMESTAMP: "not a date-time (expected ISO 8601 such as 2026-03-02T09:30:00Z, a date, or epoch seconds)",
        DATE: "not a date (expected YYYY-MM-DD)",
        NUMBER: "not a number",
        MONEY: "not an amount (expected 1200.50 or $1,200.50; a decimal comma is not read)",
        BOOLEAN: "not true or false (expected true, false, yes, no, 1 or 0)",
    }
    if column.kind in reasons:
        checks.append((f"{raw} is not null and {typed} is null", reasons[column.kind]))
    if column.kind == MONEY:
        checks.append((f"{typed} < 0", "negative amount"))
    if column.kind == EMAIL:
        checks.append((f"{raw} is not null and not contains({typed}, '@')", "not an email address"))
    if column.kind == "response":
        allowed = ", ".join(f"'{r}'" for r in RESPONSES)
        checks.append((f"{typed} not in ({allowed})", f"unknown response (expected {', '.join(RESPONSES)})"))
    return checks


def typed_sql(table: Table) -> str:
    """One row per raw row: typed values, and the first bad column in contract order with its reason.

    The raw text is not carried along: a bad row keeps its bad value (`_bad_value`) for its reject, and
    every row a hash of its text (`_text_hash`) and its raw row (`_row`), enough to find duplicates.
    """
    texts = ", ".join(f"nullif(trim({c}), '') as {_text(c)}" for c in table.column_names)
    typed = ",\n        ".join(f"{_typed(c)} as _typed_{c.name}" for c in table.columns)
    checks = [(c.name, cond, reason) for c in table.columns for cond, reason in _problem(c)]
    # A rule across columns is checked with the later of its columns, in contract order.
    for column, cond, reason in table.rules:
        last = max(i for i, (name, _, _) in enumerate(checks) if name == column)
        checks.insert(last + 1, (column, cond, reason))
    # The checks run once, giving the number of the first that fails; names and reasons follow from it.
    first_bad = " ".join(f"when {cond} then {i}" for i, (_, cond, _) in enumerate(checks))
    bad_column = " ".join(f"when {i} then '{name}'" for i, (name, _, _) in enumerate(checks))
    bad_reason = " ".join(f"when {i} then '{reason}'" for i, (_, _, reason) in enumerate(checks))
    bad_value = " ".join(f"when {i} then {name}" for i, (name, _, _) in enumerate(checks))
    raw_columns = ", ".join(table.column_names)
    typed_columns = ", ".join(f"_typed_{c}" for c in table.column_names)
    return f"""
with texts as (
    select rowid as _row, _file, _file_order, _line, _zone, {raw_columns}, {texts}
    from raw_{table.name}
),
typed as (
    select *,
        {typed}
    from texts
),
checked as (
    select *, case {first_bad} end as _first_bad
    from typed
)
select _row, _file, _file_order, _line, {typed_columns},
    case _first_bad {bad_column} end as _bad_column,
    case _first_bad {bad_reason} end as _bad_reason,
    case _first_bad {bad_value} end as _bad_value,
    hash({raw_columns}) as _text_hash
from checked
"""


def validation_rejects_sql(table: Table) -> str:
    return f"""
select _file as file, _line as line, _bad_column as "column", _bad_value as value, _bad_reason as reason,
    '{table.name}' as table_name
from typed_{table.name}
where _bad_column is not null
"""


def dropped_sql(table: Table) -> str:
    """The valid rows dropped as exact duplicates or superseded rows, with `_dropped_reason`.

    An exact duplicate repeats an earlier row's text in every contract column and counts once. Among
    the remaining rows, the last in file order wins for each key; each earlier one is superseded.
    Only rows that share a key (or, without a key, the hash of their text) with another valid row can
    be dropped, so the windows run on those alone: usually a handful of a table's rows, or none.
    """
    # Exact duplicates share their key, so rows of a repeated key are every candidate of both kinds.
    shared = ", ".join(f"_typed_{c}" for c in table.key) if table.key else "_text_hash"
    text = ", ".join(f"raw.{c} as _text_{c}" for c in table.column_names)
    everything = ", ".join(f"_text_{c}" for c in table.column_names)
    if table.key:
        superseded = """
    case when _copy = 1 and _version > 1 then
        'superseded by ' || case when _winner_file = _file then '' else _winner_file || ' ' end
        || 'line ' || _winner_line end"""
        versions = """,
    row_number() over by_key as _version,
    first_value(_file) over by_key as _winner_file,
    first_value(_line) over by_key as _winner_line"""
        key_window = (
            f"window by_key as (partition by {shared}, (_copy = 1) order by _file_order desc, _line desc, _row desc)"
        )
    else:
        superseded, versions, key_window = "null", "", ""
    return f"""
with valid as (
    select * from typed_{table.name} where _bad_column is null
),
candidates as (
    select valid.*, {text}
    from valid
    semi join (select {shared} from valid group by {shared} having count(*) > 1) using ({shared})
    join raw_{table.name} raw on raw.rowid = valid._row
),
copies as (
    select *,
        row_number() over by_text as _copy,
        first_value(_file) over by_text as _original_file,
        first_value(_line) over by_text as _original_line
    from candidates
    window by_text as (partition by {everything} order by _file_order, _line, _row)
),
versions as (
    select *{versions}
    from copies
    {key_window}
),
reasons as (
    select *,
        case when _copy > 1 then
            'exact duplicate of ' || case when _original_file = _file then '' else _original_file || ' ' end
            || 'line ' || _original_line
        else {superseded} end as _dropped_reason
    from versions
)
select _row, _file, _line, {", ".join(f"_typed_{c}" for c in table.key) or "null as _none"}, _dropped_reason
from reasons
where _dropped_reason is not null
"""


def valid_sql(table: Table) -> str:
    """The rows of typed_<t> with no bad value that were not dropped, under their contract names."""
    typed = ", ".join(f"_typed_{c} as {c}" for c in table.column_names)
    return f"""
select _file, _file_order, _line, {typed}
from typed_{table.name}
where _bad_column is null and _row not in (select _row from dropped_{table.name})
"""


def dropped_rejects_sql(table: Table) -> str:
    """Exact duplicates and superseded rows, named by their first key column (or the whole row)."""
    column = f"'{table.key[0]}'" if table.key else "null"
    value = f"cast(_typed_{table.key[0]} as varchar)" if table.key else "null"
    return f"""
select _file as file, _line as line, {column} as "column", {value} as value,
    _dropped_reason as reason, '{table.name}' as table_name
from dropped_{table.name}
"""
