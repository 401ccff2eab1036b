"""Coordination models, hand-worked (DESIGN.md "Coordination"; docs/outcome-view.md for the rules
Seams adds): exclusions, cost by series, the seam matrix, over-collaboration, before/after an org
change, and the privacy floor. Zone Europe/London; March is GMT until the clocks go forward at
01:00 on Sunday 2026-03-29. Naive times below are local.
"""

from __future__ import annotations

import duckdb
from pipeline_helpers import build_workspace, csv, d, query, toml

from pipelines import query as queries


def records(frame, columns: list[str]) -> list[dict]:
    """Rows of a query answer as dicts, an empty number (NaN) as None."""
    return [
        {k: (None if isinstance(v, float) and v != v else v) for k, v in row.items()}
        for row in frame[columns].to_dict("records")
    ]

# ---------------------------------------------------------------------------------------- exclusions
# broadcast_size 4 and min_group_size 2, so that a handful of attendees shows every rule.
EXCLUSIONS = {
    "signups.csv": "user_id,signed_up_at\ns1,2026-03-03 09:00\n",
    "events.csv": "user_id,event,occurred_at\n",
    "meetings.csv": csv("""
        meeting_id,starts_at,ends_at,title
        e1,2026-03-03 00:00,2026-03-04 00:00,Offsite
        e2,2026-03-05,2026-03-07,Conference
        e3,2026-03-29 00:00,2026-03-30 00:00,The day the clocks change
        e4,2026-03-10 00:00,2026-03-10 02:00,Midnight deploy
        e5,2026-03-11 10:00,2026-03-11 11:00,Town hall
        e6,2026-03-11 14:00,2026-03-11 15:00,Planning
        e7,2026-03-12 10:00,2026-03-12 10:30,Focus time
        e8,2026-03-12 11:00,2026-03-12 12:00,Room hold
        e9,2026-03-17 10:00,2026-03-17 11:00,Sync
        e10,2026-04-01 10:00,2026-04-01 11:00,After as_of
        """),
    "attendees.csv": csv("""
        meeting_id,email,response
        e1,a@x.io,accepted
        e1,b@x.io,accepted
        e2,a@x.io,accepted
        e3,a@x.io,accepted
        e3,b@x.io,accepted
        e4,a@x.io,accepted
        e4,b@x.io,accepted
        e5,a@x.io,accepted
        e5,b@x.io,accepted
        e5,c@x.io,tentative
        e5,d@x.io,
        e5,e@x.io,accepted
        e5,f@x.io,declined
        e6,a@x.io,accepted
        e6,b@x.io,accepted
        e6,c@x.io,accepted
        e6,d@x.io,accepted
        e6,e@x.io,declined
        e6,f@x.io,declined
        e7,a@x.io,accepted
        e7,b@x.io,declined
        e9,a@x.io,accepted
        e9,b@x.io,accepted
        e10,a@x.io,accepted
        """),
}
EXCLUSIONS_CONFIG = toml(as_of="2026-03-31", start="2026-03-02", extra="""
    [coordination]
    broadcast_size = 4
    min_group_size = 2
    """)


