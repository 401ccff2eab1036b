"""Weeks shown (DESIGN.md "Weeks shown", "Out of range"): the week spine every weekly mart covers.

Zone Europe/London in January-February (GMT = UTC). 2026-01-05 is a Monday; as_of is 2026-02-10, a
Tuesday, so its week is 2026-02-09 and rows later that week are after as_of.
"""

from __future__ import annotations

from pipeline_helpers import build_workspace, csv, d, query, toml

SUPPORT = """
[[functions]]
name = "Support"
kpi = "Tickets solved"
table = "tickets"
date_column = "solved_at"
measure = "count"
target = 1
"""

FUNCTIONS = SUPPORT + """
[[functions]]
name = "Engineering"
kpi = "Mean story points"
table = "issues"
date_column = "resolved_at"
measure = "mean"
column = "story_points"
target = 4
"""

WEEKS = {
    "signups.csv": csv("""
        user_id,signed_up_at
        s1,2026-01-06T09:00:00Z
        s2,2026-01-21T09:00:00Z
        after_as_of,2026-02-11T09:00:00Z
        """),
    "events.csv": csv("""
        user_id,event,occurred_at
        s1,activated,2026-01-07T09:00:00Z
        s2,activated,2026-02-11T09:00:00Z
        after_as_of,activated,2026-02-11T10:00:00Z
        """),
    "tickets.csv": csv("""
        ticket_id,created_at,solved_at
        t1,2026-01-06T08:00:00Z,2026-01-06T12:00:00Z
        t2,2026-01-19T08:00:00Z,2026-01-20T12:00:00Z
        t3,2026-02-10T08:00:00Z,2026-02-11T09:00:00Z
        t4_next_midnight,2026-02-10T08:00:00Z,2026-02-11
        """),
    "issues.csv": csv("""
        issue_key,issue_type,resolved_at,story_points
        I-1,story,2026-01-07T10:00:00Z,3
        I-2,story,2026-01-08T10:00:00Z,5
        I-3,story,2026-02-11T10:00:00Z,100
        """),
    "meetings.csv": csv("""
        meeting_id,starts_at,ends_at
        m1,2026-01-06T10:00:00Z,2026-01-06T11:00:00Z
        m_after_as_of,2026-02-11T10:00:00Z,2026-02-11T11:00:00Z
        """),
    "attendees.csv": csv("""
        meeting_id,email
        m1,a@example.com
        m1,b@example.com
        m1,c@example.com
        m1,d@example.com
        m1,e@example.com
        m_after_as_of,a@example.com
        m_after_as_of,b@example.com
        """),
}

SPINE = [d("2026-01-05"), d("2026-01-12"), d("2026-01-19"), d("2026-01-26"), d("2026-02-02"), d("2026-02-09")]


def test_empty_weeks_show_zero_for_counts_and_sums_and_nothing_for_a_mean(tmp_path):
    db = build_workspace(tmp_path, WEEKS, toml(as_of="2026-02-10", extra=FUNCTIONS))
    rows = query(db, "select week_start, function, kpi, value, target, status from function_weekly order by 2, 1")
    assert rows == [
        # Mean story points per week, target 4 (higher): 01-05 has I-1 (3) and I-2 (5) -> (3 + 5) / 2 = 4 -> green.
        (d("2026-01-05"), "Engineering", "Mean story points", 4.0, 4.0, "green"),
        # No rows -> no value and no status; I-3 on 02-11 is after as_of (02-10) and counts nowhere.
        (d("2026-01-12"), "Engineering", "Mean story points", None, 4.0, None),
        (d("2026-01-19"), "Engineering", "Mean story points", None, 4.0, None),
        (d("2026-01-26"), "Engineering", "Mean story points", None, 4.0, None),
        (d("2026-02-02"), "Engineering", "Mean story points", None, 4.0, None),
        (d("2026-02-09"), "Engineering", "Mean story points", None, 4.0, None),
        # Tickets solved per week, target 1, amber from 1 x 0.9 = 0.9: 1 -> green, 0 -> red.
        (d("2026-01-05"), "Support", "Tickets solved", 1.0, 1.0, "green"),  # t1
        (d("2026-01-12"), "Support", "Tickets solved", 0.0, 1.0, "red"),
        (d("2026-01-19"), "Support", "Tickets solved", 1.0, 1.0, "green"),  # t2
        (d("2026-01-26"), "Support", "Tickets solved", 0.0, 1.0, "red"),
        (d("2026-02-02"), "Support", "Tickets solved", 0.0, 1.0, "red"),
        # t3 solved 02-11 09:00 and t4 solved 2026-02-11 (a bare date: local midnight starting 02-11) are
        # after as_of, the end of 02-10 -> 0.
        (d("2026-02-09"), "Support", "Tickets solved", 0.0, 1.0, "red"),
    ]


