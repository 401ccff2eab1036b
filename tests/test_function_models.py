"""The Functions page's models and questions, on hand-worked fixtures: green streaks
(function_streaks), the lagged association of each KPI with later mature cohorts
(function_outcome_pairs, function_outcome_lag) and the rows behind a KPI
(query.function_rows_behind).

Zone UTC everywhere; weeks are the Mondays from 2026-01-05 (W1).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
from pipeline_helpers import build_workspace, csv, d, query, toml

from pipelines import query as questions
from pipelines.contract import TABLES

MONDAYS = [dt.date(2026, 1, 5) + dt.timedelta(weeks=w) for w in range(10)]  # MONDAYS[0] is W1
W = {f"W{i + 1}": monday for i, monday in enumerate(MONDAYS)}


def _cursor(db):
    con = duckdb.connect(str(db), read_only=True)
    con.execute("set TimeZone = 'UTC'")
    return con


# --- Green streaks -------------------------------------------------------------------------------

STREAK_FUNCTIONS = """
[[functions]]
name = "Support"
kpi = "Tickets solved"
table = "tickets"
date_column = "solved_at"
where = { status = "solved" }
target = 2
amber_band = 0.5

[[functions]]
name = "Quality"
kpi = "Mean bug size"
table = "issues"
date_column = "resolved_at"
measure = "mean"
column = "story_points"
target = 3
direction = "lower"
amber_band = 0.2
"""


def _tickets(solved_per_week: list[int]) -> str:
    """`n` solved tickets in each week, on its Tuesday, plus one open ticket in W6 that never counts."""
    lines = ["ticket_id,created_at,solved_at,status"]
    for week, solved in enumerate(solved_per_week):
        tuesday = MONDAYS[week] + dt.timedelta(days=1)
        lines += [f"T{week + 1}-{i},{tuesday}T09:00:00Z,{tuesday}T10:00:00Z,solved" for i in range(solved)]
    lines.append(f"T6-open,{W['W6']}T09:00:00Z,{W['W6']}T10:00:00Z,open")
    return "\n".join(lines) + "\n"


STREAK_FILES = {
    "signups.csv": "user_id,signed_up_at\n",
    "events.csv": "user_id,event,occurred_at\n",
    # Support: target 2, amber from 2 x (1 - 0.5) = 1. Solved per week W1..W9: 2 3 1 2 2 0 2 2 2.
    "tickets.csv": _tickets([2, 3, 1, 2, 2, 0, 2, 2, 2]),
    # Quality: mean points, lower is better: green <= 3, amber <= 3 x 1.2 = 3.6. Nothing in W2, W7-W9.
    "issues.csv": csv("""
        issue_key,issue_type,resolved_at,story_points
        B1,bug,2026-01-06T12:00:00Z,2
        B3,bug,2026-01-20T12:00:00Z,3
        B4,bug,2026-01-27T12:00:00Z,3.5
        B5,bug,2026-02-03T12:00:00Z,2
        B6,bug,2026-02-10T12:00:00Z,1
        """),
}


def test_green_streaks_count_consecutive_green_weeks_and_the_longest_run_so_far(tmp_path):
    # as_of Wednesday of W9 (2026-03-04): the weeks shown are W1..W9.
    db = build_workspace(tmp_path, STREAK_FILES, toml(timezone="UTC", as_of="2026-03-04", extra=STREAK_FUNCTIONS))
    rows = query(
        db,
        """select function, week_start, status, green_streak, longest_green_streak, green_since
        from function_streaks order by function_order, week_start""",
    )
    # Columns: function, week, status, streak ending at this week, longest run up to it, streak began.
    assert rows == [
        ("Support", W["W1"], "green", 1, 1, W["W1"]),  # 2 >= 2
        ("Support", W["W2"], "green", 2, 2, W["W1"]),  # 3 >= 2: W1, W2 green
        ("Support", W["W3"], "amber", 0, 2, None),  # 1 >= 1 -> amber ends the run; longest so far 2
        ("Support", W["W4"], "green", 1, 2, W["W4"]),  # a new run begins
        ("Support", W["W5"], "green", 2, 2, W["W4"]),  # W4, W5: 2, equal to the longest, not above
        ("Support", W["W6"], "red", 0, 2, None),  # 0 solved (T6-open is open) -> red
        ("Support", W["W7"], "green", 1, 2, W["W7"]),
        ("Support", W["W8"], "green", 2, 2, W["W7"]),
        ("Support", W["W9"], "green", 3, 3, W["W7"]),  # W7-W9: 3 in a row, now the longest
        ("Quality", W["W1"], "green", 1, 1, W["W1"]),  # mean 2 <= 3
        ("Quality", W["W2"], None, 0, 1, None),  # no bugs: no value, no status, and the run ends
        ("Quality", W["W3"], "green", 1, 1, W["W3"]),  # 3 <= 3
        ("Quality", W["W4"], "amber", 0, 1, None),  # 3.5 <= 3.6
        ("Quality", W["W5"], "green", 1, 1, W["W5"]),  # 2
        ("Quality", W["W6"], "green", 2, 2, W["W5"]),  # 1: W5, W6 green
        ("Quality", W["W7"], None, 0, 2, None),
        ("Quality", W["W8"], None, 0, 2, None),
        ("Quality", W["W9"], None, 0, 2, None),
    ]


def test_function_week_joins_the_week_its_streak_and_last_week(tmp_path):
    db = build_workspace(tmp_path, STREAK_FILES, toml(timezone="UTC", as_of="2026-03-04", extra=STREAK_FUNCTIONS))
    with _cursor(db) as cur:
        now = questions.function_week(cur, "Support", W["W5"])
        assert questions.function_week(cur, "Nobody", W["W5"]) is None
        assert questions.function_week(cur, "Support", d("2025-12-29")) is None  # before the weeks shown
    assert now == {
        "function": "Support",
        "kpi": "Tickets solved",
        "week_start": W["W5"],
        "value": 2.0,  # T5-0, T5-1
        "target": 2.0,
        "status": "green",
        "direction": "higher",
        "amber_band": 0.5,
        "measure": "count",
        "row_count": 2,
        "previous_value": 2.0,  # W4: T4-0, T4-1
        "change": 0.0,  # 2 - 2
        "green_streak": 2,  # W4, W5
        "longest_green_streak": 2,  # W1-W2 and W4-W5
        "green_since": W["W4"],
    }


def test_function_history_gives_the_amber_bound_in_both_directions(tmp_path):
    db = build_workspace(tmp_path, STREAK_FILES, toml(timezone="UTC", as_of="2026-03-04", extra=STREAK_FUNCTIONS))
    with _cursor(db) as cur:
        support = questions.function_history(cur, "Support", W["W8"])
        quality = questions.function_history(cur, "Quality")
    # since W8: W8 and W9 only. Higher is better: amber from 2 x (1 - 0.5) = 1.
    assert support[["week_start", "value", "target", "amber_bound", "status", "green_streak"]].to_dict("records") == [
        {"week_start": pd.Timestamp("2026-02-23"), "value": 2.0, "target": 2.0, "amber_bound": 1.0,
         "status": "green", "green_streak": 2},
        {"week_start": pd.Timestamp("2026-03-02"), "value": 2.0, "target": 2.0, "amber_bound": 1.0,
         "status": "green", "green_streak": 3},
    ]
    # Lower is better: amber up to 3 x (1 + 0.2) = 3.6, every week of the nine.
    assert quality["amber_bound"].tolist() == [3.6] * 9


# --- Lagged association with later mature cohorts -----------------------------------------------

SALES = """
[[functions]]
name = "Sales"
kpi = "Demos held"
table = "demos"
date_column = "held_at"
target = 1
"""

LAG_FUNCTIONS = SALES + """
[[functions]]
name = "Support"
kpi = "Tickets solved"
table = "tickets"
date_column = "solved_at"
target = 1

