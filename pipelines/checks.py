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
    "for every file, rows read = rows loaded + rows rejected": """
        select file from sources where rows_read <> rows_loaded + rows_rejected""",
}


def run(con) -> list[str]:
    """The names of the checks that failed, with how many rows broke each."""
    failures = []
    for name, sql in CHECKS.items():
        broken = con.execute(f"select count(*) from ({sql})").fetchone()[0]
        if broken:
            failures.append(f"{name} ({broken} rows)")
    return failures
