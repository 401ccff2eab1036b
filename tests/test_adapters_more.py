"""Freshdesk and Intercom (tickets), Salesforce and HubSpot (demos), Linear (issues) and Segment (events and
sign-ups), docs/adapters.md; and a workspace's own `.seams` folder, which no [sources] glob reads.

No permissively licensed real export of these tools exists (../shared/corpus/README.md, "Formats for which
no permissively licensed real file was found"), so each is tested on a small fixture in
tests/fixtures/adapters written from EXPORT-FORMATS.md. Zone Europe/London unless a test says otherwise
(GMT = UTC until 2026-03-29, so naive March times read as the same UTC times); times in expected rows
are UTC.
"""

from __future__ import annotations

import gzip
import shutil

import pytest
from adapter_helpers import FIXTURES, copy_into, read_export
from pipeline_helpers import build_workspace, csv, make_workspace, query, toml

from pipelines import adapters
from pipelines.build import build
from pipelines.config import WorkspaceError

SIGNUPS = csv("""
    user_id,signed_up_at
    u1,2026-03-02T09:00:00Z
    """)
EVENTS = csv("""
    user_id,event,occurred_at
    u1,activated,2026-03-03T09:00:00Z
    """)
OUTCOME = {"signups.csv": SIGNUPS, "events.csv": EVENTS}
NOT_A_DATE_TIME = "not a date-time (expected ISO 8601 such as 2026-03-02T09:30:00Z, a date, or epoch seconds)"


def function(name: str, table: str, date_column: str, target: int, measure: str = "count", extra: str = "") -> str:
    column = 'column = "story_points"\n' if measure == "sum" else ""
    return f"""
[[functions]]
name = "{name}"
kpi = "KPI"
table = "{table}"
date_column = "{date_column}"
measure = "{measure}"
{column}{extra}target = {target}
"""


@pytest.mark.parametrize(
    ("fixture", "adapter"),
    [
        ("freshdesk_tickets.csv", "freshdesk"),
        ("intercom_conversations.json", "intercom"),
        ("salesforce_events.csv", "salesforce"),
        ("salesforce_report.csv", "salesforce"),
        ("hubspot_meetings.csv", "hubspot"),
        ("linear_issues.csv", "linear"),
        ("segment_messages.jsonl", "segment"),
    ],
)
def test_each_export_is_recognised_by_its_own_adapter_only(fixture, adapter):
    assert [a.name for a in adapters.recognising(adapters.sniff(FIXTURES / fixture))] == [adapter]


# --------------------------------------------------------------------------- tickets


def test_a_freshdesk_export_dropped_in_the_workspace_feeds_tickets(tmp_path):
    copy_into(tmp_path / "ws", FIXTURES / "freshdesk_tickets.csv")
    config = toml(as_of="2026-03-31", extra=function("Support", "tickets", "solved_at", 2))
    db = build_workspace(tmp_path, OUTCOME, config)
    # CRLF; Subject of 501 holds a comma, of 503 quotes. 502 was closed without a Resolved time: solved
    # when it closed. 503 has no email: the requester's name. Status and priority as written.
    assert query(
        db,
        """select ticket_id, created_at::varchar, solved_at::varchar, status, requester_id, tags, priority, source_line
        from stg_tickets order by ticket_id""",
    ) == [
        ("501", "2026-03-02 09:15:00+00", "2026-03-03 14:05:00+00", "Resolved", "ann@customer.example", "sso,login",
         "Medium", 2),
        ("502", "2026-03-03 10:00:00+00", "2026-03-04 08:30:00+00", "Closed", "cy@customer.example", "billing", "Low",
         3),
        ("503", "2026-03-04 11:00:00+00", None, "Open", "Dee Ray", None, "Urgent", 4),
    ]
    # A day-first date is not a documented Freshdesk form: the value as written.
    assert query(db, 'select file, line, "column", value, reason from rejects') == [
        ("freshdesk_tickets.csv", 5, "created_at", "16/03/2026 10:00", NOT_A_DATE_TIME),
    ]
    # W 2026-03-02: 501 (solved 03-03) and 502 (closed 03-04) -> 2 = target: green.
    assert query(db, "select week_start::varchar, value, status from function_weekly order by 1 limit 2") == [
        ("2026-03-02", 2.0, "green"),
        ("2026-03-09", 0.0, "red"),
    ]
    sql = "select adapter, timezone, rows_read, rows_loaded, rows_rejected from sources where table_name = 'tickets'"
    assert query(db, sql) == [("freshdesk", "Europe/London", 4, 3, 1)]