def test_all_day_broadcast_and_one_person_meetings_are_left_out_with_their_reason(tmp_path):
    db = build_workspace(tmp_path, EXCLUSIONS, EXCLUSIONS_CONFIG)
    rows = query(
        db, "select meeting_id, week_start, hours, attendees, rule, reason from meeting_exclusions order by starts_at"
    )
    assert rows == [
        # Tuesday 00:00 -> Wednesday 00:00 local: one whole day.
        ("e1", d("2026-03-02"), 24.0, 2, "all_day", "all-day event"),
        # Bare dates are local midnight: Thursday -> Saturday, two days; its one attendee would make it a
        # one-person event too, but the first rule that matches names the reason.
        ("e2", d("2026-03-02"), 48.0, 1, "all_day", "all-day event"),
        # 5 attendees did not decline (tentative and blank count; f declined): 5 > 4 -> a broadcast.
        ("e5", d("2026-03-09"), 1.0, 5, "broadcast", "broadcast (more than 4 attendees)"),
        # b declined, a alone: 1 < 2.
        ("e7", d("2026-03-09"), 0.5, 1, "one_person", "one-person event (fewer than 2 attendees)"),
        # No attendee rows at all: 0 < 2.
        ("e8", d("2026-03-09"), 1.0, 0, "one_person", "one-person event (fewer than 2 attendees)"),
        # Sunday 00:00 GMT -> Monday 00:00 BST: 23 elapsed hours, still one local day (week of Monday 03-23).
        ("e3", d("2026-03-23"), 23.0, 2, "all_day", "all-day event"),
    ]
    # e4 starts at midnight but lasts 2 h: not all-day. e6 has 4 attendees (e, f declined): 4 is not more
    # than 4. e9 is a plain meeting. e10 (04-01) is after as_of (end of 03-31): judged by no rule, counted
    # nowhere.
    counted = query(db, "select meeting_id, week_start, hours, attendees, attendee_hours from coordination_meetings")
    assert sorted(counted) == [
        ("e4", d("2026-03-09"), 2.0, 2, 4.0),  # 2 h x 2
        ("e6", d("2026-03-09"), 1.0, 4, 4.0),  # 1 h x 4
        ("e9", d("2026-03-16"), 1.0, 2, 2.0),  # 1 h x 2
    ]
    attended = query(db, "select distinct meeting_id from meeting_attendance order by 1")
    assert attended == [("e4",), ("e6",), ("e9",)]


def test_excluded_meetings_count_in_no_week(tmp_path):
    db = build_workspace(tmp_path, EXCLUSIONS, EXCLUSIONS_CONFIG)
    rows = query(
        db, "select week_start, meetings, hours, attendee_hours, people, is_hidden from coordination_weekly order by 1"
    )
    assert rows == [
        (d("2026-03-02"), 0, 0.0, 0.0, 0, False),  # e1 and e2 are all-day events
        # e4 + e6: 2 h + 1 h = 3 h; 4 + 4 = 8 attendee-hours; people a, b, c, d = 4 (>= 2, shown).
        (d("2026-03-09"), 2, 3.0, 8.0, 4, False),
        (d("2026-03-16"), 1, 1.0, 2.0, 2, False),  # e9: 1 h x 2
        (d("2026-03-23"), 0, 0.0, 0.0, 0, False),  # e3 is all-day
        (d("2026-03-30"), 0, 0.0, 0.0, 0, False),  # e10 is after as_of
    ]


def test_the_data_page_counts_excluded_meetings_by_reason(tmp_path):
    db = build_workspace(tmp_path, EXCLUSIONS, EXCLUSIONS_CONFIG)
    with duckdb.connect(str(db), read_only=True) as con:
        summary = queries.excluded_meetings_summary(con)
        listed = queries.excluded_meetings(con)
    assert summary.to_dict("records") == [
        {"reason": "all-day event", "meetings": 3},  # e1, e2, e3
        {"reason": "broadcast (more than 4 attendees)", "meetings": 1},  # e5
        {"reason": "one-person event (fewer than 2 attendees)", "meetings": 2},  # e7, e8
    ]
    assert list(listed["meeting_id"]) == ["e1", "e2", "e5", "e7", "e8", "e3"]
    assert list(listed["title"]) == ["Offsite", "Conference", "Town hall", "Focus time", "Room hold",
                                     "The day the clocks change"]


def test_broadcast_size_defaults_to_25_attendees(tmp_path):
    emails = [f"p{i:02d}@x.io" for i in range(26)]
    files = {
        **EXCLUSIONS,
        "meetings.csv": "meeting_id,starts_at,ends_at\nbig,2026-03-03 10:00,2026-03-03 11:00\n"
        "full,2026-03-04 10:00,2026-03-04 11:00\n",
        "attendees.csv": "meeting_id,email\n"
        + "".join(f"big,{e}\n" for e in emails)
        + "".join(f"full,{e}\n" for e in emails[:25]),
    }
    db = build_workspace(tmp_path, files, toml(as_of="2026-03-31", start="2026-03-02"))
    # big: 26 attendees > 25 -> a broadcast; full: 25 is not more than 25 -> counted.
    assert query(db, "select meeting_id, attendees, reason from meeting_exclusions") == [
        ("big", 26, "broadcast (more than 25 attendees)")
    ]
    assert query(db, "select meeting_id, attendee_hours from coordination_meetings") == [("full", 25.0)]


