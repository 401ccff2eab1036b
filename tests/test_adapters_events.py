"""Event streams: Amplitude (zip of gzipped JSON lines), Mixpanel (JSON lines, epoch seconds) and PostHog
(CSV and JSON lines), feeding events and, with `event` in [sources], sign-ups (docs/adapters.md).

PostHog's CSV is the real file from ../shared/corpus/posthog; Amplitude and Mixpanel fixtures are written
from EXPORT-FORMATS.md (no permissively licensed real export exists). Times in expected rows are UTC.
"""

from __future__ import annotations

import gzip
import subprocess
import sys

from adapter_helpers import FIXTURES, ROOT, copy_into, corpus, read_export
from pipeline_helpers import build_workspace, csv, make_workspace, query, toml

AMPLITUDE = """
    [sources]
    signups = { path = "amplitude_export.zip", adapter = "amplitude", event = "Sign Up" }
    """


def test_an_amplitude_export_feeds_signups_and_events(tmp_path):
    copy_into(tmp_path / "ws", FIXTURES / "amplitude_export.zip")
    # Naming sign-ups feeds events from the same export (events has no other source).
    db = build_workspace(tmp_path, {}, toml(as_of="2026-03-31", extra=AMPLITUDE))
    # Member 1 holds lines 1-3, member 2 lines 4-7 (line numbers count on across members). u1 signed up
    # at line 1 and again at line 6: the first counts. event_time is UTC without a Z.
    assert query(db, "select user_id, signed_up_at::varchar, source_line from stg_signups order by 1") == [
        ("u1", "2026-03-02 09:00:00+00", 1),
        ("u2", "2026-03-03 08:30:00.123456+00", 3),
    ]
    # d9 has no user_id: identified by its device_id. Line 5 is not JSON; line 7 repeats line 4.
    assert query(db, "select user_id, event, occurred_at::varchar, source_line from stg_events order by 4") == [
        ("u1", "Sign Up", "2026-03-02 09:00:00+00", 1),
        ("d9", "activated", "2026-03-02 10:00:00+00", 2),
        ("u2", "Sign Up", "2026-03-03 08:30:00.123456+00", 3),
        ("u1", "activated", "2026-03-04 12:00:00+00", 4),
        ("u1", "Sign Up", "2026-03-05 09:00:00+00", 6),
    ]
    assert query(db, 'select line, "column", reason from rejects order by line') == [
        (5, None, "not valid JSON: Expecting property name enclosed in double quotes"),
        (7, None, "exact duplicate of line 4"),
    ]
    # W 2026-03-02: u1 activated 51 h after signing up, u2 never -> 1 of 2.
    sql = "select cohort_week::varchar, signups, activated, rate from outcome_cohorts order by 1 limit 1"
    assert query(db, sql) == [("2026-03-02", 2, 1, 0.5)]
    assert query(
        db, "select table_name, adapter, rows_read, rows_loaded, rows_rejected, note from sources order by 1"
    ) == [
        ("events", "amplitude", 7, 5, 2, "1 event without user_id: identified by device_id"),
        ("signups", "amplitude", 2, 2, 0,
         "sign-ups: the 'Sign Up' events (2 users); 1 repeated sign-up left out: a user's first one counts"),
    ]


def test_a_dropped_amplitude_export_is_detected_as_events(tmp_path):
    copy_into(tmp_path / "ws", FIXTURES / "amplitude_export.zip")
    signups = csv("""
        user_id,signed_up_at
        u1,2026-03-02T09:00:00Z
        """)
    db = build_workspace(tmp_path, {"signups.csv": signups}, toml(as_of="2026-03-31"))
    assert query(db, "select file, table_name, adapter from sources order by 2") == [
        ("amplitude_export.zip", "events", "amplitude"),
        ("signups.csv", "signups", "canonical"),
    ]


def test_sign_ups_from_a_stream_need_the_sign_up_event(tmp_path):
    copy_into(tmp_path / "ws", FIXTURES / "amplitude_export.zip")
    extra = '[sources]\nsignups = { path = "amplitude_export.zip", adapter = "amplitude" }\n'
    workspace = make_workspace(tmp_path / "ws", {}, toml(extra=extra))
    done = subprocess.run(
        [sys.executable, "-m", "pipelines.build", str(workspace), "--out", str(tmp_path / "out.duckdb")],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert done.returncode == 2
    assert done.stderr == (
        f"seams: cannot build: {workspace.resolve() / 'seams.toml'} [sources.signups]: adapter 'amplitude' needs "
        'event for signups (for example event = "Sign Up": the event that marks a sign-up)\n'
    )


def test_mixpanel_epochs_and_merged_ids():
    events = read_export(FIXTURES / "mixpanel_export.jsonl", "events", "mixpanel")
    # $user_id wins over distinct_id; 1772442000 s = 2026-03-02 09:00 UTC; 1772614800000 is milliseconds
    # (from 1e12 on) = 2026-03-04 09:00 UTC. Line 3 is blank; line 5 has no time.
    assert events.typed == [
        (1, "u1", "Signed up", "2026-03-02 09:00:00"),
        (2, "u2", "activated", "2026-03-03 09:00:00"),
        (4, "u1", "activated", "2026-03-04 09:00:00"),
    ]
    assert events.invalid == [(5, "occurred_at", "missing required value")]
    signups = read_export(FIXTURES / "mixpanel_export.jsonl", "signups", "mixpanel", event="Signed up")
    assert [row[:3] for row in signups.typed] == [(1, "u1", "2026-03-02 09:00:00")]
    assert signups.invalid == [(5, "signed_up_at", "missing required value")]


def test_the_real_posthog_csv_export():
    # CRLF; columns id, distinct_id, properties.$browser, event, timestamp, person, elements_chain.
    read = read_export(corpus("posthog/events_csv_export_expected.csv"), "events", "posthog")
    assert read.raw == [
        (2, "2", "event_name", "2022-07-06T19:37:43.095295+00:00"),
        (3, "2", "event_name", "2022-07-06T19:37:43.095279+00:00"),
        (4, "2", "event_name", "2022-07-06T19:37:43.095262+00:00"),
    ]
    assert read.invalid == []


def test_posthog_json_lines_use_the_person_when_known(tmp_path):
    path = tmp_path / "posthog.jsonl.gz"


    path.write_bytes(gzip.compress(
        b'{"uuid": "e1", "event": "$pageview", "distinct_id": "anon-1", "person_id": "p1", '
        b'"timestamp": "2026-03-02T09:00:00+01:00"}\n'
        b'{"uuid": "e2", "event": "activated", "distinct_id": "anon-2", "person_id": null, '
        b'"timestamp": "2026-03-02T10:00:00Z"}\n'
    ))
    read = read_export(path, "events", "posthog")
    # 09:00 at UTC+1 = 08:00 UTC.
    assert read.typed == [
        (1, "p1", "$pageview", "2026-03-02 08:00:00"),
        (2, "anon-2", "activated", "2026-03-02 10:00:00"),
    ]
