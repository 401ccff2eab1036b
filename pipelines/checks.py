"""Invariants every build must satisfy, as queries that return the rows breaking them.

A build whose data fails one of these is not swapped in: the last good build keeps serving.
"""

from __future__ import annotations

CHECKS: dict[str, str] = {
    "function_weekly has one row per function and week": """
        select week_start, function from function_weekly group by all having count(*) > 1""",
    "status is green, amber, red or empty": """
        select * from function_weekly where status not in ('green', 'amber', 'red')""",
    "a cohort rate is a fraction and activated <= signups": """
        select * from outcome_cohorts where rate < 0 or rate > 1 or activated > signups""",
    "outcome_cohorts covers exactly the weeks shown": """
        select cohort_week from outcome_cohorts
        except select week_start from weeks""",
    "function_weekly covers every function in every week shown": """
        select count(*) from function_weekly
        having count(*) <> (select count(*) from weeks) * (select count(*) from cfg_functions)""",
    "coordination_weekly covers exactly the weeks shown": """
        select week_start from coordination_weekly group by all having count(*) > 1
        union all select count(*) from coordination_weekly having count(*) <> (select count(*) from weeks)""",
    "signature_weekly covers exactly the weeks shown": """
        select count(*) from signature_weekly having count(*) <> (select count(*) from weeks)""",
    "the signature holds only when every function is green and the outcome stalled": """
        select * from signature_weekly where signature and not (all_green and outcome_stalled)""",
    "attendee-hours add up per meeting": """
        select meeting_id from coordination_meetings cm
        where abs(attendee_hours - hours * attendees) > 1e-6""",
    "cross-functional hours are part of all hours": """
        select * from coordination_weekly where cross_functional_attendee_hours > attendee_hours + 1e-6""",
    "an excluded meeting counts in no coordination figure": """
        select meeting_id from meeting_exclusions where meeting_id in (select meeting_id from coordination_meetings)
        union all
        select meeting_id from meeting_exclusions where meeting_id in (select meeting_id from meeting_attendance)""",
    "no hours or cost for a group below the privacy floor": """
        select 'coordination_weekly' from coordination_weekly, cfg_coordination
        where people between 1 and min_group_size - 1 and coalesce(attendee_hours, cost, hours) is not null
        union all select 'coordination_series' from coordination_series, cfg_coordination
        where people < min_group_size and coalesce(attendee_hours, cost, hours) is not null
        union all select 'seam_matrix' from seam_matrix, cfg_coordination
        where people < min_group_size and coalesce(attendee_hours, cost) is not null
        union all select 'org_change_comparison' from org_change_comparison, cfg_coordination
        where people between 1 and min_group_size - 1
            and coalesce(attendee_hours_per_week, cost_per_week) is not null""",
    "for every file, rows read = rows loaded + rows rejected": """
        select file from sources where rows_read <> rows_loaded + rows_rejected""",
    "a green streak is 0 unless green and never above the longest": """
        select * from function_streaks
        where (status is distinct from 'green' and green_streak <> 0) or green_streak > longest_green_streak""",
    "a correlation lies in [-1, 1] and counts its pairs": """
        select function_outcome_lag.function from function_outcome_lag
        where abs(correlation) > 1 + 1e-9 or abs(rank_correlation) > 1 + 1e-9
            or pairs <> (select count(*) from function_outcome_pairs
                where function_outcome_pairs.function = function_outcome_lag.function
                    and function_outcome_pairs.lag_weeks = function_outcome_lag.lag_weeks)""",
    "a cohort's 95% interval holds its rate": """
        select cohort_week from outcome_cohorts where not (rate_low <= rate + 1e-12 and rate <= rate_high + 1e-12)
        union all select cohort_week from outcome_breakdown
        where not (rate_low <= rate + 1e-12 and rate <= rate_high + 1e-12)""",
    "each breakdown adds up to its cohort": """
        select outcome_breakdown.cohort_week from outcome_breakdown
        inner join outcome_cohorts on outcome_breakdown.cohort_week = outcome_cohorts.cohort_week
        group by outcome_breakdown.cohort_week, outcome_breakdown.dimension, outcome_cohorts.signups,
            outcome_cohorts.activated
        having sum(outcome_breakdown.signups) <> outcome_cohorts.signups
            or sum(outcome_breakdown.activated) <> outcome_cohorts.activated""",
    "the activation-time distribution adds up to each cohort's activated": """
        select activation_times.cohort_week from activation_times
        inner join outcome_cohorts on activation_times.cohort_week = outcome_cohorts.cohort_week
        group by activation_times.cohort_week, outcome_cohorts.activated
        having sum(activation_times.activated) <> outcome_cohorts.activated""",
}


def run(con) -> list[str]:
    """The names of the checks that failed, with how many rows broke each."""
    failures = []
    for name, sql in CHECKS.items():
        broken = con.execute(f"select count(*) from ({sql})").fetchone()[0]
        if broken:
            failures.append(f"{name} ({broken} rows)")
    return failures