[[functions]]
name = "Quality"
kpi = "Mean bug size"
table = "issues"
date_column = "resolved_at"
measure = "mean"
column = "story_points"
target = 5
direction = "lower"
"""


def _cohorts(activated_per_week: list[int], size: int = 4) -> dict[str, str]:
    """`size` sign-ups each Tuesday noon of W1, W2, …; the first k of each week activate 1 h later."""
    signups, events = ["user_id,signed_up_at"], ["user_id,event,occurred_at"]
    for week, activated in enumerate(activated_per_week):
        tuesday = MONDAYS[week] + dt.timedelta(days=1)
        for i in range(size):
            signups.append(f"w{week + 1}u{i},{tuesday}T12:00:00Z")
            if i < activated:
                events.append(f"w{week + 1}u{i},activated,{tuesday}T13:00:00Z")
    return {"signups.csv": "\n".join(signups) + "\n", "events.csv": "\n".join(events) + "\n"}


def _rows(header: str, per_week: list[int]) -> str:
    """`n` rows in each week W1, W2, … keyed `R<week>-<i>`, every timestamp column of `header` (after
    the key) at 10:00 on the week's Wednesday."""
    timestamps = len(header.split(",")) - 1
    lines = [header]
    for week, n in enumerate(per_week):
        wednesday = MONDAYS[week] + dt.timedelta(days=2)
        lines += [f"R{week + 1}-{i}" + f",{wednesday}T10:00:00Z" * timestamps for i in range(n)]
    return "\n".join(lines) + "\n"


