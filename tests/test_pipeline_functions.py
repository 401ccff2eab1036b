"""Function KPIs (DESIGN.md "Function KPI", "Values"): count with `where`, sum, mean, and the status
bands at their exact boundaries, for both directions.

Zone UTC; weeks of 2026-01-05 (W1), 01-12 (W2) and 01-19 (W3); as_of Wednesday 2026-01-21.
"""

from __future__ import annotations

from pipeline_helpers import build_workspace, csv, d, query, toml

FUNCTIONS = """
[[functions]]
name = "Support"
kpi = "Tickets solved"
table = "tickets"
date_column = "solved_at"
measure = "count"
where = { status = "solved" }
target = 4
amber_band = 0.25

[[functions]]
name = "Operations"
kpi = "Urgent tickets opened"
table = "tickets"
date_column = "created_at"
measure = "count"
where = { priority = "urgent" }
target = 2
direction = "lower"
amber_band = 0.5

[[functions]]
name = "Engineering"
kpi = "Story points shipped"
table = "issues"
date_column = "resolved_at"
measure = "sum"
column = "story_points"
where = { issue_type = "story" }
target = 400
amber_band = 0.10

[[functions]]
name = "Quality"
kpi = "Mean bug size"
table = "issues"
date_column = "resolved_at"
measure = "mean"
column = "story_points"
where = { issue_type = "  BUG " }
target = 3
direction = "lower"
amber_band = 0.2
"""

KPIS = {
    "signups.csv": "user_id,signed_up_at\n",
    "events.csv": "user_id,event,occurred_at\n",
    # Status values as different tools write them; " SOLVED " keeps its spaces inside the quotes.
    "tickets.csv": csv("""
        ticket_id,created_at,solved_at,status,priority
        t01,2026-01-05T09:00:00Z,2026-01-05T10:00:00Z,solved,urgent
        t02,2026-01-06T09:00:00Z,2026-01-06T10:00:00Z,Solved,urgent
        t03,2026-01-07T09:00:00Z,2026-01-07T10:00:00Z," SOLVED ",low
        t04,2026-01-08T09:00:00Z,2026-01-08T10:00:00Z,solved ,low
        t05,2026-01-09T09:00:00Z,2026-01-09T10:00:00Z,open,low
        t06,2026-01-10T09:00:00Z,2026-01-10T10:00:00Z,unsolved,low
        t07,2026-01-12T09:00:00Z,2026-01-12T10:00:00Z,solved,urgent
        t08,2026-01-13T09:00:00Z,2026-01-13T10:00:00Z,solved,URGENT
        t09,2026-01-09T09:00:00Z,2026-01-14T10:00:00Z,solved,low
        t15,2026-01-14T09:00:00Z,,open,Urgent
        t10,2026-01-19T09:00:00Z,2026-01-19T10:00:00Z,solved,urgent
        t11,2026-01-19T09:00:00Z,2026-01-20T10:00:00Z,solved,urgent
        t12,2026-01-20T09:00:00Z,,solved,urgent
        t13,2026-01-20T09:00:00Z,2026-01-21T10:00:00Z,Closed,urgent
        """),
    "issues.csv": csv("""
        issue_key,issue_type,resolved_at,story_points
        I-1,story,2026-01-06T12:00:00Z,250
        I-2,Story,2026-01-07T12:00:00Z,150
        I-3,bug,2026-01-06T12:00:00Z,2
        I-4,bug,2026-01-08T12:00:00Z,4
        I-5,story,2026-01-13T12:00:00Z,200
        I-6,story,2026-01-14T12:00:00Z,160
        I-7,Bug,2026-01-13T12:00:00Z,3.2
        I-8,bug,2026-01-15T12:00:00Z,4.0
        I-9,story,2026-01-20T12:00:00Z,200
        I-10,story,2026-01-21T12:00:00Z,159.99
        I-11,bug,2026-01-20T12:00:00Z,3.61
        I-12,story,,999
        """),
}