def test_freshdesk_status_and_priority_codes_become_words(tmp_path):
    path = tmp_path / "freshdesk api.csv"
    path.write_text(csv("""
        Ticket ID,Created time,Resolved time,Closed time,Status,Priority,Contact ID,Tags
        7,2026-03-02T09:00:00Z,2026-03-02T10:00:00Z,2026-03-03T10:00:00Z,5,4,4001,
        8,2026-03-02T11:00:00Z,,,2,1,4002,vip
        """))
    read = read_export(path, "tickets", "freshdesk")
    # Status 5 Closed, 2 Open; priority 4 Urgent, 1 Low. A resolved time wins over the later close.
    assert read.typed == [
        (2, "7", "2026-03-02 09:00:00", "2026-03-02 10:00:00", "Closed", "4001", None, "Urgent"),
        (3, "8", "2026-03-02 11:00:00", None, "Open", "4002", "vip", "Low"),
    ]


def test_intercom_conversations_are_solved_when_closed_at_their_last_close():
    read = read_export(FIXTURES / "intercom_conversations.json", "tickets", "intercom")
    # Each conversation at the line of its opening brace. Epoch seconds: 1772442000 = 2026-03-02 09:00 UTC,
    # 1772546700 = 03-03 14:05 (1001 closed at 11:30 on 03-02, reopened, closed again: the last close counts).
    # 1002 was closed and reopened: open, not solved. 1003 is closed without statistics: solved_at unknown.
    # 1004 is snoozed. Requester: the contact's external_id (u1, u4), else its id (65f0b2), else the
    # source author (77). Tag names joined with ", " (one holds a space).
    assert read.typed == [
        (6, "1001", "2026-03-02 09:00:00", "2026-03-03 14:05:00", "closed", "u1", "billing, VIP customer", "priority"),
        (19, "1002", "2026-03-03 10:00:00", None, "open", "65f0b2", None, "not_priority"),
        (31, "1003", "2026-03-04 12:00:00", None, "closed", "77", None, "not_priority"),
        (43, "1004", "2026-03-05 09:30:00", None, "snoozed", "u4", "sso", "not_priority"),
    ]
    assert read.result.notes == ["1 closed conversation without statistics.last_close_at: solved_at unknown"]
    assert (read.invalid, read.result.rows_read) == ([], 4)


def test_intercom_json_lines_dropped_in_the_workspace(tmp_path):
    lines = (
        '{"type": "conversation", "id": "9", "created_at": 1772442000, "open": false, "state": null, '
        '"statistics": {"last_close_at": 1772451000}, "source": {"author": {"id": "a9"}}}\n'
        "\n"
        '{"type": "conversation", "id": "10", "created_at": 1772532000, "state": "closed", "statistics": {}}\n'
        '{"type": "conversation", "id": \n'
    )
    files = OUTCOME | {"intercom.jsonl": lines}
    config = toml(as_of="2026-03-31", extra=function("Support", "tickets", "solved_at", 1))
    db = build_workspace(tmp_path, files, config)
    # Line 1: `open: false` without a state is closed: solved at 1772451000 = 2026-03-02 11:30 UTC. Line 2 is
    # blank. Line 3 is closed with no last_close_at. Line 4 is cut off: a reject; the rest loads.
    assert query(db, "select ticket_id, solved_at::varchar, status, requester_id, source_line from stg_tickets "
                 "order by source_line") == [
        ("9", "2026-03-02 11:30:00+00", "closed", "a9", 1),
        ("10", None, "closed", None, 3),
    ]
    assert query(db, 'select line, "column", reason from rejects') == [
        (4, None, "not valid JSON: Expecting value"),
    ]
    assert query(db, "select adapter, rows_read, rows_loaded, rows_rejected, note from sources "
                 "where table_name = 'tickets'") == [
        ("intercom", 3, 2, 1, "1 closed conversation without statistics.last_close_at: solved_at unknown"),
    ]


# --------------------------------------------------------------------------- demos


