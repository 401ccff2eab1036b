"""The Coordination page through AppTest, its state set in the URL: the figures shown are the
hand-worked ones of the fixture workspaces in test_coordination_models.py, or the demo's marts."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from pipeline_helpers import make_workspace
from streamlit.testing.v1 import AppTest
from test_coordination_models import CHANGE, CHANGE_CONFIG, SERIES, SERIES_CONFIG

from pipelines.build import build

ROOT = Path(__file__).resolve().parent.parent
PAGE = "pages/coordination.py"


def _page(params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _workspace(monkeypatch, tmp_path, files, config) -> Path:
    workspace = make_workspace(tmp_path / "ws", files, config)
    db = tmp_path / "seams.duckdb"
    build(workspace, db)
    monkeypatch.setenv("SEAMS_WORKSPACE", str(workspace))
    monkeypatch.setenv("SEAMS_DB", str(db))
    return db


@pytest.fixture
def series_env(monkeypatch, tmp_path) -> Path:
    return _workspace(monkeypatch, tmp_path, SERIES, SERIES_CONFIG)


def test_a_week_and_a_series_from_the_link_show_their_hand_worked_figures(series_env):
    at = _page({"week": "2026-03-02", "series": "sync-1"})
    assert at.selectbox(key="series").value == "sync-1"
    shown = _metrics(at)
    # Week 03-02: m1 (4 attendee-hours, 220) + p1 (1 attendee-hour, 75): 5.0 attendee-hours, 295; cross-functional
    # m1's 4 of 5 -> 80.0%; 2 meetings.
    assert shown["Attendee-hours this week"] == "5.0"
    assert shown["Cost this week (USD)"] == "295"
    assert shown["Cross-functional share"] == "80.0%"
    assert shown["Meetings this week"] == "2"
    # sync-1: 8 attendee-hours, 220 + 280 = 500, 2 meetings; outcome 0.25 -> 0.25: +0.0 pp.
    assert shown["Series attendee-hours"] == "8.0"
    assert shown["Series cost (USD)"] == "500"
    assert shown["Series meetings"] == "2"
    assert shown["Outcome over its life"] == "+0.0 pp"
    # The meetings behind the series, and behind the week (p1: 2 attendees < 3, so no hours or cost).
    series_rows, week_rows = at.dataframe[1].value, at.dataframe[-1].value
    assert list(series_rows["meeting_id"]) == ["m1", "m2"]
    assert list(series_rows["attendee_hours"]) == [4.0, 4.0]
    assert list(week_rows["meeting_id"]) == ["m1", "p1"]
    assert list(week_rows["note"]) == ["", "hidden (fewer than 3 people)"]
    assert week_rows["cost"].iloc[0] == 220.0 and week_rows["cost"].isna().iloc[1]
    # The link names the page's filter.
    assert "series=sync-1" in at.code[-1].value and "week=2026-03-02" in at.code[-1].value


def test_groups_below_the_privacy_floor_show_hidden_not_a_number(series_env):
    # pair-1 has 2 people < 3; week 03-23 has b3 only, cat and dan: 2 people.
    at = _page({"week": "2026-03-23", "series": "pair-1"})
    shown = _metrics(at)
    hidden = "hidden (fewer than 3 people)"
    assert shown["Attendee-hours this week"] == hidden
    assert shown["Cost this week (USD)"] == hidden
    assert shown["Cross-functional share"] == hidden
    assert shown["Meetings this week"] == "1"
    assert shown["Series attendee-hours"] == hidden
    assert shown["Series cost (USD)"] == hidden
    assert shown["Series meetings"] == "2"
    table = at.dataframe[0].value  # the series table: pair-1's hours and cost are empty, its note says why
    pair = table[table["series_ref"] == "pair-1"].iloc[0]
    assert pair["note"] == hidden and pair.isna()["cost"] and pair.isna()["attendee_hours"]


def test_the_seam_matrix_of_the_chosen_week(series_env):
    at = _page({"week": "2026-03-09", "seams": "week"})
    seams = at.dataframe[1].value  # in the expander "The seams as rows"
    # b1: Sales ben with Support cat and dan: 3 people, 3 attendee-hours, 50 + 40 = 90.
    assert seams[["row_function", "column_function", "people", "attendee_hours", "cost"]].values.tolist() == [
        ["Sales", "Support", 3, 3.0, 90.0]
    ]


def test_a_flat_series_stands_out(series_env):
    at = _page({"week": "2026-03-02"})
    # Flat: pair-1 and sync-1 (0.25 -> 0.25). Widest first: sync-1 spans 3 functions, pair-1 one.
    warning = at.warning[0].value.replace("\\", "")
    assert warning.startswith("**2 series ran while the outcome stayed flat**")
    assert "Widest first: **Alignment sync (moved)**: 3 functions (Product, Sales, Support), 2 meetings" in warning
    assert "8.0 attendee-hours, USD 500; the outcome went from 25.0% to 25.0%." in warning


@pytest.fixture
def change_env(monkeypatch, tmp_path) -> Path:
    return _workspace(monkeypatch, tmp_path, CHANGE, CHANGE_CONFIG)


def test_before_and_after_an_org_change_picked_in_the_link(change_env):
    at = _page({"week": "2026-03-23", "change": "2026-04-15"})
    assert at.selectbox(key="change").value == "2026-04-15"
    shown = {m.label: (m.value, m.delta) for m in at.metric}
    # Late change (week 04-13): before 03-23..04-06 = 8.0 attendee-hours and 80 a week, cross 50.0%; after only
    # 04-13: 18.0 and 180, cross 100.0%. Changes: +10.0, +100, +50.0 pp. After has no mature cohort: no outcome.
    assert shown["Attendee-hours a week"] == ("18.0", "+10.0")
    assert shown["Cost a week (USD)"] == ("180", "+100")
    assert shown["Cross-functional after"] == ("100.0%", "+50.0 pp")
    assert shown["Mature cohorts' outcome"] == ("—", "")  # no delta
    captions = [c.value for c in at.caption]
    assert "**Before**: 3 weeks, 23 Mar to 6 Apr 2026; every cohort in it is mature." in captions
    assert (
        "**After**: 1 week (only 1 of 3: the edge of the data), 13 Apr to 13 Apr 2026; 1 cohort from 13 Apr 2026 "
        "on is not mature yet and left out of its outcome." in captions
    )
    # Week 03-23: attendee-hours 12 vs 10 three weeks earlier (+20%) while the outcome is stalled -> flagged.
    assert at.error[0].value.startswith("**1 week flagged** as over-collaboration")


def test_the_demo_shows_the_marts_numbers_for_the_alignment_sync(demo_env):
    week, sync = "2026-06-08", "activation-alignment-sync"
    at = _page({"week": week, "series": sync})
    with duckdb.connect(str(demo_env), read_only=True) as con:
        hours, cost, meetings = con.execute(
            "select attendee_hours, cost, meetings from coordination_weekly where week_start = ?", [week]
        ).fetchone()
        s_hours, s_cost, s_meetings, s_change = con.execute(
            "select attendee_hours, cost, meetings, outcome_change from coordination_series where series_ref = ?",
            [sync],
        ).fetchone()
        after, delta_rate = con.execute(
            """select after_window.attendee_hours_per_week, after_window.mature_rate - before_window.mature_rate
            from org_change_comparison as after_window
            inner join org_change_comparison as before_window
                on before_window.changed_on = after_window.changed_on and before_window.window_name = 'before'
            where after_window.window_name = 'after'"""
        ).fetchone()
    shown = {m.label: (m.value, m.delta) for m in at.metric}
    assert shown["Attendee-hours this week"][0] == f"{hours:,.1f}"
    assert shown["Cost this week (USD)"][0] == f"{cost:,.0f}"
    assert shown["Meetings this week"][0] == f"{meetings:,}"
    assert shown["Series attendee-hours"][0] == f"{s_hours:,.1f}"
    assert shown["Series cost (USD)"][0] == f"{s_cost:,.0f}"
    assert shown["Series meetings"][0] == f"{s_meetings:,}"
    assert shown["Outcome over its life"][0] == f"{s_change * 100:+.1f} pp"
    assert shown["Attendee-hours a week"][0] == f"{after:,.1f}"
    assert shown["Mature cohorts' outcome"][1] == f"{delta_rate * 100:+.1f} pp"
    # The sync leads the series that ran while the outcome stayed flat.
    assert "Widest first: **Activation alignment sync**" in at.warning[0].value.replace("\\", "")
    assert at.selectbox(key="change").value == "2026-07-06"


def test_the_overview_shows_a_week_below_the_privacy_floor_as_hidden(series_env):
    # Week 03-23: b3 only, cat and dan: 2 people < 3 -> no hours or cost on the Overview either.
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["week"] = "2026-03-23"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(i.value.startswith("Coordination hours and cost this week are hidden: 1 meeting,") for i in at.info)
    assert not [m for m in at.metric if m.label.startswith(("Attendee-hours", "Cost"))]
