"""Salesforce Event activities as CSV -> demos: a Data Loader / Data Export file of the Event object (API
names), or an activity report exported as "Details Only" (field labels).

Every row is a demo held: export the demos (a report or a query filtered to them), as Salesforce has no
standard "demo" field (EXPORT-FORMATS.md "Salesforce").
- API names (`Id`, `AccountId`, `OwnerId`, `Subject`, `StartDateTime`, `ActivityDateTime`,
  `ActivityDate`, `IsAllDayEvent`): times are ISO 8601 in UTC (`2026-03-02T15:00:00.000Z`). An all-day
  event's `ActivityDate` is a date that must not be moved through a zone: it is read as that date, at
  local midnight.
- Report labels (`Activity ID`, `Subject`, `Assigned`, `Start`, `Date` and `Time`, `Account Name` or
  `Company / Account`): times are in the running user's locale and zone, with no offset: month/day/year
  unless a first part above 12 shows the file is day/month/year (the note says which), 12- or 24-hour
  clock; read in the source's `timezone`. A value no format fits is passed on as written (a reject).
- demo_id `Id` / `Activity ID`; held_at the start (`StartDateTime`, `ActivityDateTime`, `Start`, else
  `Date` and `Time`); owner `Assigned` or `OwnerId`; account_id `AccountId`, `Account ID`, else the account's
  name; outcome a field named `Outcome`, `Result` or `Demo Outcome` (custom: `Outcome__c`, …), if any.
- Ids: a 15-character id is given its 18-character form (the case-safe suffix Salesforce computes), so
  that exports of either form name one demo or account once.
"""

from __future__ import annotations

from pipelines.adapters.base import Adapter, Columns, Sniff, insert_select, load_csv
from pipelines.read import FileRead

_ID = ("id", "activity_id", "event_id")
_START = ("startdatetime", "activitydatetime", "start_date_time", "start", "start_date")
_DATE = ("activitydate", "date", "activity_date", "due_date")
_TIME = ("time", "start_time")
_OWNER = ("owner.email", "assigned", "assigned_to", "owner", "owner_name", "ownerid")
_ACCOUNT = ("accountid", "account_id", "account_name", "company_/_account", "account")
_OUTCOME = ("outcome", "result", "demo_outcome", "outcome__c", "result__c", "demo_outcome__c")
_ALL_DAY = ("isalldayevent", "all_day_event", "all_day")
_CLOCK = ("%I:%M %p", "%I:%M:%S %p", "%H:%M", "%H:%M:%S")
_MONTH_FIRST = [f"{d} {t}" for d in ("%m/%d/%Y", "%m/%d/%y") for t in _CLOCK] + ["%m/%d/%Y", "%m/%d/%y"]
_DAY_FIRST = [f"{d} {t}" for d in ("%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y") for t in _CLOCK] + [
    "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y",
]
_SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"


def id18(column: str) -> str:
    """SQL: a 15-character Salesforce id with its 3-character suffix; any other value as written.

    Each suffix character encodes which of 5 characters of the id are upper-case letters (bit i for
    the i-th character), as an index into A-Z0-5."""
    value = f"trim({column})"
    chunks = []
    for chunk in range(3):
        bits = " + ".join(
            f"(case when substr({value}, {chunk * 5 + i + 1}, 1) between 'A' and 'Z' then {1 << i} else 0 end)"
            for i in range(5)
        )
        chunks.append(f"substr('{_SUFFIX}', {bits} + 1, 1)")
    return (
        f"case when regexp_full_match({value}, '[a-zA-Z0-9]{{15}}') then {value} || {' || '.join(chunks)} "
        f"else nullif({value}, '') end"
    )


def _local(value: str) -> str:
    """ISO text of a locale date-time, or the value as written when no format fits (ISO passes as is)."""
    return f"coalesce(strftime(try_strptime(trim({value}), ?), '%Y-%m-%dT%H:%M:%S'), nullif(trim({value}), ''))"


def _day_first(con, columns: list[str]) -> bool:
    present = [c for c in columns if c != "null"]
    if not present:
        return False
    parts = ", ".join(f"try_cast(split_part(trim({c}), '/', 1) as integer)" for c in present)
    first = con.execute(f"select max(greatest({parts})) from seams_export").fetchall()[0][0]
    return bool(first and first > 12)


def read(con, table, source) -> FileRead:
    result = FileRead(source, empty_note="header only: no demos")
    columns: Columns = load_csv(con, source, result)
    start, date, time = columns.first(*_START), columns.first(*_DATE), columns.first(*_TIME)
    formats = _DAY_FIRST if _day_first(con, [start, date]) else _MONTH_FIRST
    all_day = f"lower(trim({columns.first(*_ALL_DAY)})) in ('true', '1', 'yes')"
    on_date = f"trim(coalesce({date}, '') || ' ' || coalesce({time}, ''))"
    # An all-day event's date is that day wherever one is (never through a zone): a bare date.
    all_day_date = f"left(trim(coalesce({date}, {start})), 10)"
    relation = f"""(
        select
            _line,
            {id18(columns.first(*_ID))} as demo_id,
            case
                when {all_day} and regexp_full_match({all_day_date}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}')
                    then {all_day_date}
                when nullif(trim({start}), '') is not null then {_local(start)}
                else {_local(f"nullif({on_date}, '')")}
            end as held_at,
            nullif(trim({columns.first(*_OWNER)}), '') as owner,
            {id18(columns.first(*_ACCOUNT))} as account_id,
            nullif(trim({columns.first(*_OUTCOME)}), '') as outcome
        from seams_export
    )"""
    expressions = {name: name for name in ("_line", *table.column_names)}
    insert_select(con, table, source, expressions, relation, [formats, formats])
    slashes = con.execute(
        f"select count(*) from seams_export where contains(coalesce({start}, {date}), '/')"
    ).fetchall()[0][0]
    if slashes:
        result.notes.append(f"dates read as {'day/month/year' if formats is _DAY_FIRST else 'month/day/year'}")
    return result


def _recognises(shape: Sniff) -> bool:
    if shape.kind != "csv":
        return False
    api = shape.has("id", "subject") and any(shape.has(n) for n in ("startdatetime", "activitydatetime")) and any(
        shape.has(n) for n in ("ownerid", "accountid", "whoid", "whatid")
    )
    report = shape.has("subject") and any(shape.has(n) for n in ("assigned", "assigned_to")) and any(
        shape.has(n) for n in ("start", "start_date_time", "date", "activity_date")
    )
    return api or report


ADAPTER = Adapter(
    name="salesforce",
    tables=("demos",),
    detected_tables=("demos",),
    shape="a Salesforce Event export (CSV with Id, Subject, StartDateTime, OwnerId or AccountId; or an activity "
    "report with Subject, Assigned, Start or Date)",
    recognises=_recognises,
    read=read,
)
