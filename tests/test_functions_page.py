"""The Functions page through AppTest, its week and function set in the URL: the figures it shows are
the marts' (function_weekly, function_streaks, function_outcome_lag), and the rows behind a count
KPI are as many as its value."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import duckdb
import pytest
from pipeline_helpers import build_workspace, toml
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
SIGNATURE_WEEK = "2026-06-08"


def _functions_page(week: str | None = None, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if week:
        at.query_params["week"] = week
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/functions.py").run()
    return at


def _row(db, sql, params):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params).fetchone()


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _rows_behind(at, key_column: str):
    (frame,) = [d.value for d in at.dataframe if key_column in d.value.columns]
    return frame


@pytest.mark.parametrize("function", ["Support", "Sales", "Product"])
def test_the_answer_shows_the_marts_value_target_and_streak_for_the_function_in_the_url(demo_env, function):
    at = _functions_page(SIGNATURE_WEEK, function=function)
    assert not at.exception
    value, target, kpi, status = _row(
        demo_env,
        "select value, target, kpi, status from function_weekly where function = ? and week_start = ?",
        [function, SIGNATURE_WEEK],
    )
    streak, longest = _row(
        demo_env,
        "select green_streak, longest_green_streak from function_streaks where function = ? and week_start = ?",
        [function, SIGNATURE_WEEK],
    )
    assert at.title[0].value == f"{function} · {kpi}"
    assert at.selectbox(key="function").value == function
    assert _metrics(at) == {
        "This week": f"{value:,.0f}",
        "Target": f"{target:,.0f}",
        "Green weeks in a row": str(streak),
        "Longest green run so far": str(longest),
    }
    answer = at.markdown[0].value
    assert f"{status}] this week: **{value:,.0f}** against a target of at least {target:,.0f}." in answer
    assert f"**{streak} weeks in a row**" in answer


@pytest.mark.parametrize(("function", "key_column"), [("Support", "ticket_id"), ("Sales", "demo_id")])
def test_the_rows_behind_a_count_kpi_are_as_many_as_its_value_and_download(demo_env, function, key_column):
    at = _functions_page(SIGNATURE_WEEK, function=function)
    assert not at.exception
    (value,) = _row(
        demo_env, "select value from function_weekly where function = ? and week_start = ?", [function, SIGNATURE_WEEK]
    )
    rows = _rows_behind(at, key_column)
    assert len(rows) == value
    assert (rows["counted_value"] == 1.0).all()
    labels = [b.proto.label for b in at.get("download_button")]
    assert f"Download {value:,.0f} rows (CSV)" in labels and f"Download {value:,.0f} rows (Parquet)" in labels


def test_the_rows_behind_a_sum_kpi_add_up_to_its_value(demo_env):
    at = _functions_page(SIGNATURE_WEEK, function="Engineering")
    assert not at.exception
    (value,) = _row(
        demo_env,
        "select value from function_weekly where function = 'Engineering' and week_start = ?",
        [SIGNATURE_WEEK],
    )
    assert _rows_behind(at, "issue_key")["counted_value"].sum() == value


def test_the_association_shown_is_the_marts_for_the_lag_in_the_url(demo_env):
    at = _functions_page(SIGNATURE_WEEK, function="Product", lag="3")
    assert not at.exception
    pairs, r, rho, strength = _row(
        demo_env,
        """select pairs, correlation, rank_correlation, strength from function_outcome_lag
        where function = 'Product' and lag_weeks = 3""",
        [],
    )
    assert at.selectbox(key="lag").value == "3"
    captions = [c.value for c in at.caption]
    assert f"{pairs} week pairs · Pearson r {r:+.3f} · Spearman rho {rho:+.3f} · association: {strength}" in captions
    # The week pairs behind it: one row per pair.
    assert len(_rows_behind(at, "later_rate")) == pairs
    # The headline names the strongest association with enough pairs, as the mart ranks it.
    lag, best_r, best_pairs = _row(
        demo_env,
        """select lag_weeks, correlation, pairs from function_outcome_lag
        where function = 'Product' and is_enough_pairs order by abs(correlation) desc, lag_weeks limit 1""",
        [],
    )
    association = [m.value for m in at.markdown if m.value.startswith("**Does it move")][0]
    assert f"r = {best_r:+.2f}" in association and f"{lag} weeks later, over {best_pairs} week pairs" in association
    assert "An association, not a cause." in association


def test_the_link_keeps_the_function_and_the_lag(demo_env):
    at = _functions_page(SIGNATURE_WEEK, function="Sales", lag="2")
    assert not at.exception
    link = parse_qs(urlsplit(at.code[-1].value).query)
    assert {key: link[key] for key in ("week", "function", "lag")} == {
        "week": [SIGNATURE_WEEK],
        "function": ["Sales"],
        "lag": ["2"],
    }
    assert at.query_params["function"] == "Sales"


def test_an_unknown_function_in_the_url_falls_back_to_the_first_configured(demo_env):
    at = _functions_page(SIGNATURE_WEEK, function="Nobody")
    assert not at.exception
    assert at.selectbox(key="function").value == "Support"
    assert at.query_params["function"] == "Support"


# A small workspace: Sales (whose name holds markup) holds 2, 3 and 1 demos in W1-W3 against a
# target of 2 (amber from 1). Zone UTC, as_of Wednesday 2026-01-21.
SMALL = {
    "signups.csv": "user_id,signed_up_at\nu1,2026-01-06T09:00:00Z\n",
    "events.csv": "user_id,event,occurred_at\nu1,activated,2026-01-06T10:00:00Z\n",
    "demos.csv": (
        "demo_id,held_at,owner\n"
        "d1,2026-01-06T10:00:00Z,ann\nd2,2026-01-07T10:00:00Z,ann\n"
        "d3,2026-01-12T10:00:00Z,<img src=x onerror=alert(1)>\nd4,2026-01-13T10:00:00Z,bob\n"
        "d5,2026-01-14T10:00:00Z,bob\nd6,2026-01-20T10:00:00Z,bob\n"
    ),
}
SMALL_FUNCTIONS = """
[[functions]]
name = "Sales *team* <b>"
kpi = "Demos held"
table = "demos"
date_column = "held_at"
target = 2
amber_band = 0.5
"""


def test_a_small_workspace_says_it_has_too_few_weeks_and_shows_markup_as_text(monkeypatch, tmp_path):
    db = build_workspace(tmp_path, SMALL, toml(timezone="UTC", as_of="2026-01-21", extra=SMALL_FUNCTIONS))
    monkeypatch.setenv("SEAMS_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.setenv("SEAMS_DB", str(db))
    at = _functions_page("2026-01-12", function="Sales *team* <b>")
    assert not at.exception
    # Markup in a name is escaped, so it shows as the text it is.
    assert at.title[0].value == r"Sales \*team\* \<b\> · Demos held"
    # W2: d3, d4, d5 = 3 >= 2 -> green; W1 (2) green too: 2 weeks in a row.
    assert _metrics(at) == {
        "This week": "3",
        "Target": "2",
        "Green weeks in a row": "2",
        "Longest green run so far": "2",
    }
    rows = _rows_behind(at, "demo_id")
    assert rows["demo_id"].tolist() == ["d3", "d4", "d5"]  # as many as the value, 3
    assert rows["owner"].tolist()[0] == "<img src=x onerror=alert(1)>"  # kept as text, in a table
    # One cohort (W1's sign-up, immature by as_of with a 30-day window): no lag has any pair.
    assert any("Too few weeks" in w.value for w in at.warning)
    assert any("Only 0 week pairs at this lag" in w.value for w in at.warning)
