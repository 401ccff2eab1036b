"""iCalendar (.ics) from Google Calendar, Exchange/Outlook, Apple and others -> meetings and attendees.

One file feeds both tables, so it is parsed once (cached by path, size, modification time, zone and
expansion end) and each table takes its rows. How a file is read (docs/adapters.md, "ics"):
- Each VEVENT is parsed on its own, so one broken event is one reject at its `BEGIN:VEVENT` line (with
  the property and the reason) and the rest of the file loads.
- Time zones are resolved here, not by the library's process-wide cache: an IANA name, a Windows name
  (`W. Europe Standard Time`), a vendor-prefixed name (`/mozilla.org/…/Europe/Berlin`), then the
  file's own VTIMEZONE (Outlook's `Customized Time Zone`), else the time is read in the source's zone
  and the Data page says so. A VTIMEZONE is used under a name derived from its content, so two files
  defining the same TZID differently never share a definition.
- Recurring series (RRULE, RDATE, EXDATE, RECURRENCE-ID overrides) are expanded by
  `recurring-ical-events` up to as_of; every instance keeps the UID as `series_id`.
- Cancelled events and instances are left out; rooms, resources, groups and non-participants are not
  attendees; all-day events are meetings marked `is_all_day` (not coordination).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path

import icalendar
import recurring_ical_events
from icalendar.timezone import tzp
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from pipelines.adapters.base import Adapter, Sniff, as_of_bound, decode, insert_rows, plural
from pipelines.read import FileRead, preview

# Properties a meeting row is made from: an error in one of them rejects the event.
_USED = ("UID", "DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID", "STATUS", "ATTENDEE",
         "ORGANIZER", "SUMMARY")
_DATE_PROPERTIES = {"DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE"}
# An unbounded series is clipped at as_of; one that still yields more instances is a reject, not a hang.
MAX_OCCURRENCES = 100_000
_EARLIEST = dt.datetime(1970, 1, 1)
_PERIOD_SECONDS = {"SECONDLY": 1, "MINUTELY": 60, "HOURLY": 3600, "DAILY": 86400, "WEEKLY": 7 * 86400,
                   "MONTHLY": 28 * 86400, "YEARLY": 365 * 86400}
_ROOM_DOMAINS = ("resource.calendar.google.com",)
_GROUP_DOMAINS = ("group.calendar.google.com",)
_LINE = "X-SEAMS-LINE"


@dataclass(frozen=True)
class Parsed:
    """What one .ics file gives: rows for both tables, the events' rejects and what to tell the reader."""

    meetings: tuple[tuple, ...]  # (line, meeting_id, starts_at, ends_at, title, series_id, organizer, is_all_day)
    attendees: tuple[tuple, ...]  # (line, meeting_id, email, response)
    rejects: tuple[tuple, ...]  # (line, property, value, reason)
    encoding: str
    meeting_notes: tuple[str, ...]
    attendee_notes: tuple[str, ...]


def read(con, table, source) -> FileRead:
    stat = source.path.stat()
    end = as_of_bound(con, source)
    parsed = parse(str(source.path), stat.st_mtime_ns, stat.st_size, source.timezone, end.isoformat())
    result = FileRead(source, encoding=parsed.encoding, empty_note="no events")
    if parsed.encoding != "utf-8":
        result.notes.append("not valid UTF-8; read as Windows-1252")
    if table.name == "meetings":
        rows = parsed.meetings
        result.rejects.extend(parsed.rejects)
        result.notes.extend(parsed.meeting_notes)
    else:
        rows = parsed.attendees
        result.notes.extend(parsed.attendee_notes)
    result.rows_read = len(rows) + len(result.rejects)
    insert_rows(con, table, source, [list(row) for row in rows])
    return result


@functools.lru_cache(maxsize=4)
def parse(path: str, _mtime_ns: int, _size: int, zone: str, end: str) -> Parsed:
    """Parse and expand one file (the unused arguments key the cache: a changed file is parsed again)."""
    with open(path, "rb") as handle:
        text, encoding = decode(handle.read())
    return _Calendar(text, Path(path).name, zone, dt.datetime.fromisoformat(end)).parse(encoding)


@dataclass
class _Block:
    line: int  # the editor line of its BEGIN
    lines: list[str] = field(default_factory=list)
    closed: bool = False


