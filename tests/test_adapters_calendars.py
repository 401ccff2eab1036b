"""Outlook calendar CSV and Microsoft Graph events JSON (docs/adapters.md "outlook", "msgraph").

Outlook: a fixture written from the documented header (EXPORT-FORMATS.md: no public real file exists);
Graph: the documentation's real responses (../shared/corpus/msgraph) and a fixture calendarView page.
Zone Europe/London (GMT until 2026-03-29); times in expected rows are UTC.
"""

from __future__ import annotations

import datetime as dt

from adapter_helpers import FIXTURES, copy_into, corpus, read_export
from pipeline_helpers import build_workspace, csv, query, toml

SIGNUPS = csv("""
    user_id,signed_up_at
    u1,2026-03-02T09:00:00Z
    """)
EVENTS = csv("""
    user_id,event,occurred_at
    u1,activated,2026-03-03T09:00:00Z
    """)
NOT_A_DATE_TIME = "not a date-time (expected ISO 8601 such as 2026-03-02T09:30:00Z, a date, or epoch seconds)"


def test_an_outlook_csv_gives_meetings_and_the_attendees_it_has_addresses_for(tmp_path):
    copy_into(tmp_path / "ws", FIXTURES / "outlook_calendar.csv")
    db = build_workspace(tmp_path, {"signups.csv": SIGNUPS, "events.csv": EVENTS}, toml(as_of="2026-03-31"))
    # Line 2's Description spans two lines, so the next record starts at line 4. Dates are month first
    # (no first part above 12), local London times (GMT = UTC in early March). The all-day Offsite has no
    # times: local midnights. The organizer of line 2 is a name only: left empty.
    assert query(
        db,
        """select title, starts_at::varchar, ends_at::varchar, series_id, organizer, source_line
        from stg_meetings order by source_line""",
    ) == [
        ("Weekly sync", "2026-03-02 10:00:00+00", "2026-03-02 11:00:00+00", None, None, 2),
        ("Weekly sync", "2026-03-09 10:00:00+00", "2026-03-09 11:00:00+00", None, "ann@example.com", 4),
        ("Offsite", "2026-03-05 00:00:00+00", "2026-03-07 00:00:00+00", None, "ann@example.com", 5),
    ]
    # Required and optional attendees with an address (`Ann Lee <ann@example.com>` included); Cy Young is a
    # name only. No responses in the export: needs_action.
    assert query(
        db,
        """select meetings.source_line, attendees.email, attendees.response
        from stg_attendees as attendees
        inner join stg_meetings as meetings on attendees.meeting_id = meetings.meeting_id
        order by 1, 2""",
    ) == [
        (2, "ann@example.com", "needs_action"),
        (2, "bob@example.com", "needs_action"),
        (4, "ann@example.com", "needs_action"),
        (4, "bob@example.com", "needs_action"),
        (4, "dee@example.com", "needs_action"),
    ]
    # 2/30/2026 is no date: its meeting is a reject, and so is its attendee (its meeting is rejected);
    # the attendee's value is the meeting id the adapter made (`outlook-` and a hash).
    assert query(
        db,
        """select line, "column", case when "column" = 'meeting_id' then left(value, 8) else value end, reason,
            table_name from rejects order by table_name""",
    ) == [
        (6, "meeting_id", "outlook-", "no row in meetings has this meeting_id (unknown or rejected)", "attendees"),
        (6, "starts_at", "2/30/2026 10:00:00 AM", NOT_A_DATE_TIME, "meetings"),
    ]
    assert query(
        db,
        "select table_name, adapter, rows_read, rows_loaded, rows_rejected, note from sources "
        "where file = 'outlook_calendar.csv' order by 1",
    ) == [
        ("attendees", "outlook", 6, 5, 1, "1 attendee given by name only (no address): not counted"),
        ("meetings", "outlook", 4, 3, 1, "dates read as month/day/year; 1 organizer given by name only: left empty"),
    ]


def test_outlook_day_first_dates_are_recognised_for_the_whole_file(tmp_path):
    path = tmp_path / "calendar.csv"
    path.write_text(
        "Subject,Start Date,Start Time,End Date,End Time,Required Attendees\n"
        "Early,02/03/2026,09:00:00,02/03/2026,09:30:00,a@example.com\n"
        "Late,21/03/2026,14:00,21/03/2026,15:00,a@example.com\n"
    )
    read = read_export(path, "meetings", "outlook")
    # 21 cannot be a month, so every date is day/month: 02/03 is 2 March.
    assert [(row[0], row[2], row[3], row[4]) for row in read.typed] == [
        (2, "2026-03-02 09:00:00", "2026-03-02 09:30:00", "Early"),
        (3, "2026-03-21 14:00:00", "2026-03-21 15:00:00", "Late"),
    ]
    assert read.result.notes == ["dates read as day/month/year"]