# ------------------------------------------------------------------ series, seams and the privacy floor
# min_group_size 3; outcome window 7 days, so a cohort is mature once week start + 14 days <= as_of
# (end of 04-30, i.e. 05-01 00:00): cohorts up to 04-13 are mature, 04-20 and 04-27 are not.
SERIES = {
    "signups.csv": csv("""
        user_id,signed_up_at
        u1,2026-03-03 09:00
        u2,2026-03-03 09:00
        u3,2026-03-03 09:00
        u4,2026-03-03 09:00
        u5,2026-03-17 09:00
        u6,2026-03-17 09:00
        u7,2026-03-17 09:00
        u8,2026-03-17 09:00
        u9,2026-03-24 09:00
        u10,2026-03-24 09:00
        u11,2026-04-28 09:00
        """),
    "events.csv": csv("""
        user_id,event,occurred_at
        u1,activated,2026-03-04 09:00
        u5,activated,2026-03-18 09:00
        """),
    "people.csv": csv("""
        email,function,hourly_cost
        ann@x.io,Sales,100
        ben@x.io, sales ,50
        cat@x.io,Support,40
        dan@x.io,Support,
        eve@x.io,Product,80
        fay@x.io,Product,60
        """),
    "meetings.csv": csv("""
        meeting_id,starts_at,ends_at,title,series_id
        m1,2026-03-03 10:00,2026-03-03 11:00,Alignment sync,sync-1
        p1,2026-03-04 12:00,2026-03-04 12:30,1:1 Ann / Ben,pair-1
        b1,2026-03-10 14:00,2026-03-10 15:00,Bug triage,
        m2,2026-03-17 10:00,2026-03-17 11:00,Alignment sync (moved),sync-1
        p2,2026-03-18 12:00,2026-03-18 12:30,1:1 Ann / Ben,pair-1
        b3,2026-03-24 10:00,2026-03-24 11:00,Bug triage,
        b2,2026-04-28 09:00,2026-04-28 09:30,Bug triage,
        """),
    "attendees.csv": csv("""
        meeting_id,email
        m1,ann@x.io
        m1,cat@x.io
        m1,eve@x.io
        m1,gus@outside.example
        p1,ann@x.io
        p1,ben@x.io
        b1,cat@x.io
        b1,dan@x.io
        b1,ben@x.io
        m2,ann@x.io
        m2,cat@x.io
        m2,eve@x.io
        m2,fay@x.io
        p2,ann@x.io
        p2,ben@x.io
        b3,cat@x.io
        b3,dan@x.io
        b2,cat@x.io
        b2,dan@x.io
        b2,eve@x.io
        """),
}
SERIES_CONFIG = toml(as_of="2026-04-30", start="2026-03-02", window_days=7, extra="""
    [coordination]
    min_group_size = 3
    """)
# Cohorts: 03-02: u1-u4, u1 activated -> 1/4 = 0.25; 03-09: none (no rate); 03-16: u5-u8, u5 -> 0.25;
# 03-23: u9, u10 -> 0/2 = 0.0; 04-27: u11, not mature.
# People: ann Sales 100/h, ben " sales " (Sales) 50, cat Support 40, dan Support (no cost), eve Product 80,
# fay Product 60; gus is not in people (no function, no cost).