def test_salesforce_event_export_ids_and_all_day_dates(tmp_path):
    copy_into(tmp_path / "ws", FIXTURES / "salesforce_events.csv")
    config = toml(timezone="America/New_York", as_of="2026-03-31", extra=function("Sales", "demos", "held_at", 2))
    db = build_workspace(tmp_path, OUTCOME, config)
    # Line 2's Id is 15 characters: its 18-character form (suffix E A V: upper-case letters at places 2
    # of `00U5g`, none of `00000`, 0, 2 and 4 of `AbCdE` -> 4, 0, 21) is line 3's Id, and line 3's 15-character
    # AccountId is line 2's: one demo written twice, an exact duplicate. The all-day demo is on 03-04
    # in New York (local midnight, 05:00 UTC), not on 03-03 as midnight UTC would be.
    assert query(db, "select demo_id, held_at::varchar, owner, account_id, outcome, source_line from stg_demos "
                 "order by held_at") == [
        ("00U5g00000AbCdEEAV", "2026-03-02 15:00:00+00", "0055g00000Q1w2eAAB", "0015g00000XyZaBAAV", "Qualified", 2),
        ("00U5g00000FgHiJEAZ", "2026-03-04 05:00:00+00", "0055g00000Q1w2eAAB", "0015g00000JkLmNAAZ", None, 4),
    ]
    assert query(db, 'select line, "column", value, reason from rejects order by line') == [
        (3, "demo_id", "00U5g00000AbCdEEAV", "exact duplicate of line 2"),
        (5, "held_at", "2026-02-30T10:00:00.000Z", NOT_A_DATE_TIME),
    ]
    # W 2026-03-02: 2 demos held -> 2 = target: green.
    assert query(db, "select value, status from function_weekly where week_start = '2026-03-02'") == [(2.0, "green")]


def test_a_salesforce_report_in_a_day_first_locale():
    read = read_export(FIXTURES / "salesforce_report.csv", "demos", "salesforce")
    # 16/03/2026 has a first part above 12: the file is day/month/year, so 02/03/2026 is 2 March. A row
    # without a time is the day (local midnight). 15-character Activity IDs get their suffix (`cdEfg`:
    # upper case at place 2 -> 4 -> E). `3rd March` fits no format: the date and time as written.
    assert read.typed == [
        (2, "00U5g00000UvWxYEAV", "2026-03-16 14:30:00", "Priya Patel", "Initech", "Qualified"),
        (3, "00U5g00000ZzAaBEAV", "2026-03-02 09:00:00", "Sam Reid", "Hooli", "No decision"),
        (4, "00U5g00000cdEfgEAE", "2026-03-03 00:00:00", "Sam Reid", "Umbrella Health", None),
    ]
    assert read.invalid == [(5, "held_at", NOT_A_DATE_TIME)]
    assert read.raw[3][2] == "3rd March 10:00"
    assert read.result.notes == ["dates read as day/month/year"]


def test_hubspot_meetings_that_did_not_take_place_are_no_demos(tmp_path):
    copy_into(tmp_path / "ws", FIXTURES / "hubspot_meetings.csv")
    db = build_workspace(tmp_path, OUTCOME, toml(as_of="2026-03-31", extra=function("Sales", "demos", "held_at", 2)))
    # 5002 Canceled, 5003 No show and 5005 Rescheduled did not take place. 5006's start is in a form
    # HubSpot does not document (03/06/2026): rejected as written.
    assert query(db, "select demo_id, held_at::varchar, owner, account_id, outcome, source_line from stg_demos "
                 "order by 1") == [
        ("5001", "2026-03-02 15:00:00+00", "Priya Patel", "81001", "Completed", 2),
        ("5004", "2026-03-05 16:00:00+00", "Priya Patel", None, "Scheduled", 5),
    ]
    assert query(db, 'select line, "column", value, reason from rejects') == [
        (7, "held_at", "03/06/2026 14:00", NOT_A_DATE_TIME),
    ]
    # Rows read: the 3 meetings held (2 loaded, 1 rejected); the 3 not held are no rows.
    assert query(db, "select adapter, rows_read, rows_loaded, rows_rejected, note from sources "
                 "where table_name = 'demos'") == [
        ("hubspot", 3, 2, 1, "3 meetings not held left out (1 Canceled, 1 No show, 1 Rescheduled)"),
    ]
    # W 2026-03-02: 5001 and 5004 -> 2 = target: green.
    assert query(db, "select value, status from function_weekly where week_start = '2026-03-02'") == [(2.0, "green")]


