"""The Spark engine (issue 6): the hand-worked workspaces and the demo, built with DuckDB and with Spark
(local[2]), hold the same tables, columns and rows; the app opens a Spark build's folder and shows
the same Overview.

Spark runs the same model files, translated in one place (pipelines/engines/spark_sql.py); reading
and validating stay in DuckDB in both builds.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from pipeline_helpers import csv, d, make_workspace, toml
from streamlit.testing.v1 import AppTest
from test_pipeline_cohorts import COHORTS
from test_pipeline_coordination import CONFIG as COORDINATION_CONFIG
from test_pipeline_coordination import COORDINATION
from test_pipeline_functions import FUNCTIONS, KPIS
from test_pipeline_time import TIME_FORMATS

from pipelines import build as duckdb_build
from pipelines import query, spark_build
from pipelines.config import WorkspaceError
from pipelines.engines import spark as spark_engine
from pipelines.engines import spark_sql

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "demo"

# The hand-worked workspaces of the pipeline tests: time zones and clock changes, cohorts,
# coordination and function KPIs.
WORKSPACES = {
    # Offsets, epochs, naive local times on both sides of the March clock change (Europe/London).
    "time_formats": (TIME_FORMATS, toml(as_of="2026-04-15")),
    # The same with Sunday weeks, and a cohort that matures exactly at as_of across the clock change.
    "dst_sunday_maturity": (TIME_FORMATS, toml(as_of="2026-05-04", week_start="sunday")),
    "cohorts": (COHORTS, toml(timezone="UTC", as_of="2026-02-17")),
    "coordination": (COORDINATION, COORDINATION_CONFIG),
    "functions": (KPIS, toml(timezone="UTC", as_of="2026-01-21", extra=FUNCTIONS)),
}
# Hand-worked rows that the Spark build must hold (beyond being the DuckDB build's).
PINNED = {
    "dst_sunday_maturity": (
        "select cohort_week, signups, mature, mature_on from outcome_cohorts where cohort_week >= ? order by 1",
        [d("2026-03-22")],
        [
            # space_offset; Sunday 03-29 00:00 GMT (00:00 UTC) + 720 h = 04-28 00:00 UTC = 01:00 BST.
            (d("2026-03-22"), 1, True, d("2026-04-28")),
            # first_bst_monday. Sunday 04-05 00:00 BST = 04-04 23:00 UTC, + 720 h = 05-04 23:00 UTC =
            # 05-05 00:00 BST, the end of as_of 2026-05-04: mature exactly then (an hour off either
            # way, as with local midnight read as UTC, would leave it provisional).
            (d("2026-03-29"), 1, True, d("2026-05-05")),
            (d("2026-04-05"), 1, False, d("2026-05-12")),  # naive_local
            (d("2026-04-12"), 1, False, d("2026-05-19")),  # epoch_millis
            (d("2026-04-19"), 0, False, d("2026-05-26")),
            (d("2026-04-26"), 0, False, d("2026-06-02")),
            (d("2026-05-03"), 0, False, d("2026-06-09")),  # the week of as_of (Monday 05-04)
        ],
    ),
    "cohorts": (
        "select cohort_week, signups, activated, mature from outcome_cohorts where signups > 0 order by 1",
        [],
        # test_pipeline_cohorts: 4 of 7, 1 of 2 (just mature), 1 of 1 (provisional).
        [(d("2026-01-05"), 7, 4, True), (d("2026-01-12"), 2, 1, True), (d("2026-01-19"), 1, 1, False)],
    ),
}

# Columns that say when and how a build ran, never what the data are: each build has its own.
# models_key is what a DuckDB rebuild may reuse (pipelines/model_plan.py); a Spark build has none.
BUILD_COLUMNS = {"build_info": {"build_id", "built_at", "duration_seconds", "models_key"}}
# Column types that differ only in width between the engines: DuckDB sums integers into a HUGEINT
# and numbers rows as BIGINT, Spark into BIGINT and INTEGER. Values compare equal.
_INTEGERS = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT"}


@pytest.fixture(scope="session")
def spark():
    session = spark_engine.session("local[2]")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def demo_spark(spark, tmp_path_factory) -> Path:
    """The demo workspace built on Spark once per test session."""
    out = tmp_path_factory.mktemp("demo-spark") / "seams-spark"
    spark_build.build(DEMO, out, spark=spark)
    return out


def _both(tmp_path: Path, workspace: Path, capsys) -> tuple[Path, Path]:
    """Build `workspace` with DuckDB, and on Spark through the build command (local[2]: the test
    session's Spark, already running, is the one it gets)."""
    db, folder = tmp_path / "duckdb.duckdb", tmp_path / "spark"
    duckdb_build.build(workspace, db)
    assert duckdb_build.main([str(workspace), "--engine", "spark", "--out", str(folder), "--master", "local[2]"]) == 0
    assert f"built {folder.resolve()} (build " in capsys.readouterr().out
    assert folder.is_dir()
    return db, folder


def _family(data_type: str) -> str:
    return "integer" if data_type in _INTEGERS else data_type


def _difference(db: Path, folder: Path) -> dict[str, str]:
    """Per table, what differs between the DuckDB file and the Spark folder: the tables, their
    columns and types, and rows (`except all` both ways, floats rounded to 12 digits)."""
    con = query.attach(str(folder))  # the Spark build as the app reads it: catalog `seams`
    con.execute("attach ? as duck (read_only)", [str(db)])
    columns = con.execute(
        """select database_name, table_name, column_name, data_type from duckdb_columns()
        where database_name in ('duck', 'seams') order by column_index"""
    ).fetchall()
    tables: dict[str, dict[str, list]] = {"duck": {}, "seams": {}}
    for database, table, column, data_type in columns:
        tables[database].setdefault(table, []).append((column, _family(data_type)))
    differences = {}
    for name in sorted(set(tables["duck"]) | set(tables["seams"])):
        duck, spark = tables["duck"].get(name), tables["seams"].get(name)
        if duck != spark:
            differences[name] = f"columns: DuckDB {duck}, Spark {spark}"
            continue
        compared = [
            f"round({column}, 12)" if data_type in ("DOUBLE", "FLOAT") else f'"{column}"'
            for column, data_type in duck
            if column not in BUILD_COLUMNS.get(name, ())
        ]
        select = ", ".join(compared)
        only = [
            con.execute(
                f"select count(*) from (select {select} from {a}.main.{name} except all "
                f"select {select} from {b}.main.{name})"
            ).fetchone()[0]
            for a, b in (("duck", "seams"), ("seams", "duck"))
        ]
        if any(only):
            differences[name] = f"rows only in DuckDB: {only[0]}, only in Spark: {only[1]}"
    con.close()
    return differences


@pytest.mark.parametrize("name", list(WORKSPACES))
def test_spark_builds_the_same_tables_as_duckdb(tmp_path, spark, capsys, name):
    files, config = WORKSPACES[name]
    db, folder = _both(tmp_path, make_workspace(tmp_path / "ws", files, config), capsys)
    assert _difference(db, folder) == {}
    cur = query.cursor_of(query.attach(str(folder)))
    views = cur.execute("select view_name from duckdb_views() where database_name = 'seams'").fetchall()
    tables = {row[0] for row in views}
    # Every table of the outcome view (DESIGN.md "Contracts") is there.
    assert {"function_weekly", "outcome_cohorts", "coordination_weekly", "signature_weekly", "build_info"} <= tables
    assert cur.execute("select count(*) from outcome_cohorts").fetchone()[0] > 0
    if name in PINNED:
        sql, params, rows = PINNED[name]
        assert cur.execute(sql, params).fetchall() == rows


def test_spark_builds_the_demo_with_the_same_marts_as_duckdb(demo_db, demo_spark):
    assert _difference(demo_db, demo_spark) == {}


def test_a_failed_spark_build_leaves_the_last_good_folder_as_it_was(tmp_path, spark, demo_spark):
    out = tmp_path / "served"
    shutil.copytree(demo_spark, out)
    before = sorted((p.relative_to(out), p.stat().st_size) for p in out.rglob("*"))
    bad = make_workspace(
        tmp_path / "bad",
        {"signups.csv": csv("user_id,signed_up_at\nu1,not a time\n"), "events.csv": "user_id,event,occurred_at\n"},
        toml(),
    )
    with pytest.raises(WorkspaceError, match="signups.csv: none of its 1 rows could be read"):
        spark_build.build(bad, out, spark=spark)
    assert sorted((p.relative_to(out), p.stat().st_size) for p in out.rglob("*")) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("served.")] == ["served.lock"]