def test_cost_by_meeting_series(tmp_path):
    db = build_workspace(tmp_path, SERIES, SERIES_CONFIG)
    rows = query(
        db,
        """select series_ref, series_kind, title, first_week, last_week, weeks_with_meetings, meetings, hours,
            attendee_hours, cost, unknown_cost_attendee_hours, people, functions, function_names,
            round(cross_functional_share, 6), first_week_rate, last_week_rate, outcome_change, is_outcome_flat,
            is_hidden
        from coordination_series order by series_ref""",
    )
    assert rows == [
        # p1, p2: ann and ben, 2 people < 3 -> no hours and no cost. Both Sales -> 1 function, not cross.
        # Its life: cohort 03-02 (0.25) to cohort 03-16 (0.25): change 0.0 < 0.01, both below 0.40 -> flat.
        ("pair-1", "series_id", "1:1 Ann / Ben", d("2026-03-02"), d("2026-03-16"), 2, 2, None,
         None, None, None, 2, 1, "Sales", None, 0.25, 0.25, 0.0, True, True),
        # m1: ann 100 + cat 40 + eve 80 = 220, gus 1 h unknown; m2: 100 + 40 + 80 + fay 60 = 280.
        # 2 meetings of 1 h: 2 h; 4 + 4 = 8 attendee-hours; cost 500; 1 h unknown. People ann, cat, eve, gus,
        # fay = 5; functions Product, Sales, Support (gus has none); every hour cross-functional: 8/8.
        # The title is the latest meeting's. Outcome: 0.25 (03-02) -> 0.25 (03-16): flat.
        ("sync-1", "series_id", "Alignment sync (moved)", d("2026-03-02"), d("2026-03-16"), 2, 2, 2.0,
         8.0, 500.0, 1.0, 5, 3, "Product, Sales, Support", 1.0, 0.25, 0.25, 0.0, True, False),
        # No series_id: grouped by title. b1 1 h: cat 40 + ben 50 = 90, dan 1 h unknown (Support + Sales:
        # cross); b3 1 h: cat 40, dan 1 h unknown (Support only); b2 0.5 h: cat 20 + eve 40 = 60, dan 0.5 h
        # unknown (Support + Product: cross). Hours 2.5; attendee-hours 3 + 2 + 1.5 = 6.5; cost 190;
        # unknown 2.5; people cat, dan, ben, eve = 4; cross-functional (3 + 1.5) / 6.5 = 0.692308.
        # Outcome: cohort 03-09 has no sign-ups (no rate) and 04-27 is not mature -> no change, not flat.
        ("title: Bug triage", "title", "Bug triage", d("2026-03-09"), d("2026-04-27"), 3, 3, 2.5,
         6.5, 190.0, 2.5, 4, 3, "Product, Sales, Support", 0.692308, None, None, None, False, False),
    ]


def test_seam_matrix_per_week_and_in_total(tmp_path):
    db = build_workspace(tmp_path, SERIES, SERIES_CONFIG)
    rows = query(
        db,
        """select week_start, is_total, function_a, function_b, meetings, people, attendee_hours, cost,
            unknown_cost_attendee_hours, is_hidden
        from seam_matrix order by is_total, week_start, function_a, function_b""",
    )
    assert rows == [
        # m1 (1 h): Sales ann, Support cat, Product eve -> three seams of 2 people each: < 3, hidden.
        (d("2026-03-02"), False, "Product", "Sales", 1, 2, None, None, None, True),
        (d("2026-03-02"), False, "Product", "Support", 1, 2, None, None, None, True),
        (d("2026-03-02"), False, "Sales", "Support", 1, 2, None, None, None, True),
        # p1 is Sales only: no seam. b1 (1 h): ben " sales " is Sales; cat and dan Support -> 3 people,
        # 3 attendee-hours, cost 50 + 40 = 90, dan's hour unknown.
        (d("2026-03-09"), False, "Sales", "Support", 1, 3, 3.0, 90.0, 1.0, False),
        # m2 (1 h): Product eve + fay with Sales ann: 3 h, 80 + 60 + 100 = 240; with Support cat: 3 h,
        # 80 + 60 + 40 = 180; Sales ann with Support cat: 2 people, hidden.
        (d("2026-03-16"), False, "Product", "Sales", 1, 3, 3.0, 240.0, 0.0, False),
        (d("2026-03-16"), False, "Product", "Support", 1, 3, 3.0, 180.0, 0.0, False),
        (d("2026-03-16"), False, "Sales", "Support", 1, 2, None, None, None, True),
        # b3 is Support only. b2 (0.5 h): Product eve with Support cat and dan: 1.5 h, 40 + 20 = 60, 0.5 unknown.
        (d("2026-04-27"), False, "Product", "Support", 1, 3, 1.5, 60.0, 0.5, False),
        # All weeks: Product-Sales m1 + m2: 2 + 3 = 5 h, 180 + 240 = 420, people eve, ann, fay.
        (None, True, "Product", "Sales", 2, 3, 5.0, 420.0, 0.0, False),
        # Product-Support m1 + m2 + b2: 2 + 3 + 1.5 = 6.5 h, 120 + 180 + 60 = 360, people eve, cat, fay, dan.
        (None, True, "Product", "Support", 3, 4, 6.5, 360.0, 0.5, False),
        # Sales-Support m1 + b1 + m2: 2 + 3 + 2 = 7 h, 140 + 90 + 140 = 370, people ann, cat, ben, dan.
        (None, True, "Sales", "Support", 3, 4, 7.0, 370.0, 1.0, False),
    ]