def split_components(text: str) -> tuple[list[_Block], dict[str, _Block]]:
    """The VEVENT blocks (with the editor line of each BEGIN:VEVENT) and VTIMEZONE blocks by TZID."""
    events: list[_Block] = []
    zones: dict[str, _Block] = {}
    current: _Block | None = None
    kind, depth = None, 0
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.removesuffix("\r")
        upper = line.strip().upper() if line[:1] not in (" ", "\t") else ""
        if current is None:
            if upper in ("BEGIN:VEVENT", "BEGIN:VTIMEZONE"):
                current, kind, depth = _Block(number, [line]), upper[6:], 0
                if kind == "VEVENT":
                    events.append(current)
            continue
        if upper == "BEGIN:VEVENT" and kind == "VEVENT":
            # A VEVENT never nests in a VEVENT: the previous one was not closed.
            current = _Block(number, [line])
            events.append(current)
            depth = 0
            continue
        current.lines.append(line)
        if upper.startswith("BEGIN:"):
            depth += 1
        elif upper.startswith("END:"):
            if depth == 0 and upper[4:] == kind:
                current.closed = True
                if kind == "VTIMEZONE":
                    tzid = _property_value(current, "TZID")
                    if tzid is not None:
                        zones.setdefault(clean_tzid(tzid), current)
                current, kind = None, None
            else:
                depth = max(depth - 1, 0)
    return events, zones


def unfold(block: _Block) -> list[str]:
    """Logical content lines: a line starting with a space or tab continues the one before (RFC 5545)."""
    logical: list[str] = []
    for line in block.lines:
        if line[:1] in (" ", "\t") and logical:
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return logical


def _property_value(block: _Block, name: str) -> str | None:
    for line in unfold(block):
        head, value = split_content_line(line)
        if value is not None and _params(head)[0].upper() == name:
            return value
    return None


def split_content_line(line: str) -> tuple[str, str | None]:
    """`NAME;PARAM="a:b":value` -> (`NAME;PARAM="a:b"`, `value`): the first colon outside quotes."""
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            return line[:index], line[index + 1:]
    return line, None


def _params(head: str) -> list[str]:
    parts, quoted, start = [], False, 0
    for index, char in enumerate(head):
        if char == '"':
            quoted = not quoted
        elif char == ";" and not quoted:
            parts.append(head[start:index])
            start = index + 1
    parts.append(head[start:])
    return parts


def clean_tzid(tzid: str) -> str:
    """`"Pacific Time (US & Canada)\\, Tijuana"` and ` 1` as the same names a reference uses."""
    return tzid.strip().strip('"').strip().replace("\\,", ",").replace("\\;", ";")


