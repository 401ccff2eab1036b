"""Rejects and accounting (DESIGN.md "Rejects", "Duplicates", `sources`): one reject per bad row with
file, editor line (header = line 1), first bad column, value and reason; every row read is either
loaded or rejected.
"""

from __future__ import annotations

from pipeline_helpers import build_workspace, csv, d, query, toml

BAD_TIMESTAMP = "not a date-time (expected ISO 8601 such as 2026-03-02T09:30:00Z, a date, or epoch seconds)"
MISSING = "missing required value"

# Line numbers as an editor shows them; u4's quoted segment spans lines 6 and 7, so u5 is on line 8
# although it is the file's 7th record.
SIGNUPS = csv("""
    user_id,signed_up_at,segment
    u1,2026-03-02T09:00:00Z,smb
    u2,yesterday,smb
    ,not a date,smb
    u3,2026-02-30T09:00:00Z,smb
    u4,2026-03-03T09:00:00Z,"multi
    line segment"
    u5,2026-03-32,smb
    u6,2026-03-03T10:00:00Z,smb,extra
    u1,2026-03-02T09:00:00Z,smb
    u7,2026-03-04T09:00:00Z,smb
    u7,2026-03-04T09:00:00Z,enterprise
    """)

EVENTS = csv("""
    user_id,event,occurred_at
    u1,activated,2026-03-03T09:00:00Z
    u1,activated,2026-03-03T09:00:00Z
    u4,,2026-03-04T09:00:00Z
    u4,activated,2026-03-04T09:00:00Z
    """)


def test_each_bad_row_is_one_reject_at_its_editor_line(tmp_path):
    db = build_workspace(tmp_path, {"signups.csv": SIGNUPS, "events.csv": EVENTS}, toml(as_of="2026-03-31"))
    rows = query(db, "select file, line, \"column\", value, reason, table_name from rejects order by file, line")
    assert rows == [
        # events: the repeat of line 2 counts once; events have no key, so no column is named.
        ("events.csv", 3, None, None, "exact duplicate of line 2", "events"),
        ("events.csv", 4, "event", None, MISSING, "events"),  # an empty event name
        ("signups.csv", 3, "signed_up_at", "yesterday", BAD_TIMESTAMP, "signups"),
        # Both user_id (missing) and signed_up_at are bad: the first in contract order is named.
        ("signups.csv", 4, "user_id", None, MISSING, "signups"),
        ("signups.csv", 5, "signed_up_at", "2026-02-30T09:00:00Z", BAD_TIMESTAMP, "signups"),  # impossible date
        ("signups.csv", 8, "signed_up_at", "2026-03-32", BAD_TIMESTAMP, "signups"),  # after the 2-line record
        ("signups.csv", 9, None, "u6,2026-03-03T10:00:00Z,smb,extra", "expected 3 fields, found 4", "signups"),
        ("signups.csv", 10, "user_id", "u1", "exact duplicate of line 2", "signups"),
        # Same key, different values: the last in file order (line 12) wins.
        ("signups.csv", 11, "user_id", "u7", "superseded by line 12", "signups"),
    ]
    kept = query(db, "select user_id, segment, source_line, cohort_week from stg_signups order by source_line")
    assert kept == [
        ("u1", "smb", 2, d("2026-03-02")),
        ("u4", "multi\nline segment", 6, d("2026-03-02")),  # the line break inside quotes is kept
        ("u7", "enterprise", 12, d("2026-03-02")),
    ]


def test_every_row_read_is_loaded_or_rejected(tmp_path):
    files = {"signups.csv": SIGNUPS, "events.csv": EVENTS, "tickets.csv": "ticket_id,created_at\n"}
    db = build_workspace(tmp_path, files, toml(as_of="2026-03-31"))
    rows = query(
        db,
        """select file, table_name, adapter, encoding, rows_read, rows_loaded, rows_rejected, note
        from sources order by file""",
    )
    assert rows == [
        # 4 records: 2 loaded (line 2, line 5), 2 rejected (line 3 duplicate, line 4 missing event).
        ("events.csv", "events", "canonical", "utf-8", 4, 2, 2, None),
        # 10 records on 12 lines (one spans two): 3 loaded (u1, u4, u7), 7 rejected.
        ("signups.csv", "signups", "canonical", "utf-8", 10, 3, 7, None),
        # A header and no rows: loads as zero rows and says so.
        ("tickets.csv", "tickets", "canonical", "utf-8", 0, 0, 0, "header only: no rows"),
    ]
    assert query(db, "select file from sources where rows_read <> rows_loaded + rows_rejected") == []


def test_a_missing_value_reads_the_same_from_a_simple_file(tmp_path):
    # A file of one-line records takes DuckDB's reader, the file above Python's: the rejects agree.
    signups = csv("""
        user_id,signed_up_at,segment
        u1,2026-03-02T09:00:00Z,smb
        ,not a date,smb
        """)
    db = build_workspace(tmp_path, {"signups.csv": signups, "events.csv": EVENTS}, toml(as_of="2026-03-31"))
    assert query(db, "select file, line, \"column\", value, reason from rejects where file = 'signups.csv'") == [
        ("signups.csv", 3, "user_id", None, MISSING),
    ]


def test_duplicates_across_files_follow_file_name_order(tmp_path):
    config = toml(as_of="2026-03-31", extra='\n[sources]\nsignups = "signups/*.csv"\n')
    files = {
        # Read in name order: a.csv, then b.csv.
        "signups/b.csv": csv("""
            user_id,signed_up_at,segment
            u1,2026-03-02T09:00:00Z,enterprise
            u2,2026-03-03T09:00:00Z,smb
            """),
        "signups/a.csv": csv("""
            user_id,signed_up_at,segment
            u1,2026-03-02T09:00:00Z,smb
            u2,2026-03-03T09:00:00Z,smb
            """),
        "events.csv": "user_id,event,occurred_at\n",
    }
    db = build_workspace(tmp_path, files, config)
    assert query(db, "select file, line, \"column\", value, reason from rejects order by file, line") == [
        ("signups/a.csv", 2, "user_id", "u1", "superseded by signups/b.csv line 2"),  # b.csv is later in file order
        ("signups/b.csv", 3, "user_id", "u2", "exact duplicate of signups/a.csv line 3"),
    ]
    assert query(db, "select user_id, segment, source_file from stg_signups order by user_id") == [
        ("u1", "enterprise", "signups/b.csv"),
        ("u2", "smb", "signups/a.csv"),
    ]
    accounts = query(db, "select file, rows_read, rows_loaded, rows_rejected from sources order by 1")
    assert accounts == [
        ("events.csv", 0, 0, 0),
        ("signups/a.csv", 2, 1, 1),
        ("signups/b.csv", 2, 1, 1),
    ]
