"""The pages render on the demo workspace through AppTest, with their state set in the URL, and show
the numbers the marts hold."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from pipelines.build import build
from ui import data

ROOT = Path(__file__).resolve().parent.parent

SIGNATURE_WEEK = "2026-06-08"  # before the org change of 2026-07-06: every function green, outcome stalled


def _app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


def _mart_row(db, sql, params):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params).fetchone()


def test_overview_shows_the_signature_of_a_week_where_it_holds(demo_env):
    at = _app()
    at.query_params["week"] = SIGNATURE_WEEK
    at.run()
    assert not at.exception
    assert at.title[0].value == "Week commencing Monday 8 June 2026"
    rate, stalled_weeks = _mart_row(
        demo_env,
        "select outcome_rate, stalled_weeks from signature_weekly where week_start = ? and signature",
        [SIGNATURE_WEEK],
    )
    banner = at.error[0].value.replace("\\", "")  # markdown escapes of the export-safe text
    assert "Signature this week" in banner
    # The banner's figures are the mart's: the rate to one decimal and the stall streak.
    assert f"All 4 functions green · 30-day activation {rate * 100:.1f}% vs 40% target" in banner
    assert f"stalled for {stalled_weeks} weeks" in banner
    assert at.selectbox(key="week").value == SIGNATURE_WEEK


def test_overview_scorecard_shows_each_kpi_value_from_function_weekly(demo_env):
    at = _app()
    at.query_params["week"] = SIGNATURE_WEEK
    at.run()
    with duckdb.connect(str(demo_env), read_only=True) as con:
        values = [
            f"{v:,.0f}"
            for (v,) in con.execute(
                "select value from function_weekly where week_start = ? order by function_order", [SIGNATURE_WEEK]
            ).fetchall()
        ]
    shown = [m.value for m in at.metric if m.label == "This week"]
    assert shown == values


def test_overview_defaults_to_the_latest_week_whose_outcome_is_known(demo_env):
    at = _app()
    at.run()
    assert not at.exception
    (latest_mature,) = _mart_row(
        demo_env, "select max(cohort_week) from outcome_cohorts where mature and signups > 0", []
    )
    assert at.selectbox(key="week").value == latest_mature.isoformat()
    assert at.query_params["week"] == latest_mature.isoformat()


def test_overview_calls_an_immature_week_provisional_never_a_stall(demo_env):
    (immature,) = _mart_row(demo_env, "select max(cohort_week) from outcome_cohorts where not mature", [])
    at = _app()
    at.query_params["week"] = immature.isoformat()
    at.run()
    assert not at.exception
    assert not at.error  # no signature banner
    assert "provisional until" in at.info[0].value


def test_a_week_that_is_not_in_the_data_falls_back_to_the_default(demo_env):
    at = _app()
    at.query_params["week"] = "1999-01-04"
    at.run()
    assert not at.exception
    assert at.query_params["week"] != "1999-01-04"


@pytest.mark.parametrize("week", [SIGNATURE_WEEK, None])
def test_data_page_lists_every_export_and_its_accounting(demo_env, week):
    at = _app()
    if week:
        at.query_params["week"] = week
    at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception
    assert at.title[0].value == "Data behind the numbers"
    sources = at.dataframe[0].value
    assert (sources["rows_read"] == sources["rows_loaded"] + sources["rows_rejected"]).all()
    assert set(sources["table_name"]) >= {"signups", "events", "tickets", "demos", "issues", "meetings", "attendees"}


def test_a_workspace_that_cannot_be_built_shows_the_file_and_the_fix_not_a_traceback(monkeypatch, tmp_path):
    (tmp_path / "seams.toml").write_text('[workspace]\nname = "Broken"\ntimezone = "Mars/Olympus"\n')
    monkeypatch.setenv("SEAMS_WORKSPACE", str(tmp_path))
    monkeypatch.setenv("SEAMS_DB", str(tmp_path / "out.duckdb"))
    at = _app()
    at.run()
    assert not at.exception
    message = at.error[0].value
    assert "seams.toml" in message and "workspace.timezone" in message and "Mars/Olympus" in message


def _copy_demo(tmp_path) -> Path:
    workspace = tmp_path / "workspace"
    shutil.copytree(ROOT / "data" / "demo", workspace, ignore=shutil.ignore_patterns(".seams"))
    return workspace


def test_the_app_builds_a_workspace_that_has_no_built_file(monkeypatch, tmp_path):
    workspace = _copy_demo(tmp_path)
    db = tmp_path / "built" / "seams.duckdb"
    monkeypatch.setenv("SEAMS_WORKSPACE", str(workspace))
    monkeypatch.setenv("SEAMS_DB", str(db))
    at = _app()
    at.run()
    assert not at.exception
    assert db.exists()
    assert at.title[0].value.startswith("Week commencing")


def test_the_app_rebuilds_when_an_export_changed_and_keeps_the_last_good_build_when_it_breaks(monkeypatch, tmp_path):
    workspace = _copy_demo(tmp_path)
    db = tmp_path / "seams.duckdb"
    build(workspace, db)
    (first_build,) = _mart_row(db, "select build_id from build_info", [])
    with open(workspace / "tickets.csv", "a", encoding="utf-8") as tickets:
        tickets.write("T-extra,2026-06-09T10:00:00Z,2026-06-10T10:00:00Z,solved,,,\n")
    monkeypatch.setenv("SEAMS_WORKSPACE", str(workspace))
    monkeypatch.setenv("SEAMS_DB", str(db))
    at = _app()
    at.query_params["week"] = SIGNATURE_WEEK
    at.run()
    assert not at.exception
    (second_build,) = _mart_row(db, "select build_id from build_info", [])
    assert second_build != first_build
    # Support solved one more ticket in the week of 2026-06-08 than the first build counted.
    assert _mart_row(db, "select count(*) from function_rows where row_key = 'T-extra'", []) == (1,)

    # Now break the workspace: the last good build keeps serving, and the page says why.
    (workspace / "seams.toml").write_text((workspace / "seams.toml").read_text() + "\n[oops]\n")
    data.forget_checks()
    at = _app()
    at.query_params["week"] = SIGNATURE_WEEK
    at.run()
    assert not at.exception
    assert "showing the last good build" in at.warning[0].value
    assert "oops" in at.warning[0].value
    assert at.title[0].value == "Week commencing Monday 8 June 2026"
    assert _mart_row(db, "select build_id from build_info", []) == (second_build,)
