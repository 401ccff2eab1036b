"""The Outcome page's models, on hand-worked fixtures: one row per sign-up (signup_outcomes), the
95% Wilson interval on each cohort's rate, breakdowns by segment, channel and plan, time to activate
(median, p75 and the distribution by whole day), the stall rule's noise test, and the query
functions that serve the page.

Wilson 95% interval of k of n (z = 1.96, z² = 3.8416), p = k / n:
    centre = (p + z²/2n) / (1 + z²/n),  half-width = z · sqrt(p(1 − p)/n + z²/4n²) / (1 + z²/n)
Expected bounds are worked by hand to 4 decimals and compared within 0.00005.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from pipeline_helpers import build_workspace, csv, d, query, toml

from pipelines import query as q
from pipelines import summary


def r4(value: float) -> pytest.approx:
    """A bound worked by hand to 4 decimals."""
    return pytest.approx(value, abs=5e-5)


# Zone UTC, window 10 days = 240 h. as_of 2026-01-27 = the end of that day = 01-28 00:00 UTC.
# Weeks shown: 01-05 (first sign-up) to 01-26 (week of as_of). Mature when week start + 7 + 10 days
# <= 01-28: W 01-05 (01-22) is mature; W 01-12 (01-29) and later are not.
OUTCOME = {
    "signups.csv": csv("""
        user_id,signed_up_at,segment,channel,plan
        a1,2026-01-05T10:00:00Z,SMB,paid,free
        a2,2026-01-06T10:00:00Z,SMB,organic,pro
        a3,2026-01-07T10:00:00Z,Enterprise,organic,
        a4,2026-01-08T10:00:00Z,,paid,free
        a5,2026-01-09T10:00:00Z,SMB,paid,free
        b1,2026-01-12T09:00:00Z,Enterprise,partner,pro
        b2,2026-01-13T12:00:00Z,SMB,organic,free
        b3,2026-01-14T08:00:00Z,SMB,paid,trial
        b4,2026-01-15T10:00:00Z,Enterprise,partner,pro
        b5,2026-01-16T10:00:00Z,  ,referral,trial
        c1,2026-01-27T10:00:00Z,SMB,referral,free
        d1,2026-01-29T10:00:00Z,SMB,paid,free
        """),
    "events.csv": csv("""
        user_id,event,occurred_at
        a1,activated,2026-01-05T16:00:00Z
        a2,activated,2026-01-09T22:00:00Z
        a3,activated,2026-01-17T12:00:00Z
        b1,activated,2026-01-13T09:00:00Z
        b2,activated,2026-01-23T00:00:00Z
        b3,activated,2026-01-14T08:00:00Z
        b4,activated,2026-01-25T10:00:00Z
        b4,activated,2026-01-26T10:00:00Z
        d1,activated,2026-01-29T11:00:00Z
        """),
}


@pytest.fixture(scope="module")
def outcome_db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("outcome")
    return build_workspace(tmp, OUTCOME, toml(timezone="UTC", as_of="2026-01-27", window_days=10))


def test_signup_outcomes_has_one_row_per_sign_up_with_its_time_to_activate(outcome_db):
    rows = query(
        outcome_db,
        """select user_id, cohort_week, segment, channel, plan, first_milestone_at::varchar, is_activated,
            hours_to_activate, days_to_activate
        from signup_outcomes order by user_id""",
    )
    assert rows == [
        # 01-05 10:00 -> 01-05 16:00 = 6 h = 0.25 days.
        ("a1", d("2026-01-05"), "SMB", "paid", "free", "2026-01-05 16:00:00+00", True, 6.0, 0.25),
        # 01-06 10:00 -> 01-09 22:00 = 3 days 12 h = 84 h = 3.5 days.
        ("a2", d("2026-01-05"), "SMB", "organic", "pro", "2026-01-09 22:00:00+00", True, 84.0, 3.5),
        # 01-07 10:00 -> 01-17 12:00 = 242 h > 240 h: a first milestone, but not within the window.
        ("a3", d("2026-01-05"), "Enterprise", "organic", None, "2026-01-17 12:00:00+00", False, None, None),
        ("a4", d("2026-01-05"), None, "paid", "free", None, False, None, None),
        ("a5", d("2026-01-05"), "SMB", "paid", "free", None, False, None, None),
        # 01-12 09:00 -> 01-13 09:00 = 24 h = 1 day.
        ("b1", d("2026-01-12"), "Enterprise", "partner", "pro", "2026-01-13 09:00:00+00", True, 24.0, 1.0),
        # 01-13 12:00 -> 01-23 00:00 = 9 days 12 h = 228 h = 9.5 days.
        ("b2", d("2026-01-12"), "SMB", "organic", "free", "2026-01-23 00:00:00+00", True, 228.0, 9.5),
        # At the sign-up instant: 0 h.
        ("b3", d("2026-01-12"), "SMB", "paid", "trial", "2026-01-14 08:00:00+00", True, 0.0, 0.0),
        # 01-15 10:00 -> 01-25 10:00 = exactly 240 h (inclusive); the later milestone does not count.
        ("b4", d("2026-01-12"), "Enterprise", "partner", "pro", "2026-01-25 10:00:00+00", True, 240.0, 10.0),
        # b5's segment is two spaces in the export: staging reads a blank value as missing.
        ("b5", d("2026-01-12"), None, "referral", "trial", None, False, None, None),
        ("c1", d("2026-01-26"), "SMB", "referral", "free", None, False, None, None),
        # d1 signed up 01-29, after as_of: in staging only, in no cohort.
    ]


def test_each_cohort_has_a_wilson_interval_and_times_to_activate(outcome_db):
    rows = query(
        outcome_db,
        """select cohort_week, signups, activated, rate, mature, status, rate_low, rate_high,
            median_days_to_activate, p75_days_to_activate
        from outcome_cohorts order by cohort_week""",
    )
    assert rows == [
        # W 01-05: a1, a2 of 5 -> 0.40 (= target, mature -> green).
        # Wilson 2 of 5: denominator 1 + 3.8416/5 = 1.76832; centre (0.4 + 0.38416) / 1.76832 = 0.443449;
        # half 1.96 · sqrt(0.048 + 0.038416) / 1.76832 = 1.96 · 0.293966 / 1.76832 = 0.325831
        # -> 0.1176 .. 0.7693.
        # Days to activate 0.25, 3.5: median (0.25 + 3.5) / 2 = 1.875; p75 0.25 + 0.75 · 3.25 = 2.6875.
        (d("2026-01-05"), 5, 2, 0.4, True, "green", r4(0.1176), r4(0.7693), 1.875, 2.6875),
        # W 01-12: b1, b2, b3, b4 of 5 -> 0.80, not mature -> provisional.
        # Wilson 4 of 5: centre (0.8 + 0.38416) / 1.76832 = 0.669652; half 1.96 · sqrt(0.032 + 0.038416)
        # / 1.76832 = 1.96 · 0.265360 / 1.76832 = 0.294124 -> 0.3755 .. 0.9638.
        # Days 0, 1, 9.5, 10: median (1 + 9.5) / 2 = 5.25; p75 at position 3 · 0.75 = 2.25 (0-based):
        # 9.5 + 0.25 · (10 − 9.5) = 9.625.
        (d("2026-01-12"), 5, 4, 0.8, False, "provisional", r4(0.3755), r4(0.9638), 5.25, 9.625),
        # W 01-19: no sign-ups -> no rate, no interval, no times.
        (d("2026-01-19"), 0, 0, None, False, None, None, None, None, None),
        # W 01-26: c1, 0 of 1. Wilson 0 of 1: denominator 4.8416; centre 1.9208 / 4.8416 = 0.396728 and
        # half 1.96 · sqrt(3.8416 / 4) / 4.8416 = 1.9208 / 4.8416 = 0.396728 -> 0 .. 0.7935.
        # No activated sign-up -> no times.
        (d("2026-01-26"), 1, 0, 0.0, False, "provisional", 0.0, r4(0.7935), None, None),
    ]


def test_breakdown_by_segment_shows_every_value_in_every_week(outcome_db):
    rows = query(
        outcome_db,
        """select cohort_week, value, signups, activated, rate, rate_low, rate_high, mature
        from outcome_breakdown where dimension = 'segment' order by cohort_week, value""",
    )
    # Values seen: SMB, Enterprise, and "(none)" for a4's empty and b5's blank segment.
    assert rows == [
        # W 01-05: a4 (none) 0 of 1; a3 Enterprise 0 of 1 (Wilson 0 of 1: 0 .. 0.7935);
        # a1, a2, a5 SMB 2 of 3 -> 0.6667. Wilson 2 of 3: denominator 1 + 3.8416/3 = 2.280533;
        # centre (0.666667 + 0.640267) / 2.280533 = 0.573081; half 1.96 · sqrt(0.074074 + 0.106711)
        # / 2.280533 = 0.365427 -> 0.2077 .. 0.9385.
        (d("2026-01-05"), "(none)", 1, 0, 0.0, 0.0, r4(0.7935), True),
        (d("2026-01-05"), "Enterprise", 1, 0, 0.0, 0.0, r4(0.7935), True),
        (d("2026-01-05"), "SMB", 3, 2, 2 / 3, r4(0.2077), r4(0.9385), True),
        # W 01-12: b5 (none) 0 of 1; b1, b4 Enterprise 2 of 2; b2, b3 SMB 2 of 2.
        # Wilson 2 of 2: denominator 2.9208; centre (1 + 0.9604) / 2.9208 = 0.671186; half 1.96 · 0.49 /
        # 2.9208 = 0.328814 -> 0.3424 .. 1.
        (d("2026-01-12"), "(none)", 1, 0, 0.0, 0.0, r4(0.7935), False),
        (d("2026-01-12"), "Enterprise", 2, 2, 1.0, r4(0.3424), 1.0, False),
        (d("2026-01-12"), "SMB", 2, 2, 1.0, r4(0.3424), 1.0, False),
        # W 01-19: no sign-ups: each value present with 0 and no rate.
        (d("2026-01-19"), "(none)", 0, 0, None, None, None, False),
        (d("2026-01-19"), "Enterprise", 0, 0, None, None, None, False),
        (d("2026-01-19"), "SMB", 0, 0, None, None, None, False),
        # W 01-26: c1 SMB 0 of 1.
        (d("2026-01-26"), "(none)", 0, 0, None, None, None, False),
        (d("2026-01-26"), "Enterprise", 0, 0, None, None, None, False),
        (d("2026-01-26"), "SMB", 1, 0, 0.0, 0.0, r4(0.7935), False),
    ]


def test_breakdown_by_plan_and_the_size_of_the_breakdown(outcome_db):
    rows = query(
        outcome_db,
        """select cohort_week, value, signups, activated, rate, rate_low, rate_high
        from outcome_breakdown where dimension = 'plan' and cohort_week <= '2026-01-12'
        order by cohort_week, value""",
    )
    assert rows == [
        # W 01-05: a3 (none) 0 of 1; a1, a4, a5 free 1 of 3; a2 pro 1 of 1; no trial.
        # Wilson 1 of 3: centre (0.333333 + 0.640267) / 2.280533 = 0.426917, half 0.365427 (as 2 of 3)
        # -> 0.0615 .. 0.7923. Wilson 1 of 1: centre 2.9208 / 4.8416 = 0.603272, half 0.396728
        # -> 0.2065 .. 1.
        (d("2026-01-05"), "(none)", 1, 0, 0.0, 0.0, r4(0.7935)),
        (d("2026-01-05"), "free", 3, 1, 1 / 3, r4(0.0615), r4(0.7923)),
        (d("2026-01-05"), "pro", 1, 1, 1.0, r4(0.2065), 1.0),
        (d("2026-01-05"), "trial", 0, 0, None, None, None),
        # W 01-12: b2 free 1 of 1; b1, b4 pro 2 of 2; b3, b5 trial 1 of 2.
        # Wilson 1 of 2: centre (0.5 + 0.9604) / 2.9208 = 0.5; half 1.96 · sqrt(0.125 + 0.2401) / 2.9208 =
        # 1.96 · 0.604235 / 2.9208 = 0.405471 -> 0.0945 .. 0.9055.
        (d("2026-01-12"), "(none)", 0, 0, None, None, None),
        (d("2026-01-12"), "free", 1, 1, 1.0, r4(0.2065), 1.0),
        (d("2026-01-12"), "pro", 2, 2, 1.0, r4(0.3424), 1.0),
        (d("2026-01-12"), "trial", 2, 1, 0.5, r4(0.0945), r4(0.9055)),
    ]
    # 4 weeks × (3 segments + 4 channels: paid, organic, partner, referral + 4 plans) = 44 rows.
    assert query(outcome_db, "select dimension, count(*) from outcome_breakdown group by 1 order by 1") == [
        ("channel", 16),
        ("plan", 16),
        ("segment", 12),
    ]


def _days(counts: dict[int, int], signups: int, activated: int, window: int = 10) -> list[tuple]:
    """Expected activation_times rows of one cohort from its hand-counted activations per day:
    (day, activated, share of activated, cumulative activated, cumulative rate)."""
    rows, running = [], 0
    for day in range(window + 1):
        running += counts.get(day, 0)
        share = counts.get(day, 0) / activated if activated else None
        rows.append((day, counts.get(day, 0), share, running, running / signups if signups else None))
    return rows


def test_activation_times_count_activations_by_whole_day_since_sign_up(outcome_db):
    rows = query(
        outcome_db,
        """select cohort_week, activation_day, activated, share_of_activated, cumulative_activated,
            cumulative_rate, signups, mature
        from activation_times order by cohort_week, activation_day""",
    )
    # Window 10 days -> days 0..10, 11 rows per cohort, 4 cohorts.
    assert len(rows) == 44
    by_week = {}
    for week, day, activated, share, cumulative, cumulative_rate, signups, mature in rows:
        by_week.setdefault(week, []).append((day, activated, share, cumulative, cumulative_rate))
        assert (signups, mature) == {
            d("2026-01-05"): (5, True),
            d("2026-01-12"): (5, False),
            d("2026-01-19"): (0, False),
            d("2026-01-26"): (1, False),
        }[week]
    # W 01-05: a1 at 0.25 days -> day 0; a2 at 3.5 days -> day 3. Each 1 of 2 activated (0.5);
    # cumulative rate 1 of 5 = 0.2 from day 0, 2 of 5 = 0.4 from day 3.
    assert by_week[d("2026-01-05")] == _days({0: 1, 3: 1}, signups=5, activated=2)
    assert by_week[d("2026-01-05")][3] == (3, 1, 0.5, 2, 0.4)
    # W 01-12: b3 at 0 -> day 0; b1 at exactly 1.0 day -> day 1 (24 h starts day 1); b2 at 9.5 -> day 9;
    # b4 at exactly 10.0 (the window's inclusive end) -> day 10. Each 1 of 4 (0.25).
    assert by_week[d("2026-01-12")] == _days({0: 1, 1: 1, 9: 1, 10: 1}, signups=5, activated=4)
    assert by_week[d("2026-01-12")][10] == (10, 1, 0.25, 4, 0.8)
    # W 01-19: no sign-ups -> 0 every day, no share, no rate. W 01-26: c1 never activated -> 0 of 1.
    assert by_week[d("2026-01-19")] == [(day, 0, None, 0, None) for day in range(11)]
    assert by_week[d("2026-01-26")] == [(day, 0, None, 0, 0.0) for day in range(11)]


# The stall rule's noise test. Zone UTC, window 7 days; sign-ups each Tuesday noon of W0..W4 (the
# Mondays 01-05 .. 02-02), the first k activating 1 h later; as_of Saturday 02-14 (02-15 00:00).
# Mature when week start + 14 days <= 02-15: W0..W3 (W3 01-26: 02-09) are, W4 (02-02: 02-16) is not.
# W5 (02-09, the week of as_of) has no sign-ups. Target 0.40, stall_weeks 4, stall_min_gain 0.01.
MONDAYS = [dt.date(2026, 1, 5) + dt.timedelta(weeks=w) for w in range(6)]


def cohorts(activated_per_week: list[int], size: int) -> dict[str, str]:
    signups, events = ["user_id,signed_up_at"], ["user_id,event,occurred_at"]
    for week, activated in enumerate(activated_per_week):
        tuesday = MONDAYS[week] + dt.timedelta(days=1)
        for i in range(size):
            signups.append(f"w{week}_u{i},{tuesday}T12:00:00Z")
            if i < activated:
                events.append(f"w{week}_u{i},activated,{tuesday}T13:00:00Z")
    return {"signups.csv": "\n".join(signups) + "\n", "events.csv": "\n".join(events) + "\n"}


SIGNATURE_COLUMNS = """week_start, outcome_stalled, stall_uncertain, stalled_weeks, outcome_rate, outcome_gain,
    trailing_signups, trailing_activated, trailing_rate, trailing_rate_low, trailing_rate_high"""


def test_small_cohorts_below_target_are_too_noisy_to_call_a_stall(tmp_path):
    # 3 of 10 every week: each cohort 0.30 < 0.40, gain 0 < 0.01: DESIGN.md's rule holds at W3.
    db = build_workspace(tmp_path, cohorts([3, 3, 3, 3, 3], size=10), toml(timezone="UTC", as_of="2026-02-14",
                                                                            window_days=7))
    rows = query(db, f"select {SIGNATURE_COLUMNS} from signature_weekly order by week_start")
    # Columns: week, stalled, uncertain, streak, rate, gain, trailing sign-ups, activated, pooled rate, low, high.
    assert rows == [
        # W0..W2: fewer than 4 cohorts in the window -> the rule cannot hold; the pooled interval is shown.
        # Wilson 3 of 10: denominator 1.38416; centre (0.3 + 0.19208) / 1.38416 = 0.355508; half 1.96 ·
        # sqrt(0.021 + 0.009604) / 1.38416 = 0.247719 -> 0.1078 .. 0.6032.
        (MONDAYS[0], False, False, 0, 0.3, None, 10, 3, 0.3, r4(0.1078), r4(0.6032)),
        # Wilson 6 of 20: denominator 1.19208; centre 0.39604 / 1.19208 = 0.332226; half 1.96 ·
        # sqrt(0.0105 + 0.002401) / 1.19208 = 0.186751 -> 0.1455 .. 0.5190.
        (MONDAYS[1], False, False, 0, 0.3, None, 20, 6, 0.3, r4(0.1455), r4(0.5190)),
        # Wilson 9 of 30: denominator 1.128053; centre 0.364027 / 1.128053 = 0.322704; half 1.96 ·
        # sqrt(0.007 + 0.001067) / 1.128053 = 0.156058 -> 0.1666 .. 0.4788.
        (MONDAYS[2], False, False, 0, 0.3, None, 30, 9, 0.3, r4(0.1666), r4(0.4788)),
        # W3: W0..W3 mature, all 0.30 < 0.40, gain 0 -> the rule holds. Pooled 12 of 40 = 0.30.
        # Wilson 12 of 40: denominator 1.09604; centre (0.3 + 0.04802) / 1.09604 = 0.317525; half 1.96 ·
        # sqrt(0.00525 + 0.00060025) / 1.09604 = 0.136778 -> 0.1807 .. 0.4543.
        # Half-width 0.1368 > gap 0.40 − 0.30 = 0.10 -> within the noise: not stalled, uncertain.
        (MONDAYS[3], False, True, 0, 0.3, 0.0, 40, 12, 0.3, r4(0.1807), r4(0.4543)),
        # W4: W1..W4, but W4 is not mature -> the rule does not hold, so nothing is uncertain either.
        (MONDAYS[4], False, False, 0, 0.3, 0.0, 40, 12, 0.3, r4(0.1807), r4(0.4543)),
        # W5: no sign-ups (no rate) -> not below target -> the rule does not hold. W2..W4 pooled: 9 of 30.
        (MONDAYS[5], False, False, 0, None, None, 30, 9, 0.3, r4(0.1666), r4(0.4788)),
    ]


def test_large_cohorts_at_the_same_rates_stall(tmp_path):
    # 30 of 100 every week: the same 0.30 as above, ten times the sign-ups.
    db = build_workspace(tmp_path, cohorts([30, 30, 30, 30, 30], size=100), toml(timezone="UTC",
                                                                                  as_of="2026-02-14", window_days=7))
    rows = query(db, f"select {SIGNATURE_COLUMNS} from signature_weekly where week_start = ?", [MONDAYS[3]])
    # W3: pooled 120 of 400 = 0.30. Wilson: denominator 1 + 3.8416/400 = 1.009604; centre
    # (0.3 + 0.004802) / 1.009604 = 0.301903; half 1.96 · sqrt(0.000525 + 0.000006) / 1.009604 = 0.044736
    # -> 0.2572 .. 0.3466. Half-width 0.0447 < gap 0.10 -> stalled, 1 week, not uncertain.
    assert rows == [(MONDAYS[3], True, False, 1, 0.3, 0.0, 400, 120, 0.3, r4(0.2572), r4(0.3466))]


def test_the_headline_says_too_noisy_to_call_instead_of_stalled(tmp_path):
    small = build_workspace(tmp_path, cohorts([3, 3, 3, 3, 3], size=10),
                            toml(timezone="UTC", as_of="2026-02-14", window_days=7), name="small")
    large = build_workspace(tmp_path, cohorts([30, 30, 30, 30, 30], size=100),
                            toml(timezone="UTC", as_of="2026-02-14", window_days=7), name="large")
    headlines = []
    for db in (small, large):
        with duckdb.connect(str(db), read_only=True) as con:
            headlines.append(summary.week_summary(con, MONDAYS[3]).headline())
    # No function KPIs: "All 0 functions green". The default outcome name; rate 0.30 -> 30.0%; target 40%.
    assert headlines == [
        "All 0 functions green · 30-day activation 30.0% vs 40% target, too noisy to call a stall",
        "All 0 functions green · 30-day activation 30.0% vs 40% target, stalled for 1 week",
    ]


# The query functions behind the Outcome page, on the OUTCOME fixture above.
def records(frame, columns: list[str] | None = None) -> list[tuple]:
    """A DataFrame's rows as tuples of plain values: dates for timestamps at midnight, None for NaN."""
    frame = frame if columns is None else frame[columns]
    out = []
    for row in frame.itertuples(index=False):
        values = []
        for value in row:
            if not isinstance(value, str) and pd.isna(value):
                value = None
            elif isinstance(value, pd.Timestamp):
                value = value.date() if value == value.normalize() else value.to_pydatetime()
            values.append(value)
        out.append(tuple(values))
    return out


