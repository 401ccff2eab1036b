"""The iCalendar adapter (docs/adapters.md "ics"): recurring series expanded up to as_of with one series_id,
overrides, EXDATE and cancelled instances, Windows / vendor / custom time-zone names, all-day events,
PARTSTAT responses, rooms and groups that are not people, and broken events rejected at their
`BEGIN:VEVENT` line while the rest of the file loads.

Real files from ../shared/corpus/ics (its README says what each exercises) and one fixture written from
RFC 5545 (tests/fixtures/adapters/weekly_sync.ics). Times in expected rows are UTC.
"""

from __future__ import annotations

import datetime as dt

import pytest
from adapter_helpers import FIXTURES, copy_into, corpus, read_export
from pipeline_helpers import build_workspace, csv, query, toml

from pipelines.adapters import ics

SIGNUPS = csv("""
    user_id,signed_up_at
    u1,2026-03-02T09:00:00Z
    """)
EVENTS = csv("""
    user_id,event,occurred_at
    u1,activated,2026-03-03T09:00:00Z
    """)
SERIES = "weekly-sync@example.com"


def test_a_calendar_dropped_into_the_workspace_is_detected_expanded_and_explained(tmp_path):
    # No [sources]: the .ics is recognised by its shape and feeds meetings and attendees.
    copy_into(tmp_path / "ws", FIXTURES / "weekly_sync.ics")
    db = build_workspace(tmp_path, {"signups.csv": SIGNUPS, "events.csv": EVENTS}, toml(as_of="2026-03-31"))
    # Europe/London is GMT until 03-29, BST (UTC+1) after. The weekly Monday 10:00 series: 03-02 kept,
    # 03-09 an EXDATE, 03-16 moved to 14:00-15:30 by its override (line 20), 03-23 cancelled (line 30),
    # 03-30 10:00 BST = 09:00 UTC; 04-06 is after as_of (end of 03-31) and not expanded.
    assert query(
        db,
        """select meeting_id, starts_at::varchar, ends_at::varchar, title, series_id, organizer, source_line
        from stg_meetings order by starts_at""",
    ) == [
        (f"{SERIES}/20260302T100000Z", "2026-03-02 10:00:00+00", "2026-03-02 11:00:00+00", "Weekly sync", SERIES,
         "ann@example.com", 5),
        # W. Europe Standard Time is Europe/Berlin: 09:00 CET = 08:00 UTC. The organizer is not an attendee.
        ("planning-1", "2026-03-04 08:00:00+00", "2026-03-04 08:30:00+00", "Planning", None, "dee@example.com", 38),
        # All-day 03-05 and 03-06 (DTEND is exclusive): local midnights; kept in staging, marked all-day.
        ("offsite", "2026-03-05 00:00:00+00", "2026-03-07 00:00:00+00", "Offsite", None, None, 47),
        (f"{SERIES}/20260316T100000Z", "2026-03-16 14:00:00+00", "2026-03-16 15:30:00+00", "Weekly sync (moved)",
         SERIES, "ann@example.com", 20),
        (f"{SERIES}/20260330T090000Z", "2026-03-30 09:00:00+00", "2026-03-30 10:00:00+00", "Weekly sync", SERIES,
         "ann@example.com", 5),
    ]
    # The series' attendees on each of its instances; the override has its own list. The room
    # (CUTYPE=ROOM on a resource.calendar.google.com address) and the group are not people; `MAILTO:`
    # and `Ann@Example.com` match as ann@example.com; no PARTSTAT is needs_action.
    assert query(db, "select meeting_id, email, response, source_line from stg_attendees order by 1, 2") == [
        ("planning-1", "ann@example.com", "tentative", 38),
        ("planning-1", "cy@example.com", "needs_action", 38),
        (f"{SERIES}/20260302T100000Z", "ann@example.com", "accepted", 5),
        (f"{SERIES}/20260302T100000Z", "bob@example.com", "declined", 5),
        (f"{SERIES}/20260302T100000Z", "cy@example.com", "needs_action", 5),
        (f"{SERIES}/20260316T100000Z", "ann@example.com", "accepted", 20),
        (f"{SERIES}/20260316T100000Z", "bob@example.com", "accepted", 20),
        (f"{SERIES}/20260330T090000Z", "ann@example.com", "accepted", 5),
        (f"{SERIES}/20260330T090000Z", "bob@example.com", "declined", 5),
        (f"{SERIES}/20260330T090000Z", "cy@example.com", "needs_action", 5),
    ]
    # The event without DTSTART is one reject at its BEGIN:VEVENT line; the rest of the file loaded.
    assert query(db, "select file, line, \"column\", value, reason, table_name from rejects") == [
        ("weekly_sync.ics", 53, "DTSTART", None, "no DTSTART: the event has no start", "meetings"),
    ]
    # One row per file and table: 5 meetings + 1 reject read; 10 attendee rows; 2 instances x (1 room + 1 group).
    assert query(
        db,
        """select file, table_name, adapter, rows_read, rows_loaded, rows_rejected, note, timezone
        from sources where file like '%.ics' order by table_name""",
    ) == [
        ("weekly_sync.ics", "attendees", "ics", 10, 10, 0, "not people, left out: 2 rooms or resources, 2 groups",
         "Europe/London"),
        ("weekly_sync.ics", "meetings", "ics", 6, 5, 1,
         "6 events gave 5 meetings, series expanded to 2026-03-31; 1 cancelled left out; 1 all-day (not coordination);"
         " time zone 'W. Europe Standard Time' read as Europe/Berlin", "Europe/London"),
    ]


