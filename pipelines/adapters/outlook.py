"""Outlook calendar CSV (classic Outlook "Import/Export -> Comma Separated Values") -> meetings and attendees.

What the export holds (EXPORT-FORMATS.md "Outlook / Exchange CSV"): one row per meeting or occurrence
(series are already expanded, and nothing links the occurrences of one), dates and times in separate
columns in the Windows locale format with no time zone (`9/21/2026` + `10:00:00 AM`), attendees as
display names separated by `;`, no responses, no ids.
- meeting_id: the export has none; `outlook-` and a hash of subject, start and end, so the same
  meeting exported twice counts once. series_id stays empty.
- Dates: month/day/year unless a value in the file has a first part above 12 (then day/month/year,
  for the whole file: Outlook never mixes); `21.09.2026` is day first. The time is local, read in the
  source's zone. A date that fits no format is passed on as written, and validation rejects it.
- Attendees: entries that hold an address (`ann@example.com`, `Ann <ann@example.com>`) are attendees,
  with no response (needs_action). Display names alone cannot be matched to people: they are left out
  and counted in the note; so is a `Meeting Organizer` given by name. `Meeting Resources` are not people.
"""

from __future__ import annotations

from pipelines.adapters.base import Adapter, Columns, Sniff, insert_select, load_csv, plural
from pipelines.read import FileRead

# Header names by locale (normalised): English, then Spanish (the rest of a Spanish header stays English).
_NAMES = {
    "subject": ("subject", "asunto"),
    "start_date": ("start_date", "fecha_de_comienzo"),
    "start_time": ("start_time", "comienzo"),
    "end_date": ("end_date", "fecha_de_finalización"),
    "end_time": ("end_time", "finalización"),
    "all_day": ("all_day_event", "todo_el_día"),
    "organizer": ("meeting_organizer", "organizador_de_la_reunión"),
    "required": ("required_attendees", "asistentes_obligatorios"),
    "optional": ("optional_attendees", "asistentes_opcionales"),
}
_TIMES = ("%I:%M:%S %p", "%I:%M %p", "%H:%M:%S", "%H:%M")
_MONTH_FIRST = [f"{d} {t}" for d in ("%m/%d/%Y", "%m/%d/%y") for t in _TIMES]
_DAY_FIRST = [f"{d} {t}" for d in ("%d/%m/%Y", "%d/%m/%y") for t in _TIMES]
_ALWAYS = [f"{d} {t}" for d in ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y") for t in _TIMES]
_ADDRESS = r"[^\s<>;,\"()]+@[^\s<>;,\"()]+"
_TRUE = ("true", "verdadero", "yes", "1")


def _column(columns: Columns, key: str) -> str:
    return columns.first(*_NAMES[key])


def _local(date: str, time: str) -> str:
    """ISO text of a local date and time, or the text as written when no format fits (a reject later)."""
    written = f"trim(coalesce({date}, '') || ' ' || coalesce({time}, ''))"
    # A missing time (an all-day row) is midnight.
    candidate = f"trim({date}) || ' ' || coalesce(nullif(trim({time}), ''), '00:00:00')"
    return f"coalesce(strftime(try_strptime({candidate}, ?), '%Y-%m-%dT%H:%M:%S'), nullif({written}, ''))"


def _meeting_id(columns: Columns) -> str:
    keys = ("subject", "start_date", "start_time", "end_date", "end_time")
    parts = ", ".join(f"coalesce({_column(columns, key)}, '')" for key in keys)
    return f"'outlook-' || left(md5(concat_ws('|', {parts})), 16)"


def _day_first(con, columns: Columns) -> bool:
    start = _column(columns, "start_date")
    if start == "null":
        return False
    first = con.execute(
        f"select max(try_cast(split_part(trim({start}), '/', 1) as integer)) from seams_export"
    ).fetchall()[0][0]
    return bool(first and first > 12)


def read(con, table, source) -> FileRead:
    result = FileRead(source)
    columns = load_csv(con, source, result)
    formats = (_DAY_FIRST if _day_first(con, columns) else _MONTH_FIRST) + _ALWAYS
    if table.name == "meetings":
        _meetings(con, table, source, columns, formats, result)
    else:
        _attendees(con, table, source, columns, result)
    return result


def _meetings(con, table, source, columns: Columns, formats: list[str], result: FileRead):
    organizer = _column(columns, "organizer")
    all_day = _column(columns, "all_day")
    relation = f"""(
        select
            _line,
            {_meeting_id(columns)} as meeting_id,
            {_local(_column(columns, "start_date"), _column(columns, "start_time"))} as starts_at,
            {_local(_column(columns, "end_date"), _column(columns, "end_time"))} as ends_at,
            {_column(columns, "subject")} as title,
            regexp_extract({organizer}, '{_ADDRESS}') as organizer_address,
            case when lower(trim({all_day})) in {_TRUE} then 'true'
                when {all_day} is not null then 'false' end as is_all_day
        from seams_export
    )"""
    expressions = {
        "_line": "_line", "meeting_id": "meeting_id", "starts_at": "starts_at", "ends_at": "ends_at",
        "title": "title", "organizer": "nullif(organizer_address, '')", "is_all_day": "is_all_day",
    }
    insert_select(con, table, source, expressions, relation, [formats, formats])
    by_name = con.execute(
        f"select count(*) from seams_export where {organizer} is not null "
        f"and regexp_extract({organizer}, '{_ADDRESS}') = ''"
    ).fetchall()[0][0]
    slashes = con.execute(
        f"select count(*) from seams_export where contains({_column(columns, 'start_date')}, '/')"
    ).fetchall()[0][0]
    if slashes:
        order = "day/month/year" if formats[0].startswith("%d") else "month/day/year"
        result.notes.append(f"dates read as {order}")
    if by_name:
        result.notes.append(f"{plural(by_name, 'organizer')} given by name only: left empty")
    result.empty_note = "no meetings"


def _attendees(con, table, source, columns: Columns, result: FileRead):
    lists = " || ';' || ".join(f"coalesce({_column(columns, key)}, '')" for key in ("required", "optional"))
    con.execute(
        f"""create or replace temp table seams_outlook_attendees as
        select _line, meeting_id, trim(entry) as entry, regexp_extract(entry, '{_ADDRESS}') as address
        from (
            select _line, {_meeting_id(columns)} as meeting_id, unnest(string_split({lists}, ';')) as entry
            from seams_export
        )
        where trim(entry) <> ''"""
    )
    expressions = {"_line": "_line", "meeting_id": "meeting_id", "email": "address", "response": "null"}
    insert_select(con, table, source, expressions, "(select * from seams_outlook_attendees where address <> '')")
    with_address, by_name = con.execute(
        "select count(*) filter (where address <> ''), count(*) filter (where address = '') "
        "from seams_outlook_attendees"
    ).fetchall()[0]
    # The structural rejects of a broken record belong to meetings; attendees count what they gave.
    result.rejects.clear()
    result.rows_read = with_address
    if by_name:
        result.notes.append(f"{plural(by_name, 'attendee')} given by name only (no address): not counted")
    result.empty_note = "no attendees with an address"


def _recognises(shape: Sniff) -> bool:
    locales = zip(_NAMES["subject"], _NAMES["start_date"], _NAMES["start_time"], strict=True)
    return shape.kind == "csv" and any(shape.has(*names) for names in locales)


ADAPTER = Adapter(
    name="outlook",
    tables=("meetings", "attendees"),
    detected_tables=("meetings", "attendees"),
    shape="an Outlook calendar CSV (Subject, Start Date, Start Time, End Date, End Time columns)",
    recognises=_recognises,
    read=read,
)