def test_a_graph_calendar_view_gives_occurrences_with_their_series(tmp_path):
    read_meetings = read_export(FIXTURES / "graph_calendarview.json", "meetings", "msgraph")
    # Lines are those of each event's opening brace. "GMT Standard Time" is Europe/London (GMT in March):
    # 10:00 = 10:00 UTC; Europe/Berlin 14:00 CET = 13:00 UTC. The cancelled event and the series master
    # are left out (counted in the note); the all-day event is marked.
    assert read_meetings.typed == [
        (4, "occ-1", "2026-03-02 10:00:00", "2026-03-02 11:00:00", "Weekly sync", "master-1", "ann@example.com", False),
        (70, "occ-2", "2026-03-09 13:00:00", "2026-03-09 14:30:00", "Weekly sync (moved)", "master-1",
         "ann@example.com", False),
        (156, "allday-1", "2026-03-05 00:00:00", "2026-03-07 00:00:00", "Offsite", None, None, True),
    ]
    # 2026-03-32 is no date: passed on as written and rejected.
    assert read_meetings.invalid == [(172, "starts_at", NOT_A_DATE_TIME)]
    assert read_meetings.raw[-1][2] == "2026-03-32T10:00:00.0000000"
    assert read_meetings.result.notes == [
        "1 cancelled left out",
        "1 series master left out: export occurrences with calendarView",
        "time zone 'Customized Time Zone' unknown: read in Europe/London",
        "time zone 'GMT Standard Time' read as Europe/London",
    ]
    attendees = read_export(FIXTURES / "graph_calendarview.json", "attendees", "msgraph")
    # organizer -> accepted, tentativelyAccepted -> tentative, notResponded -> needs_action; the resource
    # is not a person; `maybe` is no response (a reject).
    assert attendees.typed == [
        (4, "occ-1", "ann@example.com", "accepted"),
        (4, "occ-1", "bob@example.com", "declined"),
        (4, "occ-1", "cy@example.com", "tentative"),
        (70, "occ-2", "ann@example.com", "needs_action"),
    ]
    assert attendees.invalid == [
        (70, "response", "unknown response (expected accepted, declined, tentative, needs_action)"),
    ]
    assert attendees.result.notes == ["not people, left out: 1 room or resource"]


def test_graph_documentation_responses():
    # event-get with `Prefer: outlook.timezone="Pacific Standard Time"`: 10:00-12:00 PDT (UTC-7) on
    # 2017-04-21 = 17:00-19:00 UTC; the whole document is one event (line 1). Dana's
    # tentativelyAccepted is tentative, Samantha's `none` needs_action; addresses are lower-cased.
    uid = "AAMkAGIAAAoZDOFAAA="
    organizer = "samanthab@a830edad905084922e17020313.onmicrosoft.com"
    get = read_export(corpus("msgraph/event-get.response1.json"), "meetings", "msgraph")
    assert get.typed == [(1, uid, "2017-04-21 17:00:00", "2017-04-21 19:00:00", "Orientation", None, organizer, None)]
    attendees = read_export(corpus("msgraph/event-get.response1.json"), "attendees", "msgraph")
    assert attendees.typed == [
        (1, uid, organizer, "needs_action"),
        (1, uid, "danas@a830edad905084922e17020313.onmicrosoft.com", "tentative"),
    ]
    # instances: the exception is listed first; four instances of one series, times in UTC.
    instances = read_export(corpus("msgraph/event-list-instances.response1.json"), "meetings", "msgraph")
    assert [(row[0], row[2], row[5]) for row in instances.typed] == [
        (4, "2019-04-16 20:30:00", "AAMkAGUzYRgWAAA="),
        (21, "2019-04-08 20:30:00", "AAMkAGUzYRgWAAA="),
        (38, "2019-04-22 20:30:00", "AAMkAGUzYRgWAAA="),
        (55, "2019-04-29 20:30:00", "AAMkAGUzYRgWAAA="),
    ]
    # A /me/events list: the event starts at line 4 (inside `value`).
    listed = read_export(corpus("msgraph/user-list-events.response1.json"), "meetings", "msgraph")
    assert [(row[0], row[1], row[2]) for row in listed.typed] == [(4, uid, "2017-04-21 17:00:00")]


def test_a_graph_file_named_in_sources_builds(tmp_path):
    config = toml(as_of=dt.date(2026, 3, 31).isoformat(), extra="""
        [sources]
        meetings = { path = "graph*.json", adapter = "msgraph" }
        """)
    copy_into(tmp_path / "ws", FIXTURES / "graph_calendarview.json")
    db = build_workspace(tmp_path, {"signups.csv": SIGNUPS, "events.csv": EVENTS}, config)
    assert query(db, "select meeting_id, series_id from stg_meetings order by starts_at") == [
        ("occ-1", "master-1"), ("allday-1", None), ("occ-2", "master-1"),
    ]
    assert query(
        db, "select table_name, adapter, rows_read, rows_loaded, rows_rejected from sources "
        "where adapter = 'msgraph' order by 1"
    ) == [("attendees", "msgraph", 5, 4, 1), ("meetings", "msgraph", 4, 3, 1)]