def test_hubspot_properties_by_internal_name_with_epoch_milliseconds(tmp_path):
    path = tmp_path / "meetings.csv"
    path.write_text(csv("""
        hs_object_id,hs_meeting_title,hs_timestamp,hs_meeting_outcome,hubspot_owner_id,associatedcompanyid
        7001,Demo,1772442000000,COMPLETED,301,9001
        7002,Demo,1772532000000,NO_SHOW,302,9002
        7003,Demo,2026-03-04T12:00:00Z,,301,
        """))
    read = read_export(path, "demos", "hubspot")
    # 1772442000000 ms = 2026-03-02 09:00 UTC. NO_SHOW: left out. No outcome logged: kept.
    assert read.typed == [
        (2, "7001", "2026-03-02 09:00:00", "301", "9001", "COMPLETED"),
        (4, "7003", "2026-03-04 12:00:00", "301", None, None),
    ]
    assert (read.result.rows_read, read.result.notes) == (2, ["1 meeting not held left out (1 NO_SHOW)"])


# --------------------------------------------------------------------------- issues


def test_a_linear_export_feeds_issues(tmp_path):
    copy_into(tmp_path / "ws", FIXTURES / "linear_issues.csv")
    extra = function("Engineering", "issues", "resolved_at", 4, "sum", 'where = { status = "done" }\n')
    db = build_workspace(tmp_path, OUTCOME, toml(as_of="2026-03-31", extra=extra))
    # ENG-1's Description spans two lines, so ENG-2 starts at line 4. Types from the first label naming
    # one (Feature; Bug after `-flaky`, whose formula quote is taken off); ENG-3 has no label: issue.
    # ENG-2 was canceled: not resolved. ENG-4 completed 16:42 at GMT+0100 = 15:42 UTC.
    assert query(
        db,
        """select issue_key, issue_type, resolved_at::varchar, status, labels, story_points, source_line
        from stg_issues order by issue_key""",
    ) == [
        ("ENG-1", "Feature", "2026-03-03 12:17:00+00", "Done", "Feature, onboarding", 3.0, 2),
        ("ENG-2", "Bug", None, "Canceled", "Bug", 2.0, 4),
        ("ENG-3", "issue", None, "In Progress", None, None, 5),
        ("ENG-4", "Bug", "2026-03-04 15:42:00+00", "Done", "-flaky, Bug", 1.0, 6),
    ]
    assert query(db, 'select line, "column", value, reason from rejects') == [
        (7, "resolved_at", "03/05/2026", NOT_A_DATE_TIME),
    ]
    # W 2026-03-02: done and resolved: ENG-1 (3) + ENG-4 (1) = 4 = target: green.
    assert query(db, "select value, status from function_weekly where week_start = '2026-03-02'") == [(4.0, "green")]


def test_linear_titles_and_labels_lose_the_formula_quote(tmp_path):
    path = tmp_path / "linear.csv"
    path.write_text(csv("""
        ID,Team,Title,Status,Estimate,Labels,Completed
        '@OPS-1,Ops,'+1 for dark mode,'=Done,'-1,'@mention,
        """))
    read = read_export(path, "issues", "linear")
    # Every text cell loses a leading quote before = + - @; `'-1` is then -1 story points.
    assert read.raw == [(2, "@OPS-1", "issue", None, "=Done", "@mention", "-1")]


# --------------------------------------------------------------------------- events


