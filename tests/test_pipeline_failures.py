"""Workspaces that cannot be built (DESIGN.md "Build", "Inputs", "Paths"): exit status 2, one
readable line on stderr naming the file and what to fix, and the last good build left as it was.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from pipeline_helpers import build_workspace, csv, make_workspace, query, toml

from pipelines.build import build
from pipelines.config import WorkspaceError

ROOT = Path(__file__).resolve().parent.parent

GOOD = {
    "signups.csv": "user_id,signed_up_at\nu1,2026-03-02T09:00:00Z\n",
    "events.csv": "user_id,event,occurred_at\nu1,activated,2026-03-03T09:00:00Z\n",
}
CONFIG = toml(as_of="2026-03-31")


def run_build(workspace: Path, out: Path) -> subprocess.CompletedProcess:
    """The command line, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "pipelines.build", str(workspace), "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )


def cannot_build(workspace: Path, out: Path) -> str:
    """Run the command line on a broken workspace; return its one-line message."""
    result = run_build(workspace, out)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    return result.stderr.rstrip("\n")


def test_a_missing_required_column_leaves_the_last_good_build_as_it_was(tmp_path):
    out = tmp_path / "seams.duckdb"
    workspace = make_workspace(tmp_path / "ws", GOOD, CONFIG)
    assert run_build(workspace, out).returncode == 0
    before = out.read_bytes()
    (workspace / "signups.csv").write_text("user_id,created\nu1,2026-03-02T09:00:00Z\n")

    message = cannot_build(workspace, out)

    assert message == (
        "seams: cannot build: signups.csv: required column 'signed_up_at' of signups is missing "
        "(columns found: 'user_id', 'created'); add it or rename the header"
    )
    assert out.read_bytes() == before
    assert query(out, "select cohort_week::varchar, signups, activated from outcome_cohorts where signups > 0") == [
        ("2026-03-02", 1, 1),
    ]
    # No half-written file is left beside it.
    assert [p.name for p in tmp_path.iterdir() if ".tmp" in p.name or p.name.endswith(".wal")] == []


def test_a_missing_column_in_json_lines_is_named_too(tmp_path):
    files = {"signups.csv": GOOD["signups.csv"], "events.jsonl": '{"user_id": "u1", "occurred_at": "2026-03-03"}\n'}
    workspace = make_workspace(tmp_path / "ws", files, CONFIG)
    with pytest.raises(WorkspaceError) as error:
        build(workspace, tmp_path / "out.duckdb")
    assert str(error.value).startswith("events.jsonl: required column 'event' of events is missing")


@pytest.mark.parametrize(
    ("workspace_toml", "expected"),
    [
        (
            CONFIG.replace('name = "Test"', 'name = "Test"\ncolour = "blue"'),
            "[workspace]: unknown key 'colour'; expected one of: as_of, currency, name, start, timezone, week_start",
        ),
        (
            toml(timezone="Mars/Olympus_Mons"),
            "[workspace.timezone]: 'Mars/Olympus_Mons' is not an IANA time zone name (for example 'Europe/London')",
        ),
    ],
    ids=["unknown key", "bad timezone"],
)
def test_a_config_error_names_seams_toml_and_the_key(tmp_path, workspace_toml, expected):
    workspace = make_workspace(tmp_path / "ws", GOOD, workspace_toml)
    message = cannot_build(workspace, tmp_path / "out.duckdb")
    assert message == f"seams: cannot build: {workspace / 'seams.toml'} {expected}"
    assert not (tmp_path / "out.duckdb").exists()


def test_meetings_without_attendees_is_a_workspace_error(tmp_path):
    files = {**GOOD, "meetings.csv": "meeting_id,starts_at,ends_at\nm1,2026-03-02T10:00:00Z,2026-03-02T11:00:00Z\n"}
    workspace = make_workspace(tmp_path / "ws", files, CONFIG)
    message = cannot_build(workspace, tmp_path / "out.duckdb")
    assert message == (
        f"seams: cannot build: {workspace.resolve()}: meetings is given without attendees; meetings and attendees "
        "come as a pair (add attendees.csv, or remove meetings.csv)"
    )


def test_two_canonical_files_for_one_table_is_an_error_unless_sources_names_one(tmp_path):
    files = {**GOOD, "signups.jsonl": '{"user_id": "u2", "signed_up_at": "2026-03-09"}\n'}
    workspace = make_workspace(tmp_path / "ws", files, CONFIG)
    message = cannot_build(workspace, tmp_path / "out.duckdb")
    assert message == (
        f"seams: cannot build: {workspace.resolve()}: signups.csv and signups.jsonl both hold signups; keep one, "
        "or name the one to read in [sources] of seams.toml"
    )
    # Named in [sources], the other file is left alone.
    (workspace / "seams.toml").write_text(CONFIG + '\n[sources]\nsignups = "signups.jsonl"\n')
    assert run_build(workspace, tmp_path / "out.duckdb").returncode == 0
    assert query(tmp_path / "out.duckdb", "select user_id from stg_signups") == [("u2",)]


