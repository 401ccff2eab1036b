"""The Outcome page through AppTest, its state set in the URL (`week`, `by`, `value`): the numbers it
shows are the marts' on the demo, and the hand-worked ones on small fixture workspaces."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from pipeline_helpers import build_workspace, toml
from streamlit.testing.v1 import AppTest
from test_outcome_models import OUTCOME, cohorts

from pipelines.summary import percent

ROOT = Path(__file__).resolve().parent.parent
SIGNATURE_WEEK = "2026-06-08"  # before the demo's org change: every function green, outcome stalled


def _open(**params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/outcome.py").run()
    assert not at.exception
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _answer(at: AppTest) -> str:
    """The answer under the figures: status, target and why, markdown escapes removed."""
    return at.markdown[0].value.replace("\\", "")


def _row(db: Path, sql: str, params: list) -> dict:
    with duckdb.connect(str(db), read_only=True) as con:
        result = con.execute(sql, params)
        names = [c[0] for c in result.description]
        return dict(zip(names, result.fetchone(), strict=True))


@pytest.fixture
def workspace_env(monkeypatch, tmp_path):
    """Point the app at a fixture workspace built into tmp_path."""

    def use(files: dict, config: str) -> Path:
        db = build_workspace(tmp_path, files, config)
        monkeypatch.setenv("SEAMS_WORKSPACE", str(tmp_path / "ws"))
        monkeypatch.setenv("SEAMS_DB", str(db))
        return db

    return use


def test_a_stalled_week_shows_the_cohort_rate_interval_and_median_of_the_marts(demo_env):
    at = _open(week=SIGNATURE_WEEK, by="plan")
    cohort = _row(demo_env, "select * from outcome_cohorts where cohort_week = ?", [SIGNATURE_WEEK])
    signature = _row(demo_env, "select * from signature_weekly where week_start = ?", [SIGNATURE_WEEK])
    assert at.title[0].value.replace("\\", "") == "30-day activation · cohort of 8 June 2026"
    shown = _metrics(at)
    assert shown["Cohort rate"] == f"{cohort['rate'] * 100:.1f}%"
    assert shown["95% interval"] == f"{cohort['rate_low'] * 100:.1f}%–{cohort['rate_high'] * 100:.1f}%"
    assert shown["Activated of sign-ups"] == f"{cohort['activated']:,} of {cohort['signups']:,}"
    assert shown["Median days to activate"] == f"{cohort['median_days_to_activate']:.1f} days"
    assert shown["75th percentile, this cohort"] == f"{cohort['p75_days_to_activate']:.1f} days"
    # The demo's signature week: stalled, not too noisy, and the streak is the mart's.
    assert signature["outcome_stalled"] and not signature["stall_uncertain"]
    assert f"Stalled for {signature['stalled_weeks']} weeks" in _answer(at)
    assert at.selectbox(key="by").value == "plan"
    assert at.query_params["by"] == "plan"


def test_the_breakdown_table_and_the_rows_behind_are_the_marts(demo_env):
    at = _open(week=SIGNATURE_WEEK, by="channel")
    with duckdb.connect(str(demo_env), read_only=True) as con:
        expected = con.execute(
            """select value, signups, activated, rate, rate_low, rate_high from outcome_breakdown
            where cohort_week = ? and dimension = 'channel' order by signups desc, value""",
            [SIGNATURE_WEEK],
        ).fetchall()
        (signups,) = con.execute(
            "select signups from outcome_cohorts where cohort_week = ?", [SIGNATURE_WEEK]
        ).fetchone()
    table = at.dataframe[0].value
    assert [tuple(r) for r in table[["value", "signups", "activated", "rate", "rate_low", "rate_high"]].values] == [
        tuple(r) for r in expected
    ]
    rows = at.dataframe[1].value
    assert len(rows) == signups
    assert set(rows["source_file"]) == {"signups.csv"}


def test_an_immature_week_is_provisional_never_a_stall(demo_env):
    (immature,) = duckdb.connect(str(demo_env), read_only=True).execute(
        "select max(cohort_week) from outcome_cohorts where not mature and signups > 0"
    ).fetchone()
    at = _open(week=immature.isoformat())
    answer = _answer(at)
    assert "provisional" in answer and "Provisional: not every sign-up has had its 30-day window yet" in answer
    assert "Stalled" not in answer and "stall" in answer  # "... never counted as a stall"


def test_a_fixture_cohort_shows_its_hand_worked_interval_median_and_rows(workspace_env):
    workspace_env(OUTCOME, toml(timezone="UTC", as_of="2026-01-27", window_days=10))
    at = _open(week="2026-01-12", by="segment", value="(none)")
    shown = _metrics(at)
    # W 01-12 (test_outcome_models): 4 of 5 -> 80.0%; Wilson 0.3755 .. 0.9638 -> 37.6%–96.4%;
    # days 0, 1, 9.5, 10 -> median 5.25 -> "5.2 days" (Python rounds half to even); p75 9.625 -> 9.6.
    assert shown["Cohort rate"] == "80.0%"
    assert shown["95% interval"] == "37.6%–96.4%"
    assert shown["Activated of sign-ups"] == "4 of 5"
    assert shown["Median days to activate"] == "5.2 days"
    assert shown["75th percentile, this cohort"] == "9.6 days"
    assert "Provisional" in _answer(at)  # W 01-12 is mature only on 01-29
    # The rows behind "(none)" in the segment breakdown: b5 alone, as the URL asked.
    assert at.selectbox(key="value").value == "(none)"
    assert at.dataframe[1].value["user_id"].tolist() == ["b5"]


def test_small_cohorts_below_target_say_too_noisy_to_call_on_the_page_and_the_overview(workspace_env):
    # test_outcome_models: 3 of 10 a week; at W3 (2026-01-26) the stall rule holds but pooled 12 of 40 has a
    # 95% interval of 0.1807 .. 0.4543 (18.1% – 45.4%), half-width 0.1368 > gap 0.10.
    workspace_env(cohorts([3, 3, 3, 3, 3], size=10), toml(timezone="UTC", as_of="2026-02-14", window_days=7))
    at = _open(week="2026-01-26")
    assert "Below target but too noisy to call a stall" in _answer(at)
    assert "12 of 40, 30.0%) have a 95% interval of 18.1% – 45.4%" in _answer(at)
    assert _metrics(at)["Cohort rate"] == percent(0.3)
    overview = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    overview.query_params["week"] = "2026-01-26"
    overview.run()
    assert not overview.exception
    assert "too noisy to call a stall" in overview.success[0].value.replace("\\", "")
