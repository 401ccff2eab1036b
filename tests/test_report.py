"""The weekly summary note (pipelines/report.py): its lines hold the hand-worked numbers of a small
workspace, export text is escaped for Markdown, and the command line writes the note and its PNG
charts for the demo.

The fixture: zone UTC, window 7 days, as_of Friday 2026-03-20 (the end of that day, 03-21 00:00).
Weeks W0 02-23, W1 03-02, W2 03-09, W3 03-16. A cohort is mature when week start + 7 + 7 days
<= 03-21: W0 (03-09) and W1 (03-16) are; W2 (03-23) is not.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PIL import Image  # a dependency of streamlit
from pipeline_helpers import build_workspace, csv, d, make_workspace, query, toml

from pipelines import report

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "demo"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# Function names and a KPI holding Markdown and HTML: the note must show them as text.
FUNCTIONS = """
[[functions]]
name = "Support"
kpi = "Tickets [solved]"
table = "tickets"
date_column = "solved_at"
where = { status = "solved" }
target = 3

[[functions]]
name = "Sales | *EMEA*"
kpi = "Demos <b>held</b>"
table = "demos"
date_column = "held_at"
target = 2

[coordination]
min_group_size = 1
"""

FILES = {
    # W0: 5 sign-ups, u1 activates 1 h later -> 1/5 = 0.20. W1: 4 sign-ups, v1 activates after 1 day,
    # v2 after 9 days (outside the 7-day window) -> 1/4 = 0.25. W2: w1 of 2 -> 0.50, provisional.
    "signups.csv": csv("""
        user_id,signed_up_at
        u1,2026-02-24T12:00:00Z
        u2,2026-02-24T12:00:00Z
        u3,2026-02-24T12:00:00Z
        u4,2026-02-24T12:00:00Z
        u5,2026-02-24T12:00:00Z
        v1,2026-03-03T12:00:00Z
        v2,2026-03-03T12:00:00Z
        v3,2026-03-03T12:00:00Z
        v4,2026-03-03T12:00:00Z
        w1,2026-03-10T12:00:00Z
        w2,2026-03-10T12:00:00Z
        """),
    "events.csv": csv("""
        user_id,event,occurred_at
        u1,activated,2026-02-24T13:00:00Z
        v1,activated,2026-03-04T12:00:00Z
        v2,activated,2026-03-12T12:00:00Z
        w1,activated,2026-03-10T13:00:00Z
        """),
    # Solved: W0 t1, t2 (2); W1 t3, t4, t5 (3; t6 is open, not counted); W2 t7 (1).
    "tickets.csv": csv("""
        ticket_id,created_at,solved_at,status
        t1,2026-02-23T09:00:00Z,2026-02-24T09:00:00Z,solved
        t2,2026-02-23T09:00:00Z,2026-02-25T09:00:00Z,solved
        t3,2026-03-02T08:00:00Z,2026-03-02T09:00:00Z,solved
        t4,2026-03-02T08:00:00Z,2026-03-03T09:00:00Z,solved
        t5,2026-03-02T08:00:00Z,2026-03-06T09:00:00Z,solved
        t6,2026-03-02T08:00:00Z,2026-03-05T09:00:00Z,open
        t7,2026-03-09T08:00:00Z,2026-03-10T09:00:00Z,solved
        """),
    # Held: W0 d1, d2 (2); W1 d3 (1); W2 d4, d5 (2).
    "demos.csv": csv("""
        demo_id,held_at
        d1,2026-02-23T10:00:00Z
        d2,2026-02-26T10:00:00Z
        d3,2026-03-03T10:00:00Z
        d4,2026-03-10T10:00:00Z
        d5,2026-03-11T10:00:00Z
        """),
    "people.csv": csv("""
        email,function,hourly_cost
        a@example.com,Support,100
        b@example.com,Sales,50
        d@example.com,Support,80
        """),
    "meetings.csv": csv("""
        meeting_id,starts_at,ends_at,title
        m1,2026-02-23T10:00:00Z,2026-02-23T11:00:00Z,Kickoff
        m2,2026-03-03T09:00:00Z,2026-03-03T10:30:00Z,Launch review
        m3,2026-03-04T14:00:00Z,2026-03-04T14:30:00Z,Support pairing
        """),
    # c@ is in no people row: counted in hours, not priced. b@ declines m3.
    "attendees.csv": csv("""
        meeting_id,email,response
        m1,a@example.com,accepted
        m1,b@example.com,accepted
        m2,a@example.com,accepted
        m2,b@example.com,accepted
        m2,c@example.com,accepted
        m3,a@example.com,accepted
        m3,b@example.com,declined
        m3,d@example.com,accepted
        """),
}

CONFIG = toml(timezone="UTC", as_of="2026-03-20", window_days=7, currency="EUR", extra=FUNCTIONS)


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory) -> Path:
    return build_workspace(tmp_path_factory.mktemp("report"), FILES, CONFIG)


def _note(db: Path, week, **kwargs) -> report.WeekNote:
    with report.opened(db) as cur:
        return report.week_note(cur, week, **kwargs)


def test_the_note_of_a_mature_week_holds_the_hand_worked_kpis_outcome_coordination_and_changes(fixture_db):
    note = _note(fixture_db, d("2026-03-02"), with_charts=False)
    (build_id,) = query(fixture_db, "select build_id from build_info")[0]
    assert note.filename == "week-2026-03-02.md"
    assert note.charts == {}
    assert note.markdown.splitlines() == [
        "# Week commencing Monday 2 March 2026",
        "",
        "Test · weekly review · compared with the week before",
        "",
        # Support 3 >= 3 green; Sales 1 < 2 x 0.9 = 1.8 red. Outcome W1 1/4 = 25.0%, mature, fewer than
        # 4 trailing cohorts -> not stalled. Export text is escaped (\| \* \- ...).
        r"**No signature this week.** 1 of 2 functions green (Sales \| \*EMEA\* red) · 30\-day activation "
        "25.0% vs 40% target, not stalled",
        "",
        "## Function KPIs",
        "",
        "| Function | KPI | This week | Target | Status | Change vs last week |",
        "|---|---|---:|---:|---|---:|",
        # W1 3 solved (t6 is open) vs W0 2 -> +1.
        r"| Support | Tickets \[solved\] | 3 | at least 3 | green | +1 |",
        # W1 1 demo vs W0 2 -> -1.
        r"| Sales \| \*EMEA\* | Demos \<b\>held\<\/b\> | 1 | at least 2 | red | -1 |",
        "",
        r"## Outcome: 30\-day activation",
        "",
        # v1 activated after 1 day; v2 after 9 days, outside the 7-day window -> 1 of 4 = 25.0%; red.
        "- This week's cohort: **25.0%** (1 of 4 sign-ups activated) against a 40% target: below target.",
        # Wilson, n = 4, p = 0.25, z = 1.96: (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)
        # = (0.7302 ± 0.64083) / 1.9604 -> 0.0456 to 0.6994.
        "- 95% interval of the rate: 4.6% to 69.9%.",
        # Mature on W1 + 7 + 7 days = 16 Mar <= as_of 21 Mar 00:00.
        "- Mature since 16 Mar 2026: the rate is final.",
        "- Not stalled this week.",
        "",
        "## Coordination",
        "",
        # m2 1.5 h x 3 (a, b, c) = 4.5; m3 0.5 h x 2 (a, d; b declined) = 1.0 -> 5.5 attendee-hours in 2
        # meetings of 1.5 + 0.5 = 2.0 h. m2 is Support + Sales -> cross-functional: 4.5 / 5.5 = 81.8%.
        "- 5.5 attendee-hours in 2 meetings (2.0 meeting hours); 81.8% cross-functional.",
        # m2 1.5 x 100 + 1.5 x 50 = 225; m3 0.5 x 100 + 0.5 x 80 = 90 -> 315.
        "- Cost: 315 EUR (attendees with a known hourly cost).",
        # c@ is in no people row: 1.5 h in m2 unpriced.
        "- 1.5 attendee-hours have no known hourly cost and are not priced.",
        "",
        "## What changed since last week",
        "",
        "Compared with the week commencing Monday 23 February 2026:",
        "",
        # W0 Support 2 < 2.7 red -> W1 green; W0 Sales 2 >= 2 green -> W1 red.
        "- Support: red → green.",
        r"- Sales \| \*EMEA\*: green → red.",
        # W0 1/5 = 20.0% -> W1 25.0%: +5.0 pp.
        r"- 30\-day activation: 20.0% → 25.0% (+5.0 pp).",
        "- The signature held in neither week.",
        # W0: m1 1 h x 2 = 2.0 attendee-hours, 1 meeting -> W1 5.5 (+3.5), 2 meetings (+1).
        "- Attendee-hours 2.0 → 5.5 (+3.5); meetings +1.",
        # W0: 1 x 100 + 1 x 50 = 150 -> W1 315: +165.
        "- Cost 150 EUR → 315 EUR (+165 EUR).",
        "",
        "---",
        "",
        # as_of 2026-03-20 is the end of that day: 21 Mar 00:00 UTC.
        f"From build `{build_id}` of Test, built "
        + query(fixture_db, "select strftime(built_at, '%-d %b %Y %H:%M') from build_info")[0][0]
        + " UTC; data as of 21 Mar 2026 00:00 UTC (the last day covered is 20 Mar 2026).",
    ]


def test_the_note_of_an_immature_week_says_provisional_until_the_cohort_matures(fixture_db):
    lines = _note(fixture_db, d("2026-03-09"), with_charts=False).markdown.splitlines()
    # W2: Support 1 < 2.7 red; Sales 2 green. Cohort 1 of 2 = 50.0%, mature on 03-09 + 14 = 23 Mar > 21 Mar.
    assert lines[4] == (
        r"**Outcome not known yet.** 1 of 2 functions green (Support red) · 30\-day activation 50.0% vs 40% "
        "target, provisional until 23 Mar 2026"
    )
    start = lines.index(r"## Outcome: 30\-day activation")
    assert lines[start + 2 : start + 6] == [
        "- This week's cohort: **50.0%** (1 of 2 sign-ups activated) against a 40% target: provisional.",
        # Wilson, n = 2, p = 0.5: (0.5 + 0.9604 ± 1.96·sqrt(0.125 + 0.2401)) / 2.9208 -> 0.0945 to 0.9055.
        "- 95% interval of the rate: 9.5% to 90.5%.",
        "- Provisional until 23 Mar 2026: not every sign-up has had its whole window yet, so the rate may "
        "still rise and is never counted as a stall.",
        "",
    ]
    # W1 25.0% -> W2 50.0%: +25.0 pp; no meeting in W2: 5.5 -> 0.0 attendee-hours, 315 -> 0 EUR.
    assert r"- 30\-day activation: 25.0% → 50.0% (+25.0 pp)." in lines
    assert "- Attendee-hours 5.5 → 0.0 (-5.5); meetings -2." in lines
    assert "- Cost 315 EUR → 0 EUR (-315 EUR)." in lines


def test_the_first_week_has_nothing_to_compare_with(fixture_db):
    lines = _note(fixture_db, d("2026-02-23"), with_charts=False).markdown.splitlines()
    start = lines.index("## What changed since last week")
    assert lines[start + 2] == "- No earlier week to compare with: this is the first week of the data."


def test_a_week_the_build_does_not_show_is_an_error(fixture_db):
    with pytest.raises(report.ReportError, match="no week commencing 2026-03-23 in this build"):
        _note(fixture_db, d("2026-03-23"), with_charts=False)


def test_escape_makes_export_text_literal_markdown():
    assert report.escape("<img src=x onerror=alert(1)>") == r"\<img src\=x onerror\=alert\(1\)\>"
    assert report.escape("a | b\n# c") == r"a \| b \# c"
    assert report.escape("Plain words 42") == "Plain words 42"


def test_the_zip_holds_the_note_and_every_chart_it_links(fixture_db):
    note = _note(fixture_db, d("2026-03-02"))
    names = [
        "week-2026-03-02-status-grid.png",
        "week-2026-03-02-outcome.png",
        "week-2026-03-02-coordination-hours.png",
        "week-2026-03-02-coordination-cost.png",
    ]
    assert list(note.charts) == names
    assert re.findall(r"!\[[^\]]*\]\(([^)]+)\)", note.markdown) == names
    with zipfile.ZipFile(io.BytesIO(note.zip_bytes())) as archive:
        assert archive.namelist() == ["week-2026-03-02.md", *names]
        assert archive.read("week-2026-03-02.md").decode() == note.markdown
        for name in names:
            assert archive.read(name) == note.charts[name]
            assert archive.read(name).startswith(PNG_MAGIC)


def test_without_a_calendar_the_note_says_so_and_draws_no_coordination_chart(tmp_path):
    files = {name: text for name, text in FILES.items() if name not in ("meetings.csv", "attendees.csv", "people.csv")}
    db = build_workspace(tmp_path, files, CONFIG)
    note = _note(db, d("2026-03-02"))
    lines = note.markdown.splitlines()
    start = lines.index("## Coordination")
    assert lines[start + 2] == (
        "- No calendar export was given (meetings and attendees), so coordination hours and cost are unknown."
    )
    assert not [line for line in lines if line.startswith(("- Attendee-hours", "- Cost"))]
    assert list(note.charts) == ["week-2026-03-02-status-grid.png", "week-2026-03-02-outcome.png"]


# The command line.


def _run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipelines.report", *args], cwd=ROOT, capture_output=True, text=True, env=env
    )


@pytest.fixture
def demo_copy(demo_db, tmp_path) -> Path:
    """A private copy of the demo build: the command line finds it current and reads it as it is."""
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, db)
    return db


def test_the_command_writes_the_demo_week_s_note_and_valid_pngs(demo_copy, tmp_path):
    out = tmp_path / "out"
    result = _run(str(DEMO), "--week", "2026-W24", "--out", str(out), "--db", str(demo_copy))
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == f"wrote {out / 'week-2026-06-08.md'} and 4 charts beside it\n"
    note = (out / "week-2026-06-08.md").read_text(encoding="utf-8")
    assert note.startswith("# Week commencing Monday 8 June 2026\n")
    (rate,) = query(demo_copy, "select rate from outcome_cohorts where cohort_week = '2026-06-08'")[0]
    assert f"- This week's cohort: **{rate * 100:.1f}%**" in note
    charts = sorted(p.name for p in out.glob("*.png"))
    assert charts == [
        "week-2026-06-08-coordination-cost.png",
        "week-2026-06-08-coordination-hours.png",
        "week-2026-06-08-outcome.png",
        "week-2026-06-08-status-grid.png",
    ]
    for name in charts:
        content = (out / name).read_bytes()
        assert content.startswith(PNG_MAGIC)
        assert len(content) > 10_000  # a drawn chart, not an empty canvas
        image = Image.open(io.BytesIO(content))
        image.load()  # every chunk decodes and every CRC holds
        assert image.width > 2 * 700  # 760 px of plot at scale 2, with its axis
        assert f"]({name})" in note


def test_an_iso_week_and_a_date_in_it_give_the_same_note(demo_copy, tmp_path):
    by_week, by_date = tmp_path / "by-week", tmp_path / "by-date"
    assert report.main([str(DEMO), "--week", "2026-W24", "--out", str(by_week), "--db", str(demo_copy)]) == 0
    assert report.main([str(DEMO), "--week", "2026-06-08", "--out", str(by_date), "--db", str(demo_copy)]) == 0
    files = sorted(p.name for p in by_week.iterdir())
    assert files == sorted(p.name for p in by_date.iterdir())
    assert "week-2026-06-08.md" in files
    for name in files:
        assert (by_week / name).read_bytes() == (by_date / name).read_bytes()


def test_a_week_outside_the_data_exits_2_with_one_line(demo_copy, tmp_path):
    first, last = query(demo_copy, "select min(week_start), max(week_start) from weeks")[0]
    result = _run(str(DEMO), "--week", "2027-W01", "--out", str(tmp_path / "out"), "--db", str(demo_copy))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"seams: --week 2027-W01 is outside the data: Northwind Cloud has the weeks commencing {first} to {last}\n"
    )
    assert not (tmp_path / "out").exists()


def test_a_week_that_is_neither_an_iso_week_nor_a_date_exits_2(demo_copy, tmp_path, capsys):
    assert report.main([str(DEMO), "--week", "2026-W54", "--out", str(tmp_path), "--db", str(demo_copy)]) == 2
    assert capsys.readouterr().err == "seams: --week 2026-W54: not an ISO week (2026-W14) or a date (2026-06-08)\n"


def test_a_workspace_that_cannot_be_built_exits_2_with_one_line(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = _run(str(empty), "--week", "2026-W10", "--out", str(tmp_path / "out"))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"seams: cannot build: {empty / 'seams.toml'}: no seams.toml in the workspace; "
        "create one (see DESIGN.md 'Contracts').\n"
    )
    assert not (empty / ".seams" / "seams.duckdb").exists()


def test_a_workspace_folder_that_does_not_exist_exits_2_and_is_not_created(tmp_path):
    missing = tmp_path / "no such workspace"
    result = _run(str(missing), "--week", "2026-W10", "--out", str(tmp_path / "out"))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"seams: cannot build: {missing}: not a folder; a workspace is a folder of exports with a seams.toml\n"
    )
    assert not missing.exists()


def test_the_command_builds_the_workspace_first_and_again_when_it_changed(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("SEAMS_DB", raising=False)
    workspace = make_workspace(tmp_path / "ws", FILES, CONFIG)
    args = [str(workspace), "--week", "2026-03-04", "--out", str(tmp_path / "out")]
    # No build yet: the app's file inside the workspace is built, then read.
    assert report.main(args) == 0
    assert (workspace / ".seams" / "seams.duckdb").exists()
    note = (tmp_path / "out" / "week-2026-03-02.md").read_text(encoding="utf-8")
    assert r"| Support | Tickets \[solved\] | 3 | at least 3 | green | +1 |" in note
    # One more ticket solved on Thursday 03-05: W1 has 4 -> +2 on W0's 2; the file changed, so it rebuilds.
    with open(workspace / "tickets.csv", "a", encoding="utf-8") as tickets:
        tickets.write("t8,2026-03-02T08:00:00Z,2026-03-05T10:00:00Z,solved\n")
    assert report.main(args) == 0
    note = (tmp_path / "out" / "week-2026-03-02.md").read_text(encoding="utf-8")
    assert r"| Support | Tickets \[solved\] | 4 | at least 3 | green | +2 |" in note
    assert capsys.readouterr().err == ""
