"""Time zones, week boundaries and daylight saving (DESIGN.md "Timestamps", "Week", "Cohort rate").

Workspace zone Europe/London: GMT (UTC+0) until 2026-03-29 01:00 UTC, then BST (UTC+1) until
2026-10-25 01:00 UTC. 2026-03-01, 03-29, 04-05 and 10-25 are Sundays.
"""

from __future__ import annotations

from pipeline_helpers import build_workspace, csv, d, epoch, query, toml

BAD_TIMESTAMP = "not a date-time (expected ISO 8601 such as 2026-03-02T09:30:00Z, a date, or epoch seconds)"

EMPTY_EVENTS = "user_id,event,occurred_at\n"

# One sign-up per way of writing a time; the expected UTC instant and week are worked out in the tests.
TIME_FORMATS = {
    "signups.csv": csv(f"""
        user_id,signed_up_at
        sunday_night_utc,2026-03-01T23:30:00Z
        first_bst_monday,2026-03-29T23:30:00Z
        offset_plus5,2026-03-02T02:00:00+05:00
        naive_local,2026-04-05 23:30:00
        bare_date,2026-03-09
        epoch_seconds,{epoch("2026-03-15T23:30:00+00:00")}
        epoch_millis,{epoch("2026-04-12T23:30:00+00:00") * 1000}
        space_offset,2026-03-22 23:30:00-01:00
        below_epoch_range,999999999
        between_ranges,500000000000
        """),
    "events.csv": EMPTY_EVENTS,
}


def test_each_way_of_writing_a_time_lands_on_the_right_instant_and_monday_week(tmp_path):
    db = build_workspace(tmp_path, TIME_FORMATS, toml(as_of="2026-04-15"))
    rows = query(db, "select user_id, signed_up_at::varchar, cohort_week from stg_signups order by user_id")
    assert rows == [
        # Monday 2026-03-09 00:00 local = 00:00 GMT; a bare date is local midnight.
        ("bare_date", "2026-03-09 00:00:00+00", d("2026-03-09")),
        # epoch ms 2026-04-12 23:30 UTC = Monday 04-13 00:30 BST -> week of 04-13 (not 04-06).
        ("epoch_millis", "2026-04-12 23:30:00+00", d("2026-04-13")),
        # epoch seconds 2026-03-15 23:30 UTC = Sunday 23:30 GMT -> week of Monday 03-09.
        ("epoch_seconds", "2026-03-15 23:30:00+00", d("2026-03-09")),
        # 2026-03-29 23:30 UTC = Monday 03-30 00:30 BST -> week of 03-30.
        ("first_bst_monday", "2026-03-29 23:30:00+00", d("2026-03-30")),
        # naive = local: Sunday 04-05 23:30 BST = 22:30 UTC -> week of 03-30 (as UTC it would be 04-06).
        ("naive_local", "2026-04-05 22:30:00+00", d("2026-03-30")),
        # 02:00 at +05:00 = 2026-03-01 21:00 UTC = Sunday 21:00 GMT -> week of 02-23 (not 03-02).
        ("offset_plus5", "2026-03-01 21:00:00+00", d("2026-02-23")),
        # 23:30 at -01:00 = Monday 2026-03-23 00:30 UTC = 00:30 GMT -> week of 03-23 (not 03-16).
        ("space_offset", "2026-03-23 00:30:00+00", d("2026-03-23")),
        # Sunday 2026-03-01 23:30 UTC = 23:30 GMT -> week of Monday 02-23.
        ("sunday_night_utc", "2026-03-01 23:30:00+00", d("2026-02-23")),
    ]
    rejects = query(db, "select file, line, \"column\", value, reason from rejects order by line")
    assert rejects == [
        # 999999999 < 1e9: neither epoch seconds nor milliseconds (header = line 1, so data row 9 = line 10).
        ("signups.csv", 10, "signed_up_at", "999999999", BAD_TIMESTAMP),
        # 5e11 lies between the seconds range (to 1e11) and the milliseconds range (from 1e12).
        ("signups.csv", 11, "signed_up_at", "500000000000", BAD_TIMESTAMP),
    ]