def test_breakdown_queries_return_the_marts_rows(outcome_db):
    with duckdb.connect(str(outcome_db), read_only=True) as con:
        week = q.breakdown_week(con, d("2026-01-12"), "plan")
        series = q.outcome_breakdown(con, "segment", d("2026-01-19"))
        with pytest.raises(ValueError, match="unknown dimension 'country'"):
            q.outcome_breakdown(con, "country")
    # W 01-12 by plan, most sign-ups first, then by value (the rates and bounds worked out above).
    assert records(week) == [
        # value, sign-ups, activated, rate, low, high, mature
        ("pro", 2, 2, 1.0, r4(0.3424), 1.0, False),
        ("trial", 2, 1, 0.5, r4(0.0945), r4(0.9055), False),
        ("free", 1, 1, 1.0, r4(0.2065), 1.0, False),
        ("(none)", 0, 0, None, None, None, False),
    ]
    # Segments from W 01-19 on: 3 values × 2 weeks, by value then week; SMB 0 of 1 in W 01-26 (c1).
    assert records(series, ["value", "cohort_week", "signups", "activated", "rate", "rate_low", "rate_high"]) == [
        ("(none)", d("2026-01-19"), 0, 0, None, None, None),
        ("(none)", d("2026-01-26"), 0, 0, None, None, None),
        ("Enterprise", d("2026-01-19"), 0, 0, None, None, None),
        ("Enterprise", d("2026-01-26"), 0, 0, None, None, None),
        ("SMB", d("2026-01-19"), 0, 0, None, None, None),
        ("SMB", d("2026-01-26"), 1, 0, 0.0, 0.0, r4(0.7935)),
    ]