# Window 7 days: a cohort is mature when its week start + 14 days <= as_of. as_of 2026-02-13 (the end
# of that day, 02-14 00:00): W1-W4 (mature from 01-19 … 02-09) are mature, W5 (from 02-16) is not.
# The weeks shown are W1..W6 (the week of 02-13); W6 has no sign-ups.
LAG_FILES = {
    # Activated of 4: W1 1, W2 2, W3 3, W4 1, W5 4 -> rates .25 .50 .75 .25 (W5 1.00, immature).
    **_cohorts([1, 2, 3, 1, 4]),
    # Sales: 1 2 3 4 5 demos in W1..W5, none in W6.
    "demos.csv": _rows("demo_id,held_at", [1, 2, 3, 4, 5]),
    # Support: 1 2 3 1 tickets solved in W1..W4 (4 x the rate, exactly), none after.
    "tickets.csv": _rows("ticket_id,created_at,solved_at", [1, 2, 3, 1]),
    # Quality: one 5-point bug in each of W1..W3, none after (no value, so no pair, from W4 on).
    "issues.csv": csv("""
        issue_key,issue_type,resolved_at,story_points
        B1,bug,2026-01-07T10:00:00Z,5
        B2,bug,2026-01-14T10:00:00Z,5
        B3,bug,2026-01-21T10:00:00Z,5
        """),
}


def _no_pairs(function: str, kpi: str, order: int, lags: range) -> list[tuple]:
    """Lags with no pair at all: 0 pairs, no correlation, not enough."""
    return [(function, kpi, lag, 0, None, None, False, None, 8, None, None, order) for lag in lags]