def test_values_and_status_at_the_exact_band_boundaries(tmp_path):
    db = build_workspace(tmp_path, KPIS, toml(timezone="UTC", as_of="2026-01-21", extra=FUNCTIONS))
    rows = query(
        db,
        """select week_start, function, kpi, value, target, status, direction, amber_band
        from function_weekly order by function_order, week_start""",
    )
    assert rows == [
        # Support: tickets with status "solved" (any case, surrounding spaces ignored) by solved_at week.
        # Target 4, amber from 4 x (1 - 0.25) = 3.
        # W1: t01 solved, t02 Solved, t03 " SOLVED ", t04 "solved " = 4 (t05 open, t06 unsolved) -> = target -> green
        (d("2026-01-05"), "Support", "Tickets solved", 4.0, 4.0, "green", "higher", 0.25),
        # W2: t07, t08, t09 (created in W1, solved in W2) = 3 = 4 x 0.75 -> amber
        (d("2026-01-12"), "Support", "Tickets solved", 3.0, 4.0, "amber", "higher", 0.25),
        # W3: t10, t11 = 2 (t12 has no solved_at, t13 is Closed) -> below 3 -> red
        (d("2026-01-19"), "Support", "Tickets solved", 2.0, 4.0, "red", "higher", 0.25),
        # Operations: urgent tickets by created_at week, lower is better: green <= 2, amber <= 2 x 1.5 = 3.
        (d("2026-01-05"), "Operations", "Urgent tickets opened", 2.0, 2.0, "green", "lower", 0.5),  # t01, t02
        (d("2026-01-12"), "Operations", "Urgent tickets opened", 3.0, 2.0, "amber", "lower", 0.5),  # t07, t08, t15
        (d("2026-01-19"), "Operations", "Urgent tickets opened", 4.0, 2.0, "red", "lower", 0.5),  # t10-t13
        # Engineering: sum of story points of stories (I-2 "Story" included). Target 400, amber from 360.
        (d("2026-01-05"), "Engineering", "Story points shipped", 400.0, 400.0, "green", "higher", 0.10),  # 250 + 150
        (d("2026-01-12"), "Engineering", "Story points shipped", 360.0, 400.0, "amber", "higher", 0.10),  # 200 + 160
        # W3: 200 + 159.99 = 359.99 < 360 -> red (I-12 is not resolved)
        (d("2026-01-19"), "Engineering", "Story points shipped", 200 + 159.99, 400.0, "red", "higher", 0.10),
        # Quality: mean points of bugs (config value "  BUG " matches bug/Bug), lower is better:
        # green <= 3, amber <= 3 x 1.2 = 3.6 (3.5999999999999996 in binary: the boundary must still hold).
        (d("2026-01-05"), "Quality", "Mean bug size", 3.0, 3.0, "green", "lower", 0.2),  # (2 + 4) / 2 = 3
        (d("2026-01-12"), "Quality", "Mean bug size", 3.6, 3.0, "amber", "lower", 0.2),  # (3.2 + 4.0) / 2 = 3.6
        (d("2026-01-19"), "Quality", "Mean bug size", 3.61, 3.0, "red", "lower", 0.2),  # 3.61 > 3.6
    ]


def test_the_rows_behind_each_kpi(tmp_path):
    db = build_workspace(tmp_path, KPIS, toml(timezone="UTC", as_of="2026-01-21", extra=FUNCTIONS))
    rows = query(
        db, "select function, week_start, string_agg(row_key, ' ' order by row_key) from function_rows group by all"
    )
    assert sorted(rows) == [
        ("Engineering", d("2026-01-05"), "I-1 I-2"),
        ("Engineering", d("2026-01-12"), "I-5 I-6"),
        ("Engineering", d("2026-01-19"), "I-10 I-9"),
        ("Operations", d("2026-01-05"), "t01 t02"),
        ("Operations", d("2026-01-12"), "t07 t08 t15"),
        ("Operations", d("2026-01-19"), "t10 t11 t12 t13"),
        ("Quality", d("2026-01-05"), "I-3 I-4"),
        ("Quality", d("2026-01-12"), "I-7 I-8"),
        ("Quality", d("2026-01-19"), "I-11"),
        ("Support", d("2026-01-05"), "t01 t02 t03 t04"),
        ("Support", d("2026-01-12"), "t07 t08 t09"),
        ("Support", d("2026-01-19"), "t10 t11"),
    ]