def test_rows_after_as_of_count_in_no_weekly_mart(tmp_path):
    db = build_workspace(tmp_path, WEEKS, toml(as_of="2026-02-10", extra=FUNCTIONS))
    cohorts = query(db, "select cohort_week, signups, activated, rate, mature from outcome_cohorts order by 1")
    assert cohorts == [
        # s1 activated after 1 day -> 1 of 1; mature: 01-05 + 37 days = 02-11 00:00 <= as_of (end of 02-10).
        (d("2026-01-05"), 1, 1, 1.0, True),
        (d("2026-01-12"), 0, 0, None, False),  # 01-12 + 37 = 02-18 > as_of
        # s2's milestone (02-11) is after as_of: it has not happened as of 02-10 -> 0 of 1.
        (d("2026-01-19"), 1, 0, 0.0, False),
        (d("2026-01-26"), 0, 0, None, False),
        (d("2026-02-02"), 0, 0, None, False),
        # after_as_of signed up 02-11, in this week but after as_of -> not counted.
        (d("2026-02-09"), 0, 0, None, False),
    ]
    coordination = query(
        db,
        """select week_start, meetings, hours, attendee_hours, cost, cross_functional_attendee_hours,
            unknown_cost_attendee_hours from coordination_weekly order by 1""",
    )
    # No people export: m1 is 1 h x 5 attendees = 5 attendee-hours, all of it at unknown cost. (m1 had
    # one attendee before one-person events were left out and a week needed 5 people to show hours.)
    # m_after_as_of (02-11) is after as_of: it stays in staging and counts in no week.
    assert coordination == [
        (d("2026-01-05"), 1, 1.0, 5.0, 0.0, 0.0, 5.0),
        (d("2026-01-12"), 0, 0.0, 0.0, 0.0, 0.0, 0.0),
        (d("2026-01-19"), 0, 0.0, 0.0, 0.0, 0.0, 0.0),
        (d("2026-01-26"), 0, 0.0, 0.0, 0.0, 0.0, 0.0),
        (d("2026-02-02"), 0, 0.0, 0.0, 0.0, 0.0, 0.0),
        (d("2026-02-09"), 0, 0.0, 0.0, 0.0, 0.0, 0.0),
    ]
    # ...but they stay in staging.
    assert query(db, "select count(*) from stg_signups where user_id = 'after_as_of'") == [(1,)]
    assert query(db, "select count(*) from stg_meetings where meeting_id = 'm_after_as_of'") == [(1,)]
    assert query(db, "select count(*) from stg_tickets where ticket_id = 't3'") == [(1,)]


def test_every_weekly_mart_covers_exactly_the_weeks_shown(tmp_path):
    db = build_workspace(tmp_path, WEEKS, toml(as_of="2026-02-10", extra=FUNCTIONS))
    # From the first week with a sign-up or a KPI row (s1, t1, I-1: 01-05) to the week of as_of (02-09).
    assert [row[0] for row in query(db, "select week_start from weeks order by 1")] == SPINE
    for mart, column in [
        ("outcome_cohorts", "cohort_week"),
        ("coordination_weekly", "week_start"),
        ("signature_weekly", "week_start"),
    ]:
        assert [row[0] for row in query(db, f"select {column} from {mart} order by 1")] == SPINE, mart
    # function_weekly: every function in every week, once.
    for function in ("Support", "Engineering"):
        weeks = query(db, "select week_start from function_weekly where function = ? order by 1", [function])
        assert [row[0] for row in weeks] == SPINE, function