def test_all_day_events_are_marked_for_coordination_to_leave_out():
    read = read_export(FIXTURES / "weekly_sync.ics", "meetings", "ics", as_of=dt.date(2026, 3, 31))
    # (line, meeting_id, is_all_day) of the typed rows: only the offsite (VALUE=DATE) is all-day.
    assert [(row[0], row[1], row[7]) for row in read.typed] == [
        (5, f"{SERIES}/20260302T100000Z", False),
        (5, f"{SERIES}/20260330T090000Z", False),
        (20, f"{SERIES}/20260316T100000Z", False),
        (38, "planning-1", False),
        (47, "offsite", True),
    ]


def test_a_source_timezone_applies_to_floating_times_and_is_recorded(tmp_path):
    calendar = (
        "BEGIN:VCALENDAR\r\n"
        "BEGIN:VEVENT\r\nUID:floating\r\nDTSTART:20260304T090000\r\nDTEND:20260304T100000\r\n"
        "ATTENDEE:mailto:a@example.com\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:utc\r\nDTSTART:20260304T090000Z\r\nDTEND:20260304T100000Z\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )
    config = toml(as_of="2026-03-31", extra="""
        [sources]
        meetings = { path = "team calendar.ics", timezone = "America/New_York" }
        """)
    files = {"signups.csv": SIGNUPS, "events.csv": EVENTS, "team calendar.ics": calendar}
    db = build_workspace(tmp_path, files, config)
    # A time without Z or TZID is read in the source's zone: 09:00 EST (UTC-5) = 14:00 UTC; a Z time is UTC.
    assert query(db, "select meeting_id, starts_at::varchar from stg_meetings order by 1") == [
        ("floating", "2026-03-04 14:00:00+00"),
        ("utc", "2026-03-04 09:00:00+00"),
    ]
    # Naming meetings in [sources] feeds attendees from the same file, in the same zone.
    sql = "select table_name, adapter, timezone from sources where file = 'team calendar.ics' order by 1"
    assert query(db, sql) == [
        ("attendees", "ics", "America/New_York"),
        ("meetings", "ics", "America/New_York"),
    ]


def test_overrides_and_a_cancelled_instance_keep_one_series_id():
    # khal: weekly from Mon 2014-06-30 07:00 Europe/Berlin (CEST, UTC+2) until 2014-08-06 06:00 UTC: six
    # Mondays. The 07-07 override (UTC RECURRENCE-ID 05:00Z = 07:00 CEST) moves it to 09:00; the 07-14
    # one is STATUS:CANCELLED and does not count. Five meetings, one series.
    read = read_export(corpus("ics/khal/event_rrule_recuid_cancelled.ics"), "meetings", "ics")
    uid = "event_rrule_recurrence_id"
    assert read.typed == [
        (4, f"{uid}/20140630T050000Z", "2014-06-30 05:00:00", "2014-06-30 10:00:00", "Arbeit", uid, None, False),
        (4, f"{uid}/20140721T050000Z", "2014-07-21 05:00:00", "2014-07-21 10:00:00", "Arbeit", uid, None, False),
        (4, f"{uid}/20140728T050000Z", "2014-07-28 05:00:00", "2014-07-28 10:00:00", "Arbeit", uid, None, False),
        (4, f"{uid}/20140804T050000Z", "2014-08-04 05:00:00", "2014-08-04 10:00:00", "Arbeit", uid, None, False),
        (11, f"{uid}/20140707T050000Z", "2014-07-07 07:00:00", "2014-07-07 12:00:00", "Arbeit", uid, None, False),
    ]
    # as_of 2030-01-01 (the helper's default) means to the end of that day.
    assert read.result.notes == ["3 events gave 5 meetings, series expanded to 2030-01-01", "1 cancelled left out"]


def test_an_unbounded_series_is_clipped_at_as_of():
    # Outlook 2003 stand-up: every weekday from Tue 2009-03-10 09:30, no COUNT or UNTIL (5,430 instances
    # in 40 years). As of 2009-03-31 in Sydney: Tue-Fri 03-10..13 (4), 03-16..20 (5), 03-23..27 (5),
    # Mon 03-30 and Tue 03-31 (2) -> 16. The zone is the file's VTIMEZONE "Canberra, Melbourne, Sydney"
    # (2008 rules: summer time, UTC+11, until the first Sunday of April): 09:30 = 22:30 UTC the day before.
    read = read_export(corpus("ics/ical4j/Standup.ics"), "meetings", "ics", zone="Australia/Sydney",
                       as_of=dt.date(2009, 3, 31))
    starts = [row[2] for row in read.typed]
    assert len(starts) == 16
    assert (starts[0], starts[-1]) == ("2009-03-09 22:30:00", "2009-03-30 22:30:00")
    assert {row[5] for row in read.typed} == {read.typed[0][1].split("/")[0]}  # one series_id
    assert read.result.notes == [
        "1 event gave 16 meetings, series expanded to 2009-03-31",
        "time zone 'Canberra, Melbourne, Sydney' read from its VTIMEZONE",
    ]


def test_a_broken_event_is_rejected_at_its_begin_line_and_the_rest_loads():
    # issue_722: the first event (line 3, no UID) has DTSTART in New York and an RDATE PERIOD in Berlin;
    # the events at lines 9 (only RECURRENCE-ID) and 15 (only RDATEs) have no DTSTART.
    read = read_export(corpus("ics/icalendar/issue_722_missing_timezones.ics"), "meetings", "ics")
    name = "issue_722_missing_timezones.ics#L3"
    title = "an event with a custom tz name"
    assert read.typed == [
        # 08:00 EDT (UTC-4) = 12:00 UTC, to DTEND 08:00 in Los Angeles (PDT, UTC-7) = 15:00 UTC.
        (3, f"{name}/20140829T120000Z", "2014-08-29 12:00:00", "2014-08-29 15:00:00", title, None, None, False),
        # RDATE 2024-09-13 12:00 CEST (UTC+2) for PT2H = 10:00-12:00 UTC.
        (3, f"{name}/20240913T100000Z", "2024-09-13 10:00:00", "2024-09-13 12:00:00", title, None, None, False),
    ]
    assert read.result.rejects == [
        (9, "DTSTART", None, "no DTSTART: the event has no start"),
        (15, "DTSTART", None, "no DTSTART: the event has no start"),
    ]
    assert read.result.rows_read == 4  # 2 meetings + 2 rejects


def test_malformed_properties_are_rejects_with_the_property_and_reason():
    # broken_ical: `DTSTART;;VALUE=DATE-TIME:…` (an empty parameter) at the event of line 2.
    broken = read_export(corpus("ics/icalendar/broken_ical.ics"), "meetings", "ics")
    assert broken.raw == []
    assert [(line, prop, value) for line, prop, value, _ in broken.result.rejects] == [
        (2, "DTSTART", "DTSTART;;VALUE=DATE-TIME:20140409T093000"),
    ]
    assert broken.result.rejects[0][3].startswith("DTSTART cannot be read: Content line could not be parsed")
    # blankTzid: `DTSTART;TZID=:20150826T090000` in the event of line 18 (the file's only event).
    blank = read_export(corpus("ics/ical4j/blankTzid.ics"), "meetings", "ics")
    assert blank.result.rejects == [
        (18, "DTSTART", "DTSTART;TZID=:20150826T090000", "empty TZID: the time zone of this time is not named"),
    ]
    # bad_custom_ms_tz: a negative DURATION at line 37 is rejected; the invalid DTSTAMP beside it is not
    # used and does not matter; the other two events load, `tzone://Microsoft/Custom` read in the source zone.
    custom = read_export(corpus("ics/node-ical/bad_custom_ms_tz.ics"), "meetings", "ics")
    assert custom.result.rejects == [
        (37, "DURATION", "DURATION:-PT1W1D2H3M4S",
         "DURATION cannot be read: Invalid iCalendar duration: -PT1W1D2H3M4S"),
    ]
    assert [(row[0], row[1], row[2]) for row in custom.typed] == [
        (2, "1173422081SZR322", "2021-03-25 10:35:00"),  # 10:35 in London (GMT until 03-28) = 10:35 UTC
        (24, "*masked-away*@google.com", "2021-04-01 19:30:00"),
    ]
    assert "time zone 'tzone://Microsoft/Custom' unknown: read in Europe/London" in custom.result.notes


def test_an_override_ending_before_it_starts_is_a_reject_and_its_instance_does_not_count():
    # node-ical: daily 12:00-13:00 Los Angeles (PDT, UTC-7) from 2015-07-06, COUNT=10 (07-06..07-15),
    # EXDATE 07-08 and 07-10. The override at line 11 moves 07-07 to 07-09 15:00 with DTEND 07-07 16:00,
    # before its start: a reject (the library would swap the two), and the 07-07 instance it moved is
    # not counted as if it had stayed. Left: 07-06, 07-09, 07-11..07-15 = 7 meetings, all at 19:00 UTC.
    read = read_export(corpus("ics/node-ical/daily-count-exdate-recurrence-id.ics"), "meetings", "ics")
    assert read.result.rejects == [
        (11, "DTEND", "DTEND;TZID=America/Los_Angeles:20150707T160000", "ends before it starts"),
    ]
    assert [(row[0], row[2]) for row in read.typed] == [
        (2, f"2015-07-{day:02d} 19:00:00") for day in (6, 9, 11, 12, 13, 14, 15)
    ]


def test_windows_vendor_and_custom_time_zone_names():
    def first_start(path, **kw):
        return read_export(corpus(path), "meetings", "ics", **kw).typed[0][2]

    # A Windows name wins over a VTIMEZONE that lies about it (CET rules under "New Zealand Standard Time"):
    # 2019-11-20 13:00 NZDT (UTC+13) = 00:00 UTC.
    assert first_start("ics/khal/tz_windows_format.ics") == "2019-11-20 00:00:00"
    # A display name with non-ASCII letters, defined by its VTIMEZONE: 13:30 at UTC-3 = 16:30 UTC.
    assert first_start("ics/icalendar/issue_237_fail_to_parse_timezone_with_non_ascii_tzid.ics") == (
        "2017-05-11 16:30:00"
    )
    # "Customized Time Zone" with no definition in the file: read in the source zone (Berlin here):
    # 14:00 CEST = 12:00 UTC.
    assert first_start("ics/ical/office_365_invalid_timezone.ics", zone="Europe/Berlin") == "2024-04-26 12:00:00"
    # Vendor prefixes: Europe/Berlin (CEST +2), America/New_York (EDT -4), America/Argentina/Buenos_Aires (-3).
    prefixed = read_export(corpus("ics/icalendar/issue_313_globally_unique_tzid.ics"), "meetings", "ics")
    assert [row[2] for row in prefixed.typed] == ["2020-04-26 12:00:00", "2020-04-26 18:00:00", "2020-04-26 17:00:00"]
    # Exchange: three EXDATEs on one line folded mid-value, in "Eastern Standard Time" (America/New_York):
    # Fridays 03-11..04-29 11:00 less 03-18, 04-01, 04-08 -> 03-11 (EST, 16:00 UTC), 03-25, 04-15, 04-22,
    # 04-29 (EDT, 15:00 UTC).
    exdates = read_export(corpus("ics/icalevents/multi_exdate_same_line_ms.ics"), "meetings", "ics")
    assert [row[2] for row in exdates.typed] == [
        "2022-03-11 16:00:00", "2022-03-25 15:00:00", "2022-04-15 15:00:00", "2022-04-22 15:00:00",
        "2022-04-29 15:00:00",
    ]


def test_partstat_gives_the_response_and_non_people_are_left_out():
    # khal: ACCEPTED, DECLINED, TENTATIVE; the delegator is ROLE=NON-PARTICIPANT (left out); the
    # delegate's address was folded mid-value (`hcabot@` + `example.com`).
    partstat = read_export(corpus("ics/khal/event_dt_partstat.ics"), "attendees", "ics")
    uid = "V042MJ8B3SJNFXQOJL6P53OFMHJE8Z3VZWOU"
    assert partstat.typed == [
        (4, uid, "hcabot@example.com", "tentative"),
        (4, uid, "jdoe@example.com", "accepted"),
        (4, uid, "jqpublic@example.com", "accepted"),
        (4, uid, "another@example.com", "declined"),
        (4, uid, "tent@example.com", "tentative"),
    ]
    assert partstat.result.notes == ["not people, left out: 1 non-participant"]
    # Exchange reply: one DECLINED, one without PARTSTAT (needs_action, which counts as attending).
    exchange = read_export(corpus("ics/icalevents/multi_attendee_response.ics"), "attendees", "ics")
    assert [(email, response) for _, _, email, response in exchange.typed] == [
        ("calendar@gmail.com", "declined"),
        ("calendar@microsoft.com", "needs_action"),
    ]
    # Apple: PARTSTAT=CONFIRMED is not a response (a reject); the STATUS:CANCELLED event is left out.
    apple = read_export(corpus("ics/node-ical/tentative-apple-calendar.ics"), "attendees", "ics")
    assert [(line, email, response) for line, _, email, response in apple.typed] == [
        (8, "tentative@example.com", "tentative"),
    ]
    assert apple.invalid == [
        (26, "response", "unknown response (expected accepted, declined, tentative, needs_action)"),
    ]
    # Outlook 2007: the resource attendee (CUTYPE=RESOURCE) is left out; the event is all-day.
    outlook = read_export(corpus("ics/ical.net/Outlook2007LineFolds.ics"), "attendees", "ics")
    assert [email for _, _, email, _ in outlook.typed] == ["some.attendee@event.com", "event@calendardemo.net"]
    assert outlook.result.notes == ["not people, left out: 1 room or resource"]


def test_instances_without_their_master_are_one_series_and_group_calendars_are_not_people():
    # Google busy view: four instances 03-24..27 11:00 UTC, each with a RECURRENCE-ID and no master.
    meetings = read_export(corpus("ics/icalevents/recurrenceid_google.ics"), "meetings", "ics")
    uid = "5kml9evtgr3lffqh2lc2lu86kp@google.com"
    assert [(row[0], row[1], row[2], row[5]) for row in meetings.typed] == [
        (8, f"{uid}/20210327T110000Z", "2021-03-27 11:00:00", uid),
        (18, f"{uid}/20210326T110000Z", "2021-03-26 11:00:00", uid),
        (28, f"{uid}/20210325T110000Z", "2021-03-25 11:00:00", uid),
        (38, f"{uid}/20210324T110000Z", "2021-03-24 11:00:00", uid),
    ]
    attendees = read_export(corpus("ics/icalevents/recurrenceid_google.ics"), "attendees", "ics")
    assert attendees.raw == []
    assert attendees.result.notes == ["not people, left out: 4 groups"]


def test_a_latin_1_calendar_is_read_as_windows_1252_and_said_so():
    read = read_export(corpus("ics/icalevents/basic_latin1.ics"), "meetings", "ics")
    assert read.result.encoding == "windows-1252"
    assert read.result.notes[0] == "not valid UTF-8; read as Windows-1252"
    # 95 single all-day events (VALUE=DATE), the calendar named `M\xfcll` in Latin-1.
    assert (len(read.typed), all(row[7] for row in read.typed)) == (95, True)


def test_an_empty_calendar_gives_no_rows_and_says_so():
    read = read_export(corpus("ics/icalendar/bom_calendar.ics"), "meetings", "ics")
    assert (read.raw, read.result.rows_read, read.result.empty_note) == ([], 0, "no events")


def test_a_library_time_zone_cache_never_leaks_between_files(tmp_path):
    # Two files define "Customized Time Zone" differently (UTC+2 and UTC-5): each is read with its own.
    def calendar(offset: str) -> str:
        return (
            "BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nTZID:Customized Time Zone\r\nBEGIN:STANDARD\r\n"
            f"DTSTART:16010101T000000\r\nTZOFFSETFROM:{offset}\r\nTZOFFSETTO:{offset}\r\nEND:STANDARD\r\n"
            "END:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART;TZID=Customized Time Zone:20260304T120000\r\n"
            "DTEND;TZID=Customized Time Zone:20260304T130000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )

    (tmp_path / "plus2.ics").write_text(calendar("+0200"), newline="")
    (tmp_path / "minus5.ics").write_text(calendar("-0500"), newline="")
    # 12:00 at UTC+2 = 10:00 UTC; 12:00 at UTC-5 = 17:00 UTC.
    assert read_export(tmp_path / "plus2.ics", "meetings", "ics").typed[0][2] == "2026-03-04 10:00:00"
    assert read_export(tmp_path / "minus5.ics", "meetings", "ics").typed[0][2] == "2026-03-04 17:00:00"


def test_the_occurrence_cap_rejects_a_runaway_series(tmp_path, monkeypatch):
    monkeypatch.setattr(ics, "MAX_OCCURRENCES", 10)
    ics.parse.cache_clear()
    path = tmp_path / "minutely.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:m\r\nDTSTART:20260304T120000Z\r\nDURATION:PT1M\r\n"
        "RRULE:FREQ=MINUTELY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        newline="",
    )
    read = read_export(path, "meetings", "ics", as_of=dt.date(2026, 3, 5))
    assert read.result.rejects == [
        (2, "RRULE", None, "the series cannot be expanded: more than 10 instances before as_of"),
    ]
    ics.parse.cache_clear()


@pytest.mark.parametrize("path", sorted(p.relative_to(corpus("ics")).as_posix() for p in corpus("ics").rglob("*.ics")))
def test_every_corpus_calendar_reads_without_a_traceback_and_accounts_for_every_event(path):
    meetings = read_export(corpus(f"ics/{path}"), "meetings", "ics")
    attendees = read_export(corpus(f"ics/{path}"), "attendees", "ics")
    assert meetings.result.rows_read == len(meetings.raw) + len(meetings.result.rejects)
    assert attendees.result.rows_read == len(attendees.raw)
    # Every reject names the editor line of a BEGIN:VEVENT in that file.
    lines = corpus(f"ics/{path}").read_bytes().split(b"\n")
    assert all(lines[line - 1].strip().upper() == b"BEGIN:VEVENT" for line, *_ in meetings.result.rejects)


def test_without_an_as_of_series_are_expanded_to_the_latest_sign_up_or_event(tmp_path):
    calendar = (
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:daily\r\nDTSTART:20260302T090000Z\r\nDTEND:20260302T093000Z\r\n"
        "RRULE:FREQ=DAILY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    events = csv("""
        user_id,event,occurred_at
        u1,activated,2026-03-05T12:00:00Z
        """)
    db = build_workspace(tmp_path, {"signups.csv": SIGNUPS, "events.csv": events, "cal.ics": calendar}, toml())
    # The latest timestamp read is the event at 03-05 12:00 UTC: daily 09:00 instances 03-02..03-05.
    assert query(db, "select count(*), max(starts_at)::varchar from stg_meetings") == [(4, "2026-03-05 09:00:00+00")]
    assert query(db, "select note from sources where table_name = 'meetings'") == [
        ("1 event gave 4 meetings, series expanded to 2026-03-05",),
    ]