def test_the_seam_matrix_query_fills_both_halves(tmp_path):
    db = build_workspace(tmp_path, SERIES, SERIES_CONFIG)
    with duckdb.connect(str(db), read_only=True) as con:
        total = queries.seam_matrix(con)
        week = queries.seam_matrix(con, d("2026-03-09"))
        functions = queries.seam_functions(con)
    pairs = total[["row_function", "column_function", "attendee_hours"]].values.tolist()
    assert pairs == [
        ["Product", "Sales", 5.0],
        ["Product", "Support", 6.5],
        ["Sales", "Product", 5.0],
        ["Sales", "Support", 7.0],
        ["Support", "Product", 6.5],
        ["Support", "Sales", 7.0],
    ]
    assert week[["row_function", "column_function", "attendee_hours"]].values.tolist() == [
        ["Sales", "Support", 3.0],
        ["Support", "Sales", 3.0],
    ]
    assert functions == ["Product", "Sales", "Support"]


def test_privacy_floor_hides_hours_and_cost_of_small_groups(tmp_path):
    db = build_workspace(tmp_path, SERIES, SERIES_CONFIG)
    rows = query(
        db,
        """select week_start, meetings, hours, attendee_hours, cost, cross_functional_attendee_hours,
            unknown_cost_attendee_hours, people, is_hidden
        from coordination_weekly where meetings > 0 order by 1""",
    )
    assert rows == [
        # m1 + p1: 1 + 0.5 = 1.5 h; 4 + 1 = 5 attendee-hours; 220 + (50 + 25) = 295; cross m1: 4;
        # unknown gus 1; people ann, cat, eve, gus, ben = 5 >= 3.
        (d("2026-03-02"), 2, 1.5, 5.0, 295.0, 4.0, 1.0, 5, False),
        (d("2026-03-09"), 1, 1.0, 3.0, 90.0, 3.0, 1.0, 3, False),  # b1: cat, dan, ben
        # m2 + p2: 1.5 h; 4 + 1 = 5; 280 + 75 = 355; cross 4; people ann, cat, eve, fay, ben = 5.
        (d("2026-03-16"), 2, 1.5, 5.0, 355.0, 4.0, 0.0, 5, False),
        # b3: cat and dan only: 2 people < 3 -> the week's hours and cost are hidden; the meeting count stays.
        (d("2026-03-23"), 1, None, None, None, None, None, 2, True),
        (d("2026-04-27"), 1, 0.5, 1.5, 60.0, 1.5, 0.5, 3, False),  # b2: cat, dan, eve
    ]
    # The rows behind week 03-02: m1 has 4 attendees (>= 3): shown; p1 has 2: its hours and cost stay empty.
    with duckdb.connect(str(db), read_only=True) as con:
        meetings = queries.coordination_meeting_rows(con, d("2026-03-02"))
        sync = queries.coordination_meeting_rows(con, None, "sync-1")
    assert records(meetings, ["meeting_id", "attendees", "is_hidden", "hours", "attendee_hours", "cost"]) == [
        {"meeting_id": "m1", "attendees": 4, "is_hidden": False, "hours": 1.0, "attendee_hours": 4.0, "cost": 220.0},
        {"meeting_id": "p1", "attendees": 2, "is_hidden": True, "hours": None, "attendee_hours": None, "cost": None},
    ]
    assert list(sync["meeting_id"]) == ["m1", "m2"]


def test_no_coordination_table_or_answer_has_a_per_person_grain(tmp_path):
    db = build_workspace(tmp_path, SERIES, SERIES_CONFIG)
    marts = ["coordination_weekly", "coordination_series", "seam_matrix", "over_collaboration_weekly",
             "org_change_comparison", "meeting_exclusions"]
    for mart in marts:
        columns = [row[0] for row in query(db, f"select column_name from (describe {mart})")]
        assert not {"email", "hourly_cost", "organizer"} & set(columns), mart
    with duckdb.connect(str(db), read_only=True) as con:
        answers = [
            queries.coordination_series(con),
            queries.seam_matrix(con),
            queries.coordination_meeting_rows(con),
            queries.excluded_meetings(con),
            queries.over_collaboration_weekly(con),
        ]
    for answer in answers:
        assert not {"email", "hourly_cost", "organizer"} & set(answer.columns)