def test_lagged_correlation_of_each_kpi_with_later_mature_cohorts(tmp_path):
    config = toml(timezone="UTC", as_of="2026-02-13", window_days=7, extra=LAG_FUNCTIONS)
    db = build_workspace(tmp_path, LAG_FILES, config)
    rows = query(db, "select * from function_outcome_lag order by function_order, lag_weeks")
    rows = [tuple(round(v, 4) if isinstance(v, float) else v for v in row) for row in rows]
    # Columns: function, kpi, lag, pairs, Pearson r, Spearman rho, enough pairs, strength, min pairs,
    # first KPI week, last KPI week, order. Rates: W1 .25, W2 .50, W3 .75, W4 .25 (mature only).
    assert rows == [
        # Lag 0, x = 1 2 3 4 demos, y = .25 .50 .75 .25 (W5's cohort is immature, W6 has none).
        # Pearson: mean x 2.5, mean y .4375; dx -1.5 -.5 .5 1.5; dy -.1875 .0625 .3125 -.1875;
        # sum dx.dy = .28125 - .03125 + .15625 - .28125 = .125; sum dx2 = 5; sum dy2 = .171875;
        # r = .125 / sqrt(5 x .171875) = .125 / .927025 = 0.1348.
        # Spearman: y ranks 1.5 3 4 1.5 (.25 twice shares ranks 1 and 2); dy -1 .5 1.5 -1;
        # sum dx.dy = 1.5 - .25 + .75 - 1.5 = .5; sum dy2 = 4.5; rho = .5 / sqrt(5 x 4.5) = 0.1054.
        ("Sales", "Demos held", 0, 4, 0.1348, 0.1054, False, None, 8, W["W1"], W["W4"], 0),
        # Lag 1: x = W1..W3 = 1 2 3, y = W2..W4 = .50 .75 .25; dx -1 0 1, dy 0 .25 -.25;
        # r = -.25 / sqrt(2 x .125) = -0.5; ranks y 2 3 1: rho = -1 / sqrt(2 x 2) = -0.5.
        ("Sales", "Demos held", 1, 3, -0.5, -0.5, False, None, 8, W["W1"], W["W3"], 0),
        # Lag 2: x = 1 2, y = W3 W4 = .75 .25: two points falling -> -1.
        ("Sales", "Demos held", 2, 2, -1.0, -1.0, False, None, 8, W["W1"], W["W2"], 0),
        # Lag 3: W1 with W4 only: one pair, no correlation.
        ("Sales", "Demos held", 3, 1, None, None, False, None, 8, W["W1"], W["W1"], 0),
        # Lags 4-8: W1 + 4 weeks is W5 (immature); nothing later is mature.
        *_no_pairs("Sales", "Demos held", 0, range(4, 9)),
        # Support, lag 0: x = 1 2 3 1 = 4 x y exactly -> r = 1; ranks 1.5 3 4 1.5 on both sides -> 1.
        ("Support", "Tickets solved", 0, 4, 1.0, 1.0, False, None, 8, W["W1"], W["W4"], 1),
        # Lags 1-3: x = 1 2 3 against the same later rates as Sales: -0.5, then -1, then one pair.
        ("Support", "Tickets solved", 1, 3, -0.5, -0.5, False, None, 8, W["W1"], W["W3"], 1),
        ("Support", "Tickets solved", 2, 2, -1.0, -1.0, False, None, 8, W["W1"], W["W2"], 1),
        ("Support", "Tickets solved", 3, 1, None, None, False, None, 8, W["W1"], W["W1"], 1),
        *_no_pairs("Support", "Tickets solved", 1, range(4, 9)),
        # Quality: 5 5 5 in W1..W3 and no value after. A KPI that does not vary has no correlation.
        ("Quality", "Mean bug size", 0, 3, None, None, False, None, 8, W["W1"], W["W3"], 2),  # W1-W3
        ("Quality", "Mean bug size", 1, 3, None, None, False, None, 8, W["W1"], W["W3"], 2),  # with W2-W4
        ("Quality", "Mean bug size", 2, 2, None, None, False, None, 8, W["W1"], W["W2"], 2),  # with W3-W4
        ("Quality", "Mean bug size", 3, 1, None, None, False, None, 8, W["W1"], W["W1"], 2),  # with W4
        *_no_pairs("Quality", "Mean bug size", 2, range(4, 9)),
    ]
    with _cursor(db) as cur:
        # No lag has 8 pairs: nothing to call the strongest association.
        assert questions.strongest_outcome_lag(cur, "Sales") is None
        pairs = questions.function_outcome_pairs(cur, "Sales", 1)
    # The rows behind Sales at lag 1: each KPI week with the cohort a week later.
    assert pairs.to_dict("records") == [
        {"function": "Sales", "lag_weeks": 1, "week_start": pd.Timestamp(W["W1"]), "kpi_value": 1.0,
         "cohort_week": pd.Timestamp(W["W2"]), "later_rate": 0.5},  # 2 of 4
        {"function": "Sales", "lag_weeks": 1, "week_start": pd.Timestamp(W["W2"]), "kpi_value": 2.0,
         "cohort_week": pd.Timestamp(W["W3"]), "later_rate": 0.75},  # 3 of 4
        {"function": "Sales", "lag_weeks": 1, "week_start": pd.Timestamp(W["W3"]), "kpi_value": 3.0,
         "cohort_week": pd.Timestamp(W["W4"]), "later_rate": 0.25},  # 1 of 4
    ]


