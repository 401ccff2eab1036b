"""Linear issues CSV (Settings -> Import / Export -> Export CSV) -> issues.

The shape (EXPORT-FORMATS.md "Linear", the columns Linear's own importer reads from it): `ID`, `Team`,
`Title`, `Description`, `Status`, `Estimate`, `Priority`, `Project`, `Creator`, `Assignee`, `Labels`
(one cell, joined with `, `), `Cycle Number`, `Cycle Name`, `Cycle Start`, `Cycle End`, `Created`,
`Updated`, `Started`, `Completed`, `Canceled`, `Archived`.
- issue_key `ID` (`ENG-123`); status `Status`; labels `Labels` as written; story_points `Estimate`.
- issue_type: Linear has no issue type; the first label that names one (bug, feature, improvement,
  enhancement, task, story, epic, chore, documentation), else `issue`.
- resolved_at `Completed`: a canceled issue has `Canceled` instead, and was not shipped. Archived issues
  (Linear archives completed ones after a while) are still issues, and are kept.
- Linear puts a `'` before a text that a spreadsheet could read as a formula (`'=`, `'+`, `'-`, `'@`):
  it is taken off.
- Times: ISO 8601 (`2026-03-03T12:17:00.000Z`), or JavaScript's date text (`Tue Mar 03 2026 12:17:00
  GMT+0100 (Central European Standard Time)`), read with its offset. Anything else is rejected with the
  value as written.
"""

from __future__ import annotations

from pipelines.adapters.base import Adapter, Sniff, insert_select, load_csv
from pipelines.read import FileRead

_TYPES = ("bug", "feature", "improvement", "enhancement", "task", "story", "epic", "chore", "documentation")
_JS_DATE = r"^[A-Za-z]{3} ([A-Za-z]{3} [0-9]{1,2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}) GMT([+-][0-9]{4})"


def _text(column: str) -> str:
    """A text cell without the quote Linear adds before a would-be formula."""
    value = f"nullif(trim({column}), '')"
    return f"case when regexp_matches({value}, '^''[=+@-]') then substr({value}, 2) else {value} end"


def _timestamp(column: str) -> str:
    """ISO text of a JavaScript date text (with its offset); any other value as written."""
    value = f"nullif(trim({column}), '')"
    js = (
        f"strftime(try_strptime(regexp_extract({value}, '{_JS_DATE}', 1), '%b %d %Y %H:%M:%S'), '%Y-%m-%dT%H:%M:%S')"
        f" || regexp_extract({value}, '{_JS_DATE}', 2)"
    )
    return f"coalesce({js}, {value})"


def _issue_type(labels: str) -> str:
    """The first label naming a type, in the label's own spelling; `issue` when none does."""
    names = ", ".join(f"'{name}'" for name in _TYPES)
    return (
        f"coalesce(list_filter(list_transform(string_split(coalesce({labels}, ''), ','), lambda x: trim(x)), "
        f"lambda x: lower(x) in ({names}))[1], 'issue')"
    )


def read(con, table, source) -> FileRead:
    result = FileRead(source, empty_note="header only: no issues")
    columns = load_csv(con, source, result)
    labels = _text(columns.first("labels"))
    relation = f"""(
        select
            _line,
            {_text(columns.first("id", "identifier", "issue_id"))} as issue_key,
            {_issue_type(labels)} as issue_type,
            {_timestamp(columns.first("completed", "completed_at"))} as resolved_at,
            {_text(columns.first("status"))} as status,
            {labels} as labels,
            {_text(columns.first("estimate"))} as story_points
        from seams_export
    )"""
    insert_select(con, table, source, {name: name for name in ("_line", *table.column_names)}, relation)
    return result


def _recognises(shape: Sniff) -> bool:
    return shape.kind == "csv" and (shape.has("id") or shape.has("identifier")) and shape.has(
        "title", "status"
    ) and (shape.has("team") or shape.has("cycle_number")) and (shape.has("completed") or shape.has("estimate"))


ADAPTER = Adapter(
    name="linear",
    tables=("issues",),
    detected_tables=("issues",),
    shape="a Linear issues CSV (ID, Team, Title, Status, Estimate, Completed columns)",
    recognises=_recognises,
    read=read,
)
