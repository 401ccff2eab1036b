"""Seeded generator of the bundled demo workspace ("Northwind Cloud").

The story is the article's worked example, built into the data by construction:

* A mid-market SaaS company (~300 people in Support, Sales, Engineering, Product, Design,
  Operations and Leadership) has four function KPIs -- Support "Tickets solved", Sales
  "Demos held", Engineering "Story points delivered", Product "Features shipped" -- and every
  one of them is green in every week before the org change.
* The shared outcome, 30-day activation of new sign-ups, is stuck near 27% against a 40%
  target: each weekly cohort activates exactly round(n * p) users, p drifting slowly and the
  cohort's rate kept within 27% +/- 0.45 pp, so no 4 weeks ever gain 1 pp and "every function
  green, outcome stalled" holds week after week.
* A weekly six-person "Activation alignment sync" (directors of Product, Sales, Support and two
  of Engineering, and a PM) costs ~6 attendee-hours a week of senior time, among the 3 costliest
  recurring cross-functional series, and changes nothing.
* On the org-change Monday ("Activation team formed") the sync stops: it is the only recurring
  cross-functional series that starts in the first week and ends there. The costliest other
  cross-functional series carry on lighter (fortnightly, the larger ones with half their
  attendees), ad hoc cross-functional meetings thin out, and a small activation team starts its
  own standup. Cross-functional hours fall by roughly a third,
  same-function hours stay level, and each new cohort's rate climbs towards (never past) 40%:
  about +1 pp in the first week, easing off to 38.5% in the last.
  A KPI may slip to amber/red once or twice afterwards; never before.

The data are messy on purpose, in ways that must not move those numbers: duplicate
`activated` events, `activated` events before sign-up and 31-60 days after it (for users who
are not counted as activated), mixed-case statuses, "$85.00" costs, blank responses,
Mixed-Case attendee emails, external attendees, a meeting crossing midnight, two DST changes.
Naive timestamps are Europe/London wall clock generated from UTC instants, so no skipped local
time is ever written; an instant in the repeated autumn hour moves one hour later, so that
reading it back as the first occurrence gives back the instant.

On top of the clean rows, a fixed handful of extra rows carry real exports' typical faults, so the
Data page has rejects to show: a ticket solved "N/A", a ticket's earlier pending version, a
repeated demo and event, a meeting that ends before it starts, two guests of a meeting that is not
in the calendar, an impossible date, a sign-up without a user id, "?" story points and a decimal
comma in a cost. Every one is rejected (or counts once), so they move no number; those that only
text can hold are written in CSV only.

Every weekly number is placed in Europe/London weeks (Monday 00:00 local). Nothing is written
after as_of 23:59 local: late cohorts simply have fewer events (their rates are provisional).

Usage: python -m pipelines.demo OUT_DIR [--scale 0.01] [--format csv|parquet] [--weeks 39]
[--seed 7] [--raw]. `--raw` writes the same company as its tools' exports instead (an Amplitude zip, a
Zendesk CSV, a Jira CSV, a HubSpot CSV, a Google Calendar .ics, an HR list; "raw exports" below), which
build to the same marts. Scale 1 is 1M sign-ups and ~15M events over 39 weeks (volumes are per week, so
--weeks changes totals); people stay ~300 at any scale and meetings never drop below ~120 a
week. Events are generated and written one cohort at a time, so scale 10 fits in memory.
Same arguments give byte-identical files.
"""

from __future__ import annotations

import argparse
import base64
import csv
import gzip
import hashlib
import io
import math
import sys
import time
import zipfile
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

TZ = "Europe/London"
START = date(2026, 2, 2)  # a Monday
COMPANY = "Northwind Cloud"
DOMAIN = "northwind.example"
MINUTE, HOUR, DAY = 60, 3600, 86400
WINDOW = 30 * DAY
TARGET = 0.40
TABLES = ("signups", "events", "tickets", "demos", "issues", "meetings", "attendees", "people")

# Volumes at scale 1, per week (39 weeks make the round totals of the brief).
SIGNUPS_PER_WEEK = 1_000_000 / 39
MEETINGS_PER_WEEK = 100_000 / 39
MIN_MEETINGS_PER_WEEK = 120  # so the small bundled demo still looks like a real calendar

# Outcome: a flat band before the org change, a steady climb after it.
PRE_RATE, PRE_SWING = 0.270, 0.003
PRE_BAND = (0.2655, 0.2745)  # every pre-change cohort stays within 27% +/- 0.45 pp
END_RATE, MAX_STEP = 0.385, 0.008

SEGMENTS = ("SMB", "Mid-market", "Enterprise")
CHANNELS = ("organic", "paid", "referral", "partner")
PLANS = ("free", "trial", "pro", "business")
SEGMENT_P = (0.6, 0.3, 0.1)
CHANNEL_P = (0.45, 0.25, 0.15, 0.15)
PLAN_P = ((0.55, 0.30, 0.12, 0.03), (0.35, 0.40, 0.18, 0.07), (0.15, 0.45, 0.20, 0.20))
# Who activates: only the mix within a cohort; the cohort's count is fixed by the plan.
SEGMENT_W = np.array([0.8, 1.15, 1.5])
CHANNEL_W = np.array([1.0, 0.75, 1.4, 1.2])
PLAN_W = np.array([0.75, 1.1, 1.3, 1.4])

EVENTS = (
    "page_view",
    "project_created",
    "invite_sent",
    "report_viewed",
    "integration_connected",
    "dashboard_shared",
    "activated",
)
ACTIVITY_P = (0.58, 0.10, 0.08, 0.15, 0.04, 0.05)
ACTIVATED = EVENTS.index("activated")
PRE_SIGNUP_GAP = (2 * HOUR, 14 * DAY)  # > 1 h, so a DST shift never lands it after sign-up
ACTIVATION_SPAN = (10 * MINUTE, 29.5 * DAY)
LATE_SPAN = (31 * DAY, 60 * DAY)

# Relative traffic by local hour and weekday (Monday first).
HOURLY = np.array([1, 1, 1, 1, 1, 2, 3, 5, 8, 10, 10, 10, 9, 10, 10, 10, 9, 8, 6, 5, 4, 3, 2, 1.5])
WEEKDAY = np.array([1.0, 1.0, 1.0, 1.0, 0.9, 0.5, 0.45])
SUPPORT_HOURLY = np.where(HOURLY > 4, HOURLY, 4.0)  # support runs around the clock

S_PLAN, S_SIGNUPS, S_ACCOUNTS, S_ACTIVATION, S_EVENTS = 1, 2, 3, 4, 5
S_TICKETS, S_DEMOS, S_ISSUES, S_PEOPLE, S_MEETINGS = 6, 7, 8, 9, 10


def _rng(seed: int, stream: int, index: int = 0) -> np.random.Generator:
    """One independent stream per table (and per cohort), so chunking never changes output."""
    return np.random.default_rng([seed, stream, index])


# --------------------------------------------------------------------------- time


class Zone:
    """A time zone's UTC offset as a step function, for vectorised conversions."""

    def __init__(self, name: str, lo: int, hi: int):
        self.name = name
        grid = np.arange(lo - lo % 900, hi + 900, 900, dtype=np.int64)
        idx = pd.DatetimeIndex(grid.astype("datetime64[s]"), tz="UTC").tz_convert(name)
        off = idx.tz_localize(None).values.astype("datetime64[s]").astype(np.int64) - grid
        change = np.flatnonzero(np.diff(off)) + 1
        self.at = np.concatenate([[np.iinfo(np.int64).min], grid[change]])
        self.off = np.concatenate([[off[0]], off[change]])

    def offset(self, t: np.ndarray) -> np.ndarray:
        return self.off[np.searchsorted(self.at, t, side="right") - 1]

    def local(self, t: np.ndarray) -> np.ndarray:
        """UTC epoch seconds -> naive wall-clock epoch seconds."""
        return t + self.offset(t)

    def unambiguous(self, t: np.ndarray) -> np.ndarray:
        """Move instants in a repeated local hour one hour on: written naive, they would be
        read back as the first occurrence, an hour early."""
        t = np.asarray(t, dtype=np.int64).copy()
        for i in np.flatnonzero(np.diff(self.off) < 0) + 1:
            back = self.off[i - 1] - self.off[i]
            t[(t >= self.at[i]) & (t < self.at[i] + back)] += back
        return t

    def utc(self, wall: np.ndarray) -> np.ndarray:
        """Naive wall-clock seconds -> UTC seconds (first occurrence; skipped times move on)."""
        idx = pd.DatetimeIndex(np.asarray(wall, dtype=np.int64).astype("datetime64[s]"))
        idx = idx.tz_localize(self.name, ambiguous=np.ones(len(idx), bool), nonexistent="shift_forward")
        return idx.tz_convert("UTC").tz_localize(None).values.astype("datetime64[s]").astype(np.int64)


def _epoch(d: date) -> int:
    return int(np.datetime64(d, "s").astype(np.int64))


@dataclass(frozen=True)
class Calendar:
    weeks: int
    zone: Zone
    mondays: np.ndarray  # naive local seconds of each week's Monday 00:00 (weeks + 1)
    bounds: np.ndarray  # the same instants in UTC seconds
    cutoff: int  # UTC instant of as_of 23:59 local: nothing is written at or after it
    org_week: int

    @classmethod
    def make(cls, weeks: int) -> Calendar:
        mondays = np.array([_epoch(START + timedelta(weeks=i)) for i in range(weeks + 1)])
        zone = Zone(TZ, int(mondays[0]) - 40 * DAY, int(mondays[-1]) + 100 * DAY)
        as_of = START + timedelta(weeks=weeks - 1, days=5)
        cutoff = int(zone.utc(np.array([_epoch(as_of) + 23 * HOUR + 59 * MINUTE]))[0])
        org = min(max(int(0.58 * weeks), 1), weeks - 1)
        return cls(weeks, zone, mondays, zone.utc(mondays), cutoff, org)

    def week_date(self, i: int) -> date:
        return START + timedelta(weeks=int(i))

    @property
    def as_of(self) -> date:
        return self.week_date(self.weeks - 1) + timedelta(days=5)

    @property
    def org_date(self) -> date:
        return self.week_date(self.org_week)

    def span(self, w: int) -> tuple[int, int]:
        """UTC [start, end) of local week w, cut at as_of."""
        return int(self.bounds[w]), int(min(self.bounds[w + 1], self.cutoff))