class _Calendar:
    def __init__(self, text: str, file_name: str, zone: str, end: dt.datetime):
        self.file_name = file_name
        self.zone_name = zone
        self.zone = zoneinfo.ZoneInfo(zone)
        self.end = end
        self.events, self.zones = split_components(text)
        self.resolved: dict[str, tuple[str | None, str]] = {}
        self.meetings: list[tuple] = []
        self.attendees: list[tuple] = []
        self.rejects: list[tuple] = []
        # (UID, recurrence id) of overrides that were rejected: their instance is not counted at all.
        self.rejected_instances: set[tuple[str, str]] = set()
        # BEGIN:VEVENT line -> (organizer, [(email, response)], [kind of each attendee left out]).
        self.people: dict[int, tuple[str | None, list[tuple[str, str | None]], list[str]]] = {}
        self.counts = dict.fromkeys(("cancelled", "all_day", "no_uid", "rooms", "groups", "non_participants"), 0)

    def parse(self, encoding: str) -> Parsed:
        groups: dict[str, list[tuple[int, icalendar.Event]]] = {}
        for block in self.events:
            parsed = self._event(block)
            if parsed is None:
                continue
            uid = str(parsed.get("UID") or "").strip()
            if not uid:
                self.counts["no_uid"] += 1
            groups.setdefault(uid or f"#{block.line}", []).append((block.line, parsed))
        for uid, members in groups.items():
            self._occurrences(uid, members)
        return Parsed(
            tuple(self.meetings), tuple(self.attendees), tuple(sorted(self.rejects, key=lambda r: r[0])), encoding,
            tuple(self._meeting_notes(len(self.events))), tuple(self._attendee_notes()),
        )

    # Reading one VEVENT ---------------------------------------------------------------------------
    def _event(self, block: _Block) -> icalendar.Event | None:
        if not block.closed:
            return self._reject(block.line, None, None, "the event is not closed (no END:VEVENT)")
        lines, raw, people = [], {}, []
        for line in unfold(block):
            head, value = split_content_line(line)
            params = _params(head)
            name = params[0].strip().upper()
            raw.setdefault(name, line)
            if name in ("ATTENDEE", "ORGANIZER") and value is not None:
                # Read here rather than by the library: attendees are most of a calendar's lines, and
                # each instance of a series would copy them again.
                people.append((name, _param_dict(params), value))
                continue
            if name in _DATE_PROPERTIES and value is not None:
                rewritten = self._rewrite_tzid(params)
                if isinstance(rewritten, str):
                    return self._reject(block.line, name, line, rewritten)
                head = ";".join(rewritten)
                line = f"{head}:{value}"
            lines.append(line)
        try:
            event = icalendar.Event.from_ical("\r\n".join(lines) + "\r\n")
        except Exception as exc:  # noqa: BLE001 - the library raises many kinds; each is one rejected event
            return self._reject(block.line, None, None, f"the event cannot be read: {exc}")
        for name, message in event.errors:
            name = (name or _named_in(message) or "").upper()
            if name in _USED:
                return self._reject(block.line, name, raw.get(name), f"{name} cannot be read: {message}")
        if "DTSTART" not in event:
            return self._reject(block.line, "DTSTART", None, "no DTSTART: the event has no start")
        duration = event.get("DURATION")
        if duration is not None and duration.dt < dt.timedelta(0):
            return self._reject(block.line, "DURATION", raw.get("DURATION"), "negative duration")
        if "DTEND" in event and self._instant(event["DTEND"].dt) < self._instant(event["DTSTART"].dt):
            # The library would swap the two; DESIGN.md "Meetings": an end before the start is a reject.
            if "RECURRENCE-ID" in event and event.get("UID"):
                self.rejected_instances.add((str(event["UID"]).strip(), _compact(event["RECURRENCE-ID"].dt)))
            return self._reject(block.line, "DTEND", raw.get("DTEND"), "ends before it starts")
        event.add(_LINE, str(block.line))
        self.people[block.line] = _people(people)
        return event

    def _rewrite_tzid(self, params: list[str]) -> list[str] | str:
        """Params with TZID replaced by a name the library resolves, or removed (read in the source zone);
        a reason text when the TZID is empty."""
        out = [params[0]]
        for param in params[1:]:
            key, _, value = param.partition("=")
            if key.strip().upper() != "TZID":
                out.append(param)
                continue
            tzid = clean_tzid(value)
            if not tzid:
                return "empty TZID: the time zone of this time is not named"
            resolved, _ = self.resolve(tzid)
            if resolved is not None:
                out.append(f"TZID={resolved}")
        return out

    def resolve(self, tzid: str) -> tuple[str | None, str]:
        """(a TZID the library knows, how it was found) or (None, "unknown"): IANA, Windows, vendor prefix,
        the file's own VTIMEZONE, in that order (a VTIMEZONE can contradict its name: the name wins)."""
        if tzid in self.resolved:
            return self.resolved[tzid]
        found: tuple[str | None, str] = (None, "unknown")
        if _is_iana(tzid):
            found = (tzid, "iana")
        elif tzid in WINDOWS_TO_OLSON:
            found = (WINDOWS_TO_OLSON[tzid], "windows")
        elif tzid.startswith("/") and (suffix := _iana_suffix(tzid)):
            found = (suffix, "prefixed")
        elif tzid in self.zones and (custom := _register_vtimezone(self.zones[tzid])):
            found = (custom, "vtimezone")
        self.resolved[tzid] = found
        return found

    # Expanding ------------------------------------------------------------------------------------
    def _occurrences(self, uid: str, members: list[tuple[int, icalendar.Event]]):
        is_series = any("RRULE" in e or "RDATE" in e or "RECURRENCE-ID" in e for _, e in members)
        if not any("RRULE" in e or "RDATE" in e for _, e in members):
            # Single events, and instances whose master is not in the file (a busy-only calendar).
            for _, event in members:
                self._emit(uid, event, is_series)
            return
        calendar = icalendar.Calendar()
        for _, event in members:
            calendar.add_component(event)
        try:
            for _, event in members:
                if "RRULE" in event and self._estimate(event) > MAX_OCCURRENCES:
                    raise ValueError(f"more than {MAX_OCCURRENCES:,} instances before as_of")
            # One query over the whole range: the library's lazy `after` re-expands the rule per window.
            occurrences = recurring_ical_events.of(calendar).between(_EARLIEST, self.end.astimezone(self.zone))
        except Exception as exc:  # noqa: BLE001 - one series that cannot be expanded is rejected, not the file
            for line, event in members:
                self._reject(line, "RRULE" if "RRULE" in event else "RECURRENCE-ID", None,
                             f"the series cannot be expanded: {exc}")
            return
        for occurrence in occurrences:
            recurrence = occurrence.get("RECURRENCE-ID")
            if recurrence is not None and (uid, _compact(recurrence.dt)) in self.rejected_instances:
                continue  # its override was rejected: the instance it moved is not the original either
            if self._instant(occurrence["DTSTART"].dt) <= self.end:
                self._emit(uid, occurrence, True)

    def _estimate(self, event: icalendar.Event) -> float:
        """An upper bound on a rule's instances up to as_of, without expanding it (a runaway guard)."""
        rule = event["RRULE"]
        rules = rule if isinstance(rule, list) else [rule]
        total = 0.0
        for recur in rules:
            freq = str((recur.get("FREQ") or ["DAILY"])[0]).upper()
            interval = int((recur.get("INTERVAL") or [1])[0])
            span = (self.end - self._instant(event["DTSTART"].dt)).total_seconds()
            per_period = 1
            for part in ("BYHOUR", "BYMINUTE", "BYSECOND", "BYDAY", "BYMONTHDAY", "BYSETPOS"):
                per_period *= max(len(recur.get(part) or []), 1)
            count = (recur.get("COUNT") or [None])[0]
            estimate = max(span, 0) / (_PERIOD_SECONDS.get(freq, 86400) * interval) * per_period
            total += min(estimate, count) if count else estimate
        return total

    def _instant(self, value) -> dt.datetime:
        if not isinstance(value, dt.datetime):
            value = dt.datetime.combine(value, dt.time())
        return value if value.tzinfo else value.replace(tzinfo=self.zone)

    def _emit(self, uid: str, event: icalendar.Event, is_series: bool):
        line = int(event[_LINE])
        if str(event.get("STATUS", "")).strip().upper() == "CANCELLED":
            self.counts["cancelled"] += 1
            return
        start = event["DTSTART"].dt
        end = _end_of(event, start)
        is_all_day = not isinstance(start, dt.datetime)
        if is_all_day:
            self.counts["all_day"] += 1
            if not isinstance(end, dt.datetime) and end <= start:
                end = start + dt.timedelta(days=1)  # DTEND = DTSTART on an all-day event means that one day
        recurrence = event.get("RECURRENCE-ID")
        # An event without a UID is named by its place in the file.
        meeting_id = f"{self.file_name}#L{uid[1:]}" if uid.startswith("#") else uid
        if is_series and recurrence is not None:
            meeting_id = f"{meeting_id}/{_compact(recurrence.dt)}"
        organizer, attendees, left_out = self.people[line]
        self.meetings.append((
            line, meeting_id, start.isoformat(), end.isoformat(), _text(event.get("SUMMARY")),
            uid if is_series and not uid.startswith("#") else None, organizer, "true" if is_all_day else "false",
        ))
        self.attendees.extend((line, meeting_id, email, response) for email, response in attendees)
        for kind in left_out:
            self.counts[kind] += 1

    def _reject(self, line: int, prop: str | None, value: str | None, reason: str):
        self.rejects.append((line, prop, preview(value) if value else value, reason))
        return None

    # Notes ----------------------------------------------------------------------------------------
    def _meeting_notes(self, events: int) -> list[str]:
        c = self.counts
        # The last day the series reach: as_of's day (an as_of date ends at the next midnight).
        last_day = (self.end - dt.timedelta(microseconds=1)).astimezone(self.zone).date().isoformat()
        notes = [
            f"{plural(events, 'event')} gave {plural(len(self.meetings), 'meeting')}, series expanded to {last_day}"
        ] if events else []
        if c["cancelled"]:
            notes.append(f"{c['cancelled']} cancelled left out")
        if c["all_day"]:
            notes.append(f"{c['all_day']} all-day (not coordination)")
        if c["no_uid"]:
            notes.append(f"{plural(c['no_uid'], 'event')} without UID: identified by their line")
        for tzid, (name, how) in sorted(self.resolved.items()):
            if how == "unknown":
                notes.append(f"time zone {tzid!r} unknown: read in {self.zone_name}")
            elif how == "vtimezone":
                notes.append(f"time zone {tzid!r} read from its VTIMEZONE")
            elif how in ("windows", "prefixed"):
                notes.append(f"time zone {tzid!r} read as {name}")
        return notes

    def _attendee_notes(self) -> list[str]:
        c = self.counts
        parts = [
            plural(c["rooms"], "room or resource", "rooms or resources") if c["rooms"] else "",
            plural(c["groups"], "group") if c["groups"] else "",
            plural(c["non_participants"], "non-participant") if c["non_participants"] else "",
        ]
        parts = [p for p in parts if p]
        return [f"not people, left out: {', '.join(parts)}"] if parts else []


