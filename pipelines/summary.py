"""The weekly review of one week, as numbers and sentences: what the Overview page shows, and what a
written summary says. Built from the marts through pipelines/query.py; no Streamlit here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from pipelines import query


@dataclass(frozen=True)
class WeekSummary:
    week: dt.date
    functions: pd.DataFrame  # function, kpi, value, target, status, previous_value, change
    outcome_name: str
    outcome_target: float
    cohort: dict  # the week's outcome_cohorts row
    previous_cohort: dict | None
    signature: dict  # the week's signature_weekly row
    coordination: dict  # the week's coordination_weekly row
    previous_coordination: dict | None

    @property
    def functions_total(self) -> int:
        return len(self.functions)

    @property
    def not_green(self) -> list[str]:
        rows = self.functions[self.functions["status"] != "green"]
        return [f"{r.function} {r.status or 'no value'}" for r in rows.itertuples()]

    @property
    def is_provisional(self) -> bool:
        return not self.cohort["mature"]

    @property
    def outcome_change(self) -> float | None:
        """Rate of this week's cohort minus last week's, as a fraction; None when either is unknown."""
        before = (self.previous_cohort or {}).get("rate")
        now = self.cohort["rate"]
        return None if before is None or now is None or pd.isna(before) or pd.isna(now) else now - before

    def coordination_change(self, key: str) -> float | None:
        """This week's coordination figure minus last week's; None when either is unknown (a week
        below the privacy floor has no hours or cost)."""
        if not self.previous_coordination:
            return None
        now, before = self.coordination[key], self.previous_coordination[key]
        return None if now is None or before is None else now - before

    def headline(self) -> str:
        """The signature sentence, or what stands in its way this week."""
        functions = (
            f"All {self.functions_total} functions green"
            if not self.not_green
            else f"{self.functions_total - len(self.not_green)} of {self.functions_total} functions green "
            f"({', '.join(self.not_green)})"
        )
        rate = self.cohort["rate"]
        outcome = f"{self.outcome_name} {percent(rate)} vs {percent(self.outcome_target, 0)} target"
        if rate is None:
            outcome = f"{self.outcome_name}: no sign-ups this week"
        elif self.is_provisional:
            outcome += f", provisional until {self.cohort['mature_on']:%-d %b %Y}"
        elif self.signature["outcome_stalled"]:
            weeks = self.signature["stalled_weeks"]
            outcome += f", stalled for {weeks} week{'s' if weeks != 1 else ''}"
        elif self.signature.get("stall_uncertain"):
            # The stall rule held, but the trailing cohorts' interval is wider than the gap to target.
            outcome += ", too noisy to call a stall"
        elif rate >= self.outcome_target:
            outcome += ", on target"
        else:
            outcome += ", not stalled"
        return f"{functions} · {outcome}"


def week_summary(cur: query.Cursor, week: dt.date) -> WeekSummary | None:
    cohort = query.week_row(cur, "outcome_cohorts", week)
    if cohort is None:
        return None
    settings = query.outcome_settings(cur)
    return WeekSummary(
        week=week,
        functions=query.function_scorecard(cur, week),
        outcome_name=settings["name"],
        outcome_target=float(settings["target"]),
        cohort=cohort,
        previous_cohort=query.week_row(cur, "outcome_cohorts", week - dt.timedelta(days=7)),
        signature=query.week_row(cur, "signature_weekly", week),
        coordination=query.week_row(cur, "coordination_weekly", week),
        previous_coordination=query.week_row(cur, "coordination_weekly", week - dt.timedelta(days=7)),
    )


def percent(fraction: float | None, decimals: int = 1) -> str:
    return "—" if fraction is None or pd.isna(fraction) else f"{fraction * 100:.{decimals}f}%"
