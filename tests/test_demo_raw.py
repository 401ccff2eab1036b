"""The raw-export demo (`python -m pipelines.demo DIR --raw`): the demo company written as its tools export
it (an Amplitude zip, a Zendesk CSV, a Jira CSV, a HubSpot CSV, a Google Calendar .ics with recurring
series, an HR list), read by the adapters (docs/adapters.md), builds to the same marts as the canonical
demo of the same scale, weeks and seed. And `--raw` leaves the canonical demo's files as they were.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines import demo
from pipelines.build import build

ROOT = Path(__file__).resolve().parents[1]
SCALE, WEEKS, SEED = 0.002, 10, 7
MARTS = ("function_weekly", "outcome_cohorts", "coordination_weekly", "signature_weekly")
# Further marts the Coordination and Functions pages read; coordination_series names a series by its
# series_id (a calendar UID in the raw variant), so it is compared without it.
MORE_MARTS = ("function_streaks", "seam_matrix", "over_collaboration_weekly", "org_change_comparison")
SERIES_COLUMNS = (
    "series_kind, title, first_week, last_week, weeks_with_meetings, meetings, hours, attendee_hours, cost, "
    "unknown_cost_attendee_hours, people, functions, function_names, cross_functional_share, first_week_rate, "
    "last_week_rate, outcome_change, is_outcome_flat, is_hidden"
)


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo-raw")
    canonical = demo.generate(root / "canonical", scale=SCALE, weeks=WEEKS, seed=SEED)
    raw = demo.generate_raw(root / "raw", scale=SCALE, weeks=WEEKS, seed=SEED)
    build(root / "canonical", root / "canonical.duckdb")
    build(root / "raw", root / "raw.duckdb")
    con = duckdb.connect()
    con.execute(f"attach '{root / 'canonical.duckdb'}' as canonical (read_only)")
    con.execute(f"attach '{root / 'raw.duckdb'}' as raw (read_only)")
    yield root, canonical, raw, con
    con.close()


def differing(con, sql_of) -> tuple[int, int]:
    """Rows of raw not in canonical and of canonical not in raw, as multisets (`except all` both ways)."""
    ab = con.execute(f"select count(*) from ({sql_of('raw')} except all {sql_of('canonical')})").fetchone()[0]
    ba = con.execute(f"select count(*) from ({sql_of('canonical')} except all {sql_of('raw')})").fetchone()[0]
    return ab, ba


def test_the_raw_exports_build_to_the_canonical_marts(builds):
    _, _, _, con = builds
    for mart in MARTS + MORE_MARTS:
        assert con.execute(f"select count(*) from canonical.{mart}").fetchone()[0] > 0, mart
        assert differing(con, lambda db, m=mart: f"select * from {db}.{m}") == (0, 0), mart
    assert differing(con, lambda db: f"select {SERIES_COLUMNS} from {db}.coordination_series") == (0, 0)
    # The comparison is not an empty one: the story's signature shows in both.
    assert con.execute("select count(*) from raw.signature_weekly where signature").fetchone()[0] > 0


def test_every_row_of_the_raw_exports_is_read_and_none_rejected(builds):
    _, canonical, raw, con = builds
    assert con.execute("select count(*) from raw.rejects").fetchone()[0] == 0
    loaded = dict(con.execute("select table_name, rows_loaded from raw.sources").fetchall())
    kept = {
        table: con.execute(f"select count(*) from canonical.stg_{table}").fetchone()[0]
        for table in ("signups", "events", "tickets", "demos", "issues", "meetings", "attendees", "people")
    }
    # The canonical demo's rows that survive its planted faults are the raw variant's rows; events add
    # one "Sign Up" per sign-up (the sign-ups are those events).
    assert loaded == kept | {"events": kept["events"] + kept["signups"]}
    # Every file's records are rows read: the Amplitude lines are the events, the .ics VEVENTs expand to
    # the meetings.
    assert raw[demo.RAW_FILES["signups"]] == loaded["events"]
    for table in ("tickets", "issues", "demos", "people"):
        assert raw[demo.RAW_FILES[table]] == loaded[table], table
    assert raw[demo.RAW_FILES["meetings"]] < loaded["meetings"]
    assert con.execute(
        "select table_name, adapter from raw.sources order by table_name"
    ).fetchall() == [
        ("attendees", "ics"), ("demos", "hubspot"), ("events", "amplitude"), ("issues", "jira"),
        ("meetings", "ics"), ("people", "hr"), ("signups", "amplitude"), ("tickets", "zendesk"),
    ]
    assert canonical["meetings"] > loaded["meetings"]  # the canonical file also has a planted bad meeting


def test_the_weekly_sync_is_one_recurring_series(builds):
    root, _, _, con = builds
    text = (root / "raw" / demo.RAW_FILES["meetings"]).read_bytes().decode()
    unfolded = text.replace("\r\n ", "")
    events = re.findall(r"BEGIN:VEVENT\r\n(.*?)END:VEVENT", unfolded, re.S)
    sync = [e for e in events if "SUMMARY:Activation alignment sync\r\n" in e]
    master = [e for e in sync if "RRULE:" in e]
    # 10 weeks from Monday 2026-02-02: the org change is in week int(0.58 x 10) = 5, so the sync meets on the
    # Tuesdays of weeks 0-4 at 15:00 London (GMT = UTC then), the last on 2026-03-03: one master, no end
    # beyond it. Each instance whose guests answered differently from the series is an override.
    assert len(master) == 1
    assert "RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20260303T150000Z\r\n" in master[0]
    assert "DTSTART;TZID=Europe/London:20260203T150000\r\n" in master[0]
    assert all("RECURRENCE-ID;TZID=Europe/London:" in e for e in sync if e is not master[0])
    uid = re.search(r"UID:(\S+)\r\n", master[0]).group(1)
    rows = con.execute(
        "select meeting_id, starts_at::varchar, ends_at::varchar, series_id from raw.stg_meetings "
        "where title = 'Activation alignment sync' order by starts_at"
    ).fetchall()
    days = ("2026-02-03", "2026-02-10", "2026-02-17", "2026-02-24", "2026-03-03")
    assert rows == [
        (f"{uid}/{day.replace('-', '')}T150000Z", f"{day} 15:00:00+00", f"{day} 16:00:00+00", uid) for day in days
    ]
    # The calendar uses what real ones do: skipped weeks (EXDATE) and changed instances (RECURRENCE-ID).
    assert "\r\nEXDATE;TZID=Europe/London:" in text and "\r\nRECURRENCE-ID;TZID=Europe/London:" in text


def test_the_raw_demo_is_deterministic(tmp_path):
    for name in ("a", "b"):
        done = subprocess.run(
            [sys.executable, "-m", "pipelines.demo", str(tmp_path / name), "--raw", "--scale", "0.001", "--weeks", "4"],
            cwd=ROOT, capture_output=True, text=True,
        )
        assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted([*demo.RAW_FILES.values(), "seams.toml"])
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_the_bundled_canonical_demo_is_what_the_generator_writes(tmp_path):
    counts = demo.generate(tmp_path / "demo")
    bundled = ROOT / "data" / "demo"
    assert sorted(p.name for p in bundled.iterdir()) == sorted([*(f"{t}.csv" for t in counts), "seams.toml"])
    for path in bundled.iterdir():
        assert (tmp_path / "demo" / path.name).read_bytes() == path.read_bytes(), path.name