def test_a_file_of_which_no_row_survives_fails_naming_its_reasons(tmp_path):
    files = {
        "signups.csv": csv("""
            user_id,signed_up_at
            u1,2026-02-30
            u2,yesterday
            ,2026-03-02
            """),
        "events.csv": GOOD["events.csv"],
    }
    workspace = make_workspace(tmp_path / "ws", files, CONFIG)
    message = cannot_build(workspace, tmp_path / "out.duckdb")
    # 3 rows: 2 bad date-times, 1 missing user_id; the most common reason first.
    assert message == (
        "seams: cannot build: signups.csv: none of its 3 rows could be read (not a date-time (expected ISO 8601 "
        "such as 2026-03-02T09:30:00Z, a date, or epoch seconds) (2 rows); missing required value (1 rows)); "
        "fix the file and build again — the previous build keeps serving"
    )


def test_a_sources_path_outside_the_workspace_is_refused(tmp_path):
    (tmp_path / "x.csv").write_text(GOOD["signups.csv"])
    files = {"events.csv": GOOD["events.csv"]}
    workspace = make_workspace(tmp_path / "ws", files, CONFIG + '\n[sources]\nsignups = "../x.csv"\n')
    message = cannot_build(workspace, tmp_path / "out.duckdb")
    assert message == (
        f"seams: cannot build: {workspace.resolve() / 'seams.toml'} [sources] signups: '../x.csv' must be a file "
        "name or glob inside the workspace"
    )


@pytest.mark.parametrize("named_in_sources", [False, True], ids=["canonical name", "named in sources"])
def test_a_link_that_resolves_outside_the_workspace_is_refused(tmp_path, named_in_sources):
    outside = tmp_path / "outside.csv"
    outside.write_text(GOOD["signups.csv"])
    extra = '\n[sources]\nsignups = "link.csv"\n' if named_in_sources else ""
    workspace = make_workspace(tmp_path / "ws", {"events.csv": GOOD["events.csv"]}, CONFIG + extra)
    link = workspace / ("link.csv" if named_in_sources else "signups.csv")
    link.symlink_to(outside)
    message = cannot_build(workspace, tmp_path / "out.duckdb")
    assert message == (
        f"seams: cannot build: {link}: resolves outside the workspace ({outside.resolve()}); "
        f"only files inside {workspace.resolve()} are read"
    )


def test_file_names_with_spaces_quotes_and_non_ascii_letters_work_via_sources(tmp_path):
    name = "Sign ups 'Q1' \"export\" café.csv"
    folder = "Ünïcode folder"
    config = CONFIG + f'\n[sources]\nsignups = "{name.replace(chr(34), chr(92) + chr(34))}"\n'
    config += f"events = '{folder}/évents*.csv'\n"
    files = {name: GOOD["signups.csv"], f"{folder}/évents 1.csv": GOOD["events.csv"]}
    db = build_workspace(tmp_path, files, config)
    assert query(db, "select file, table_name, rows_read, rows_loaded from sources order by table_name") == [
        (f"{folder}/évents 1.csv", "events", 1, 1),
        (name, "signups", 1, 1),
    ]
    assert query(db, "select cohort_week::varchar, signups, activated from outcome_cohorts where signups > 0") == [
        ("2026-03-02", 1, 1),
    ]


def test_a_successful_build_says_what_it_built(tmp_path):
    workspace = make_workspace(tmp_path / "ws", GOOD, CONFIG)
    result = run_build(workspace, tmp_path / "out.duckdb")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"built {tmp_path / 'out.duckdb'} (build ")
    assert result.stdout.endswith("; 0 rows rejected\n")
    con = duckdb.connect(str(tmp_path / "out.duckdb"), read_only=True)
    assert con.execute("select count(*) from build_info").fetchall() == [(1,)]
    con.close()


def test_only_table_dot_format_is_a_canonical_name(tmp_path):
    # DESIGN.md "File names": TABLE.csv, TABLE.parquet, TABLE.jsonl or TABLE.ndjson, optionally .gz.
    # signups.old.csv and signups.2026-02.csv are not such names: they are left alone, not a second
    # signups file (a careful analyst keeps old exports beside the current one).
    files = {
        **GOOD,
        "signups.old.csv": "user_id,signed_up_at\nold,2026-02-02T09:00:00Z\n",
        "signups.2026-02.csv": "user_id,signed_up_at\nfeb,2026-02-09T09:00:00Z\n",
        "events.ndjson.gz.bak": "not an export",
    }
    db = build_workspace(tmp_path, files, CONFIG)
    assert query(db, "select file, table_name from sources order by 1") == [
        ("events.csv", "events"),
        ("signups.csv", "signups"),
    ]


def test_a_sources_name_with_glob_characters_names_that_file(tmp_path):
    config = CONFIG + '\n[sources]\nsignups = "export [1].csv"\n'
    db = build_workspace(tmp_path, {"export [1].csv": GOOD["signups.csv"], "events.csv": GOOD["events.csv"]}, config)
    assert query(db, "select file, rows_loaded from sources where table_name = 'signups'") == [("export [1].csv", 1)]
