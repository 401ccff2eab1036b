"""Reading exports (DESIGN.md "Files", "Headers", "Reading exports"): delimiters, encodings, BOM,
CRLF, lenient headers, gzip, Parquet and JSON lines all give the same staged rows and marts.

Zone Europe/London in March (GMT until 03-29); as_of 2026-03-31.
"""

from __future__ import annotations

import gzip
import json

import duckdb
import pytest
from pipeline_helpers import build_workspace, csv, d, epoch, query, toml

from pipelines.build import build
from pipelines.read import normalise_header

# The same three sign-ups and two events, written every way below. Columns in another order than
# the contract's, headers in other spellings, and a column the contract does not know (ignored).
HEADER = ["Notes", "Signed-Up At", " User ID ", "SEGMENT"]
SIGNUP_ROWS = [
    ["first “quoted” note", "2026-03-02T09:00:00Z", "u1", "café"],
    ["", "2026-03-03 10:00:00", "u2", "smb"],
    ["x", "2026-03-10", "u3", "smb"],
]
EVENTS = csv("""
    user_id,event,occurred_at
    u1,activated,2026-03-05T09:00:00Z
    u3,activated,2026-03-11T09:00:00Z
    """)
CONFIG = toml(as_of="2026-03-31")

# What every variant must stage: instants in UTC (GMT = UTC in early March), local Monday weeks.
EXPECTED_SIGNUPS = [
    ("u1", "2026-03-02 09:00:00+00", "café", d("2026-03-02")),
    ("u2", "2026-03-03 10:00:00+00", "smb", d("2026-03-02")),  # naive = local
    ("u3", "2026-03-10 00:00:00+00", "smb", d("2026-03-09")),  # a bare date = local midnight
]
# W 03-02: u1 activated after 3 days, u2 never -> 1 of 2; W 03-09: u3 after 33 h -> 1 of 1.
# Mature when week start + 37 days <= 04-01 00:00 BST: 03-02 + 37 = 04-08 -> none is.
EXPECTED_COHORTS = [
    (d("2026-03-02"), 2, 1, 0.5, False),
    (d("2026-03-09"), 1, 1, 1.0, False),
    (d("2026-03-16"), 0, 0, None, False),
    (d("2026-03-23"), 0, 0, None, False),
    (d("2026-03-30"), 0, 0, None, False),
]


def delimited(delimiter: str, newline: str = "\n") -> str:
    return "".join(delimiter.join(row) + newline for row in [HEADER, *SIGNUP_ROWS])


