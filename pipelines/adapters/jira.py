"""Jira "Export Excel CSV (all fields / current fields)" -> issues.

The shape (EXPORT-FORMATS.md "Jira"): columns named by field (`Issue key`, `Issue Type`, `Status`,
`Resolved`, …) in an order that depends on the view, so they are matched by name, never by position;
multi-valued fields repeat the column (one `Labels` column per label of the busiest issue; the same for
`Sprint`), so the header is read positionally and repeats are joined.
- issue_key `Issue key`; issue_type `Issue Type`; status `Status`; resolved_at `Resolved` (empty while
  unresolved); labels: every `Labels` column, space-separated (a Jira label holds no spaces);
  story_points `Custom field (Story Points)`, else `Custom field (Story point estimate)`, else
  `Story Points`.
- Dates are written in the instance's format with no offset: `3/Nov/20 12:17` (`d/MMM/yy HH:mm`),
  `14/Jul/25 3:42 PM`, also with a four-digit year, or ISO. They are local to the exporting user's
  zone: the source's `timezone`. English month names only; a date in another form is passed on as
  written, so validation rejects it with the value shown in the file.
"""

from __future__ import annotations

from pipelines.adapters.base import Adapter, Columns, Sniff, insert_select, load_csv
from pipelines.read import FileRead

_FORMATS = [
    f"{day} {time}"
    for day in ("%d/%b/%y", "%d/%b/%Y", "%d-%b-%Y", "%Y-%m-%d")
    for time in ("%I:%M %p", "%H:%M", "%H:%M:%S", "%I:%M:%S %p")
]
_STORY_POINTS = (
    "custom_field_(story_points)", "custom_field_(story_point_estimate)", "story_points", "story_point_estimate",
)


def _timestamp(column: str) -> str:
    """ISO text of a Jira date, or the value as written when no format fits (a reject later)."""
    return f"coalesce(strftime(try_strptime(trim({column}), ?), '%Y-%m-%dT%H:%M:%S'), nullif(trim({column}), ''))"


def _joined(columns: list[str]) -> str:
    if not columns:
        return "null"
    parts = ", ".join(f"nullif(trim({c}), '')" for c in columns)
    return f"nullif(concat_ws(' ', {parts}), '')"


def read(con, table, source) -> FileRead:
    result = FileRead(source, empty_note="header only: no issues")
    columns: Columns = load_csv(con, source, result)
    relation = f"""(
        select
            _line,
            {columns.first("issue_key")} as issue_key,
            {columns.first("issue_type")} as issue_type,
            {_timestamp(columns.first("resolved"))} as resolved_at,
            {columns.first("status")} as status,
            {_joined(columns.all("labels"))} as labels,
            {columns.first(*_STORY_POINTS)} as story_points
        from seams_export
    )"""
    expressions = {name: name for name in ("_line", *table.column_names)}
    insert_select(con, table, source, expressions, relation, [_FORMATS])
    return result


def _recognises(shape: Sniff) -> bool:
    return shape.kind == "csv" and shape.has("issue_key", "issue_type", "summary") and (
        shape.has("created") or shape.has("issue_id")
    )


ADAPTER = Adapter(
    name="jira",
    tables=("issues",),
    detected_tables=("issues",),
    shape="a Jira CSV export (Issue key, Issue Type, Summary, Created columns)",
    recognises=_recognises,
    read=read,
)