def test_a_spark_build_that_fails_in_spark_leaves_the_last_good_folder(tmp_path, spark, demo_spark, monkeypatch):
    out = tmp_path / "served"
    shutil.copytree(demo_spark, out)
    before = sorted((p.relative_to(out), p.stat().st_size) for p in out.rglob("*"))
    files, config = WORKSPACES["cohorts"]
    translated = spark_build._translated

    def failing(model, tables):
        # A model Spark cannot run, half way through the models.
        return "select no_such_column from weeks" if model.name == "outcome_cohorts" else translated(model, tables)

    monkeypatch.setattr(spark_build, "_translated", failing)
    with pytest.raises(Exception, match="no_such_column"):
        spark_build.build(make_workspace(tmp_path / "ws", files, config), out, spark=spark)
    assert sorted((p.relative_to(out), p.stat().st_size) for p in out.rglob("*")) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("served.")] == ["served.lock"]


def _overview(monkeypatch, workspace: Path, db: Path) -> AppTest:
    monkeypatch.setenv("SEAMS_WORKSPACE", str(workspace))
    monkeypatch.setenv("SEAMS_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["week"] = "2026-06-08"  # a signature week of the demo
    at.run()
    assert not at.exception
    return at


def test_the_app_opens_a_spark_build_and_shows_the_same_overview(monkeypatch, tmp_path, demo_db, demo_spark):
    duck_db, spark_dir = tmp_path / "seams.duckdb", tmp_path / "seams-spark"
    shutil.copy(demo_db, duck_db)
    shutil.copytree(demo_spark, spark_dir)
    expected = _overview(monkeypatch, DEMO, duck_db)
    shown = _overview(monkeypatch, DEMO, spark_dir)
    assert shown.title[0].value == expected.title[0].value == "Week commencing Monday 8 June 2026"
    # The headline: the signature banner with the outcome rate and the stall streak.
    assert "Signature this week" in shown.error[0].value
    assert shown.error[0].value == expected.error[0].value
    assert [(m.label, m.value) for m in shown.metric] == [(m.label, m.value) for m in expected.metric]
    assert len(shown.metric) > 0


# --- the translation itself, on its own ----------------------------------------------------------


def _duckdb_and_spark(spark, sql: str, params=()) -> tuple[list, list]:
    """Rows of a DuckDB query (macros loaded) and of its translation run on Spark."""
    con = duckdb_build.connect()
    try:
        duck = con.execute(sql, list(params)).fetchall()
    finally:
        con.close()
    session = spark_engine.isolated(spark)
    return duck, [tuple(row) for row in session.sql(spark_sql.to_spark(sql, params)).collect()]


def test_timezone_converts_instants_and_wall_clock_times_both_ways(spark):
    sql = """select
        cast(timezone('Europe/London', timestamptz '2026-03-29 00:30:00+00') as varchar),
        cast(timezone('Europe/London', timestamptz '2026-03-29 01:30:00+00') as varchar),
        epoch(timezone('Europe/London', timestamp '2026-07-01 09:30:00')),
        epoch(local_to_instant(timestamp '2026-10-25 01:30:00', 'Europe/London')),
        epoch(local_to_instant(timestamp '2026-03-29 01:30:00', 'Europe/London')),
        isodow(timestamp '2026-03-01 12:00:00'),
        week_of(timestamp '2026-03-01 12:00:00', 1)"""
    duck, spark_rows = _duckdb_and_spark(spark, sql)
    # 00:30 UTC is 00:30 GMT; 01:30 UTC is 02:30 BST. 09:30 BST is 08:30 UTC = 1782894600. The
    # repeated 01:30 on 10-25 is its first occurrence, 00:30 UTC; the skipped 01:30 on 03-29 moves on
    # to 02:30 BST, 01:30 UTC. 2026-03-01 is a Sunday (7), in the Monday week of 02-23.
    assert duck == spark_rows == [
        ("2026-03-29 00:30:00", "2026-03-29 02:30:00", 1782894600.0, 1792888200.0, 1774747800.0, 7, d("2026-02-23"))
    ]


def test_parameters_are_bound_as_literals_whatever_they_hold(spark):
    sql = "select ? as a, ? as b, lower(trim(?)) as c"  # a `?` inside a string stays text: '?'
    params = ["it's", "back\\slash -- not a comment", "  ?SOLVED "]
    duck, spark_rows = _duckdb_and_spark(spark, sql, params)
    assert duck == spark_rows == [("it's", "back\\slash -- not a comment", "?solved")]


def test_ranges_end_before_their_end_and_are_empty_when_it_comes_first(spark):
    sql = """select count(*), min(week_start), max(week_start) from
        (select date '2026-03-02' as first_week, date '2026-03-30' as last_week) as bounds,
        range(bounds.first_week, bounds.last_week, interval 7 day) as spine(week_start)"""
    duck, spark_rows = _duckdb_and_spark(spark, sql)
    # 03-02, 03-09, 03-16, 03-23: the end, 03-30, is excluded.
    assert duck[0][0] == spark_rows[0][0] == 4
    empty = "select count(*) from (select 5 as n) as bounds, range(bounds.n, 2) as spine(value)"
    assert _duckdb_and_spark(spark, empty) == ([(0,)], [(0,)])


def test_a_timestamp_whose_kind_cannot_be_told_is_an_error_not_a_guess():
    with pytest.raises(spark_sql.TranslationError, match="wall-clock time or an instant"):
        spark_sql.to_spark("select timezone('UTC', greatest(a, b)) from t")


def test_macros_are_read_from_macros_sql_not_copied():
    macros = spark_sql.project_macros()
    assert {"local_to_instant", "week_of", "wilson_low", "wilson_high"} <= set(macros)
    expanded = spark_sql.to_spark("select wilson_low(3, 10) from t")
    assert "WILSON_LOW" not in expanded.upper() and "SQRT" in expanded.upper()


def test_a_folder_of_parquet_opens_like_a_built_file(tmp_path):
    folder = tmp_path / "it's a folder, with spaces"
    folder.mkdir()
    con = duckdb.connect()
    con.sql("select 1 as n").write_parquet(str(folder / "one.parquet"))
    con.close()
    cur = query.cursor_of(query.attach(str(folder)))
    assert cur.execute("select n from one").fetchall() == [(1,)]