# --------------------------------------------------------- over-collaboration and before/after a change
# Outcome window 7 days; as_of Sunday 04-19 (end of day: 04-20 00:00), so cohorts up to 04-06 are mature
# and 04-13 is not. Weeks W0 03-02 ... W6 04-13. comparison_weeks 3. Everyone costs 10/h.
def _signups() -> tuple[str, str]:
    """W0-W3 (03-03 ... 03-24): 20 sign-ups, 5 activated the same day -> 0.25 each (enough sign-ups for
    the stall rule's interval to be narrower than the gap to target); W4 (03-31) and W5 (04-07): 10
    sign-ups, 5 activated -> 0.5; W6 (04-14): 2 sign-ups, none activated (not mature)."""
    days = [("03-03", 20, 5), ("03-10", 20, 5), ("03-17", 20, 5), ("03-24", 20, 5), ("03-31", 10, 5),
            ("04-07", 10, 5), ("04-14", 2, 0)]
    signups, events = ["user_id,signed_up_at"], ["user_id,event,occurred_at"]
    for day, count, activated in days:
        for i in range(count):
            user = f"u{day}-{i}"
            signups.append(f"{user},2026-{day} 09:00")
            if i < activated:
                events.append(f"{user},activated,2026-{day} 18:00")
    return "\n".join(signups) + "\n", "\n".join(events) + "\n"


SIGNUPS, EVENTS = _signups()
ABCDE = ["a", "b", "c", "d", "e"]
ALL = [*ABCDE, "f"]
# (meeting, start, end, attendees): a, b, c are Sales; d, e, f Support.
CHANGE_MEETINGS = [
    ("w0", "2026-03-03 10:00", "2026-03-03 12:00", ABCDE),  # 2 h x 5 = 10 attendee-hours, cross
    ("w1", "2026-03-10 10:00", "2026-03-10 12:00", ABCDE),  # 10, cross
    ("w2", "2026-03-17 10:00", "2026-03-17 12:00", ABCDE),  # 10, cross
    ("w3", "2026-03-24 10:00", "2026-03-24 12:00", ALL),  # 2 h x 6 = 12, cross
    ("w4s", "2026-03-31 10:00", "2026-03-31 11:00", ["a", "b", "c"]),  # 3, Sales only
    ("w4t", "2026-03-31 14:00", "2026-03-31 15:00", ["d", "e", "f"]),  # 3, Support only
    ("w5s", "2026-04-07 10:00", "2026-04-07 11:00", ["a", "b", "c"]),  # 3
    ("w5t", "2026-04-07 14:00", "2026-04-07 15:00", ["d", "e", "f"]),  # 3
    ("w6", "2026-04-14 10:00", "2026-04-14 13:00", ALL),  # 3 h x 6 = 18, cross
]
CHANGE = {
    "signups.csv": SIGNUPS,
    "events.csv": EVENTS,
    "people.csv": "email,function,hourly_cost\n"
    + "".join(f"{p}@x.io,{'Sales' if p in 'abc' else 'Support'},10\n" for p in ALL),
    "meetings.csv": "meeting_id,starts_at,ends_at\n" + "".join(f"{m},{s},{e}\n" for m, s, e, _ in CHANGE_MEETINGS),
    "attendees.csv": "meeting_id,email\n"
    + "".join(f"{m},{p}@x.io\n" for m, _, _, people in CHANGE_MEETINGS for p in people),
}
CHANGE_EXTRA = """
    [coordination]
    comparison_weeks = 3
    {floor}

    [[org_changes]]
    changed_on = 2026-04-01
    label = "Team formed"

    [[org_changes]]
    changed_on = 2026-04-15
    label = "Late change"
    """
CHANGE_CONFIG = toml(as_of="2026-04-19", start="2026-03-02", window_days=7, extra=CHANGE_EXTRA.format(floor=""))