def test_cohorts_follow_the_local_monday_weeks_up_to_the_week_of_as_of(tmp_path):
    db = build_workspace(tmp_path, TIME_FORMATS, toml(as_of="2026-04-15"))
    rows = query(db, "select cohort_week, signups, activated, rate, mature from outcome_cohorts order by 1")
    # as_of 2026-04-15 = end of that local day = 2026-04-16 00:00 BST. Mature when
    # week start + 7 + 30 days <= as_of. No events, so every rate is 0 (or none for an empty week).
    assert rows == [
        (d("2026-02-23"), 2, 0, 0.0, True),  # sunday_night_utc, offset_plus5; mature 04-01 <= 04-16
        (d("2026-03-02"), 0, 0, None, True),  # empty week; mature 04-08 <= 04-16
        (d("2026-03-09"), 2, 0, 0.0, True),  # bare_date, epoch_seconds; mature 04-15 00:00 <= 04-16 00:00
        (d("2026-03-16"), 0, 0, None, False),  # mature 04-22 > as_of
        (d("2026-03-23"), 1, 0, 0.0, False),  # space_offset
        (d("2026-03-30"), 2, 0, 0.0, False),  # first_bst_monday, naive_local
        (d("2026-04-06"), 0, 0, None, False),
        (d("2026-04-13"), 1, 0, 0.0, False),  # epoch_millis; the week of as_of (Wednesday 04-15) is the last
    ]


def test_week_start_sunday_moves_every_boundary(tmp_path):
    db = build_workspace(tmp_path, TIME_FORMATS, toml(as_of="2026-04-15", week_start="sunday"))
    rows = query(db, "select user_id, cohort_week from stg_signups order by user_id")
    assert rows == [
        ("bare_date", d("2026-03-08")),  # Monday 03-09 00:00 -> the Sunday before
        ("epoch_millis", d("2026-04-12")),  # Monday 04-13 00:30 BST -> Sunday 04-12
        ("epoch_seconds", d("2026-03-15")),  # Sunday 03-15 23:30 GMT -> that Sunday
        ("first_bst_monday", d("2026-03-29")),  # Monday 03-30 00:30 BST -> Sunday 03-29
        ("naive_local", d("2026-04-05")),  # Sunday 04-05 23:30 BST -> that Sunday
        ("offset_plus5", d("2026-03-01")),  # Sunday 03-01 21:00 GMT -> that Sunday
        ("space_offset", d("2026-03-22")),  # Monday 03-23 00:30 GMT -> Sunday 03-22
        ("sunday_night_utc", d("2026-03-01")),  # Sunday 03-01 23:30 GMT -> that Sunday
    ]
    cohorts = query(db, "select cohort_week, signups, activated, rate, mature from outcome_cohorts order by 1")
    # Sunday weeks from 03-01 to the week of Wednesday 04-15 (Sunday 04-12); mature when start + 37 days <= 04-16.
    assert cohorts == [
        (d("2026-03-01"), 2, 0, 0.0, True),  # 03-01 + 37 = 04-07
        (d("2026-03-08"), 1, 0, 0.0, True),  # 03-08 + 37 = 04-14
        (d("2026-03-15"), 1, 0, 0.0, False),  # 03-15 + 37 = 04-21
        (d("2026-03-22"), 1, 0, 0.0, False),
        (d("2026-03-29"), 1, 0, 0.0, False),
        (d("2026-04-05"), 1, 0, 0.0, False),
        (d("2026-04-12"), 1, 0, 0.0, False),
    ]


def test_naive_times_in_a_clock_change_move_forward_or_take_the_first_occurrence(tmp_path):
    files = {
        "signups.csv": csv("""
            user_id,signed_up_at
            before_spring_gap,2026-03-29 00:59:00
            in_spring_gap,2026-03-29 01:30:00
            after_spring_gap,2026-03-29 02:00:00
            before_autumn_repeat,2026-10-25 00:59:00
            in_autumn_repeat,2026-10-25 01:30:00
            after_autumn_repeat,2026-10-25 02:00:00
            """),
        "events.csv": EMPTY_EVENTS,
    }
    db = build_workspace(tmp_path, files, toml(as_of="2026-10-31"))
    rows = query(db, "select user_id, signed_up_at::varchar, cohort_week from stg_signups order by source_line")
    assert rows == [
        ("before_spring_gap", "2026-03-29 00:59:00+00", d("2026-03-23")),  # 00:59 GMT
        # 01:30 does not exist on 03-29 (01:00 GMT -> 02:00 BST): moves forward to 02:30 BST = 01:30 UTC.
        ("in_spring_gap", "2026-03-29 01:30:00+00", d("2026-03-23")),
        ("after_spring_gap", "2026-03-29 01:00:00+00", d("2026-03-23")),  # 02:00 BST = 01:00 UTC
        ("before_autumn_repeat", "2026-10-24 23:59:00+00", d("2026-10-19")),  # 00:59 BST
        # 01:30 happens twice on 10-25 (BST, then GMT): the first, 01:30 BST = 00:30 UTC.
        ("in_autumn_repeat", "2026-10-25 00:30:00+00", d("2026-10-19")),
        ("after_autumn_repeat", "2026-10-25 02:00:00+00", d("2026-10-19")),  # 02:00 GMT
    ]


