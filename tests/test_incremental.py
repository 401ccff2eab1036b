"""Rebuilding what changed (pipelines/stage_cache.py) and building within a memory limit.

A rebuild takes each table whose exports did not change from its staged entry beside the built file,
and must give exactly what a full build of the same files gives: every table of the outcome view,
rejects and sources included (build_info aside: its id and times are the build's own).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest
from pipeline_helpers import csv, make_workspace, query, toml

from pipelines import build as build_module
from pipelines import demo, stage_cache
from pipelines.build import MODEL_ORDER, build
from pipelines.config import WorkspaceError

ROOT = Path(__file__).resolve().parent.parent
ALL_TABLES = ("signups", "events", "tickets", "meetings", "attendees", "people")

SUPPORT = """
[[functions]]
name = "Support"
kpi = "Tickets solved"
table = "tickets"
date_column = "solved_at"
measure = "count"
where = { status = "solved" }
target = 2
direction = "higher"
amber_band = 0.10
"""
CONFIG = toml(as_of="2026-03-31", extra=SUPPORT)
FILES = {
    "signups.csv": csv("""
        user_id,signed_up_at
        u1,2026-03-02T09:00:00Z
        u2,2026-03-02T10:00:00Z
        u3,2026-03-03T09:00:00Z
        u4,2026-03-04T09:00:00Z
    """),
    "events.csv": csv("""
        user_id,event,occurred_at
        u1,activated,2026-03-05T09:00:00Z
        u2,activated,2026-03-06T09:00:00Z
        u3,viewed,2026-03-06T09:00:00Z
    """),
    # t4 is a reject (its created_at is no date-time): rejects must match after a rebuild too.
    "tickets.csv": csv("""
        ticket_id,created_at,solved_at,status
        t1,2026-03-02T09:00:00Z,2026-03-03T09:00:00Z,solved
        t2,2026-03-02T09:00:00Z,2026-03-04T09:00:00Z,solved
        t3,2026-03-02T09:00:00Z,,open
        t4,soon,,open
    """),
    "meetings.csv": csv("""
        meeting_id,starts_at,ends_at,title
        m1,2026-03-03T10:00:00Z,2026-03-03T11:00:00Z,Sync
        m2,2026-03-04T10:00:00Z,2026-03-04T10:30:00Z,Review
    """),
    # m3 is an orphan: an attendee of a meeting that does not exist.
    "attendees.csv": csv("""
        meeting_id,email,response
        m1,a@x.com,accepted
        m1,b@x.com,accepted
        m2,a@x.com,accepted
        m3,a@x.com,accepted
    """),
    "people.csv": csv("""
        email,function,hourly_cost
        a@x.com,Support,100
        b@x.com,Sales,50
    """),
}
SUPPORT_SQL = "select week_start::varchar, value from function_weekly where function = 'Support' order by 1"


def outcome_view(db: Path) -> dict[str, list[tuple]]:
    """Every table of a built file but build_info, each as its rows in a fixed order, as text.

    Doubles are compared to 12 significant digits: a correlation summed by DuckDB's parallel
    aggregate differs in its last bits from run to run (two full builds differ as much)."""
    with duckdb.connect(str(db), read_only=True) as con:
        names = [r[0] for r in con.execute("select table_name from duckdb_tables() order by 1").fetchall()]
        view = {}
        for name in [n for n in names if n != "build_info"]:
            columns = con.execute(f"describe {name}").fetchall()
            text = ", ".join(
                f"printf('%.12g', \"{c[0]}\")" if c[1] in ("DOUBLE", "FLOAT") else f"\"{c[0]}\"::varchar"
                for c in columns
            )
            view[name] = con.execute(f"select {text} from {name} order by all").fetchall()
            view[f"{name} columns"] = [(c[0], c[1]) for c in columns]  # staged rows keep their types
        return view


def full_build(workspace: Path, out: Path) -> dict[str, list[tuple]]:
    """A build with nothing staged: into a new folder."""
    assert not stage_cache.stage_dir(out).exists()
    result = build(workspace, out)
    assert result.reused == ()
    return outcome_view(out)


def append(path: Path, line: str):
    with open(path, "a", encoding="utf-8", newline="") as handle:
        handle.write(line)


def entries(out: Path) -> list[str]:
    return sorted(p.name for p in stage_cache.stage_dir(out).iterdir())


def snapshot(folder: Path) -> dict:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def built(tmp_path):
    """The fixture workspace, built once: (workspace, served file)."""
    workspace = make_workspace(tmp_path / "ws", FILES, CONFIG)
    out = tmp_path / "out" / "seams.duckdb"
    assert build(workspace, out).reused == ()
    return workspace, out


def test_a_rebuild_after_one_export_changes_reads_only_that_export_and_equals_a_full_build(built, tmp_path):
    workspace, out = built
    # W 2026-03-02: t1 and t2 solved -> 2.
    assert query(out, SUPPORT_SQL)[0] == ("2026-03-02", 2.0)
    append(workspace / "tickets.csv", "t5,2026-03-02T09:00:00Z,2026-03-05T09:00:00Z,solved\n")

    result = build(workspace, out)

    assert set(result.reused) == set(ALL_TABLES) - {"tickets"}
    assert "read/tickets" in result.model_seconds and "read/events" not in result.model_seconds
    # Only the models downstream of tickets ran again (pipelines/model_plan.py); the rest, sign-ups,
    # events and meetings among them, came with the copy of the last build. `weeks` reads the KPI rows
    # and ran, but gave the same weeks, so the cohorts that read it did not run.
    ran = {step.removeprefix("model/") for step in result.model_seconds if step.startswith("model/")}
    assert {"stg_tickets", "function_rows", "function_weekly", "signature_weekly", "weeks"} <= ran
    assert not ran & {"stg_signups", "stg_events", "signup_outcomes", "outcome_cohorts", "stg_meetings"}
    # W 2026-03-02: t1, t2 and the new t5 solved -> 3.
    assert query(out, SUPPORT_SQL)[0] == ("2026-03-02", 3.0)
    assert outcome_view(out) == full_build(workspace, tmp_path / "full" / "seams.duckdb")
    # The staged rows were views over their entries: none is left in the built file.
    assert query(out, "select count(*) from duckdb_views() where not internal") == [(0,)]
    # t4's reject and m3's orphan came from staged entries (tickets was read again, attendees reused).
    assert query(out, "select file, line, \"column\" from rejects order by file") == [
        ("attendees.csv", 5, "meeting_id"),
        ("tickets.csv", 5, "created_at"),
    ]


def test_a_new_ticket_that_moves_the_first_week_runs_the_outcome_models_again(built, tmp_path):
    workspace, out = built
    # Solved in the week of 2026-02-16, two weeks before the first sign-up: the weeks shown now start
    # there, so every model reading `weeks` (the cohorts among them) must run again.
    append(workspace / "tickets.csv", "t6,2026-02-16T09:00:00Z,2026-02-17T09:00:00Z,solved\n")

    result = build(workspace, out)

    ran = {step.removeprefix("model/") for step in result.model_seconds if step.startswith("model/")}
    assert {"weeks", "signup_outcomes", "outcome_cohorts", "coordination_weekly"} <= ran
    assert not ran & {"stg_signups", "stg_events", "stg_meetings"}
    assert query(out, "select min(week_start)::varchar from weeks") == [("2026-02-16",)]
    assert outcome_view(out) == full_build(workspace, tmp_path / "full" / "seams.duckdb")


def test_the_demo_rebuilt_after_a_new_ticket_equals_its_full_build(tmp_path):
    workspace = tmp_path / "demo"
    shutil.copytree(ROOT / "data" / "demo", workspace)
    out = tmp_path / "out" / "seams.duckdb"
    build(workspace, out)
    week_sql = "select value from function_weekly where function = 'Support' and week_start = '2026-10-05'"
    (before,) = query(out, week_sql)[0]
    append(workspace / "tickets.csv", "999999,2026-10-05T10:00:00Z,2026-10-06T10:00:00Z,Solved,,sso,normal\n")

    result = build(workspace, out)

    tables = {p.name.split(".")[0] for p in workspace.iterdir() if p.suffix == ".csv"}
    assert set(result.reused) == tables - {"tickets"}
    # One more ticket solved in the week of 2026-10-05 -> one more than before.
    assert query(out, week_sql) == [(before + 1,)]
    rebuilt = outcome_view(out)
    assert rebuilt == full_build(workspace, tmp_path / "full" / "seams.duckdb")
    assert rebuilt["rejects"]  # the demo's planted faults are among what the rebuild took from its stage


def test_a_changed_byte_is_read_again_even_with_the_same_size_and_time(built, tmp_path):
    workspace, out = built
    tickets = workspace / "tickets.csv"
    stat = tickets.stat()
    # t2 solved a week later: the same number of bytes, and the time is put back as it was.
    tickets.write_text(tickets.read_text().replace("2026-03-04T09:00:00Z,solved", "2026-03-11T09:00:00Z,solved"))
    os.utime(tickets, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert (tickets.stat().st_size, tickets.stat().st_mtime_ns) == (stat.st_size, stat.st_mtime_ns)

    result = build(workspace, out)

    assert "tickets" not in result.reused
    # W 2026-03-02: t1 -> 1; W 2026-03-09: t2 -> 1.
    assert query(out, SUPPORT_SQL)[:2] == [("2026-03-02", 1.0), ("2026-03-09", 1.0)]
    assert outcome_view(out) == full_build(workspace, tmp_path / "full" / "seams.duckdb")


def test_a_change_to_meetings_reads_attendees_again_for_their_orphans(built, tmp_path):
    workspace, out = built
    # m2 is gone: its attendee becomes an orphan, as m3's is.
    (workspace / "meetings.csv").write_text(
        "meeting_id,starts_at,ends_at,title\nm1,2026-03-03T10:00:00Z,2026-03-03T11:00:00Z,Sync\n"
    )

    result = build(workspace, out)

    assert set(result.reused) == set(ALL_TABLES) - {"meetings", "attendees"}
    assert query(out, "select line, value from rejects where file = 'attendees.csv' order by line") == [
        (4, "m2"),
        (5, "m3"),
    ]
    assert outcome_view(out) == full_build(workspace, tmp_path / "full" / "seams.duckdb")


def test_a_config_change_reads_again_only_when_it_reaches_reading(built, tmp_path):
    workspace, out = built
    config = workspace / "seams.toml"
    # A KPI target changes no row read: everything is reused, but every model runs again, since the
    # config is one of their inputs.
    config.write_text(CONFIG.replace("target = 2\n", "target = 3\n"))
    result = build(workspace, out)
    assert set(result.reused) == set(ALL_TABLES)
    assert {f"model/{name.split('/')[-1]}" for name in MODEL_ORDER} <= set(result.model_seconds)
    assert query(out, "select distinct target from function_weekly where function = 'Support'") == [(3.0,)]
    # The zone reads every naive timestamp differently: everything is read again.
    config.write_text(toml(timezone="America/New_York", as_of="2026-03-31", extra=SUPPORT))
    assert build(workspace, out).reused == ()
    assert outcome_view(out) == full_build(workspace, tmp_path / "full" / "seams.duckdb")


def test_each_table_keeps_one_entry_and_stale_ones_are_pruned(built):
    workspace, out = built
    first = entries(out)
    assert [name.split("-")[0] for name in first] == sorted(ALL_TABLES)
    # A pending folder of a build that was killed goes with the next good build.
    (stage_cache.stage_dir(out) / "pending-0123456789ab").mkdir()
    append(workspace / "tickets.csv", "t5,2026-03-02T09:00:00Z,,open\n")

    build(workspace, out)

    second = entries(out)
    assert [name.split("-")[0] for name in second] == sorted(ALL_TABLES)
    assert set(first) - set(second) == {next(n for n in first if n.startswith("tickets-"))}


def test_a_failed_build_leaves_no_staged_table_a_later_build_would_trust(built, monkeypatch, tmp_path):
    workspace, out = built
    before = snapshot(out.parent)
    append(workspace / "tickets.csv", "t5,2026-03-02T09:00:00Z,2026-03-05T09:00:00Z,solved\n")

    def fail(*_args):
        raise RuntimeError("disk full")

    # Fails after every table is read and staged, before the file is swapped in.
    monkeypatch.setattr(build_module, "_run_models", fail)
    with pytest.raises(RuntimeError):
        build(workspace, out)
    after = snapshot(out.parent)
    history = "seams.builds/history.jsonl"
    assert {k: v for k, v in after.items() if k != history} == {k: v for k, v in before.items() if k != history}
    monkeypatch.undo()

    result = build(workspace, out)

    assert "tickets" not in result.reused
    assert outcome_view(out) == full_build(workspace, tmp_path / "full" / "seams.duckdb")


def test_a_first_build_that_fails_leaves_no_stage_folder(tmp_path):
    files = dict(FILES, **{"signups.csv": "user_id,signed_up_at\nu1,soon\n"})
    workspace = make_workspace(tmp_path / "ws", files, CONFIG)
    out = tmp_path / "out" / "seams.duckdb"
    with pytest.raises(WorkspaceError):
        build(workspace, out)
    assert not stage_cache.stage_dir(out).exists()


def test_csv_and_parquet_exports_of_the_same_generated_data_give_identical_marts(tmp_path):
    marts = [model.split("/")[1] for model in MODEL_ORDER if model.startswith("marts/")]
    views = {}
    for fmt in ("csv", "parquet"):
        demo.generate(tmp_path / fmt, scale=0.002, fmt=fmt, weeks=12)
        build(tmp_path / fmt, tmp_path / f"{fmt}.duckdb")
        view = outcome_view(tmp_path / f"{fmt}.duckdb")
        views[fmt] = {name: rows for name, rows in view.items() if name in marts}
    assert sorted(views["csv"]) == sorted(marts)
    assert views["csv"] == views["parquet"]
    assert views["csv"]["outcome_cohorts"]


def test_the_build_works_within_a_memory_limit_and_spills_beside_its_output(built, monkeypatch):
    workspace, out = built
    seen = {}
    real_connect = build_module.connect

    def connect(path, settings=None):
        con = real_connect(path, settings)
        seen["memory_limit"], seen["temp_directory"] = con.execute(
            "select current_setting('memory_limit'), current_setting('temp_directory')"
        ).fetchall()[0]
        return con

    monkeypatch.setenv("SEAMS_MEMORY_LIMIT", "256MB")
    monkeypatch.setattr(build_module, "connect", connect)
    build(workspace, out)

    assert seen["memory_limit"] == "244.1 MiB"  # 256 MB = 256,000,000 bytes = 244.1 MiB
    spill = Path(seen["temp_directory"])
    assert spill.parent == out.parent and not spill.exists()


def test_a_build_with_no_room_to_spill_fails_with_the_fix_and_the_last_build_keeps_serving(tmp_path, monkeypatch):
    workspace = tmp_path / "demo"
    shutil.copytree(ROOT / "data" / "demo", workspace)
    out = tmp_path / "out" / "seams.duckdb"
    first = build(workspace, out)
    served = out.read_bytes()
    # A disk with 1 MB free beside the output, as DuckDB sees it, and a limit the demo cannot fit in.
    real_connect = build_module.connect

    def connect(path, settings=None):
        return real_connect(path, {**settings, "max_temp_directory_size": "1MB"})

    monkeypatch.setattr(build_module, "connect", connect)
    monkeypatch.setenv("SEAMS_MEMORY_LIMIT", "24MB")
    append(workspace / "tickets.csv", "999999,2026-10-05T10:00:00Z,2026-10-06T10:00:00Z,Solved,,sso,normal\n")

    with pytest.raises(WorkspaceError) as error:
        build(workspace, out)

    assert str(error.value) == (
        f"{workspace}: the build needed more than its memory limit (24MB) and the disk holding {out.parent} had no "
        "room left to spill to; free disk space there, or raise SEAMS_MEMORY_LIMIT (for example 8GB or 60%), and "
        "build again — the previous build keeps serving"
    )
    assert out.read_bytes() == served
    assert query(out, "select build_id from build_info") == [(first.build_id,)]


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("8GB", "8GB"),
        ("512 MiB", "512 MiB"),
        ("50%", "half"),
        (None, "default"),
    ],
)
def test_the_memory_limit_comes_from_the_environment_or_the_machine(monkeypatch, setting, expected):
    machine = build_module._machine_memory()
    if setting is None:
        monkeypatch.delenv("SEAMS_MEMORY_LIMIT", raising=False)
    else:
        monkeypatch.setenv("SEAMS_MEMORY_LIMIT", setting)
    # The default: 1.5 GiB, or 60% of a machine with less than 2.5 GiB.
    shares = {"half": f"{int(machine * 0.5) >> 20}MiB", "default": f"{min(int(machine * 0.6) >> 20, 1536)}MiB"}
    assert build_module.memory_limit() == shares.get(expected, expected)


def test_a_memory_limit_that_is_not_a_size_is_refused_with_the_fix(monkeypatch):
    monkeypatch.setenv("SEAMS_MEMORY_LIMIT", "lots")
    with pytest.raises(WorkspaceError) as error:
        build_module.memory_limit()
    assert str(error.value) == (
        "SEAMS_MEMORY_LIMIT='lots': expected a size such as 8GB or 512MiB, or a share of memory such as 50%"
    )


def test_a_calendar_without_as_of_is_keyed_on_sign_ups_and_events_it_expands_to(tmp_path):
    calendar = (
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:daily\r\nDTSTART:20260302T090000Z\r\nDTEND:20260302T093000Z\r\n"
        "RRULE:FREQ=DAILY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    files = {name: FILES[name] for name in ("signups.csv", "events.csv", "people.csv")} | {"cal.ics": calendar}
    workspace = make_workspace(tmp_path / "ws", files, toml())
    out = tmp_path / "out" / "seams.duckdb"
    build(workspace, out)
    # The latest event is 03-06 09:00 UTC, the end of the series (an instance at it is after it):
    # daily 09:00 instances 03-02..03-05 -> 4.
    assert query(out, "select count(*) from stg_meetings") == [(4,)]

    # A changed people file changes nothing the calendar is read from: it is reused.
    append(workspace / "people.csv", "c@x.com,Design,80\n")
    assert set(build(workspace, out).reused) == {"signups", "events", "meetings", "attendees"}

    # A later event moves the end of the series: the calendar is read again, and the sign-ups and
    # events it is expanded against with it (people are reused).
    append(workspace / "events.csv", "u3,viewed,2026-03-08T12:00:00Z\n")
    result = build(workspace, out)
    assert result.reused == ("people",)
    # The end is 03-08 12:00: instances 03-02..03-08 -> 7.
    assert query(out, "select count(*) from stg_meetings") == [(7,)]
    assert outcome_view(out) == full_build(workspace, tmp_path / "full-1" / "seams.duckdb")

    # A changed calendar is expanded against raw sign-ups and events: those are read again with it.
    (workspace / "cal.ics").write_text(calendar.replace("UID:daily", "UID:daily-sync"))
    result = build(workspace, out)
    assert result.reused == ("people",)
    assert query(out, "select distinct series_id from stg_meetings") == [("daily-sync",)]
    assert outcome_view(out) == full_build(workspace, tmp_path / "full-2" / "seams.duckdb")


def test_an_export_that_changes_while_it_is_read_is_not_staged(built, monkeypatch):
    workspace, out = built
    append(workspace / "tickets.csv", "t5,2026-03-02T09:00:00Z,,open\n")
    real_validate = build_module._validate_all

    def validate_then_export_again(*args, **kwargs):
        real_validate(*args, **kwargs)
        # The support tool writes its next export while the build is running.
        append(workspace / "tickets.csv", "t6,2026-03-02T09:00:00Z,,open\n")

    monkeypatch.setattr(build_module, "_validate_all", validate_then_export_again)
    build(workspace, out)
    monkeypatch.undo()
    assert not any(name.startswith("tickets-") for name in entries(out))

    result = build(workspace, out)

    assert "tickets" not in result.reused
    # t1..t6, t4 rejected -> 5 tickets staged.
    assert query(out, "select count(*) from stg_tickets") == [(5,)]