def test_over_collaboration_is_hours_rising_while_the_outcome_is_stalled(tmp_path):
    db = build_workspace(tmp_path, CHANGE, CHANGE_CONFIG)
    rows = query(
        db,
        """select week_start, attendee_hours, window_first_week, window_first_attendee_hours, hours_rise,
            is_hours_rising, outcome_stalled, outcome_rate, is_over_collaboration
        from over_collaboration_weekly order by week_start""",
    )
    assert rows == [
        # The window is the 4 stall weeks ending at W: W0-W2 reach before the first week shown -> no rise.
        (d("2026-03-02"), 10.0, None, None, None, False, False, 0.25, False),
        (d("2026-03-09"), 10.0, None, None, None, False, False, 0.25, False),
        (d("2026-03-16"), 10.0, None, None, None, False, False, 0.25, False),
        # 12 / 10 - 1 = 0.20 >= 0.15, and cohorts 03-02..03-23 are mature, all 0.25 < 0.40, gain 0 < 0.01:
        # stalled -> over-collaboration.
        (d("2026-03-23"), 12.0, d("2026-03-02"), 10.0, 0.2, True, True, 0.25, True),
        # 6 / 10 - 1 = -0.40; cohort 03-30 is at 0.50 >= target: not stalled.
        (d("2026-03-30"), 6.0, d("2026-03-09"), 10.0, -0.4, False, False, 0.5, False),
        (d("2026-04-06"), 6.0, d("2026-03-16"), 10.0, -0.4, False, False, 0.5, False),
        # 18 / 12 - 1 = 0.50: hours rising, but cohort 04-13 is not mature, so the outcome is not stalled.
        (d("2026-04-13"), 18.0, d("2026-03-23"), 12.0, 0.5, True, False, 0.0, False),
    ]


def test_before_and_after_an_org_change_in_equal_windows(tmp_path):
    db = build_workspace(tmp_path, CHANGE, CHANGE_CONFIG)
    rows = query(
        db,
        """select changed_on, label, window_name, window_start, window_end, weeks, first_week, last_week,
            meetings, meetings_per_week, attendee_hours_per_week, cost_per_week, cross_functional_share, people,
            is_hidden, mature_cohorts, immature_cohorts, first_immature_week, mature_signups, mature_activated,
            mature_rate
        from org_change_comparison order by changed_on, window_name desc""",
    )
    assert rows == [
        # Wednesday 04-01 is in week 03-30. Before: the 3 weeks 03-09..03-23 (w1, w2, w3): (10 + 10 + 12) / 3
        # attendee-hours a week, x 10/h for cost; all cross-functional; a..f = 6 people; cohorts 03-09..03-23
        # mature: 15 of 60 -> 0.25.
        (d("2026-04-01"), "Team formed", "before", d("2026-03-09"), d("2026-03-23"), 3, d("2026-03-09"),
         d("2026-03-23"), 3, 1.0, 32 / 3, 320 / 3, 1.0, 6, False, 3, 0, None, 60, 15, 0.25),
        # After: 03-30..04-13 (the change's week first): w4s, w4t, w5s, w5t, w6 = 5 meetings; 6 + 6 + 18 = 30
        # attendee-hours -> 10 a week, cost 100; cross-functional 18 / 30 = 0.6; cohort 04-13 is not mature
        # yet, so the outcome is 03-30 and 04-06: 10 of 20 -> 0.5.
        (d("2026-04-01"), "Team formed", "after", d("2026-03-30"), d("2026-04-13"), 3, d("2026-03-30"),
         d("2026-04-13"), 5, 5 / 3, 10.0, 100.0, 0.6, 6, False, 2, 1, d("2026-04-13"), 20, 10, 0.5),
        # Wednesday 04-15 is in week 04-13. Before: 03-23..04-06: w3, w4s, w4t, w5s, w5t: (12 + 6 + 6) / 3 = 8
        # a week, cost 80, cross 12 / 24 = 0.5; cohorts 20 + 10 + 10 sign-ups, 5 + 5 + 5 activated -> 15/40.
        (d("2026-04-15"), "Late change", "before", d("2026-03-23"), d("2026-04-06"), 3, d("2026-03-23"),
         d("2026-04-06"), 5, 5 / 3, 8.0, 80.0, 0.5, 6, False, 3, 0, None, 40, 15, 0.375),
        # After: 04-13..04-27, but the last week shown is 04-13: the window has 1 week (w6: 18 h, cost 180,
        # cross-functional), and its only cohort is not mature: no outcome yet.
        (d("2026-04-15"), "Late change", "after", d("2026-04-13"), d("2026-04-27"), 1, d("2026-04-13"),
         d("2026-04-13"), 1, 1.0, 18.0, 180.0, 1.0, 6, False, 0, 1, d("2026-04-13"), 0, 0, None),
    ]


