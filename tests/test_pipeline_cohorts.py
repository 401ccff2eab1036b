"""Cohort rules (DESIGN.md "Cohort rate"): who counts as activated, and when a cohort is mature.

Zone UTC, so local midnight is UTC midnight. Window 30 days = 720 h. 2026-01-05 is a Monday.
"""

from __future__ import annotations

from pipeline_helpers import build_workspace, csv, d, query, toml

COHORTS = {
    "signups.csv": csv("""
        user_id,signed_up_at
        edge_720h,2026-01-05T10:00:00Z
        before_only,2026-01-06T10:00:00Z
        repeat_milestones,2026-01-07T10:00:00Z
        late_milestone,2026-01-08T10:00:00Z
        upper_case_event,2026-01-09T10:00:00Z
        other_events_only,2026-01-10T10:00:00Z
        at_signup_instant,2026-01-11T10:00:00Z
        first_day_w2,2026-01-12T00:00:00Z
        last_second_w2,2026-01-18T23:59:59Z
        w3,2026-01-19T08:00:00Z
        """),
    "events.csv": csv("""
        user_id,event,occurred_at
        edge_720h,activated,2026-02-04T10:00:00Z
        before_only,activated,2026-01-06T09:59:59Z
        repeat_milestones,activated,2026-01-07T09:00:00Z
        repeat_milestones,activated,2026-01-08T10:00:00Z
        repeat_milestones,activated,2026-02-01T10:00:00Z
        late_milestone,activated,2026-02-07T10:00:01Z
        late_milestone,activated,2026-02-10T10:00:00Z
        upper_case_event,ACTIVATED,2026-01-10T10:00:00Z
        other_events_only,signed_in,2026-01-10T11:00:00Z
        other_events_only,activated_trial,2026-01-10T12:00:00Z
        at_signup_instant,activated,2026-01-11T10:00:00Z
        no_signup_user,activated,2026-01-07T12:00:00Z
        first_day_w2,activated,2026-01-20T00:00:00Z
        w3,activated,2026-01-19T09:00:00Z
        """),
}


def test_who_is_activated_and_which_cohorts_are_mature(tmp_path):
    db = build_workspace(tmp_path, COHORTS, toml(timezone="UTC", as_of="2026-02-17"))
    rows = query(db, "select cohort_week, signups, activated, rate, mature from outcome_cohorts order by 1")
    # as_of 2026-02-17 = end of that day = 2026-02-18 00:00 UTC; mature when week start + 7 + 30 days <= it.
    assert rows == [
        # W 2026-01-05: 7 sign-ups. Activated:
        #   edge_720h          01-05 10:00 -> 02-04 10:00 = exactly 720 h -> yes (the edge is inclusive)
        #   before_only        only a milestone 1 s before sign-up -> no
        #   repeat_milestones  first at/after sign-up is 01-08 10:00 (24 h) -> yes; the earlier one is ignored
        #   late_milestone     first at/after is 02-07 10:00:01 = 720 h + 1 s -> no (a later one does not help)
        #   upper_case_event   "ACTIVATED" matches "activated" -> yes
        #   other_events_only  signed_in, activated_trial are not the milestone -> no
        #   at_signup_instant  milestone at the sign-up instant (0 h) -> yes
        # 4 of 7 -> 0.571; mature: 01-05 + 37 days = 02-11 <= 02-18.
        (d("2026-01-05"), 7, 4, 4 / 7, True),
        # W 2026-01-12: first_day_w2 yes (8 days), last_second_w2 no milestone -> 1 of 2 -> 0.5.
        # Just mature: 01-12 + 37 days = 02-18 00:00 <= as_of 02-18 00:00.
        (d("2026-01-12"), 2, 1, 0.5, True),
        # W 2026-01-19: w3 activated after 1 h -> 1 of 1 -> 1.0; 01-19 + 37 = 02-25 > as_of.
        (d("2026-01-19"), 1, 1, 1.0, False),
        (d("2026-01-26"), 0, 0, None, False),
        (d("2026-02-02"), 0, 0, None, False),
        (d("2026-02-09"), 0, 0, None, False),
        (d("2026-02-16"), 0, 0, None, False),  # the week of as_of (Tuesday 02-17)
    ]


def test_one_second_before_maturity_the_cohort_is_provisional(tmp_path):
    db = build_workspace(tmp_path, COHORTS, toml(timezone="UTC", as_of="2026-02-17T23:59:59Z"))
    rows = query(
        db, "select cohort_week, signups, activated, rate, mature from outcome_cohorts where signups > 0 order by 1"
    )
    assert rows == [
        (d("2026-01-05"), 7, 4, 4 / 7, True),  # 02-11 <= 02-17 23:59:59
        # The last sign-up of W 01-12 (01-18 23:59:59) has its whole window only at 02-17 23:59:59 + 1 s:
        # 01-12 + 37 days = 02-18 00:00 > as_of 02-17 23:59:59 -> not mature.
        (d("2026-01-12"), 2, 1, 0.5, False),
        (d("2026-01-19"), 1, 1, 1.0, False),
    ]


def test_events_of_users_without_a_sign_up_stay_in_staging_and_join_no_cohort(tmp_path):
    db = build_workspace(tmp_path, COHORTS, toml(timezone="UTC", as_of="2026-02-17"))
    # Kept: 14 event rows read, none rejected, all 14 in staging (no_signup_user's included).
    kept = query(db, "select user_id, event, occurred_at::varchar from stg_events where user_id = 'no_signup_user'")
    assert kept == [("no_signup_user", "activated", "2026-01-07 12:00:00+00")]
    assert query(db, "select count(*) from stg_events") == [(14,)]
    assert query(db, "select count(*) from rejects") == [(0,)]
    # ...and join no cohort: 7 + 2 + 1 = 10 sign-ups, 4 + 1 + 1 = 6 activated, the same as without it.
    assert query(db, "select sum(signups), sum(activated) from outcome_cohorts") == [(10, 6)]