def test_the_window_is_720_elapsed_hours_across_the_clock_change(tmp_path):
    files = {
        "signups.csv": csv("""
            user_id,signed_up_at
            exactly_720h,2026-03-20T12:00:00Z
            one_second_late,2026-03-20T12:00:00Z
            calendar_trap,2026-03-20T12:00:00Z
            """),
        # Naive event times are local: BST from 03-29, so 13:00 local on 04-19 = 12:00 UTC.
        "events.csv": csv("""
            user_id,event,occurred_at
            exactly_720h,activated,2026-04-19 13:00:00
            one_second_late,activated,2026-04-19 13:00:01
            calendar_trap,activated,2026-04-19T11:30:00Z
            """),
    }
    db = build_workspace(tmp_path, files, toml(as_of="2026-04-30"))
    rows = query(db, "select cohort_week, signups, activated, rate, mature from outcome_cohorts order by 1")
    # Signed up Friday 03-20 12:00 GMT; + 720 h = 04-19 12:00 UTC (13:00 BST).
    # exactly_720h: 720 h -> counts; one_second_late: 720 h + 1 s -> not; calendar_trap: 719.5 h -> counts
    # (30 calendar days at the same local clock time would end at 04-19 12:00 BST = 11:00 UTC and miss it).
    assert rows == [
        (d("2026-03-16"), 3, 2, 2 / 3, True),  # 2 of 3 -> 0.667; mature 03-16 + 37 = 04-22 <= 05-01 00:00
        (d("2026-03-23"), 0, 0, None, True),  # 03-23 + 37 = 04-29 <= as_of
        (d("2026-03-30"), 0, 0, None, False),  # 05-06 > as_of
        (d("2026-04-06"), 0, 0, None, False),
        (d("2026-04-13"), 0, 0, None, False),
        (d("2026-04-20"), 0, 0, None, False),
        (d("2026-04-27"), 0, 0, None, False),  # week of as_of (Thursday 04-30)
    ]


def test_other_spellings_of_an_instant_and_what_is_not_a_time(tmp_path):
    files = {
        "signups.csv": csv("""
            user_id,signed_up_at
            lower_z,2026-07-01T09:30:00z
            offset_without_colon,2026-07-01 09:30:00-0700
            fraction_and_offset,2026-07-01T09:30:00.250+01:00
            naive_minutes,2026-07-01T09:30
            zone_name,2026-07-01 09:30:00 UTC
            zone_id,2026-07-01 09:30:00 Europe/Paris
            day_first,01/07/2026
            """),
        "events.csv": EMPTY_EVENTS,
    }
    db = build_workspace(tmp_path, files, toml(as_of="2026-07-31"))
    rows = query(db, "select user_id, signed_up_at::varchar from stg_signups order by source_line")
    assert rows == [
        ("lower_z", "2026-07-01 09:30:00+00"),  # RFC 3339 allows a lower-case z: UTC
        ("offset_without_colon", "2026-07-01 16:30:00+00"),  # 09:30 at -07:00 = 16:30 UTC
        ("fraction_and_offset", "2026-07-01 08:30:00.25+00"),  # 09:30:00.25 at +01:00
        ("naive_minutes", "2026-07-01 08:30:00+00"),  # 09:30 local, BST = 08:30 UTC
    ]
    rejects = query(db, "select line, \"column\", value, reason from rejects order by line")
    # Not ISO 8601: a reject, never a guess. A zone name must not be dropped silently, which would
    # read 09:30 UTC as 09:30 BST, an hour off.
    assert rejects == [
        (6, "signed_up_at", "2026-07-01 09:30:00 UTC", BAD_TIMESTAMP),
        (7, "signed_up_at", "2026-07-01 09:30:00 Europe/Paris", BAD_TIMESTAMP),
        (8, "signed_up_at", "01/07/2026", BAD_TIMESTAMP),
    ]