def _named_in(message: str) -> str | None:
    """The property of a content line the parser could not split (`DTSTART;;VALUE=…`)."""
    match = re.search(r"could not be parsed into parts: '([A-Za-z-]+)", message)
    return match.group(1) if match else None


def _is_iana(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _iana_suffix(tzid: str) -> str | None:
    parts = tzid.strip("/").split("/")
    for start in range(1, len(parts)):
        if _is_iana(candidate := "/".join(parts[start:])):
            return candidate
    return None


def _register_vtimezone(block: _Block) -> str | None:
    """Register a VTIMEZONE with the library under a name derived from its content, and return it."""
    lines = unfold(block)
    name = "Seams-" + hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]
    renamed = [f"TZID:{name}" if split_content_line(line)[0].strip().upper() == "TZID" else line for line in lines]
    try:
        icalendar.Timezone.from_ical("\r\n".join(renamed) + "\r\n")  # the parser caches it by its TZID
        return name if tzp.timezone(name) is not None else None
    except Exception:  # noqa: BLE001 - an unusable definition leaves the zone unknown, said in a note
        return None


def _param_dict(params: list[str]) -> dict[str, str]:
    values = {}
    for param in params[1:]:
        key, _, value = param.partition("=")
        values[key.strip().upper()] = value.strip().strip('"')
    return values


