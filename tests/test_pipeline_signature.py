"""The signature (DESIGN.md "Outcome stalled", "Signature"): every function green while the outcome
is stalled: the cohorts of the 4 weeks ending at W all mature, all below 0.40, and
rate(W) - rate(W - 3 weeks) < 0.01.

Zone UTC, window 7 days (a cohort is mature when its week start + 14 days <= as_of). Weeks W0..W9 are
the Mondays from 2026-01-05 to 2026-03-09; as_of is Saturday 2026-03-14 (the end of that day,
2026-03-15 00:00), so W7 (02-23, mature from 03-09) is mature and W8 (03-02, from 03-16) is not.
"""

from __future__ import annotations

import datetime as dt

from pipeline_helpers import build_workspace, d, query, toml

MONDAYS = [dt.date(2026, 1, 5) + dt.timedelta(weeks=w) for w in range(10)]

SALES = """
[[functions]]
name = "Sales"
kpi = "Demos held"
table = "demos"
date_column = "held_at"
target = 1
"""


def cohorts(activated_per_week: list[int | None], size: int) -> dict[str, str]:
    """`size` sign-ups each Tuesday noon of W0, W1, …; the first k of week w activate 1 h later.
    None: no sign-ups that week."""
    signups, events = ["user_id,signed_up_at"], ["user_id,event,occurred_at"]
    for week, activated in enumerate(activated_per_week):
        if activated is None:
            continue
        tuesday = MONDAYS[week] + dt.timedelta(days=1)
        for i in range(size):
            user = f"w{week}_u{i}"
            signups.append(f"{user},{tuesday}T12:00:00Z")
            if i < activated:
                events.append(f"{user},activated,{tuesday}T13:00:00Z")
    return {"signups.csv": "\n".join(signups) + "\n", "events.csv": "\n".join(events) + "\n"}


def test_stall_and_signature_week_by_week(tmp_path):
    # Activated of 100 per week: 0.20 everywhere but W4 (0.21); W9 has no sign-ups.
    files = cohorts([20, 20, 20, 20, 21, 20, 20, 20, 20, None], size=100)
    # One demo every week but W5, so Sales (target 1 a week) is green in every week but W5 (0 -> red).
    demo_weeks = [w for w in range(10) if w != 5]
    files["demos.csv"] = "demo_id,held_at\n" + "".join(f"D{w},{MONDAYS[w]}T10:00:00Z\n" for w in demo_weeks)
    db = build_workspace(tmp_path, files, toml(timezone="UTC", as_of="2026-03-14", window_days=7, extra=SALES))
    rows = query(
        db,
        """select week_start, all_green, outcome_stalled, signature, functions_green, functions_total,
            outcome_rate, outcome_mature, outcome_gain, stalled_weeks, signature_weeks
        from signature_weekly order by week_start""",
    )
    # Columns: week, all green, stalled, signature, green, functions, rate, mature, gain, stall streak,
    # signature streak.
    assert rows == [
        # W0-W2: fewer than 4 cohorts end at W, so no stall can be judged; gain has no W - 3 cohort.
        (d("2026-01-05"), True, False, False, 1, 1, 0.20, True, None, 0, 0),
        (d("2026-01-12"), True, False, False, 1, 1, 0.20, True, None, 0, 0),
        (d("2026-01-19"), True, False, False, 1, 1, 0.20, True, None, 0, 0),
        # W3: W0-W3 mature, all 0.20 < 0.40, gain 0.20 - 0.20 = 0 < 0.01 -> stalled; Sales green -> signature.
        (d("2026-01-26"), True, True, True, 1, 1, 0.20, True, 0.0, 1, 1),
        # W4: gain 0.21 - 0.20 (W1) = 0.01, exactly the minimum gain: not < 0.01 -> not stalled.
        (d("2026-02-02"), True, False, False, 1, 1, 0.21, True, 0.01, 0, 0),
        # W5: W2-W5, gain 0.20 - 0.20 = 0 -> stalled (streak restarts at 1); no demo -> red -> no signature.
        (d("2026-02-09"), False, True, False, 0, 1, 0.20, True, 0.0, 1, 0),
        # W6: W3-W6, gain 0 -> stalled (2 weeks running); green -> signature (1).
        (d("2026-02-16"), True, True, True, 1, 1, 0.20, True, 0.0, 2, 1),
        # W7: W4-W7, gain 0.20 - 0.21 = -0.01 < 0.01 -> stalled (3); signature (2).
        (d("2026-02-23"), True, True, True, 1, 1, 0.20, True, -0.01, 3, 2),
        # W8: same rates, but W8 is not mature (03-02 + 14 = 03-16 > 03-15) -> not stalled.
        (d("2026-03-02"), True, False, False, 1, 1, 0.20, False, 0.0, 0, 0),
        # W9: no sign-ups (no rate), immature -> not stalled.
        (d("2026-03-09"), True, False, False, 1, 1, None, False, None, 0, 0),
    ]


def test_a_cohort_exactly_at_target_is_not_below_it(tmp_path):
    # 5 sign-ups a week: W0 2 of 5 = 0.40 (= target), then 1 of 5 = 0.20 for W1-W4. All mature by 03-14.
    files = cohorts([2, 1, 1, 1, 1], size=5)
    db = build_workspace(tmp_path, files, toml(timezone="UTC", as_of="2026-03-14", window_days=7))
    rows = query(
        db,
        """select week_start, all_green, outcome_stalled, signature, outcome_rate, outcome_gain, stalled_weeks
        from signature_weekly where week_start <= '2026-02-09' order by week_start""",
    )
    # No function KPIs configured: "every function green" has nothing to hold for -> never a signature.
    assert rows == [
        (d("2026-01-05"), False, False, False, 0.4, None, 0),
        (d("2026-01-12"), False, False, False, 0.2, None, 0),
        (d("2026-01-19"), False, False, False, 0.2, None, 0),
        # W3: W0 (0.40) is not below the 0.40 target -> not stalled, although 0.20 - 0.40 = -0.20 < 0.01.
        (d("2026-01-26"), False, False, False, 0.2, -0.2, 0),
        # W4: W1-W4 all 0.20 < 0.40, gain 0 -> stalled.
        (d("2026-02-02"), False, True, False, 0.2, 0.0, 1),
        # W5: no sign-ups in W5 -> no rate -> not below target -> not stalled.
        (d("2026-02-09"), False, False, False, None, None, 0),
    ]