def test_eight_pairs_are_enough_and_seven_are_not(tmp_path):
    # Activated 1 2 1 2 1 2 1 2 of 4 in W1..W8 (rates .25 .50 alternating) and as many demos, so
    # demos = 4 x rate. Window 7 days, as_of 2026-03-09 (end of day): W8 (02-23) is mature from 03-09.
    # Weeks shown W1..W10; W9 and W10 have no sign-ups and no demos.
    alternating = [1, 2, 1, 2, 1, 2, 1, 2]
    files = {**_cohorts(alternating), "demos.csv": _rows("demo_id,held_at", alternating)}
    db = build_workspace(tmp_path, files, toml(timezone="UTC", as_of="2026-03-09", window_days=7, extra=SALES))
    rows = query(
        db,
        """select lag_weeks, pairs, round(correlation, 9), round(rank_correlation, 9), is_enough_pairs, strength
        from function_outcome_lag order by lag_weeks""",
    )
    # At lag k the KPI weeks W1..W(8-k) pair with W(1+k)..W8: 8 - k pairs. Shifting an alternating
    # series by one week flips it, so r = +1 at even lags and -1 at odd ones.
    assert rows == [
        (0, 8, 1.0, 1.0, True, "strong"),  # 8 pairs: enough; |r| = 1 >= 0.5
        (1, 7, -1.0, -1.0, False, None),  # 7 pairs: too few, so no strength is named
        (2, 6, 1.0, 1.0, False, None),
        (3, 5, -1.0, -1.0, False, None),
        (4, 4, 1.0, 1.0, False, None),
        (5, 3, -1.0, -1.0, False, None),
        (6, 2, 1.0, 1.0, False, None),  # W1, W2 (1, 2 demos) with W7, W8 (.25, .50)
        (7, 1, None, None, False, None),  # W1 with W8: one pair
        (8, 0, None, None, False, None),  # W1 + 8 weeks is W9: no sign-ups
    ]
    with _cursor(db) as cur:
        strongest = questions.strongest_outcome_lag(cur, "Sales")
    # Only lag 0 has enough pairs.
    assert (strongest["lag_weeks"], strongest["pairs"], round(strongest["correlation"], 9)) == (0, 8, 1.0)


def test_strength_names_the_size_of_r_at_its_boundaries():
    # The mart's rule, on its own: |r| < .1 none, < .3 weak, < .5 moderate, else strong.
    sql = (Path(__file__).parent.parent / "pipelines/models/marts/function_outcome_lag.sql").read_text()
    rule = sql[sql.index("        case\n            when not is_enough_pairs"):sql.index("end as strength") + 3]
    con = duckdb.connect()
    values = [(0.0999, True), (0.1, True), (-0.2999, True), (0.3, True), (-0.4999, True), (0.5, True), (-1.0, True),
              (0.9, False), (None, True)]
    got = [
        con.execute(f"select {rule} from (select ?::double as correlation, ?::boolean as is_enough_pairs)",
                    [r, enough]).fetchone()[0]
        for r, enough in values
    ]
    assert got == ["none", "weak", "weak", "moderate", "moderate", "strong", "strong", None, None]


# --- The rows behind a KPI ----------------------------------------------------------------------

ROWS_FUNCTIONS = """
[[functions]]
name = "Support"
kpi = "Tickets solved"
table = "tickets"
date_column = "solved_at"
where = { status = "solved" }
target = 2

[[functions]]
name = "Engineering"
kpi = "Story points shipped"
table = "issues"
date_column = "resolved_at"
measure = "sum"
column = "story_points"
where = { issue_type = "story" }
target = 10

[[functions]]
name = "Product"
kpi = "Features used"
table = "events"
date_column = "occurred_at"
where = { event = "feature_used" }
target = 2

[[functions]]
name = "Sales"
kpi = "Demos held"
table = "demos"
date_column = "held_at"
target = 1
"""

# W1 2026-01-05, W2 2026-01-12, W3 2026-01-19; as_of Wednesday 2026-01-21 (to the end of that day).
ROWS_FILES = {
    "signups.csv": "user_id,signed_up_at\nu1,2026-01-05T09:00:00Z\n",
    "events.csv": csv("""
        user_id,event,occurred_at
        u1,feature_used,2026-01-13T10:00:00Z
        u1,feature_used,2026-01-14T10:00:00Z
        u2,other,2026-01-13T10:00:00Z
        u2,feature_used,2026-01-19T10:00:00Z
        """),
    "tickets.csv": csv("""
        ticket_id,created_at,solved_at,status,priority
        t1,2026-01-08T09:00:00Z,2026-01-13T10:00:00Z,solved,low
        t2,2026-01-12T09:00:00Z,2026-01-12T11:00:00Z,Solved,=HYPERLINK("x")
        t3,2026-01-12T09:00:00Z,2026-01-15T10:00:00Z,open,low
        t4,2026-01-05T09:00:00Z,2026-01-09T10:00:00Z,solved,low
        t5,2026-01-19T09:00:00Z,2026-01-19T10:00:00Z,solved,low
        t6,2026-01-12T09:00:00Z,,solved,low
        t7,2026-01-19T09:00:00Z,2026-01-22T10:00:00Z,solved,low
        """),
    "issues.csv": csv("""
        issue_key,issue_type,resolved_at,story_points
        I-1,story,2026-01-13T12:00:00Z,5
        I-2,Story,2026-01-14T12:00:00Z,3
        I-3,bug,2026-01-14T12:00:00Z,8
        I-4,story,2026-01-20T12:00:00Z,2
        """),
    "demos.csv": "demo_id,held_at\nd1,2026-01-06T10:00:00Z\n",
}