def test_segment_track_calls_feed_signups_and_events(tmp_path):
    copy_into(tmp_path / "ws", FIXTURES / "segment_messages.jsonl")
    extra = '[sources]\nsignups = { path = "segment_messages.jsonl", adapter = "segment", event = "Signed Up" }\n'
    db = build_workspace(tmp_path, {}, toml(as_of="2026-03-31", extra=extra))
    # Line 1 identifies, line 3 is a page call: not events. Line 5 is cut off. Line 6 has no userId (its
    # anonymousId) and no timestamp: originalTimestamp 11:00 at +01:00 = 10:00 UTC. u1 signs up again on
    # line 7: the first sign-up counts.
    assert query(db, "select user_id, event, occurred_at::varchar, source_line from stg_events order by 4") == [
        ("u1", "Signed Up", "2026-03-02 09:00:00+00", 2),
        ("u1", "activated", "2026-03-03 10:00:00.123+00", 4),
        ("anon-7", "Signed Up", "2026-03-04 10:00:00+00", 6),
        ("u1", "Signed Up", "2026-03-05 09:00:00+00", 7),
    ]
    assert query(db, "select user_id, signed_up_at::varchar, source_line from stg_signups order by 1") == [
        ("anon-7", "2026-03-04 10:00:00+00", 6),
        ("u1", "2026-03-02 09:00:00+00", 2),
    ]
    assert query(db, 'select line, "column", reason from rejects') == [(5, None, "not valid JSON: Expecting value")]
    # W 2026-03-02: u1 activated 25 h after signing up, anon-7 never -> 1 of 2.
    sql = "select cohort_week::varchar, signups, activated, rate from outcome_cohorts order by 1 limit 1"
    assert query(db, sql) == [("2026-03-02", 2, 1, 0.5)]
    # Events read: 4 track calls and the broken line; the identify and page calls are no rows.
    assert query(
        db, "select table_name, adapter, rows_read, rows_loaded, rows_rejected, note from sources order by 1"
    ) == [
        ("events", "segment", 5, 4, 1, "2 messages left out, not track calls (1 identify, 1 page); "
         "1 event without userId: identified by anonymousId"),
        ("signups", "segment", 2, 2, 0,
         "sign-ups: the 'Signed Up' events (2 users); 1 repeated sign-up left out: a user's first one counts"),
    ]


# --------------------------------------------------------------------------- the workspace's own folder


def test_a_glob_in_sources_never_reads_the_workspace_seams_folder(tmp_path):
    config = toml(as_of="2026-03-31", extra='[sources]\nevents = "**/events*.csv"\n')
    workspace = make_workspace(tmp_path / "ws", {"signups.csv": SIGNUPS, "exports/events-march.csv": EVENTS}, config)
    # What the app keeps there: a replaced export (here the same events again) and a kept build.
    (workspace / ".seams" / "replaced" / "20260301T000000Z").mkdir(parents=True)
    shutil.copyfile(workspace / "exports" / "events-march.csv",
                    workspace / ".seams" / "replaced" / "20260301T000000Z" / "events-march.csv")
    build(workspace, tmp_path / "out.duckdb")
    assert query(tmp_path / "out.duckdb", "select file, rows_loaded from sources where table_name = 'events'") == [
        ("exports/events-march.csv", 1),
    ]
    assert query(tmp_path / "out.duckdb", "select count(*) from rejects") == [(0,)]


def test_a_sources_path_only_inside_the_seams_folder_matches_nothing(tmp_path):
    config = toml(as_of="2026-03-31", extra='[sources]\nevents = ".seams/replaced/*/events.csv"\n')
    workspace = make_workspace(tmp_path / "ws", {"signups.csv": SIGNUPS, ".seams/replaced/1/events.csv": EVENTS},
                               config)
    with pytest.raises(WorkspaceError) as error:
        build(workspace, tmp_path / "out.duckdb")
    assert str(error.value) == (
        f"{workspace.resolve() / 'seams.toml'} [sources] events: no file matches '.seams/replaced/*/events.csv' in "
        f"{workspace.resolve()} (files under .seams/ are Seams' own and never read)"
    )


def test_segment_files_from_s3_are_gzipped_json_lines(tmp_path):
    path = tmp_path / "segment-2026-03-02.json.gz"
    path.write_bytes(gzip.compress(
        b'{"type":"track","event":"activated","userId":"u1","timestamp":"2026-03-02T10:00:00.000Z"}\n'
        b'{"type":"identify","userId":"u1","traits":{}}\n'
        b'{"type":"TRACK","event":"invite_sent","anonymousId":"a2","receivedAt":"2026-03-02T11:00:00.000Z"}\n'
    ))
    read = read_export(path, "events", "segment")
    # Every line is one record: DuckDB's reader. A type in capitals is still a track call; line 3 has
    # neither userId nor timestamp: its anonymousId, and receivedAt.
    assert read.typed == [
        (1, "u1", "activated", "2026-03-02 10:00:00"),
        (3, "a2", "invite_sent", "2026-03-02 11:00:00"),
    ]
    assert (read.result.rows_read, read.result.notes) == (2, [
        "1 message left out, not track calls (1 identify)",
        "1 event without userId: identified by anonymousId",
    ])