VARIANTS = {
    # name: (file name, content, expected encoding)
    "comma": ("signups.csv", delimited(","), "utf-8"),
    "semicolon": ("signups.csv", delimited(";"), "utf-8"),
    "tab": ("signups.csv", delimited("\t"), "utf-8"),
    "pipe": ("signups.csv", delimited("|"), "utf-8"),
    "crlf": ("signups.csv", delimited(",", "\r\n"), "utf-8"),
    "utf8_bom": ("signups.csv", "\ufeff" + delimited(","), "utf-8"),
    "bom_semicolon_crlf": ("signups.csv", "\ufeff" + delimited(";", "\r\n"), "utf-8"),
    # "café" with é as the single byte 0xE9: not valid UTF-8, so read as Windows-1252.
    "windows_1252": ("signups.csv", delimited(",").encode("cp1252"), "windows-1252"),
    "windows_1252_semicolon_crlf": ("signups.csv", delimited(";", "\r\n").encode("cp1252"), "windows-1252"),
    "gzip": ("signups.csv.gz", gzip.compress(delimited(",").encode()), "utf-8"),
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_csv_dialect_and_encoding_stages_the_same_rows(tmp_path, variant):
    name, content, encoding = VARIANTS[variant]
    db = build_workspace(tmp_path, {name: content, "events.csv": EVENTS}, CONFIG)
    rows = query(db, "select user_id, signed_up_at::varchar, segment, cohort_week from stg_signups order by user_id")
    assert rows == EXPECTED_SIGNUPS
    assert query(db, "select cohort_week, signups, activated, rate, mature from outcome_cohorts order by 1") == (
        EXPECTED_COHORTS
    )
    note = "not valid UTF-8; read as Windows-1252" if encoding == "windows-1252" else None
    accounts = query(db, "select file, encoding, rows_read, rows_loaded, rows_rejected, note from sources order by 1")
    assert accounts == [
        ("events.csv", "utf-8", 2, 2, 0, None),
        (name, encoding, 3, 3, 0, note),
    ]
    assert query(db, "select count(*) from rejects") == [(0,)]


def test_headers_match_leniently():
    assert [normalise_header(h) for h in HEADER] == ["notes", "signed_up_at", "user_id", "segment"]
    assert normalise_header("\ufeffUser-ID") == "user_id"
    assert normalise_header("  hourly   cost ") == "hourly_cost"


def test_parquet_gives_the_same_marts_as_csv(tmp_path):
    csv_db = build_workspace(tmp_path, {"signups.csv": delimited(","), "events.csv": EVENTS}, CONFIG, "csv")
    parquet_ws = tmp_path / "parquet"
    parquet_ws.mkdir()
    (parquet_ws / "seams.toml").write_text(CONFIG)
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    # Typed columns as a tool writes them: naive TIMESTAMPs (read as local, like naive text) in
    # sign-ups, TIMESTAMPTZ instants in events; a header "User ID" matched leniently.
    con.execute(
        f"""copy (select * from (values
            ('u1', timestamp '2026-03-02 09:00:00', 'café'),
            ('u2', timestamp '2026-03-03 10:00:00', 'smb'),
            ('u3', timestamp '2026-03-10 00:00:00', 'smb')) as t("User ID", signed_up_at, segment))
        to '{parquet_ws / "signups.parquet"}' (format parquet)"""
    )
    con.execute(
        f"""copy (select * from (values
            ('u1', 'activated', timestamptz '2026-03-05 09:00:00+00'),
            ('u3', 'activated', timestamptz '2026-03-11 09:00:00+00')) as t(user_id, event, occurred_at))
        to '{parquet_ws / "events.parquet"}' (format parquet)"""
    )
    con.close()
    parquet_db = tmp_path / "parquet.duckdb"
    build(parquet_ws, parquet_db)
    for sql in [
        "select cohort_week, signups, activated, rate, mature from outcome_cohorts order by 1",
        "select user_id, signed_up_at::varchar, segment, cohort_week from stg_signups order by user_id",
        "select user_id, event, occurred_at::varchar from stg_events order by user_id",
        "select week_start, meetings, attendee_hours from coordination_weekly order by 1",
        "select week_start, all_green, outcome_stalled, signature from signature_weekly order by 1",
    ]:
        assert query(parquet_db, sql) == query(csv_db, sql), sql
    cohorts = query(parquet_db, "select cohort_week, signups, activated, rate, mature from outcome_cohorts order by 1")
    assert cohorts == EXPECTED_COHORTS
    accounts = query(parquet_db, "select file, encoding, rows_read, rows_loaded, rows_rejected from sources order by 1")
    assert accounts == [
        ("events.parquet", "parquet", 2, 2, 0),
        ("signups.parquet", "parquet", 3, 3, 0),
    ]


def test_a_parquet_reject_names_its_1_based_row(tmp_path):
    ws = tmp_path / "ws"
    ws.mkdir()
    con = duckdb.connect()
    con.execute(
        """copy (select * from (values ('u1', '2026-03-02T09:00:00Z'), ('u2', '2026-02-30'), ('u3', '2026-03-04'))
            as t(user_id, signed_up_at)) to '{}' (format parquet)""".format(ws / "signups.parquet")
    )
    con.close()
    (ws / "events.csv").write_text("user_id,event,occurred_at\n")
    (ws / "seams.toml").write_text(CONFIG)
    build(ws, tmp_path / "out.duckdb")
    # Parquet has no header line: the second row is row 2.
    assert query(tmp_path / "out.duckdb", "select file, line, \"column\", value from rejects") == [
        ("signups.parquet", 2, "signed_up_at", "2026-02-30"),
    ]


def test_json_lines_are_read_with_their_line_numbers(tmp_path):
    lines = [
        json.dumps({"User ID": "u1", "event": "activated", "occurred_at": "2026-03-05T09:00:00Z"}),
        "",  # a blank line is no record, but it is still a line
        json.dumps({"user_id": "u3", "event": "activated", "occurred_at": epoch("2026-03-11T09:00:00+00:00")}),
        "{not json",
        json.dumps(["u9", "activated"]),
        json.dumps({"user_id": "u2", "event": "activated", "occurred_at": "2026-02-30T09:00:00Z"}),
    ]
    files = {"signups.csv": delimited(","), "events.jsonl": "\n".join(lines) + "\n"}
    db = build_workspace(tmp_path, files, CONFIG)
    assert query(db, "select cohort_week, signups, activated, rate, mature from outcome_cohorts order by 1") == (
        EXPECTED_COHORTS
    )
    assert query(db, "select user_id, occurred_at::varchar, source_line from stg_events order by source_line") == [
        ("u1", "2026-03-05 09:00:00+00", 1),
        ("u3", "2026-03-11 09:00:00+00", 3),  # epoch seconds as a JSON number
    ]
    rejects = query(db, "select line, \"column\", value, reason from rejects order by line")
    assert [row[:3] for row in rejects] == [
        (4, None, "{not json"),
        (5, None, '["u9", "activated"]'),
        (6, "occurred_at", "2026-02-30T09:00:00Z"),
    ]
    assert rejects[0][3].startswith("not valid JSON")
    assert rejects[1][3] == "not a JSON object"
    # 5 records (the blank line is none): 2 loaded + 3 rejected.
    assert query(db, "select file, rows_read, rows_loaded, rows_rejected from sources where file = 'events.jsonl'") == [
        ("events.jsonl", 5, 2, 3),
    ]


def test_json_lines_split_only_at_line_feeds(tmp_path):
    # U+2028 and U+0085 may stand unescaped inside a JSON string; an editor does not start a new line
    # there, so neither does the reader (str.splitlines would, and break the record in two).
    lines = [
        json.dumps(
            {"user_id": "u1", "signed_up_at": "2026-03-02T09:00:00Z", "segment": "a\u2028b\x85c"}, ensure_ascii=False
        ),
        json.dumps({"user_id": "u2", "signed_up_at": "2026-03-03 10:00:00", "segment": "smb"}),
        json.dumps({"user_id": "u3", "signed_up_at": "2026-03-10", "segment": "smb"}),
        "{oops",
    ]
    files = {"signups.ndjson.gz": gzip.compress(("\r\n".join(lines) + "\r\n").encode()), "events.csv": EVENTS}
    db = build_workspace(tmp_path, files, CONFIG)
    assert query(db, "select user_id, segment, source_line from stg_signups order by user_id") == [
        ("u1", "a\u2028b\x85c", 1),
        ("u2", "smb", 2),
        ("u3", "smb", 3),
    ]
    assert query(db, "select cohort_week, signups, activated, rate, mature from outcome_cohorts order by 1") == (
        EXPECTED_COHORTS
    )
    # CRLF line ends: the CR is not part of the rejected line's value.
    assert query(db, "select line, value from rejects") == [(4, "{oops")]
    accounts = query(db, "select file, rows_read, rows_loaded, rows_rejected from sources where table_name = 'signups'")
    assert accounts == [("signups.ndjson.gz", 4, 3, 1)]