def test_start_in_the_config_sets_the_first_week_shown(tmp_path):
    # start = Wednesday 2025-12-31 -> its week, Monday 2025-12-29, is the first shown, before any data.
    db = build_workspace(tmp_path, WEEKS, toml(as_of="2026-02-10", start="2025-12-31", extra=FUNCTIONS), "early")
    for mart, column in [("outcome_cohorts", "cohort_week"), ("coordination_weekly", "week_start")]:
        assert [row[0] for row in query(db, f"select {column} from {mart} order by 1")] == [d("2025-12-29"), *SPINE]
    # An empty week before the data: 0 sign-ups, no rate; 12-29 + 37 days = 2026-02-04 <= as_of -> mature.
    first = query(db, "select cohort_week, signups, activated, rate, mature from outcome_cohorts order by 1 limit 1")
    assert first == [(d("2025-12-29"), 0, 0, None, True)]
    # start = Wednesday 2026-01-14 -> first week 01-12: s1, t1, I-1 and m1 (week 01-05) stay in staging only.
    db = build_workspace(tmp_path, WEEKS, toml(as_of="2026-02-10", start="2026-01-14", extra=FUNCTIONS), "late")
    assert [row[0] for row in query(db, "select week_start from weeks order by 1")] == SPINE[1:]
    assert query(db, "select sum(signups) from outcome_cohorts") == [(1,)]  # s2 only
    assert query(db, "select sum(value) from function_weekly where function = 'Support'") == [(1.0,)]  # t2 only
    assert query(db, "select sum(meetings) from coordination_weekly") == [(0,)]  # m1 is before the first week
    assert query(db, "select count(*) from stg_signups where user_id = 's1'") == [(1,)]


def test_as_of_on_a_sunday_ends_the_weeks_with_that_sunday_s_week(tmp_path):
    files = {
        "signups.csv": csv("""
            user_id,signed_up_at
            s1,2026-01-06T09:00:00Z
            sunday_night,2026-02-08T23:59:00Z
            monday_midnight,2026-02-09T00:00:00Z
            """),
        "events.csv": "user_id,event,occurred_at\n",
    }
    db = build_workspace(tmp_path, files, toml(as_of="2026-02-08"))
    # as_of 2026-02-08 is a Sunday: the data run to the end of that day, which is in the week of 02-02.
    # Monday 02-09 00:00 is the next day: after as_of, so neither its week nor the sign-up is shown.
    # No events: rates 0; as_of = 02-09 00:00, so no cohort is mature (01-05 + 37 days = 02-11).
    rows = query(db, "select cohort_week, signups, activated, rate, mature from outcome_cohorts order by 1")
    assert rows == [
        (d("2026-01-05"), 1, 0, 0.0, False),
        (d("2026-01-12"), 0, 0, None, False),
        (d("2026-01-19"), 0, 0, None, False),
        (d("2026-01-26"), 0, 0, None, False),
        (d("2026-02-02"), 1, 0, 0.0, False),  # sunday_night, 23:59 on the as_of day
    ]
    assert query(db, "select as_of_date from as_of") == [(d("2026-02-08"),)]


def test_without_as_of_the_data_run_to_the_latest_sign_up_or_event(tmp_path):
    files = {
        "signups.csv": csv("""
            user_id,signed_up_at
            s1,2026-01-06T09:00:00Z
            s2,2026-01-21T09:00:00Z
            """),
        # The latest timestamp of sign-ups and events: s2's milestone, Wednesday 2026-02-11 09:00 UTC.
        "events.csv": csv("""
            user_id,event,occurred_at
            s1,activated,2026-01-07T09:00:00Z
            s2,activated,2026-02-11T09:00:00Z
            """),
        "tickets.csv": csv("""
            ticket_id,created_at,solved_at
            t1,2026-02-11T08:00:00Z,2026-02-11T09:00:00Z
            t2,2026-02-11T08:00:00Z,2026-02-11T09:00:01Z
            """),
    }
    db = build_workspace(tmp_path, files, toml(extra=SUPPORT))
    assert query(db, "select as_of::varchar from build_info") == [("2026-02-11 09:00:00+00",)]
    cohorts = query(db, "select cohort_week, signups, activated, rate, mature from outcome_cohorts order by 1")
    assert cohorts == [
        # s1: 1 of 1; mature when 01-05 + 37 days = 02-11 00:00 <= 02-11 09:00.
        (d("2026-01-05"), 1, 1, 1.0, True),
        (d("2026-01-12"), 0, 0, None, False),
        # s2 activated at as_of itself (02-11 09:00): at as_of counts -> 1 of 1 (21 days, inside 30).
        (d("2026-01-19"), 1, 1, 1.0, False),
        (d("2026-01-26"), 0, 0, None, False),
        (d("2026-02-02"), 0, 0, None, False),
        (d("2026-02-09"), 0, 0, None, False),
    ]
    # t1 solved at as_of counts; t2, one second later, does not.
    assert query(db, "select week_start, value from function_weekly where value > 0") == [(d("2026-02-09"), 1.0)]