def _sample_instants(rng, zone: Zone, lo: int, hi: int, n: int, hourly=HOURLY) -> np.ndarray:
    """n UTC instants in [lo, hi), denser in local working hours. Bins are UTC hours, so a
    DST change only relabels them and every instant has a real local time."""
    bins = np.arange(lo - lo % HOUR, hi, HOUR, dtype=np.int64)
    local = zone.local(bins)
    weight = hourly[(local // HOUR) % 24] * WEEKDAY[(local // DAY + 3) % 7]
    start, end = np.maximum(bins, lo), np.minimum(bins + HOUR, hi)
    cum = np.cumsum(weight * (end - start))
    b = np.minimum(np.searchsorted(cum, rng.random(n) * cum[-1], side="right"), len(bins) - 1)
    return start[b] + (rng.random(n) * (end[b] - start[b])).astype(np.int64)


def _weekday_times(rng, cal: Calendar, w: int, n: int, first_hour: int, last_hour: int):
    """n naive local times on Monday-Friday of week w, between the given local hours."""
    day = rng.integers(0, 5, n)
    sec = rng.integers(first_hour * HOUR, last_hour * HOUR, n)
    return cal.mondays[w] + day * DAY + sec


# --------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class Kpi:
    function: str
    kpi: str
    table: str
    date_column: str
    measure: str
    column: str | None
    where: tuple[tuple[str, str], ...]
    target: int
    values: np.ndarray  # the exact weekly value written into the data


# function, kpi, table, date column, measure, column, where, units per week at scale 1, floor,
# and the kinds of post-change dips (the activation team pulls people off function work).
KPI_SPECS = (
    ("Support", "Tickets solved", "tickets", "solved_at", "count", None, (("status", "solved"),), 4000, 30, ("amber",)),
    ("Sales", "Demos held", "demos", "held_at", "count", None, (), 450, 8, ()),
    (
        "Engineering",
        "Story points delivered",
        "issues",
        "resolved_at",
        "sum",
        "story_points",
        (("status", "done"),),
        1800,
        40,
        ("amber",),
    ),
    (
        "Product",
        "Features shipped",
        "issues",
        "resolved_at",
        "count",
        None,
        (("issue_type", "feature"), ("status", "done")),
        75,
        6,
        ("amber", "red"),
    ),
)


@dataclass(frozen=True)
class Plan:
    scale: float
    seed: int
    cal: Calendar
    signups: np.ndarray  # sign-ups per cohort week
    activated: np.ndarray  # of which activate within 30 days (absent as_of)
    kpis: tuple[Kpi, ...]
    meetings_per_week: int

    @property
    def rates(self) -> np.ndarray:
        return self.activated / np.maximum(self.signups, 1)

    def kpi(self, function: str) -> Kpi:
        return next(k for k in self.kpis if k.function == function)


def _apportion(total: int, weights: np.ndarray) -> np.ndarray:
    """Integers proportional to weights that add up to total exactly."""
    raw = weights / weights.sum() * total
    out = np.floor(raw).astype(np.int64)
    out[np.argsort(-(raw - out), kind="stable")[: total - out.sum()]] += 1
    return out


def _cohort_sizes(cal: Calendar, scale: float, rng) -> np.ndarray:
    i = np.arange(cal.weeks)
    shape = (1 + 0.004 * i) * (1 + 0.05 * np.sin(2 * np.pi * i / 9)) * rng.normal(1, 0.02, cal.weeks)
    lo, hi = cal.span(cal.weeks - 1)
    shape[-1] *= (hi - lo) / (cal.bounds[-1] - cal.bounds[-2])  # the last week ends at as_of
    return _apportion(round(SIGNUPS_PER_WEEK * scale * cal.weeks), shape)


def _climb(weeks: int) -> np.ndarray:
    """Intended rates after the org change: about +1 pp in the first week, easing off to
    END_RATE in the last one (less over a short range), so the stall breaks at once."""
    gain = min(END_RATE - PRE_RATE, MAX_STEP * weeks)
    j = np.arange(1, weeks + 1) / max(weeks, 1)
    return PRE_RATE + gain * (1 - np.exp(-j)) / (1 - np.exp(-1))


def _activation_counts(sizes: np.ndarray, org: int, rng) -> np.ndarray:
    """Exact activated counts: a flat band before the org change (so the stall rule holds:
    no 4-week gain of 1 pp), then a monotone climb that stays under the target."""
    n = sizes.astype(float)
    p = PRE_RATE + PRE_SWING * np.sin(2 * np.pi * np.arange(len(n)) / 13 + rng.uniform(0, 6.28))
    k = np.rint(n * p)
    lo, hi = np.ceil(n * PRE_BAND[0]), np.floor(n * PRE_BAND[1])
    k = np.where(lo <= hi, np.clip(k, lo, hi), k)
    ramp = _climb(len(n) - org)
    prev = k[org - 1] / max(n[org - 1], 1)
    for w in range(org, len(n)):  # one iteration per week
        kw = max(np.rint(n[w] * ramp[w - org]), np.floor(prev * n[w]) + 1)
        k[w] = min(kw, np.ceil(n[w] * TARGET) - 1)
        prev = k[w] / max(n[w], 1)
    return np.maximum(k, 0).astype(np.int64)


def _kpi_values(target: int, cal: Calendar, dips: tuple[str, ...], rng) -> np.ndarray:
    """Weekly values 5-20% over target; after the org change a few dips to amber/red."""
    values = np.ceil(target * rng.uniform(1.05, 1.20, cal.weeks)).astype(np.int64)
    after = np.arange(cal.org_week + 1, cal.weeks)
    weeks = rng.choice(after, min(len(dips), len(after)), replace=False) if len(after) else []
    for w, kind in zip(weeks, dips, strict=False):  # fewer weeks than dips: fewer dips
        amber = int(np.ceil(target * 0.93))
        values[w] = (amber if amber < target else target - 1) if kind == "amber" else int(target * 0.8)
    return values


def make_plan(scale: float = 0.01, weeks: int = 39, seed: int = 7) -> Plan:
    """The intended numbers: cohort sizes, exact activated counts, KPI targets and values."""
    if scale <= 0 or weeks < 2 or seed < 0:
        raise ValueError("scale must be > 0, weeks >= 2 and seed >= 0")
    cal = Calendar.make(weeks)
    rng = _rng(seed, S_PLAN)
    sizes = _cohort_sizes(cal, scale, rng)
    activated = _activation_counts(sizes, cal.org_week, rng)
    kpis = []
    for fn, name, table, col, measure, column, where, base, floor, dips in KPI_SPECS:
        target = max(floor, round(base * scale))
        kpis.append(Kpi(fn, name, table, col, measure, column, where, target, _kpi_values(target, cal, dips, rng)))
    meetings = max(round(MEETINGS_PER_WEEK * scale), MIN_MEETINGS_PER_WEEK)
    return Plan(scale, seed, cal, sizes, activated, tuple(kpis), meetings)


# --------------------------------------------------------------------------- sign-ups & events


@dataclass(frozen=True)
class Signups:
    t: np.ndarray  # UTC seconds, sorted; user i is row i
    starts: np.ndarray  # row offset of each cohort (weeks + 1)
    account: np.ndarray
    segment: np.ndarray
    channel: np.ndarray
    plan: np.ndarray
    activated: np.ndarray  # bool: activates inside the window (unless after as_of)


def _signups(plan: Plan) -> Signups:
    cal, seed = plan.cal, plan.seed
    times = []
    for w in range(cal.weeks):
        lo, hi = cal.span(w)
        t = _sample_instants(_rng(seed, S_SIGNUPS, w), cal.zone, lo, hi, int(plan.signups[w]))
        times.append(np.sort(cal.zone.unambiguous(t)))
    t = np.concatenate(times)
    starts = np.concatenate([[0], np.cumsum(plan.signups)])
    rng = _rng(seed, S_ACCOUNTS)
    new = rng.random(len(t)) < 0.42  # teammates sign up together, into one account
    new[:1] = True
    account = np.cumsum(new) - 1
    segment = rng.choice(3, account[-1] + 1 if len(t) else 0, p=SEGMENT_P)[account].astype(np.int8)
    channel = rng.choice(4, len(t), p=CHANNEL_P).astype(np.int8)
    cum = np.cumsum(PLAN_P, axis=1)[segment]
    plan_ = (rng.random(len(t))[:, None] > cum[:, :-1]).sum(axis=1).astype(np.int8)
    activated = _choose_activated(plan, starts, SEGMENT_W[segment] * CHANNEL_W[channel] * PLAN_W[plan_])
    return Signups(t, starts, account, segment, channel, plan_, activated)


def _choose_activated(plan: Plan, starts: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Exactly plan.activated[w] users of cohort w, drawn without replacement by weight
    (exponential race), so segments differ while the cohort total is fixed."""
    out = np.zeros(len(weight), bool)
    for w in range(plan.cal.weeks):
        a, b = starts[w], starts[w + 1]
        key = _rng(plan.seed, S_ACTIVATION, w).exponential(size=b - a) / weight[a:b]
        out[a + np.argsort(key, kind="stable")[: plan.activated[w]]] = True
    return out


def _cohort_events(rng, t0: np.ndarray, activated: np.ndarray, zone: Zone):
    """Events of one cohort as (UTC seconds, user row, event code), unsorted."""
    n = len(t0)
    count = rng.poisson(np.where(activated, 25.0, 9.5)) + 1
    user = np.repeat(np.arange(n), count)
    m = len(user)
    first = np.zeros(m, bool)
    first[np.cumsum(count) - count] = True  # every user lands on a page at sign-up
    delay = np.where(rng.random(m) < 0.35, rng.exponential(2 * HOUR, m), rng.exponential(9 * DAY, m))
    delay = np.where(first, rng.integers(0, 120, m), np.minimum(delay, 80 * DAY))
    code = np.where(first, 0, rng.choice(len(ACTIVITY_P), m, p=ACTIVITY_P))

    lo, hi = np.log(ACTIVATION_SPAN[0]), np.log(ACTIVATION_SPAN[1])
    reached = np.exp(lo + (hi - lo) * rng.beta(2.2, 2.0, n))  # 10 min .. 29.5 days, smooth
    r = rng.random(n)
    act = np.flatnonzero(activated)
    dup = np.flatnonzero(activated & (r < 0.10))  # a second milestone: only the first counts
    pre = np.flatnonzero(~activated & (r < 0.04))  # before sign-up: must not count
    late = np.flatnonzero(~activated & (r > 0.94))  # outside the window: must not count
    mt = np.concatenate(
        [
            t0[act] + reached[act],
            t0[dup] + reached[dup] + rng.uniform(HOUR, 20 * DAY, len(dup)),
            t0[pre] - rng.uniform(*PRE_SIGNUP_GAP, len(pre)),
            t0[late] + rng.uniform(*LATE_SPAN, len(late)),
        ]
    ).astype(np.int64)
    t = zone.unambiguous(np.concatenate([t0[user] + delay.astype(np.int64), mt]))
    users = np.concatenate([user, act, dup, pre, late])
    codes = np.concatenate([code, np.full(len(mt), ACTIVATED)]).astype(np.int8)
    return t, users, codes


def _sorted_unique(t, u, c):
    """Sort by time, dropping chance repeats (same user, event and second): the reader would
    reject them as exact duplicates, and the demo's rejects should be deliberate."""
    order = np.lexsort((c, u, t))
    t, u, c = t[order], u[order], c[order]
    keep = np.ones(len(t), bool)
    keep[1:] = (t[1:] != t[:-1]) | (u[1:] != u[:-1]) | (c[1:] != c[:-1])
    return t[keep], u[keep], c[keep]


def _event_chunks(plan: Plan, su: Signups):
    """Time-sorted (t, user, code) chunks, one cohort at a time. Rows earlier than the next
    cohort's first possible event (its Monday minus the pre-sign-up gap) are final."""
    cal = plan.cal
    held = (np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int8))
    for w in range(cal.weeks):
        a, b = su.starts[w], su.starts[w + 1]
        t, u, c = _cohort_events(_rng(plan.seed, S_EVENTS, w), su.t[a:b], su.activated[a:b], cal.zone)
        t, u, c = _sorted_unique(t[t < cal.cutoff], u[t < cal.cutoff] + a, c[t < cal.cutoff])
        t, u, c = (np.concatenate([h, x]) for h, x in zip(held, (t, u, c), strict=True))
        order = np.argsort(t, kind="stable")  # two sorted runs: a cheap merge
        t, u, c = t[order], u[order], c[order]
        horizon = cal.bounds[w + 1] - PRE_SIGNUP_GAP[1] - DAY if w + 1 < cal.weeks else cal.cutoff
        cut = np.searchsorted(t, horizon)
        yield t[:cut], u[:cut], c[:cut]
        held = (t[cut:], u[cut:], c[cut:])


def _ids(prefix: str, numbers, width: int) -> pa.Array:
    digits = pc.utf8_lpad(pa.array(np.asarray(numbers, dtype=np.int64)).cast(pa.string()), width=width, padding="0")
    return pc.binary_join_element_wise(prefix, digits, "")


def _naive(zone: Zone, t: np.ndarray) -> pa.Array:
    """UTC seconds -> naive Europe/London wall-clock timestamps."""
    return pa.array(zone.local(t).astype("datetime64[s]"))


def _signups_table(su: Signups, zone: Zone) -> tuple[pa.Table, pa.Array]:
    width = max(6, len(str(len(su.t))))
    user_id = _ids("u", np.arange(1, len(su.t) + 1), width)
    table = pa.table(
        {
            "user_id": user_id,
            "signed_up_at": _naive(zone, su.t),
            "account_id": _ids("acct-", su.account + 1, width),
            "segment": pa.array(SEGMENTS).take(pa.array(su.segment)),
            "channel": pa.array(CHANNELS).take(pa.array(su.channel)),
            "plan": pa.array(PLANS).take(pa.array(su.plan)),
        }
    )
    return table, user_id


def _events_table(chunk, user_id: pa.Array, zone: Zone) -> pa.Table:
    t, u, c = chunk
    return pa.table(
        {
            "user_id": user_id.take(pa.array(u)),
            "event": pa.array(EVENTS).take(pa.array(c)),
            "occurred_at": _naive(zone, t),
        }
    )


# --------------------------------------------------------------------------- function tables


def _pick_users(rng, su: Signups, t: np.ndarray) -> np.ndarray:
    """A random user who had signed up by each instant (-1 when nobody had)."""
    n_before = np.searchsorted(su.t, t)
    idx = (rng.random(len(t)) * n_before).astype(np.int64)
    return np.where(n_before > 0, idx, -1)


def _tickets(plan: Plan, su: Signups, user_id: pa.Array) -> pa.Table:
    """Solved tickets: exactly the planned count solved in each local week. Open and
    pending ones have no solved_at and never count."""
    cal, rng, values = plan.cal, _rng(plan.seed, S_TICKETS), plan.kpi("Support").values
    solved, opened = [], []
    for w in range(cal.weeks):
        lo, hi = cal.span(w)
        solved.append(_sample_instants(rng, cal.zone, lo, hi, int(values[w]), SUPPORT_HOURLY))
        opened.append(_sample_instants(rng, cal.zone, lo, hi, round(0.1 * values[w]), SUPPORT_HOURLY))
    solved, opened = np.concatenate(solved), np.concatenate(opened)
    wait = np.clip(np.exp(rng.normal(np.log(6 * HOUR), 1.2, len(solved))), 5 * MINUTE, 10 * DAY)
    early = solved - wait < cal.bounds[0]  # the first tickets were opened after the start
    wait = np.where(early, rng.random(len(solved)) * (solved - cal.bounds[0]), wait)
    created = np.concatenate([solved - wait.astype(np.int64), opened])
    solved_at = np.concatenate([solved, np.zeros(len(opened), np.int64)])
    is_open = np.arange(len(created)) >= len(solved)
    status = np.where(
        is_open,
        rng.choice(["open", "pending", "Open", "Pending"], len(created), p=[0.5, 0.3, 0.1, 0.1]),
        np.where(rng.random(len(created)) < 0.25, "Solved", "solved"),
    )
    tags = np.char.add(
        rng.choice(["onboarding", "billing", "how-to", "bug", "integrations", "sso"], len(created)),
        rng.choice(["", " activation", " urgent-customer", " api"], len(created), p=[0.55, 0.25, 0.1, 0.1]),
    )
    requester = _pick_users(rng, su, created)
    requester[rng.random(len(created)) < 0.08] = -1  # prospects without an account
    priority = rng.choice(["low", "normal", "high", "urgent"], len(created), p=[0.25, 0.55, 0.15, 0.05])
    order = np.argsort(created, kind="stable")
    utc = pa.timestamp("s", tz="UTC")
    return pa.table(
        {
            "ticket_id": pa.array(100001 + np.arange(len(created))),
            "created_at": pa.array(created[order].astype("datetime64[s]"), utc),
            "solved_at": pa.array(solved_at[order].astype("datetime64[s]"), utc, mask=is_open[order]),
            "status": pa.array(status[order]),
            "requester_id": user_id.take(pa.array(requester[order], mask=requester[order] < 0)),
            "tags": pa.array(tags[order]),
            "priority": pa.array(priority[order]),
        }
    )


def _demos(plan: Plan, su: Signups, sales: np.ndarray) -> pa.Table:
    """Demos held on weekdays, business hours, local time: the planned count per week."""
    cal, rng, values = plan.cal, _rng(plan.seed, S_DEMOS), plan.kpi("Sales").values
    held = np.concatenate([_weekday_times(rng, cal, w, int(values[w]), 9, 18) // 900 * 900 for w in range(cal.weeks)])
    held = np.sort(held, kind="stable")
    users = _pick_users(rng, su, cal.zone.utc(held))
    account = np.where(users >= 0, su.account[np.maximum(users, 0)] + 1, 0)
    width = max(6, len(str(len(su.t))))
    return pa.table(
        {
            "demo_id": _ids("D-", np.arange(1, len(held) + 1), 6),
            "held_at": pa.array(held.astype("datetime64[s]")),
            "owner": pa.array(rng.choice(sales, len(held))),
            "account_id": pc.if_else(pa.array(users >= 0), _ids("acct-", account, width), pa.scalar(None, pa.string())),
            "outcome": pa.array(
                rng.choice(
                    ["qualified", "follow_up", "not_a_fit", "no_decision"], len(held), p=[0.35, 0.35, 0.15, 0.15]
                )
            ),
        }
    )


POINTS = np.array([1, 2, 3, 5, 8])
POINTS_P = (0.15, 0.3, 0.3, 0.2, 0.05)
LABELS = np.array(["onboarding", "activation", "billing", "api", "ui", "performance", "sso", "reporting"])


def _done_points(rng, features: int, total: int) -> tuple[np.ndarray, np.ndarray]:
    """Story points of one week's done features and other done issues, summing to total."""
    fp = rng.choice(POINTS[:4], features)
    if fp.sum() > total - 1:
        fp[:] = 1
    rest = total - int(fp.sum())
    op = rng.choice(POINTS, max(rest, 1), p=POINTS_P)
    cum = np.cumsum(op)
    j = int(np.searchsorted(cum, rest))
    op = op[: j + 1].copy()
    op[-1] = rest - (cum[j - 1] if j else 0)  # the last issue takes the remainder (1..8)
    return fp, op


def _issues(plan: Plan) -> pa.Table:
    """Done issues per local week: exactly the planned features and story points. Won't-do
    issues are resolved but not done; the backlog has no resolved_at."""
    cal, rng = plan.cal, _rng(plan.seed, S_ISSUES)
    eng, prod = plan.kpi("Engineering").values, plan.kpi("Product").values
    cols = {"type": [], "resolved": [], "status": [], "points": []}

    def add(types, resolved, status, points):
        for key, val in zip(cols, (types, resolved, status, points), strict=True):
            cols[key].append(val)

    for w in range(cal.weeks):
        fp, op = _done_points(rng, int(prod[w]), int(eng[w]))
        n = len(fp) + len(op)
        other = rng.choice(["bug", "task", "story"], len(op), p=[0.45, 0.3, 0.25])
        types = np.concatenate([np.full(len(fp), "feature"), other])
        done = np.where(rng.random(n) < 0.3, "Done", "done")
        add(types, _weekday_times(rng, cal, w, n, 8, 19), done, np.concatenate([fp, op]))
        k = max(1, round(0.05 * n))
        add(
            rng.choice(["feature", "bug", "task"], k),
            _weekday_times(rng, cal, w, k, 8, 19),
            np.full(k, "won't do"),
            rng.choice(POINTS, k),
        )
    total = sum(len(x) for x in cols["type"])
    k = round(0.25 * total)
    add(
        rng.choice(["feature", "bug", "task", "story"], k),
        np.full(k, -1),
        rng.choice(["to do", "in progress", "in review"], k, p=[0.5, 0.35, 0.15]),
        rng.choice(POINTS, k),
    )
    types, resolved, status, points = (np.concatenate(cols[key]) for key in cols)
    n = len(types)
    labels = np.char.add(
        rng.choice(LABELS, n), rng.choice(["", " ui", " activation", " api"], n, p=[0.6, 0.15, 0.15, 0.1])
    )
    no_points = (status != "done") & (status != "Done") & (rng.random(n) < 0.4)
    order = np.lexsort((np.arange(n), np.where(resolved < 0, np.iinfo(np.int64).max, resolved)))
    pending = resolved[order] < 0
    return pa.table(
        {
            "issue_key": _ids("SEAM-", 100 + rng.permutation(n)[order], 1),
            "issue_type": pa.array(types[order]),
            "resolved_at": pa.array(resolved[order].astype("datetime64[s]"), mask=pending),
            "status": pa.array(status[order]),
            "labels": pa.array(labels[order]),
            "story_points": pa.array(points[order].astype(np.int64), mask=no_points[order]),
        }
    )


# --------------------------------------------------------------------------- people

FUNCTION_SIZES = {
    "Support": 55,
    "Sales": 50,
    "Engineering": 100,
    "Product": 25,
    "Design": 20,
    "Operations": 35,
    "Leadership": 15,
}
FUNCTIONS = tuple(FUNCTION_SIZES)
TEAMS = {
    "Support": ("Support EMEA", "Support Americas", "Support Tier 2"),
    "Sales": ("SMB Sales", "Mid-market Sales", "Enterprise Sales", "Sales Engineering"),
    "Engineering": ("Platform", "Growth Engineering", "Integrations", "Data", "Infrastructure", "Mobile"),
    "Product": ("Product Core", "Product Growth"),
    "Design": ("Design",),
    "Operations": ("RevOps", "BizOps", "IT"),
    "Leadership": ("Executive",),
}
LEVELS = ("Associate", "Senior", "Staff", "Manager", "Director", "VP")
LEVEL_COST = np.array([48, 68, 90, 100, 125, 150])
FUNCTION_COST = {
    "Support": 0.85,
    "Sales": 1.0,
    "Engineering": 1.1,
    "Product": 1.05,
    "Design": 1.0,
    "Operations": 0.9,
    "Leadership": 1.05,
}
FIRST = (
    "Alex Amara Ben Bianca Carlos Chloe Daniel Dana Elif Ethan Fatima Finn Grace Hana Ivan Isla "
    "Jamal Jia Kofi Kate Liam Lena Marco Maya Nadia Noah Omar Olivia Priya Pablo Quinn Rosa Sam "
    "Sofia Tariq Tess Uma Victor Wen Will Xavier Yara Yusuf Zoe Aisha Bruno Clara Dev Emma Felix "
    "Gita Hugo Ines Jonas Keiko Luca Mina Nils Oscar Petra"
).split()
LAST = (
    "Adams Baker Chen Costa Diaz Evans Fischer Garcia Gupta Hall Hughes Ito Jensen Khan Kim Lopez "
    "Martin Meyer Murphy Nakamura Novak Okafor Olsen Patel Perez Quinn Reid Rossi Santos Schmidt "
    "Silva Singh Smith Suzuki Taylor Thomas Torres Umar Varga Walker Wang Weber White Wilson Wright "
    "Young Zhang Ahmed Bauer Brooks Cohen Doyle Ellis Flores Green Haas Ivanova Jones Kaur Lewis"
).split()


def _people(seed: int) -> pd.DataFrame:
    """~300 people; the first member of each team is its manager (1:1s need one)."""
    rng = _rng(seed, S_PEOPLE)
    rows = []
    names = rng.choice(len(FIRST) * len(LAST), sum(FUNCTION_SIZES.values()), replace=False)
    for fn, size in FUNCTION_SIZES.items():
        for j in range(size):
            team = TEAMS[fn][j % len(TEAMS[fn])]
            if fn == "Leadership":
                level = 5 if j < 9 else 4
            elif j < len(TEAMS[fn]):
                level = 3
            else:
                level = int(rng.choice([0, 1, 2, 3, 4], p=[0.3, 0.37, 0.18, 0.1, 0.05]))
            rows.append((fn, team, level))
    df = pd.DataFrame(rows, columns=["function", "team", "level"])
    df["first"] = [FIRST[i // len(LAST)] for i in names]
    df["last"] = [LAST[i % len(LAST)] for i in names]
    df["email"] = (df["first"] + "." + df["last"] + "@" + DOMAIN).str.lower()
    df["mixed"] = df["first"] + "." + df["last"] + "@" + DOMAIN
    cost = LEVEL_COST[df["level"]] * df["function"].map(FUNCTION_COST) + rng.normal(0, 6, len(df))
    df["cost"] = np.clip(np.round(cost), 40, 160)
    df.loc[rng.random(len(df)) < 0.03, "cost"] = np.nan  # contractors: cost unknown
    df["dollar"] = rng.random(len(df)) < 0.05  # some rows exported with a currency sign
    df["level"] = [LEVELS[i] for i in df["level"]]
    return df


def _senior(people: pd.DataFrame, fn: str, levels: tuple[str, ...], skip=()) -> int:
    """The first member of fn at one of these levels (any level if none is left)."""
    pool = people[(people["function"] == fn) & ~people.index.isin(skip)]
    preferred = pool[pool["level"].isin(levels)]
    return int((preferred if len(preferred) else pool).index[0])


def _head(people: pd.DataFrame, fn: str, skip=()) -> int:
    """The costliest director of fn not in skip (a manager when no director is left)."""
    pool = people[(people["function"] == fn) & ~people.index.isin(skip) & people["cost"].notna()]
    for level in ("Director", "Manager"):
        ranked = pool[pool["level"] == level].sort_values("cost", ascending=False, kind="stable")
        if len(ranked):
            return int(ranked.index[0])
    return _senior(people, fn, ("Manager",), skip)


def _cast(people: pd.DataFrame) -> tuple[list[int], list[int]]:
    """The six in the alignment sync (directors of Product, Sales, Support and two of
    Engineering, and a PM: senior time, so the sync is among the costliest cross-functional
    series), and the five in the activation team (its PM is the sync's PM). Activation team
    members show team "Activation" in the people snapshot."""
    pm = _senior(people, "Product", ("Senior", "Staff"))
    engineering = _head(people, "Engineering")
    sync = [
        _head(people, "Product"),
        pm,
        engineering,
        _head(people, "Engineering", skip=[engineering]),
        _head(people, "Sales"),
        _head(people, "Support"),
    ]
    team = [pm]
    for fn, n in (("Engineering", 2), ("Design", 1), ("Support", 1)):
        for _ in range(n):
            team.append(_senior(people, fn, ("Senior", "Staff"), skip=sync + team))
    people.loc[team, "team"] = "Activation"
    return sync, team


def _people_table(people: pd.DataFrame) -> tuple[pa.Table, pa.Array]:
    order = np.argsort(people["email"].to_numpy(), kind="stable")
    p = people.iloc[order]
    text = [None if np.isnan(c) else f"{'$' if d else ''}{c:.2f}" for c, d in zip(p["cost"], p["dollar"], strict=True)]
    return pa.table(
        {
            "email": pa.array(p["email"].tolist()),
            "function": pa.array(p["function"].tolist()),
            "hourly_cost": pa.array(text, pa.string()),
            "level": pa.array(p["level"].tolist()),
            "team": pa.array(p["team"].tolist()),
        }
    ), pa.array(p["cost"].to_numpy(), pa.float64(), from_pandas=True)  # NaN -> null


# --------------------------------------------------------------------------- meetings

RESPONSES = np.array(["accepted", "tentative", "needs_action", "", "declined", "Accepted"])
RESPONSE_P = (0.70, 0.07, 0.06, 0.05, 0.08, 0.04)
EXTERNALS = np.array(
    [
        "Dana.Whitfield@acme-logistics.example",
        "procurement@globex.example",
        "j.moreau@initech.example",
        "Sara.Lind@umbrella-health.example",
        "it-admin@hooli.example",
        "K.Osei@stark-retail.example",
    ]
)
CROSS_SERIES = (
    ("Roadmap review", ("Product", "Engineering", "Sales")),
    ("Pipeline & product sync", ("Sales", "Product")),
    ("Launch readiness", ("Product", "Engineering", "Support", "Sales")),
    ("Onboarding feedback review", ("Support", "Product", "Design")),
    ("Escalations review", ("Support", "Engineering")),
    ("Pricing council", ("Sales", "Product", "Operations", "Leadership")),
    ("Release planning", ("Engineering", "Product", "Operations")),
    ("Design review", ("Design", "Product", "Engineering")),
    ('Forecast review, "commit" deals', ("Sales", "Operations", "Leadership")),
)
ADHOC = (
    ("Bug triage", ("Engineering", "Support")),
    ("Customer escalation", ("Support", "Engineering", "Sales")),
    ("Deal review", ("Sales", "Product")),
    ("Working session", ("Product", "Design", "Engineering")),
    ("Design crit", ("Design", "Product")),
    ("Account plan, renewals", ("Sales", "Support")),
    ("Data request", ("Operations", "Engineering")),
)
CROSS_LIGHTER = 0.40  # share of cross-functional series' attendee-hours the org change takes off
ADHOC_AFTER = 0.65  # ad hoc cross-functional meetings left after it


@dataclass
class Block:
    """Meetings (or series templates) with attendees as CSR: who[ptr[i]:ptr[i+1]]."""

    title: np.ndarray
    series: np.ndarray
    organizer: np.ndarray
    ptr: np.ndarray
    who: np.ndarray
    minutes: np.ndarray
    no_decline: np.ndarray
    start: np.ndarray | None = None  # naive local seconds (instances)
    days: np.ndarray | None = None  # (m, 7) weekdays (templates)
    clock: np.ndarray | None = None  # minutes after local midnight (templates)
    weeks: np.ndarray | None = None  # (m, weeks) bool (templates)


def _concat(blocks: list[Block]) -> Block:
    out = {}
    for name in Block.__dataclass_fields__:
        parts = [getattr(b, name) for b in blocks]
        if name == "ptr":
            offs = np.cumsum([0] + [p[-1] for p in parts[:-1]])
            out[name] = np.concatenate([[0]] + [p[1:] + o for p, o in zip(parts, offs, strict=True)])
        elif name == "who":
            out[name] = np.concatenate(parts)
        else:
            out[name] = None if parts[0] is None else np.concatenate(parts)
    return Block(**out)


def _csr_take(ptr: np.ndarray, who: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lens = (ptr[1:] - ptr[:-1])[rows]
    new_ptr = np.concatenate([[0], np.cumsum(lens)])
    within = np.arange(new_ptr[-1]) - np.repeat(new_ptr[:-1], lens)
    return new_ptr, who[np.repeat(ptr[rows], lens) + within]


def _choose(rng, eligible: np.ndarray, k: np.ndarray, must=()) -> tuple[np.ndarray, np.ndarray]:
    """k[i] distinct people from eligible[i]; one from each `must` mask comes first, so a
    cross-functional meeting really spans functions and its first attendee organizes."""
    m = len(eligible)
    keys = rng.random(eligible.shape)
    keys[~eligible] = np.inf
    rows = np.arange(m)
    for j, mask in enumerate(must):
        masked = np.where(mask & eligible, keys, np.inf)
        best = masked.argmin(axis=1)
        ok = np.isfinite(masked[rows, best])
        keys[rows[ok], best[ok]] = -10.0 + j
    kmax = int(k.max()) if m else 0
    order = np.argsort(keys, axis=1, kind="stable")[:, :kmax]
    valid = np.isfinite(np.take_along_axis(keys, order, axis=1)) & (np.arange(kmax) < k[:, None])
    return np.concatenate([[0], np.cumsum(valid.sum(axis=1))]), order[valid]


class Org:
    """Membership masks over the people directory (externals appended after people)."""

    def __init__(self, people: pd.DataFrame):
        self.n = len(people)
        self.function = people["function"].to_numpy()
        self.team = people["team"].to_numpy()
        self.level = people["level"].to_numpy()
        self.cost = people["cost"].fillna(0).to_numpy()  # hourly; unknown counts as 0
        self.first = people["first"].to_numpy()
        self.lower = np.concatenate([people["email"].to_numpy(), EXTERNALS])
        self.mixed = np.concatenate([people["mixed"].to_numpy(), EXTERNALS])

    def in_functions(self, fns) -> np.ndarray:
        return np.isin(self.function, list(fns))

    def masks(self, groups, values) -> np.ndarray:
        return np.stack([groups == v for v in values]) if len(values) else np.zeros((0, self.n), bool)


def _template(title, series, organizer, ptr, who, minutes, days, clock, weeks, no_decline=None):
    m = len(title)
    return Block(
        np.asarray(title, object),
        np.asarray(series, object),
        np.asarray(organizer),
        ptr,
        who,
        np.asarray(minutes),
        np.zeros(m, bool) if no_decline is None else no_decline,
        days=days,
        clock=np.asarray(clock),
        weeks=weeks,
    )


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")


def _weekly(rng, m: int, n_weeks: int, first=0, end=None):
    """Weekly templates: one random weekday, a slot between 09:00 and 16:30, active weeks."""
    days = np.zeros((m, 7), bool)
    days[np.arange(m), rng.integers(0, 5, m)] = True
    weeks = np.zeros((m, n_weeks), bool)
    weeks[:, first:end] = True
    return days, 9 * 60 + 30 * rng.integers(0, 16, m), weeks


def _same_function_series(rng, org: Org, n: int, weeks: int) -> Block:
    """Standups (per team, daily), 1:1s (manager + report) and function weeklies."""
    teams = [t for t in dict.fromkeys(org.team) if t not in ("Executive", "Activation")]
    # standups
    s = max(1, round(0.30 * n / 5))
    team_of = np.array([teams[i % len(teams)] for i in range(s)])
    ptr, who = _choose(rng, org.masks(org.team, team_of), rng.integers(4, 9, s))
    days = np.zeros((s, 7), bool)
    days[:, :5] = True
    standups = _template(
        [f"{t} standup" for t in team_of],
        [f"standup-{_slug(t)}-{i // len(teams) + 1}" for i, t in enumerate(team_of)],
        who[ptr[:-1]],
        ptr,
        who,
        np.full(s, 15),
        days,
        9 * 60 + 30 + 15 * (np.arange(s) % 3),
        np.ones((s, weeks), bool),
    )
    # 1:1s
    s = round(0.25 * n)
    fns = rng.choice(FUNCTIONS, s, p=np.array(list(FUNCTION_SIZES.values())) / org.n)
    managers = np.isin(org.level, ["Manager", "Director", "VP"])
    eligible = org.masks(org.function, fns)
    ptr, who = _choose(rng, eligible, np.full(s, 2), must=(eligible & managers,))
    titles = [f"1:1 {org.first[who[a]]} / {org.first[who[b - 1]]}" for a, b in zip(ptr[:-1], ptr[1:], strict=True)]
    days, clock, active = _weekly(rng, s, weeks)
    ones = _template(
        titles, [f"1on1-{i + 1:04d}" for i in range(s)], who[ptr[:-1]], ptr, who, np.full(s, 30), days, clock, active
    )
    # function weeklies
    s = max(1, round(0.08 * n))
    fns = rng.choice(FUNCTIONS, s, p=np.array(list(FUNCTION_SIZES.values())) / org.n)
    ptr, who = _choose(rng, org.masks(org.function, fns), rng.integers(5, 11, s))
    days, clock, active = _weekly(rng, s, weeks)
    weekly = _template(
        [f"{f} weekly" for f in fns],
        [f"weekly-{_slug(f)}-{i + 1}" for i, f in enumerate(fns)],
        who[ptr[:-1]],
        ptr,
        who,
        np.full(s, 60),
        days,
        clock,
        active,
    )
    return _concat([standups, ones, weekly])


def _cross_series(rng, org: Org, n: int, cal: Calendar) -> Block:
    """Recurring cross-functional reviews, from the first week to the last. From the org change
    the costliest meet fortnightly, those of 6 or more with the first half of their attendees
    (the must-have functions come first): the activation team now makes their trade-offs."""
    s = max(1, round(0.17 * n))
    theme = np.arange(s) % len(CROSS_SERIES)
    ptr, who = _cross_attendees(rng, org, [CROSS_SERIES[t][1] for t in theme], rng.integers(4, 9, s))
    minutes = rng.choice([30, 45, 60], s)
    size = np.diff(ptr)
    kept = np.where(size >= 6, (size + 1) // 2, size)
    # Lighten series, costliest first (ties in random order), until they take CROSS_LIGHTER off
    # the weekly attendee-hours, so the before/after drop is the same at every scale.
    load = minutes * size
    cut = load - minutes * kept / 2
    cost = minutes * np.bincount(np.repeat(np.arange(s), size), weights=org.cost[who], minlength=s)
    order = rng.permutation(s)
    order = order[np.argsort(-cost[order], kind="stable")]
    lighter = np.zeros(s, bool)
    lighter[order] = np.cumsum(cut[order]) - cut[order] < CROSS_LIGHTER * load.sum()
    days, clock, active = _weekly(rng, s, cal.weeks)
    w = np.arange(cal.weeks)
    active[lighter] &= (w < cal.org_week) | ((w - cal.org_week) % 2 == 0)
    organizer = who[ptr[:-1]]
    ops = np.flatnonzero(org.function == "Operations")
    coordinated = rng.random(s) < 0.1  # a coordinator books it without attending
    organizer = np.where(coordinated, rng.choice(ops, s), organizer)
    titles = np.array([CROSS_SERIES[t][0] for t in theme], object)
    series = np.array([f"{_slug(CROSS_SERIES[t][0])}-{i + 1}" for i, t in enumerate(theme)], object)
    # A slimmed series keeps its series_id: from the change on, a template of its first attendees.
    thin = np.flatnonzero(lighter & (kept < size))
    later = active[thin] & (w >= cal.org_week)
    active[thin] &= w < cal.org_week
    thin_ptr = np.concatenate([[0], np.cumsum(kept[thin])])
    within = np.arange(thin_ptr[-1]) - np.repeat(thin_ptr[:-1], kept[thin])
    thin_who = who[np.repeat(ptr[thin], kept[thin]) + within]
    return _concat(
        [
            _template(titles, series, organizer, ptr, who, minutes, days, clock, active),
            _template(
                titles[thin],
                series[thin],
                organizer[thin],
                thin_ptr,
                thin_who,
                minutes[thin],
                days[thin],
                clock[thin],
                later,
            ),
        ]
    )


def _cross_attendees(rng, org: Org, fn_sets, k: np.ndarray):
    first = np.array([fs[0] for fs in fn_sets])
    second = np.array([fs[1] for fs in fn_sets])
    eligible = np.stack([org.in_functions(fs) for fs in fn_sets])
    return _choose(rng, eligible, k, must=(org.masks(org.function, first), org.masks(org.function, second)))


def _story_series(org: Org, cal: Calendar, sync: list[int], team: list[int]) -> Block:
    """The sync (weekly until the org change), the activation team's standup (daily after
    it) and a monthly release cutover that runs past midnight."""
    w = np.arange(cal.weeks)
    days = np.zeros((3, 7), bool)
    days[0, 1] = days[2, 3] = True  # Tuesday sync, Thursday-night cutover
    days[1, :5] = True
    weeks = np.stack([w < cal.org_week, w >= cal.org_week, w % 4 == 2])
    infra = np.flatnonzero(org.team == "Infrastructure")[:2].tolist()
    it = np.flatnonzero(org.team == "IT")[:1].tolist()
    people = [sync, team, infra + it]
    ptr = np.concatenate([[0], np.cumsum([len(p) for p in people])])
    return _template(
        ["Activation alignment sync", "Activation team standup", "Release cutover (overnight)"],
        ["activation-alignment-sync", "activation-team-standup", "release-cutover"],
        np.array([sync[1], team[0], infra[0]]),
        ptr,
        np.concatenate(people),
        np.array([60, 15, 60]),
        days,
        np.array([15 * 60, 9 * 60 + 45, 23 * 60 + 30]),
        weeks,
        no_decline=np.array([True, False, False]),
    )


def _expand(t: Block, cal: Calendar) -> Block:
    """Series templates -> one meeting per active week and weekday."""
    s, w, d = np.nonzero(t.weeks[:, :, None] & t.days[:, None, :])
    ptr, who = _csr_take(t.ptr, t.who, s)
    return Block(
        t.title[s],
        t.series[s],
        t.organizer[s],
        ptr,
        who,
        t.minutes[s],
        t.no_decline[s],
        start=cal.mondays[w] + d * DAY + t.clock[s] * MINUTE,
    )


def _adhoc(rng, org: Org, n: int, cal: Calendar) -> Block:
    """Ad hoc cross-functional meetings (fewer after the org change) and customer calls with
    external attendees, one week at a time."""
    blocks = []
    sales = np.flatnonzero(org.function == "Sales")
    for w in range(cal.weeks):
        m = round(0.20 * n * (1 if w < cal.org_week else ADHOC_AFTER))
        theme = rng.integers(0, len(ADHOC), m)
        ptr, who = _cross_attendees(rng, org, [ADHOC[t][1] for t in theme], rng.integers(3, 8, m))
        start = _weekday_times(rng, cal, w, m, 9, 17) // 1800 * 1800
        blocks.append(
            Block(
                np.array([ADHOC[t][0] for t in theme], object),
                np.full(m, None, object),
                who[ptr[:-1]],
                ptr,
                who,
                rng.choice([30, 45, 60, 90], m),
                np.zeros(m, bool),
                start=start,
            )
        )
        c = max(2, round(0.02 * n))
        inside = rng.integers(1, 3, c)
        outside = rng.integers(1, 3, c)
        people = [
            np.concatenate([rng.choice(sales, i, replace=False), org.n + rng.choice(len(EXTERNALS), o, replace=False)])
            for i, o in zip(inside, outside, strict=True)
        ]  # a couple of calls a week
        ptr = np.concatenate([[0], np.cumsum(inside + outside)])
        company = [EXTERNALS[p[-1] - org.n].split("@")[1].split(".")[0].replace("-", " ").title() for p in people]
        blocks.append(
            Block(
                np.array([f"Call with {name}" for name in company], object),
                np.full(c, None, object),
                np.array([p[0] for p in people]),
                ptr,
                np.concatenate(people),
                rng.choice([30, 45], c),
                np.zeros(c, bool),
                start=_weekday_times(rng, cal, w, c, 9, 17) // 1800 * 1800,
            )
        )
    return _concat(blocks)


def _offset_text(zone: Zone, t: np.ndarray) -> pa.Array:
    """ISO 8601 local time with an explicit offset, e.g. 2026-03-30T09:30:00+01:00."""
    off = zone.offset(t)
    local = pc.strftime(pa.array(zone.local(t).astype("datetime64[s]")), format="%Y-%m-%dT%H:%M:%S")
    sign = np.where(off < 0, "-", "+")
    hhmm = np.char.add(
        np.char.add(sign, np.char.zfill((np.abs(off) // HOUR).astype(str), 2)),
        np.char.add(":", np.char.zfill((np.abs(off) % HOUR // MINUTE).astype(str), 2)),
    )
    return pc.binary_join_element_wise(local, pa.array(hhmm), "")


def _meetings(plan: Plan, people: pd.DataFrame, sync: list[int], team: list[int]):
    cal, rng = plan.cal, _rng(plan.seed, S_MEETINGS)
    org, n = Org(people), plan.meetings_per_week
    series = _concat(
        [
            _same_function_series(rng, org, n, cal.weeks),
            _cross_series(rng, org, n, cal),
            _story_series(org, cal, sync, team),
        ]
    )
    allm = _concat([_expand(series, cal), _adhoc(rng, org, n, cal)])
    start = cal.zone.utc(allm.start)
    order = np.argsort(start, kind="stable")
    start, end = start[order], start[order] + allm.minutes[order] * MINUTE
    ptr, who = _csr_take(allm.ptr, allm.who, order)
    ids = _ids("mtg-", np.arange(1, len(order) + 1), max(6, len(str(len(order)))))
    utc = pa.timestamp("s", tz="UTC")
    meetings = pa.table(
        {
            "meeting_id": ids,
            "starts_at": pa.array(start.astype("datetime64[s]"), utc),
            "ends_at": pa.array(end.astype("datetime64[s]"), utc),
            "title": pa.array(allm.title[order].tolist(), pa.string()),
            "series_id": pa.array(allm.series[order].tolist(), pa.string()),
            "organizer": pa.array(org.lower[allm.organizer[order]]),
        }
    )
    lens = np.diff(ptr)
    response = rng.choice(RESPONSES, len(who), p=RESPONSE_P)
    response = np.where(np.repeat(allm.no_decline[order], lens) & (response == "declined"), "accepted", response)
    email = np.where((rng.random(len(who)) < 0.05) | (who >= org.n), org.mixed[who], org.lower[who])
    attendees = pa.table(
        {
            "meeting_id": ids.take(pa.array(np.repeat(np.arange(len(order)), lens))),
            "email": pa.array(email),
            "response": pa.array(response, mask=response == ""),
        }
    )
    return meetings, attendees


def _meeting_text(zone: Zone, meetings: pa.Table) -> dict:
    """Meeting times as a calendar export writes them: local time with its offset."""
    return {c: _offset_text(zone, meetings[c].cast(pa.int64()).to_numpy()) for c in ("starts_at", "ends_at")}


# --------------------------------------------------------------------------- faults

# Real exports carry rows the pipeline must reject, so the demo carries a few: a small fixed set
# of EXTRA rows at plausible places in file order, the same at every scale. The clean rows above
# are untouched and every extra row is rejected whole (or is a repeat that counts once), so no
# number of the story moves. A value only text can hold (an impossible date, "N/A", a decimal
# comma, "?" story points) is written in CSV only: a typed Parquet column cannot carry it.
IMPOSSIBLE_DATE = "2026-02-30 10:00:00"
NEW_PERSON = ("robin.achterberg@" + DOMAIN, "Operations", "92,50", "Senior", "BizOps")


@dataclass(frozen=True)
class Fault:
    at: int  # the row of the clean table that the extra row is written before
    row: dict  # typed values (null where `text` gives the value)
    text: tuple[tuple[str, str], ...] = ()  # CSV-only values; a fault with text is CSV-only


def _row(table: pa.Table, i: int, **changes) -> dict:
    return table.slice(i, 1).to_pylist()[0] | changes


def _faults(name: str, table: pa.Table) -> list[Fault]:
    """The extra rows of one (non-streamed) table, placed relative to its clean rows."""
    n = table.num_rows
    if name == "signups":  # a sign-up whose user id the export lost
        k = n // 2
        return [Fault(k, _row(table, k, user_id=None))]
    if name == "tickets":
        solved = np.flatnonzero(pc.equal(pc.utf8_lower(table["status"]), "solved").to_numpy())
        j = int(solved[np.searchsorted(solved, int(0.3 * n)) % len(solved)])
        k = int(0.6 * n)
        na = _row(table, k, ticket_id=100001 + n, solved_at=None, status="solved", requester_id=None)
        return [
            # the ticket exported while pending, then again once solved: the later line wins
            Fault(j, _row(table, j, solved_at=None, status="pending")),
            Fault(k, na | {"tags": "billing", "priority": "normal"}, (("solved_at", "N/A"),)),
        ]
    if name == "demos":  # a row repeated where two pages of the export overlap
        k = n // 2
        return [Fault(k + 1, _row(table, k))]
    if name == "issues":  # an unestimated backlog issue: "?" from planning poker
        first = int(pc.sum(pc.is_valid(table["resolved_at"])).as_py())  # the backlog comes last
        k = min(first + (n - first) // 2, n - 1)
        row = _row(table, k, issue_key=f"SEAM-{100 + n}", issue_type="story", status="to do", story_points=None)
        return [Fault(k, row | {"labels": "onboarding"}, (("story_points", "?"),))]
    if name == "meetings":  # its end typed on the day before its start
        k = int(0.45 * n)
        row = _row(table, k, meeting_id=_meeting_id(n, n + 1), title="Partner onboarding workshop", series_id=None)
        return [Fault(k, row | {"ends_at": row["starts_at"] - timedelta(hours=23)})]
    if name == "attendees":  # two guests of a meeting the calendar export does not have
        ids = table["meeting_id"].to_numpy()  # in meeting order, and every meeting has guests
        total = int(ids[-1].removeprefix("mtg-"))
        k = int(np.searchsorted(ids, _meeting_id(total, int(0.7 * total) + 1)))
        orphan = _meeting_id(total, total + 2)
        return [
            Fault(k, _row(table, k, meeting_id=orphan, response="accepted")),
            Fault(k, _row(table, k + 1, meeting_id=orphan, response=None)),
        ]
    if name == "people":  # a new hire whose cost came from a spreadsheet with a decimal comma
        email, function, cost, level, team = NEW_PERSON
        k = int(np.searchsorted(table["email"].to_numpy(), email))
        row = {"email": email, "function": function, "hourly_cost": None, "level": level, "team": team}
        return [Fault(k, row, (("hourly_cost", cost),))]
    return []


def _meeting_id(count: int, number: int) -> str:
    return _ids("mtg-", [number], max(6, len(str(count))))[0].as_py()


def _with_faults(name: str, table: pa.Table, fmt: str) -> tuple[pa.Table, dict]:
    """The table with its extra rows, and the CSV text of the columns where one holds text only."""
    faults = sorted((f for f in _faults(name, table) if fmt == "csv" or not f.text), key=lambda f: f.at)
    pieces, done, text = [], 0, {}
    for i, fault in enumerate(faults):
        pieces += [table.slice(done, fault.at - done), pa.Table.from_pylist([fault.row], schema=table.schema)]
        done = fault.at
        for column, value in fault.text:
            text.setdefault(column, {})[fault.at + i] = value
    out = pa.concat_tables([*pieces, table.slice(done)]) if faults else table
    for column, values in text.items():
        cells = _text_column(out, column).to_pylist()
        for i, value in values.items():
            cells[i] = value
        text[column] = pa.array(cells, pa.string())
    return out, text


def _event_anchors(cal: Calendar) -> list[tuple[int, str]]:
    """Where the extra events go: (UTC instant, kind), by time. A line repeated (an export run
    over an overlapping window) after the first event from 10:00 on the middle week's Monday, and
    a row with an impossible date where 30 February would be, between February and March."""
    middle, march = cal.mondays[cal.weeks // 2] + 10 * HOUR, _epoch(date(2026, 3, 1))
    duplicate, impossible = cal.zone.utc(np.array([middle, march]))
    return sorted([(int(duplicate), "duplicate"), (int(impossible), "impossible date")])


def _write_events(writer: Writer, chunks, user_id: pa.Array, cal: Calendar, fmt: str) -> None:
    """Stream the events, putting the extra ones where their anchors fall (after the last event
    when an anchor is past it)."""
    pending = [a for a in _event_anchors(cal) if fmt == "csv" or a[1] != "impossible date"]
    last = None
    for chunk in chunks:
        if not len(chunk[0]):
            continue
        table = _events_table(chunk, user_id, cal.zone)
        pieces, done = [], 0
        while pending and (i := int(np.searchsorted(chunk[0], pending[0][0]))) < len(chunk[0]):
            kind, i = pending.pop(0)[1], max(i, done)
            if kind == "duplicate":
                pieces += [table.slice(done, i + 1 - done), table.slice(i, 1)]
                done = i + 1
            else:
                writer.write(pa.concat_tables([*pieces, table.slice(done, i - done)]))
                user = table["user_id"][min(i, table.num_rows - 1)].as_py()
                writer.write_line([user, EVENTS[0], IMPOSSIBLE_DATE])
                pieces, done = [], i
        writer.write(pa.concat_tables([*pieces, table.slice(done)]))
        last = table.slice(table.num_rows - 1)
    for _, kind in pending if last is not None else []:
        if kind == "duplicate":
            writer.write(last)
        else:
            writer.write_line([last["user_id"][0].as_py(), EVENTS[0], IMPOSSIBLE_DATE])


# --------------------------------------------------------------------------- output


class Writer:
    """Streams tables to one canonical file: CSV (header unquoted, values quoted only when
    needed) or Parquet (timestamps in microseconds)."""

    def __init__(self, path: Path, fmt: str, schema: pa.Schema, fast: bool = False):
        self.fmt, self.path, self.fast, self.rows = fmt, path, fast, 0
        if fmt == "parquet":
            self.pq = pq.ParquetWriter(path, _parquet_schema(schema))
        else:
            self.fh = open(path, "wb")
            self.fh.write((",".join(schema.names) + "\n").encode())
            if fast:  # vocabularies without commas or quotes: Arrow writes them unquoted, fast
                self.csv = pacsv.CSVWriter(
                    self.fh, schema, write_options=pacsv.WriteOptions(include_header=False, quoting_style="none")
                )

    def write(self, table: pa.Table, text: dict | None = None) -> None:
        self.rows += table.num_rows
        if self.fmt == "parquet":
            self.pq.write_table(table.cast(_parquet_schema(table.schema)))
        elif self.fast:
            self.csv.write_table(table)
        else:
            _frame(table, text or {}).to_csv(self.fh, index=False, header=False, lineterminator="\n")

    def write_line(self, values: list[str]) -> None:
        """One CSV record of text, for a value no typed column can hold."""
        assert self.fmt == "csv", "text rows are CSV only"
        line = io.StringIO()
        csv.writer(line, lineterminator="\n").writerow(values)
        self.fh.write(line.getvalue().encode())
        self.rows += 1

    def close(self) -> None:
        if self.fmt == "parquet":
            self.pq.close()
        else:
            if self.fast:
                self.csv.close()
            self.fh.close()


def _parquet_schema(schema: pa.Schema) -> pa.Schema:
    return pa.schema(
        [pa.field(f.name, pa.timestamp("us", tz=f.type.tz)) if pa.types.is_timestamp(f.type) else f for f in schema]
    )


def _frame(table: pa.Table, text: dict) -> pd.DataFrame:
    """All-text frame for pandas' CSV writer."""
    return pd.DataFrame({name: text.get(name, _text_column(table, name)).to_pandas() for name in table.schema.names})


def _text_column(table: pa.Table, name: str):
    """A column as CSV text: naive timestamps with a space, UTC ones with Z."""
    col, kind = table[name], table.schema.field(name).type
    if pa.types.is_timestamp(kind):
        col = pc.strftime(col, format="%Y-%m-%dT%H:%M:%SZ" if kind.tz else "%Y-%m-%d %H:%M:%S")
    return pc.cast(col, pa.string())


def _write(out: Path, name: str, fmt: str, table: pa.Table, text=None, fast=False) -> int:
    w = Writer(out / f"{name}.{fmt}", fmt, table.schema, fast)
    w.write(table, text)
    w.close()
    return w.rows


def _toml(plan: Plan) -> str:
    cal = plan.cal
    lines = [
        f"# Generated by `python -m pipelines.demo` (seed {plan.seed}, scale {plan.scale:g}, "
        f"{cal.weeks} weeks): the demo workspace.",
        "[workspace]",
        f'name = "{COMPANY}"',
        f'timezone = "{TZ}"',
        'week_start = "monday"',
        'currency = "USD"',
        f"as_of = {cal.as_of.isoformat()}",
        "",
        "[outcome]",
        'name = "30-day activation"',
        'milestone_event = "activated"',
        "window_days = 30",
        f"target = {TARGET:.2f}",
        "stall_weeks = 4",
        "stall_min_gain = 0.01",
    ]
    for k in plan.kpis:
        lines += [
            "",
            "[[functions]]",
            f'name = "{k.function}"',
            f'kpi = "{k.kpi}"',
            f'table = "{k.table}"',
            f'date_column = "{k.date_column}"',
            f'measure = "{k.measure}"',
        ]
        if k.column:
            lines.append(f'column = "{k.column}"')
        if k.where:
            lines.append("where = { " + ", ".join(f'{c} = "{v}"' for c, v in k.where) + " }")
        lines += [f"target = {k.target}", 'direction = "higher"', "amber_band = 0.10"]
    lines += [
        "",
        "[coordination]",
        "over_collaboration_rise = 0.15",
        "min_group_size = 5",
        "",
        "[[org_changes]]",
        f"changed_on = {cal.org_date.isoformat()}",
        'label = "Activation team formed"',
    ]
    return "\n".join(lines) + "\n"


def _clear_conflicts(out: Path, fmt: str) -> None:
    """Remove canonical files of another format left by an earlier run: two files for one
    table would be a workspace error."""
    for name in TABLES:
        for ext in ("csv", "parquet", "jsonl", "ndjson"):
            for suffix in ("", ".gz"):
                path = out / f"{name}.{ext}{suffix}"
                if ext != fmt or suffix:
                    path.unlink(missing_ok=True)


def generate(out_dir: Path, scale: float = 0.01, fmt: str = "csv", weeks: int = 39, seed: int = 7) -> dict:
    """Write the demo workspace into out_dir; return the row count of each table."""
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"format must be csv or parquet, not {fmt!r}")
    plan = make_plan(scale, weeks, seed)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    _clear_conflicts(out, fmt)
    zone = plan.cal.zone
    su = _signups(plan)
    signups, user_id = _signups_table(su, zone)
    counts = {"signups": _write(out, "signups", fmt, *_with_faults("signups", signups, fmt), fast=True)}
    empty = (np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int8))
    writer = Writer(out / f"events.{fmt}", fmt, _events_table(empty, user_id, zone).schema, fast=True)
    _write_events(writer, _event_chunks(plan, su), user_id, plan.cal, fmt)
    writer.close()
    counts["events"] = writer.rows
    people = _people(seed)
    sync, team = _cast(people)
    sales = people.loc[people["function"] == "Sales", "email"].to_numpy()
    meetings, attendees = _meetings(plan, people, sync, team)
    table, cost = _people_table(people)
    if fmt == "parquet":  # a typed file carries the number, not the export's text
        table = table.set_column(2, "hourly_cost", cost)
    tables = {
        "tickets": _tickets(plan, su, user_id),
        "demos": _demos(plan, su, sales),
        "issues": _issues(plan),
        "meetings": meetings,
        "attendees": attendees,
        "people": table,
    }
    for name, clean in tables.items():
        table, text = _with_faults(name, clean, fmt)
        if name == "meetings":
            text |= _meeting_text(zone, table)
        counts[name] = _write(out, name, fmt, table, text)
    (out / "seams.toml").write_text(_toml(plan), encoding="utf-8")
    return counts


# --------------------------------------------------------------------------- raw exports

# `--raw` writes the same company as the exports of the tools it uses (docs/adapters.md), and the raw
# variant builds to the same marts as the canonical files: the same plan, the same random streams and
# the same rows, without the planted faults (the canonical demo is the one that shows rejects).
#   sign-ups and events  an Amplitude Export API zip: gzipped JSON lines, one member a day, event_time
#                        in UTC; each sign-up is a "Sign Up" event at the instant of the sign-up
#   tickets              a Zendesk admin CSV: labels, times to the minute in the account's zone, `-`
#   issues               a Jira "Export CSV (all fields)": BOM, CRLF, two Labels and two Sprint
#                        columns, dates like `14/Jul/26 3:42 PM`
#   demos                a HubSpot meetings CSV: labels, times in the portal's zone, owners by name
#   meetings, attendees  a Google Calendar .ics: each recurring meeting is one series (a weekly RRULE,
#                        EXDATE for the weeks it skipped, a RECURRENCE-ID override for each instance
#                        whose guests or responses differ from the series'); TZID Europe/London
#   people               an HR list with annual salaries, priced with [sources] annual_hours
# Dropping the seconds (Zendesk, Jira) never moves a time across a week, and a Zendesk time in the
# repeated autumn hour reads an hour early, still on that Sunday: every weekly number is the canonical one.
RAW_FILES = {
    "signups": "amplitude-export.zip",
    "tickets": "zendesk-tickets.csv",
    "issues": "jira-issues.csv",
    "demos": "hubspot-meetings.csv",
    "meetings": "calendar.ics",
    "people": "hr-people.csv",
}
ANNUAL_HOURS = 1720
SIGN_UP = "Sign Up"
AMPLITUDE_PROJECT = "318243"
EXPORTED = (2026, 11, 1, 0, 0, 0)  # zip member times, fixed: the same arguments give the same bytes
ICS_STAMP = "20261101T000000Z"
# A response as the .ics writes it (PARTSTAT; none for a blank one), and what it reads as.
PARTSTAT = {"accepted": "ACCEPTED", "Accepted": "ACCEPTED", "tentative": "TENTATIVE",
            "needs_action": "NEEDS-ACTION", "declined": "DECLINED", None: None}
PARTSTAT_MEANS = {"ACCEPTED": "accepted", "TENTATIVE": "tentative", "NEEDS-ACTION": "needs_action",
                  "DECLINED": "declined", None: "needs_action"}
JIRA_STATUS = {"done": "Done", "won't do": "Won't Do", "to do": "To Do", "in progress": "In Progress",
               "in review": "In Review"}
SUBJECTS = {"onboarding": "Help getting started", "billing": "Question about my invoice",
            "how-to": "How do I share a dashboard?", "bug": "Report shows the wrong totals",
            "integrations": "Slack integration disconnects", "sso": "Cannot sign in with SSO"}
LONDON = """BEGIN:VTIMEZONE
TZID:Europe/London
X-LIC-LOCATION:Europe/London
BEGIN:DAYLIGHT
TZOFFSETFROM:+0000
TZOFFSETTO:+0100
TZNAME:BST
DTSTART:19700329T010000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0100
TZOFFSETTO:+0000
TZNAME:GMT
DTSTART:19701025T020000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE"""


def _raw_csv(path: Path, header: list[str], rows: list[list[str]], bom: bool = False, crlf: bool = False) -> int:
    """A CSV as the tools write one: values quoted only when they must be."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(("\ufeff" if bom else "").encode() + buffer.getvalue().encode())
    return len(rows)


def _names(people: pd.DataFrame, function: str | None = None) -> list[str]:
    chosen = people if function is None else people[people["function"] == function]
    return (chosen["first"] + " " + chosen["last"]).tolist()


def _write_amplitude(path: Path, plan: Plan, su: Signups, user_id: pa.Array) -> int:
    """Sign-ups and events as Amplitude exports them: one gzipped member per UTC day, in time order."""
    sign_up = len(EVENTS)  # the sign-up's code, after the product's own events
    event_names = pa.array([*EVENTS, SIGN_UP])
    written, emitted, day, lines = 0, 0, None, []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:

        def flush():
            if lines:
                member = zipfile.ZipInfo(f"{AMPLITUDE_PROJECT}/{AMPLITUDE_PROJECT}_{day}#0.json.gz", EXPORTED)
                archive.writestr(member, gzip.compress("".join(lines).encode(), mtime=0))
                lines.clear()

        def write(t: np.ndarray, u: np.ndarray, c: np.ndarray):
            nonlocal written, day
            stamp = pa.array(t.astype("datetime64[s]"))
            user = user_id.take(pa.array(u))
            text = pc.binary_join_element_wise(
                '{"$insert_id":"nw-', pa.array((np.arange(len(t)) + written + 1).astype(str)),
                '","amplitude_id":', pa.array((u + 100_000_001).astype(str)),
                ',"device_id":"', user, '-web","event_properties":{},"event_time":"',
                pc.strftime(stamp, format="%Y-%m-%d %H:%M:%S"), '.000000","event_type":"',
                event_names.take(pa.array(c)), '","platform":"Web","user_id":"', user, '"}\n',
                "",
            ).to_pylist()
            for line, date_text in zip(text, pc.strftime(stamp, format="%Y-%m-%d").to_pylist(), strict=True):
                if date_text != day:
                    flush()
                    day = date_text
                lines.append(line)
            written += len(t)

        for t, u, c in _event_chunks(plan, su):
            if not len(t):
                continue
            # The sign-ups up to this chunk's last event: every later chunk starts after them.
            upto = int(np.searchsorted(su.t, t[-1], side="right"))
            t = np.concatenate([su.t[emitted:upto], t])
            u = np.concatenate([np.arange(emitted, upto), u])
            c = np.concatenate([np.full(upto - emitted, sign_up, np.int8), c])
            emitted = upto
            order = np.argsort(t, kind="stable")
            write(t[order], u[order], c[order])
        rest = np.arange(emitted, len(su.t))
        write(su.t[rest], rest, np.full(len(rest), sign_up, np.int8))
        flush()
    return written


def _write_zendesk(path: Path, tickets: pa.Table, zone: Zone, people: pd.DataFrame) -> int:
    """Tickets as Zendesk's admin CSV: labels, times to the minute in the account's zone, `-` for none."""
    created = tickets["created_at"].cast(pa.int64()).to_numpy()
    is_solved = tickets["solved_at"].is_valid().to_numpy(zero_copy_only=False)
    solved = np.where(is_solved, tickets["solved_at"].cast(pa.int64()).fill_null(0).to_numpy(), created)

    def local(t: np.ndarray) -> list[str]:
        return pc.strftime(pa.array(zone.local(t).astype("datetime64[s]")), format="%Y-%m-%d %H:%M").to_pylist()

    created_text, solved_text = local(created), local(solved)
    agents = _names(people, "Support")
    header = [
        "Summation column", "Id", "Requester", "Requester id", "Requester external id", "Submitter", "Assignee",
        "Group", "Subject", "Tags", "Status", "Priority", "Via", "Ticket type", "Created at", "Updated at",
        "Solved at", "Reopens", "Replies",
    ]
    rows = []
    columns = ("ticket_id", "status", "requester_id", "tags", "priority")
    for i, (ticket, status, user, tags, priority) in enumerate(zip(*(tickets[c].to_pylist() for c in columns),
                                                                   strict=True)):
        requester = f"Customer {user}" if user else f"Prospect {ticket}"
        solved_at = solved_text[i] if is_solved[i] else "-"
        rows.append([
            "1", str(ticket), requester, str(20_000_000_000 + ticket), user or "", requester,
            agents[ticket % len(agents)] if is_solved[i] else "-", "Support", SUBJECTS[tags.split(" ")[0]], tags,
            status.title(), priority.title(), "Web form" if ticket % 3 else "Email",
            "Question" if ticket % 2 else "Incident", created_text[i], solved_text[i], solved_at, "0",
            str(1 + ticket % 4),
        ])
    return _raw_csv(path, header, rows)


def _jira_date(seconds: int) -> str:
    """Naive local seconds as Jira writes them by default: `3/Nov/26 2:05 PM`."""
    d = pd.Timestamp(int(seconds), unit="s")
    return f"{d.day}/{d:%b}/{d:%y} {d.hour % 12 or 12}:{d.minute:02d} {'AM' if d.hour < 12 else 'PM'}"


def _write_jira(path: Path, issues: pa.Table, people: pd.DataFrame) -> int:
    """Issues as Jira's "Export CSV (all fields)": two Labels and two Sprint columns, d/MMM/yy dates."""
    engineers = _names(people, "Engineering")
    start = _epoch(START)
    is_resolved = issues["resolved_at"].is_valid().to_numpy(zero_copy_only=False)
    resolved = issues["resolved_at"].cast(pa.int64()).fill_null(0).to_numpy()
    header = [
        "Summary", "Issue key", "Issue id", "Issue Type", "Status", "Priority", "Resolution", "Assignee", "Reporter",
        "Created", "Updated", "Resolved", "Sprint", "Sprint", "Custom field (Story Points)", "Labels", "Labels",
    ]
    rows = []
    columns = ("issue_key", "issue_type", "status", "labels", "story_points")
    for i, (key, kind, status, labels, points) in enumerate(zip(*(issues[c].to_pylist() for c in columns),
                                                                strict=True)):
        number = int(key.split("-")[1])
        done = int(resolved[i]) if is_resolved[i] else None
        created = done - (1 + number % 20) * DAY if done else start + (number % 60) * DAY + 10 * HOUR
        sprints = [*dict.fromkeys(f"NW Sprint {max(t - start, 0) // (14 * DAY) + 1}" for t in (created, done) if t)]
        tags = labels.split(" ")
        status_text = JIRA_STATUS[status.lower()]
        rows.append([
            f"{tags[0].capitalize()}: {kind} {number}", key, str(10_000 + number), kind.title(), status_text,
            "Medium", status_text if status_text in ("Done", "Won't Do") else "", engineers[number % len(engineers)],
            engineers[number * 7 % len(engineers)], _jira_date(created), _jira_date(done or created),
            _jira_date(done) if done else "", *(sprints + [""])[:2], "" if points is None else str(points),
            *(tags + [""])[:2],
        ])
    return _raw_csv(path, header, rows, bom=True, crlf=True)


def _write_hubspot(path: Path, demos: pa.Table, people: pd.DataFrame) -> int:
    """Demos as HubSpot's meetings export: labels, times in the portal's zone, owners by name."""
    names = dict(zip(people["email"], _names(people), strict=True))
    held = demos["held_at"].cast(pa.int64()).to_numpy()
    start = pc.strftime(demos["held_at"], format="%Y-%m-%d %H:%M").to_pylist()
    end = pc.strftime(pa.array((held + 45 * MINUTE).astype("datetime64[s]")), format="%Y-%m-%d %H:%M").to_pylist()
    header = [
        "Record ID", "Meeting name", "Activity date", "Meeting start time", "Meeting end time", "Meeting outcome",
        "Activity assigned to", "Associated Company IDs", "Demo result",
    ]
    rows = []
    columns = ("demo_id", "owner", "account_id", "outcome")
    for i, (demo_id, owner, account, outcome) in enumerate(zip(*(demos[c].to_pylist() for c in columns),
                                                               strict=True)):
        company = str(9_000_000_000 + int(account.split("-")[1])) if account else ""
        rows.append([
            str(58_000_000_000 + int(demo_id.split("-")[1])), "Product demo", start[i], start[i], end[i], "Completed",
            names[owner], company, outcome.replace("_", " ").capitalize(),
        ])
    return _raw_csv(path, header, rows)


def _write_hr(path: Path, people: pd.DataFrame) -> int:
    """People as an HR list: the annual salary is the hourly cost x ANNUAL_HOURS (none for contractors)."""
    header = ["Employee ID", "Full name", "Work email", "Department", "Team", "Level", "Annual salary"]
    rows = []
    for i, p in enumerate(people.itertuples()):
        salary = "" if np.isnan(p.cost) else int(p.cost) * ANNUAL_HOURS
        text = f"${salary:,}" if salary != "" and p.dollar else str(salary)
        rows.append([f"E{i + 1:04d}", f"{p.first} {p.last}", p.email, p.function, p.team, p.level, text])
    return _raw_csv(path, header, rows)


@dataclass
class _Instance:
    start: int  # naive local seconds
    minutes: int
    guests: list[tuple[str, str | None]]  # (email as written, PARTSTAT or None)


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """RFC 5545: content lines of at most 75 octets, continued after CRLF and a space."""
    data, parts, start, limit = line.encode(), [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and data[end] & 0xC0 == 0x80:
            end -= 1  # never inside a UTF-8 sequence
        parts.append(data[start:end].decode())
        start, limit = end, 74
    return "\r\n ".join(parts) + "\r\n"


def _uid(seed: int, key: str) -> str:
    """A UID as Google Calendar writes one (26 letters and digits), the same for the same seed and key."""
    digest = hashlib.sha256(f"{seed}:{key}".encode()).digest()
    return base64.b32encode(digest).decode().lower()[:26] + "@google.com"


def _local_text(seconds: int) -> str:
    return pd.Timestamp(int(seconds), unit="s").strftime("%Y%m%dT%H%M%S")


def _vevent(uid: str, event: _Instance, title: str, organizer: str, names: dict, extra=()) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"DTSTART;TZID={TZ}:{_local_text(event.start)}",
        f"DTEND;TZID={TZ}:{_local_text(event.start + event.minutes * MINUTE)}",
        *extra,
        f"DTSTAMP:{ICS_STAMP}",
        f"ORGANIZER;CN={names.get(organizer, organizer)}:mailto:{organizer}",
        f"UID:{uid}",
    ]
    for email, partstat in event.guests:
        name = names.get(email.lower())
        lines.append(
            "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT" + (f";PARTSTAT={partstat}" if partstat else "")
            + (f";CN={name}" if name else "") + f";X-NUM-GUESTS=0:mailto:{email}"
        )
    return lines + ["SEQUENCE:0", "STATUS:CONFIRMED", f"SUMMARY:{_ics_text(title)}", "TRANSP:OPAQUE", "END:VEVENT"]


def _series(uid: str, cal: Calendar, instances: list[_Instance], title: str, organizer: str, names: dict):
    """One recurring meeting as a series: a weekly RRULE from its first instance (open-ended when it runs
    to the last week), EXDATE for each week it skipped, and a RECURRENCE-ID override for each instance
    whose length, guests or responses differ from the series'. Returns (lines, VEVENTs)."""
    monday = int(cal.mondays[0])
    first = instances[0]
    days = [(i.start - monday) // DAY for i in instances]
    clock = first.start - monday - days[0] * DAY
    weekdays = sorted({d % 7 for d in days})
    weeks = sorted({d // 7 for d in days})
    interval = math.gcd(*(b - a for a, b in zip(weeks, weeks[1:], strict=False))) if len(weeks) > 1 else 1
    ongoing = weeks[-1] == cal.weeks - 1
    last = (cal.as_of - START).days if ongoing else days[-1]
    slots = {w * 7 + d for w in range(weeks[0], cal.weeks, interval) for d in weekdays} & set(
        range(days[0], last + 1)
    )
    if not set(days) <= slots or any(i.start - monday - (i.start - monday) // DAY * DAY != clock for i in instances):
        raise ValueError(f"series {title!r} is not weekly at one time of day")
    rule = "RRULE:FREQ=WEEKLY;" + (f"INTERVAL={interval};" if interval > 1 else "")
    rule += "BYDAY=" + ",".join(("MO", "TU", "WE", "TH", "FR", "SA", "SU")[d] for d in weekdays)
    if not ongoing:
        until = cal.zone.utc(np.array([monday + days[-1] * DAY + clock]))[0]
        rule += f";UNTIL={pd.Timestamp(int(until), unit='s'):%Y%m%dT%H%M%SZ}"
    skipped = [f"EXDATE;TZID={TZ}:{_local_text(monday + d * DAY + clock)}" for d in sorted(slots - set(days))]
    # The series' guests are its first instance's, each with the response they give most often.
    given: dict[str, Counter] = {}
    for event in instances:
        for email, partstat in event.guests:
            given.setdefault(email.lower(), Counter())[PARTSTAT_MEANS[partstat]] += 1
    master = _Instance(first.start, first.minutes, [
        (email, PARTSTAT[given[email.lower()].most_common(1)[0][0]]) for email, _ in first.guests
    ])

    def meaning(event: _Instance):
        return event.minutes, sorted((email.lower(), PARTSTAT_MEANS[p]) for email, p in event.guests)

    lines = _vevent(uid, master, title, organizer, names, (rule, *skipped))
    overrides = [event for event in instances if meaning(event) != meaning(master)]
    for event in overrides:
        lines += _vevent(uid, event, title, organizer, names, (f"RECURRENCE-ID;TZID={TZ}:{_local_text(event.start)}",))
    return lines, 1 + len(overrides)


def _write_ics(path: Path, plan: Plan, meetings: pa.Table, attendees: pa.Table, people: pd.DataFrame) -> int:
    """The calendar as Google Calendar exports it (see _series); single meetings are single events."""
    cal = plan.cal
    names = dict(zip(people["email"], _names(people), strict=True))
    start = cal.zone.local(meetings["starts_at"].cast(pa.int64()).to_numpy())
    minutes = (meetings["ends_at"].cast(pa.int64()).to_numpy() - meetings["starts_at"].cast(pa.int64()).to_numpy())
    index = {m: i for i, m in enumerate(meetings["meeting_id"].to_pylist())}
    instances = [_Instance(int(s), int(m) // MINUTE, []) for s, m in zip(start, minutes, strict=True)]
    for meeting, email, response in zip(*(attendees[c].to_pylist() for c in attendees.column_names), strict=True):
        instances[index[meeting]].guests.append((email, PARTSTAT[response]))
    series: dict[str, list[int]] = {}
    singles = []
    for i, series_id in enumerate(meetings["series_id"].to_pylist()):
        (series.setdefault(series_id, []) if series_id else singles).append(i)
    titles, organizers = meetings["title"].to_pylist(), meetings["organizer"].to_pylist()
    lines = [
        "BEGIN:VCALENDAR", "PRODID:-//Google Inc//Google Calendar 70.9054//EN", "VERSION:2.0", "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH", f"X-WR-CALNAME:{COMPANY}", f"X-WR-TIMEZONE:{TZ}", *LONDON.split("\n"),
    ]
    events = 0
    for series_id, rows in series.items():
        body, n = _series(_uid(plan.seed, series_id), cal, [instances[i] for i in rows], titles[rows[0]],
                          organizers[rows[0]], names)
        lines += body
        events += n
    for i in singles:
        lines += _vevent(_uid(plan.seed, meetings["meeting_id"][i].as_py()), instances[i], titles[i], organizers[i],
                         names)
    lines.append("END:VCALENDAR")
    path.write_bytes("".join(_fold(line) for line in lines).encode())
    return events + len(singles)


def _raw_toml(plan: Plan) -> str:
    lines = _toml(plan).split("\n")
    lines[0] = (
        f"# Generated by `python -m pipelines.demo --raw` (seed {plan.seed}, scale {plan.scale:g}, "
        f"{plan.cal.weeks} weeks): the demo company's exports, read by the adapters of docs/adapters.md."
    )
    sources = [
        "[sources]",
        f'signups = {{ path = "{RAW_FILES["signups"]}", adapter = "amplitude", event = "{SIGN_UP}" }}'
        "  # events follow",
        f'tickets = {{ path = "{RAW_FILES["tickets"]}", adapter = "zendesk" }}',
        f'issues = {{ path = "{RAW_FILES["issues"]}", adapter = "jira" }}',
        f'demos = {{ path = "{RAW_FILES["demos"]}", adapter = "hubspot" }}',
        f'meetings = {{ path = "{RAW_FILES["meetings"]}", adapter = "ics" }}  # attendees follow',
        f'people = {{ path = "{RAW_FILES["people"]}", adapter = "hr", annual_hours = {ANNUAL_HOURS} }}',
    ]
    return "\n".join(lines).rstrip("\n") + "\n\n" + "\n".join(sources) + "\n"


def generate_raw(out_dir: Path, scale: float = 0.01, weeks: int = 39, seed: int = 7) -> dict:
    """Write the demo company as tool exports into out_dir (RAW_FILES); return the records of each file."""
    plan = make_plan(scale, weeks, seed)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    _clear_conflicts(out, "raw")  # no canonical file: [sources] feeds every table
    zone = plan.cal.zone
    su = _signups(plan)
    _, user_id = _signups_table(su, zone)
    people = _people(seed)
    sync, team = _cast(people)
    sales = people.loc[people["function"] == "Sales", "email"].to_numpy()
    meetings, attendees = _meetings(plan, people, sync, team)
    counts = {
        RAW_FILES["signups"]: _write_amplitude(out / RAW_FILES["signups"], plan, su, user_id),
        RAW_FILES["tickets"]: _write_zendesk(out / RAW_FILES["tickets"], _tickets(plan, su, user_id), zone, people),
        RAW_FILES["issues"]: _write_jira(out / RAW_FILES["issues"], _issues(plan), people),
        RAW_FILES["demos"]: _write_hubspot(out / RAW_FILES["demos"], _demos(plan, su, sales), people),
        RAW_FILES["meetings"]: _write_ics(out / RAW_FILES["meetings"], plan, meetings, attendees, people),
        RAW_FILES["people"]: _write_hr(out / RAW_FILES["people"], people),
    }
    (out / "seams.toml").write_text(_raw_toml(plan), encoding="utf-8")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.demo", description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--format", dest="fmt", choices=("csv", "parquet"), default="csv")
    parser.add_argument("--weeks", type=int, default=39)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--raw", action="store_true", help="write the tools' own exports instead (--format unused)")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    try:
        if args.raw:
            counts = generate_raw(args.out_dir, args.scale, args.weeks, args.seed)
        else:
            counts = generate(args.out_dir, args.scale, args.fmt, args.weeks, args.seed)
    except (ValueError, OSError) as exc:
        print(f"demo: {exc}", file=sys.stderr)
        return 2
    rows = ", ".join(f"{k} {v:,}" for k, v in counts.items())
    print(f"wrote {args.out_dir} in {time.perf_counter() - began:.1f}s: {rows}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