def test_the_comparison_query_adds_the_change_after_minus_before(tmp_path):
    db = build_workspace(tmp_path, CHANGE, CHANGE_CONFIG)
    with duckdb.connect(str(db), read_only=True) as con:
        dates = queries.org_change_dates(con)
        rows = queries.org_change_comparison(con, d("2026-04-01"))
    assert [(r.changed_on.date(), r.label) for r in dates.itertuples()] == [
        (d("2026-04-01"), "Team formed"),
        (d("2026-04-15"), "Late change"),
    ]
    assert list(rows["window_name"]) == ["before", "after", "change"]
    change = rows.iloc[2]
    # After minus before: meetings 5/3 - 1; attendee-hours 10 - 32/3; cost 100 - 320/3; share 0.6 - 1.0;
    # mature rate 0.5 - 0.25.
    assert (
        change["meetings_per_week"],
        change["attendee_hours_per_week"],
        change["cost_per_week"],
        change["cross_functional_share"],
        change["mature_rate"],
    ) == (5 / 3 - 1.0, 10.0 - 32 / 3, 100.0 - 320 / 3, 0.6 - 1.0, 0.5 - 0.25)


def test_a_window_below_the_privacy_floor_shows_no_hours_or_cost(tmp_path):
    config = toml(as_of="2026-04-19", start="2026-03-02", window_days=7,
                  extra=CHANGE_EXTRA.format(floor="min_group_size = 7"))
    db = build_workspace(tmp_path, CHANGE, config)
    rows = query(
        db,
        """select window_name, meetings, meetings_per_week, attendee_hours_per_week, cost_per_week,
            cross_functional_share, people, is_hidden, mature_rate
        from org_change_comparison where changed_on = '2026-04-01' order by window_name desc""",
    )
    # a..f are 6 people < 7 in each window: hours, cost and share are hidden; meetings and the outcome stay.
    assert rows == [
        ("before", 3, 1.0, None, None, None, 6, True, 0.25),
        ("after", 5, 5 / 3, None, None, None, 6, True, 0.5),
    ]
    # Every week has 5 or 6 people < 7: hidden too, so no week can be flagged as over-collaboration.
    assert query(db, "select count(*) from coordination_weekly where not is_hidden") == [(0,)]
    assert query(db, "select count(*) from over_collaboration_weekly where is_over_collaboration") == [(0,)]


def test_a_meeting_its_export_marks_all_day_is_left_out_whatever_its_hours(tmp_path):
    files = {
        "signups.csv": "user_id,signed_up_at\ns1,2026-03-03 09:00\n",
        "events.csv": "user_id,event,occurred_at\n",
        # h1 is marked all-day by its calendar but carries office hours (as some exports write a day);
        # h2 has the same hours and no mark, h3 says false: both are ordinary 8-hour meetings.
        "meetings.csv": csv("""
            meeting_id,starts_at,ends_at,title,is_all_day
            h1,2026-03-03 09:00,2026-03-03 17:00,Holiday,TRUE
            h2,2026-03-04 09:00,2026-03-04 17:00,Workshop,
            h3,2026-03-05 09:00,2026-03-05 17:00,Workshop,no
            """),
        "attendees.csv": csv("""
            meeting_id,email,response
            h1,a@x.io,accepted
            h1,b@x.io,accepted
            h2,a@x.io,accepted
            h2,b@x.io,accepted
            h3,a@x.io,accepted
            h3,b@x.io,accepted
            """),
    }
    db = build_workspace(tmp_path, files, EXCLUSIONS_CONFIG)
    assert query(db, "select meeting_id, rule from meeting_exclusions") == [("h1", "all_day")]
    # Week of 2026-03-02: h2 and h3, 8 h x 2 attendees each = 32 attendee-hours; h1 counts nowhere.
    assert query(db, "select meetings, attendee_hours from coordination_weekly where week_start = ?",
                 [d("2026-03-02")]) == [(2, 32.0)]
