"""Microsoft Graph events JSON (`/me/calendarView`, `/me/events`, `/events/{id}/instances`, or one event)
-> meetings and attendees.

The shape (EXPORT-FORMATS.md "Microsoft Graph events JSON"): a response with a `value` array of events,
or one event object. `start`/`end` are `{"dateTime": "2017-04-21T10:00:00.0000000", "timeZone": "Pacific
Standard Time"}`: seven fractional digits, no offset, the zone a Windows or IANA name beside the value.
- meeting_id `id`; series_id `seriesMasterId` (occurrences and exceptions of one series share it).
- `isCancelled` events are left out; `seriesMaster` items are left out too (the pattern is not expanded
  here: export occurrences with `calendarView` or `instances`); both are counted in the note.
- `isAllDay` marks all-day events; organizer `organizer.emailAddress.address`.
- Attendees: `emailAddress.address`; `type: resource` (rooms) is not a person. `status.response`:
  accepted, declined, tentativelyAccepted -> tentative, none / notResponded -> needs_action,
  organizer -> accepted; anything else is passed on and rejected by validation.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zoneinfo

from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from pipelines.adapters.base import Adapter, Sniff, insert_rows, json_records, plural, records_of, text_of
from pipelines.read import FileRead

_RESPONSES = {
    "accepted": "accepted",
    "declined": "declined",
    "tentativelyaccepted": "tentative",
    "none": None,
    "notresponded": None,
    "organizer": "accepted",
}
_DATE_TIME = re.compile(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?")


def read(con, table, source) -> FileRead:
    result = FileRead(source, empty_note="no events")
    with open(source.path, "rb") as handle:
        data = handle.read()
    try:
        text = data.decode("utf-8-sig")
        container, _ = records_of(json.loads(text))
        records = list(json_records(text, container))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        # Nothing of a broken document can be trusted: one reject, counted with meetings.
        if table.name == "meetings":
            result.rejects.append((getattr(exc, "lineno", 1), None, None, f"not a valid JSON document: {exc}"))
            result.rows_read = 1
        return result
    zones: dict[str, str] = {}
    left_out = {"cancelled": 0, "masters": 0, "rooms": 0}
    rows: list[list] = []
    for line, event in records:
        if not isinstance(event, dict):
            if table.name == "meetings":
                result.rejects.append((line, None, text_of(event), "not an event object"))
            continue
        if event.get("isCancelled") is True:
            left_out["cancelled"] += 1
            continue
        if event.get("type") == "seriesMaster":
            left_out["masters"] += 1
            continue
        meeting_id = text_of(event.get("id"))
        if table.name == "meetings":
            organizer = ((event.get("organizer") or {}).get("emailAddress") or {}).get("address")
            is_all_day = event.get("isAllDay")
            rows.append([
                line, meeting_id, _instant(event.get("start"), zones, source.timezone),
                _instant(event.get("end"), zones, source.timezone),
                text_of(event.get("subject")), text_of(event.get("seriesMasterId")), text_of(organizer),
                None if is_all_day is None else text_of(bool(is_all_day)),
            ])
            continue
        for attendee in event.get("attendees") or []:
            if str(attendee.get("type", "")).lower() == "resource":
                left_out["rooms"] += 1
                continue
            address = (attendee.get("emailAddress") or {}).get("address")
            response = str((attendee.get("status") or {}).get("response") or "none")
            rows.append([line, meeting_id, text_of(address), _RESPONSES.get(response.lower(), response)])
    insert_rows(con, table, source, rows)
    result.rows_read = len(rows) + len(result.rejects)
    if table.name == "meetings":
        if left_out["cancelled"]:
            result.notes.append(f"{left_out['cancelled']} cancelled left out")
        if left_out["masters"]:
            result.notes.append(
                f"{plural(left_out['masters'], 'series master')} left out: export occurrences with calendarView"
            )
        for name, how in sorted(zones.items()):
            result.notes.append(f"time zone {name!r} {how}")
    elif left_out["rooms"]:
        rooms = plural(left_out["rooms"], "room or resource", "rooms or resources")
        result.notes.append(f"not people, left out: {rooms}")
    return result


def _instant(value, zones: dict[str, str], source_zone: str) -> str | None:
    """ISO text with an offset for Graph's dateTime + timeZone; naive (the source's zone) for a zone it
    cannot name; the value as written when it is not a date-time (validation rejects it)."""
    if not isinstance(value, dict):
        return text_of(value)
    written, zone_name = value.get("dateTime"), str(value.get("timeZone") or "")
    match = _DATE_TIME.fullmatch(str(written or ""))
    if match is None:
        return text_of(written)
    try:
        local = dt.datetime.fromisoformat(match.group(1))
    except ValueError:  # 2026-03-32: passed on as written, for validation to reject
        return text_of(written)
    if match.group(2):
        local = local.replace(microsecond=int(match.group(2)[:6].ljust(6, "0")))
    zone = _zone(zone_name, zones, source_zone)
    return local.replace(tzinfo=zone).isoformat() if zone else local.isoformat()


def _zone(name: str, zones: dict[str, str], source_zone: str) -> zoneinfo.ZoneInfo | None:
    iana = name if _is_iana(name) else WINDOWS_TO_OLSON.get(name, name)
    try:
        zone = zoneinfo.ZoneInfo(iana)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        zones[name] = f"unknown: read in {source_zone}"
        return None
    if iana != name:
        zones[name] = f"read as {iana}"
    return zone


def _is_iana(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _recognises(shape: Sniff) -> bool:
    record = shape.record or {}
    return (
        shape.kind == "json"
        and isinstance(record.get("start"), dict)
        and "dateTime" in record["start"]
        and "end" in record
    )


ADAPTER = Adapter(
    name="msgraph",
    tables=("meetings", "attendees"),
    detected_tables=("meetings", "attendees"),
    shape="Microsoft Graph events JSON (events with start.dateTime and start.timeZone)",
    recognises=_recognises,
    read=read,
)