def _utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def test_the_rows_behind_a_kpi_are_the_staging_rows_it_counted(tmp_path):
    db = build_workspace(tmp_path, ROWS_FILES, toml(timezone="UTC", as_of="2026-01-21", extra=ROWS_FUNCTIONS))
    with _cursor(db) as cur:
        support = questions.function_rows_behind(cur, "Support", W["W2"])
        engineering = questions.function_rows_behind(cur, "Engineering", W["W2"])
        product = questions.function_rows_behind(cur, "Product", W["W2"])
        support_w3 = questions.function_rows_behind(cur, "Support", W["W3"])
        sales_w2 = questions.function_rows_behind(cur, "Sales", W["W2"])
        unknown = questions.function_rows_behind(cur, "Nobody", W["W2"])
        values = dict(cur.execute("select function, value from function_weekly where week_start = ?",
                                  [W["W2"]]).fetchall())
    # Support in W2: solved in W2 with status solved (any case), oldest solve first. t3 is open, t4 was
    # solved in W1, t6 is not solved. Each row as staged, with its file and line (header = line 1).
    assert support.to_dict("records") == [
        {"ticket_id": "t2", "created_at": _utc("2026-01-12 09:00"), "solved_at": _utc("2026-01-12 11:00"),
         "status": "Solved", "requester_id": None, "tags": None, "priority": '=HYPERLINK("x")',
         "source_file": "tickets.csv", "source_line": 3, "counted_value": 1.0},
        {"ticket_id": "t1", "created_at": _utc("2026-01-08 09:00"), "solved_at": _utc("2026-01-13 10:00"),
         "status": "solved", "requester_id": None, "tags": None, "priority": "low",
         "source_file": "tickets.csv", "source_line": 2, "counted_value": 1.0},
    ]
    assert values["Support"] == len(support) == 2  # a count KPI: as many rows as its value
    # Engineering in W2: stories I-1 (5) and I-2 (3, "Story"); the bug I-3 is not counted.
    assert engineering[["issue_key", "story_points", "counted_value"]].to_dict("records") == [
        {"issue_key": "I-1", "story_points": 5.0, "counted_value": 5.0},
        {"issue_key": "I-2", "story_points": 3.0, "counted_value": 3.0},
    ]
    assert values["Engineering"] == engineering["counted_value"].sum() == 8.0  # a sum KPI: 5 + 3
    # Product (events, which have no key: user and time pick the row): u1's two feature_used events;
    # u2's "other" event at the same time as one of them is not counted.
    assert product[["user_id", "event", "occurred_at", "counted_value"]].to_dict("records") == [
        {"user_id": "u1", "event": "feature_used", "occurred_at": _utc("2026-01-13 10:00"), "counted_value": 1.0},
        {"user_id": "u1", "event": "feature_used", "occurred_at": _utc("2026-01-14 10:00"), "counted_value": 1.0},
    ]
    assert values["Product"] == len(product) == 2
    # Support in W3: t5 only; t7 was solved on 01-22, after as_of, and counts nowhere.
    assert support_w3["ticket_id"].tolist() == ["t5"]
    # A week with no rows: no rows, and the staging columns still named (a download has its header).
    assert sales_w2.empty and list(sales_w2.columns)[:2] == ["demo_id", "held_at"]
    assert values["Sales"] == 0
    assert unknown.empty


def test_the_rows_behind_whitelist_matches_the_contract():
    # Every contract table a KPI can read (it has a timestamp column) has its staging table, the key
    # function_rows.row_key holds (pipelines/kpis.py: the key, else the first column) and its
    # timestamp columns; nothing else is in the list.
    expected = {
        name: (f"stg_{name}", table.key[0] if table.key else table.column_names[0], table.timestamp_columns)
        for name, table in TABLES.items()
        if table.timestamp_columns
    }
    assert questions._KPI_STAGING == expected