def _people(properties: list[tuple[str, dict[str, str], str]]):
    """An event's organizer, its attendees who are people (email, PARTSTAT), and the kinds left out."""
    organizer, attendees, left_out = None, [], []
    for name, params, value in properties:
        email = _address(value)
        if "@" not in email and params.get("EMAIL"):
            email = _address(params["EMAIL"])  # Apple: the address as a parameter
        if name == "ORGANIZER":
            organizer = email
            continue
        domain = email.rpartition("@")[2].lower()
        cutype = params.get("CUTYPE", "").upper()
        if cutype in ("ROOM", "RESOURCE") or domain in _ROOM_DOMAINS:
            left_out.append("rooms")
        elif cutype == "GROUP" or domain in _GROUP_DOMAINS:
            left_out.append("groups")
        elif params.get("ROLE", "").upper() == "NON-PARTICIPANT":
            left_out.append("non_participants")
        else:
            partstat = params.get("PARTSTAT", "").strip() or None
            # DELEGATED: the attendee handed the invitation on (the delegate is listed too) and will not come.
            attendees.append((email, "declined" if partstat and partstat.upper() == "DELEGATED" else partstat))
    return organizer, attendees, left_out


def _end_of(event: icalendar.Event, start):
    if "DTEND" in event:
        return event["DTEND"].dt
    if "DURATION" in event:
        return start + event["DURATION"].dt
    return start + dt.timedelta(days=1) if not isinstance(start, dt.datetime) else start


def _compact(value) -> str:
    """A recurrence id as text: the instance's original start, in UTC when it is an instant."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        return value.strftime("%Y%m%dT%H%M%S")
    return value.strftime("%Y%m%d")


def _address(value) -> str:
    # No address holds white space: what a fold left inside one (`hcabot@ example.com`) goes.
    return re.sub(r"^mailto:", "", re.sub(r"\s+", "", str(value)), flags=re.IGNORECASE)


def _text(value) -> str | None:
    return None if value is None else str(value)


def _recognises(shape: Sniff) -> bool:
    return shape.kind == "ics"


ADAPTER = Adapter(
    name="ics",
    tables=("meetings", "attendees"),
    detected_tables=("meetings", "attendees"),
    shape="an iCalendar file (.ics, BEGIN:VCALENDAR)",
    recognises=_recognises,
    read=read,
)