def test_time_to_activate_and_distribution_queries(outcome_db):
    with duckdb.connect(str(outcome_db), read_only=True) as con:
        times = q.time_to_activate(con)
        distribution = q.activation_distribution(con, d("2026-01-12"))
    # The medians and p75s worked out above, per cohort; maturity and the day each cohort is final
    # (week start + 7 + 10 days).
    assert records(times) == [
        (d("2026-01-05"), 5, 2, 1.875, 2.6875, True, d("2026-01-22")),
        (d("2026-01-12"), 5, 4, 5.25, 9.625, False, d("2026-01-29")),
        (d("2026-01-19"), 0, 0, None, None, False, d("2026-02-05")),
        (d("2026-01-26"), 1, 0, None, None, False, d("2026-02-12")),
    ]
    # W 01-12 by day: 1 each on days 0, 1, 9 and 10 of 4 activated, 5 sign-ups.
    assert records(distribution) == [
        (d("2026-01-12"), day, activated, share, cumulative, rate, 5, False)
        for day, activated, share, cumulative, rate in _days({0: 1, 1: 1, 9: 1, 10: 1}, signups=5, activated=4)
    ]


def test_cohort_rows_are_the_sign_ups_behind_a_cohort_figure(outcome_db):
    with duckdb.connect(str(outcome_db), read_only=True) as con:
        whole = q.cohort_rows(con, d("2026-01-05"))
        no_segment = q.cohort_rows(con, d("2026-01-12"), "segment", "(none)")
        trial = q.cohort_rows(con, d("2026-01-12"), "plan", "trial")
        first_two = q.cohort_rows(con, d("2026-01-05"), limit=2)
        with pytest.raises(ValueError):
            q.cohort_rows(con, d("2026-01-05"), "plan")
    # W 01-05: the 5 sign-ups in sign-up order, 2 activated (a1, a2): the cohort's 2 of 5.
    assert records(whole, ["user_id", "is_activated", "days_to_activate"]) == [
        ("a1", True, 0.25),
        ("a2", True, 3.5),
        ("a3", False, None),
        ("a4", False, None),
        ("a5", False, None),
    ]
    # "(none)" segment in W 01-12: b5, whose segment is blank -> the breakdown's 0 of 1.
    assert records(no_segment, ["user_id", "segment"]) == [("b5", None)]
    # Plan trial in W 01-12: b3 (activated at its sign-up instant), b5 -> the breakdown's 1 of 2.
    # Times are local wall-clock times (UTC here); source_line is the export's line (header = line 1).
    assert records(trial) == [
        ("b3", dt.datetime(2026, 1, 14, 8), "SMB", "paid", "trial", None, dt.datetime(2026, 1, 14, 8), True, 0.0,
         "signups.csv", 9),
        ("b5", dt.datetime(2026, 1, 16, 10), None, "referral", "trial", None, None, False, None, "signups.csv", 11),
    ]
    assert records(first_two, ["user_id"]) == [("a1",), ("a2",)]


def test_every_outcome_table_and_column_is_documented(outcome_db):
    """docs/outcome-view.md names each table the Outcome page reads and each of its columns."""
    docs = (Path(__file__).resolve().parent.parent / "docs" / "outcome-view.md").read_text()
    tables = ["signup_outcomes", "outcome_cohorts", "outcome_breakdown", "activation_times", "signature_weekly"]
    undocumented = [
        f"{table}.{column}"
        for table in tables
        for (column,) in query(outcome_db, "select column_name from duckdb_columns() where table_name = ?", [table])
        if f"`{column}`" not in docs
    ]
    assert [t for t in tables if f"`{t}`" not in docs] == []
    assert undocumented == []
