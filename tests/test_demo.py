"""The demo generator: deterministic, scalable, and its story holds when recomputed from the
files with plain pandas (independently of the generator's own bookkeeping)."""

import tomllib
from datetime import date

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipelines import demo

TZ = "Europe/London"
SCALE = 0.005
COLUMNS = {
    "signups": ["user_id", "signed_up_at", "account_id", "segment", "channel", "plan"],
    "events": ["user_id", "event", "occurred_at"],
    "tickets": ["ticket_id", "created_at", "solved_at", "status", "requester_id", "tags", "priority"],
    "demos": ["demo_id", "held_at", "owner", "account_id", "outcome"],
    "issues": ["issue_key", "issue_type", "resolved_at", "status", "labels", "story_points"],
    "meetings": ["meeting_id", "starts_at", "ends_at", "title", "series_id", "organizer"],
    "attendees": ["meeting_id", "email", "response"],
    "people": ["email", "function", "hourly_cost", "level", "team"],
}


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    counts = demo.generate(out, scale=SCALE)
    tables = {
        name: pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False, na_values=[""]) for name in COLUMNS
    }
    config = tomllib.loads((out / "seams.toml").read_text(encoding="utf-8"))
    return out, counts, tables, config, demo.make_plan(SCALE)


def local(text: pd.Series) -> pd.Series:
    """Read timestamps as the product does: offsets/Z converted, naive read as local."""
    if text.dropna().str.contains(r"(?:Z|[+-]\d\d:\d\d)$").any():
        return pd.to_datetime(text, utc=True, format="ISO8601").dt.tz_convert(TZ)
    naive = pd.to_datetime(text, format="ISO8601")
    return naive.dt.tz_localize(TZ, ambiguous=np.ones(len(naive), bool), nonexistent="shift_forward")


def week(ts: pd.Series) -> pd.Series:
    wall = ts.dt.tz_localize(None)
    return (wall.dt.normalize() - pd.to_timedelta(wall.dt.day_of_week, unit="D")).dt.date


def all_weeks(plan) -> list[date]:
    return [plan.cal.week_date(i) for i in range(plan.cal.weeks)]


def activation_flags(tables) -> pd.DataFrame:
    """Sign-ups with `ok`: the first `activated` at or after sign-up is within 720 h."""
    su = tables["signups"].assign(t=lambda d: local(d["signed_up_at"]))
    ev = tables["events"]
    act = ev[ev["event"] == "activated"].assign(t=lambda d: local(d["occurred_at"]))
    act = act.merge(su[["user_id", "t"]], on="user_id", suffixes=("", "_su"))
    first_after = act[act["t"] >= act["t_su"]].groupby("user_id")["t"].min()
    first_any = act.groupby("user_id")["t"].min()
    window = pd.Timedelta(hours=720)
    su["ok"] = (su["user_id"].map(first_after) - su["t"]) <= window
    # Noise is placed so that "the first milestone at all" agrees with "the first after sign-up".
    su["ok_any"] = (su["user_id"].map(first_any) - su["t"]).between(pd.Timedelta(0), window)
    assert (su["ok"] == su["ok_any"]).all()
    return su


def cohorts(tables) -> pd.DataFrame:
    su = activation_flags(tables)
    return su.groupby(week(su["t"])).agg(signups=("ok", "size"), activated=("ok", "sum"))


def kpi_weekly(tables, fn: dict, plan) -> pd.Series:
    df = tables[fn["table"]]
    keep = pd.Series(True, index=df.index)
    for column, value in fn.get("where", {}).items():
        keep &= df[column].str.strip().str.lower() == value.lower()
    df = df[keep & df[fn["date_column"]].notna()]
    weeks = week(local(df[fn["date_column"]]))
    if fn["measure"] == "count":
        values = df.groupby(weeks).size()
    else:
        values = pd.to_numeric(df[fn["column"]]).groupby(weeks).sum()
    return values.reindex(all_weeks(plan), fill_value=0)


def meeting_frame(tables) -> pd.DataFrame:
    """One row per attending (non-declined) attendee, with function and hours."""
    m = tables["meetings"].assign(start=lambda d: local(d["starts_at"]), end=lambda d: local(d["ends_at"]))
    m["hours"] = (m["end"] - m["start"]).dt.total_seconds() / 3600
    m["week"] = week(m["start"])
    a = tables["attendees"]
    a = a[a["response"].fillna("needs_action").str.lower() != "declined"]
    people = tables["people"].set_index("email")["function"]
    a = a.assign(function=a["email"].str.lower().map(people))
    return a.merge(m[["meeting_id", "week", "hours", "series_id"]], on="meeting_id")


def test_same_seed_same_bytes(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    demo.generate(a, scale=0.002, weeks=12, seed=3)
    demo.generate(b, scale=0.002, weeks=12, seed=3)
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    assert all((a / n).read_bytes() == (b / n).read_bytes() for n in names)
    demo.generate(b, scale=0.002, weeks=12, seed=4)
    assert (a / "events.csv").read_bytes() != (b / "events.csv").read_bytes()


def test_row_counts_scale(tmp_path):
    small = demo.generate(tmp_path / "s", scale=0.03, weeks=6)
    large = demo.generate(tmp_path / "l", scale=0.12, weeks=6)
    assert small["signups"] == round(1e6 / 39 * 0.03 * 6)
    assert large["signups"] == round(1e6 / 39 * 0.12 * 6)
    for name in ("events", "tickets", "demos", "issues"):
        assert 3.5 < large[name] / small[name] < 4.5, name
    assert small["people"] == large["people"] == 300
    tiny = demo.generate(tmp_path / "t", scale=0.001, weeks=6)
    assert tiny["meetings"] > 100 * 6  # the floor keeps the calendar real at small scales


def test_parquet_matches_csv(tmp_path):
    csv = demo.generate(tmp_path / "c", scale=0.002, weeks=10)
    par = demo.generate(tmp_path / "p", scale=0.002, weeks=10, fmt="parquet")
    assert csv == par
    for name, columns in COLUMNS.items():
        assert pq.read_schema(tmp_path / "p" / f"{name}.parquet").names == columns
    assert str(pq.read_schema(tmp_path / "p" / "meetings.parquet").field("starts_at").type) == "timestamp[us, tz=UTC]"
    assert not list((tmp_path / "p").glob("*.csv"))


def test_files_follow_the_contract(ws):
    out, counts, tables, config, plan = ws
    for name, columns in COLUMNS.items():
        assert list(tables[name].columns) == columns
        assert len(tables[name]) == counts[name]
    assert config["workspace"]["timezone"] == TZ and config["workspace"]["currency"] == "USD"
    assert config["workspace"]["as_of"] == date(2026, 10, 31)
    assert config["org_changes"] == [{"changed_on": date(2026, 7, 6), "label": "Activation team formed"}]
    assert [f["name"] for f in config["functions"]] == ["Support", "Sales", "Engineering", "Product"]
    # Nothing after as_of 23:59 local, and no local time that a DST change skips.
    limit = pd.Timestamp("2026-10-31 23:59", tz=TZ)
    for name, column in (
        ("signups", "signed_up_at"),
        ("events", "occurred_at"),
        ("tickets", "solved_at"),
        ("demos", "held_at"),
        ("issues", "resolved_at"),
        ("meetings", "ends_at"),
    ):
        assert local(tables[name][column]).max() <= limit, name
        assert not tables[name][column].str.startswith("2026-03-29 01:").any()
    for name in ("signups", "events", "meetings"):
        stamps = tables[name][COLUMNS[name][1 if name != "events" else 2]]
        assert stamps.is_monotonic_increasing or local(stamps).is_monotonic_increasing
    cost = tables["people"]["hourly_cost"]
    assert cost.isna().sum() > 0 and cost.str.startswith("$").sum() > 0
    values = pd.to_numeric(cost.str.lstrip("$"))
    assert values.min() >= 40 and values.max() <= 160


def test_activation_story(ws):
    _, _, tables, _, plan = ws
    got = cohorts(tables).reindex(all_weeks(plan), fill_value=0)
    assert (got["signups"].to_numpy() == plan.signups).all()
    org = plan.cal.org_week
    mature = np.array([(pd.Timestamp(w) + pd.Timedelta(days=37)).date() <= plan.cal.as_of for w in got.index])
    rate = got["activated"] / got["signups"]
    assert (got["activated"].to_numpy()[mature] == plan.activated[mature]).all()
    assert (got["activated"].to_numpy() <= plan.activated).all()  # provisional cohorts: fewer so far
    assert mature[:org].all() and mature[org:].sum() >= 8
    assert (abs(rate.to_numpy()[:org] - 0.27) <= 0.005).all()
    for w in range(3, org):  # the stall rule holds in every week from the 4th to the change
        assert rate.iloc[w] < 0.40 and rate.iloc[w] - rate.iloc[w - 3] < 0.01
    assert rate.iloc[org + 1] - rate.iloc[org - 2] >= 0.01  # the stall breaks right after the change
    after = rate.to_numpy()[org:][mature[org:]]
    assert (np.diff(after) > 0).all() and after.max() < 0.40 and after[-1] > 0.33
    assert (np.diff(plan.rates[org:]) > 0).all() and 0.37 <= plan.rates[-1] < 0.40
    by_segment = activation_flags(tables).groupby("segment")["ok"].mean()
    assert by_segment["SMB"] < by_segment["Mid-market"] < by_segment["Enterprise"]


def test_milestone_noise_present(ws):
    _, _, tables, _, _ = ws
    su = tables["signups"].assign(t=lambda d: local(d["signed_up_at"]))[["user_id", "t"]]
    ev = tables["events"]
    act = ev[ev["event"] == "activated"].assign(t=lambda d: local(d["occurred_at"]))
    act = act.merge(su, on="user_id", suffixes=("", "_su"))
    gap = act["t"] - act["t_su"]
    assert act["user_id"].duplicated().sum() > 50  # second milestones
    assert (gap < pd.Timedelta(0)).sum() > 20  # before sign-up
    assert (gap > pd.Timedelta(days=31)).sum() > 20  # too late
    inside = gap[(gap >= pd.Timedelta(0)) & (gap <= pd.Timedelta(days=30))]
    assert inside.min() >= pd.Timedelta(minutes=10) and inside.max() <= pd.Timedelta(days=29.5, hours=1)
    assert 12 < len(ev) / len(su) < 18


def test_every_function_green_before_the_change(ws):
    _, _, tables, config, plan = ws
    org = plan.cal.org_week
    for fn in config["functions"]:
        values = kpi_weekly(tables, fn, plan)
        assert (values.to_numpy() == plan.kpi(fn["name"]).values).all(), fn["name"]
        green = values.to_numpy() >= fn["target"]
        assert green[:org].all(), fn["name"]
        assert (~green[org:]).sum() <= 2, fn["name"]
        assert values.iloc[:org].max() <= fn["target"] * 1.2 + 1
    statuses = tables["tickets"]["status"].unique()
    assert {"solved", "Solved", "open"} <= set(statuses)


def test_alignment_sync_then_structure(ws):
    _, _, tables, _, plan = ws
    org = plan.cal.org_week
    rows = meeting_frame(tables)
    sync = rows[rows["series_id"] == "activation-alignment-sync"]
    per_week = sync.groupby("week").agg(
        people=("email", "size"),
        functions=("function", "nunique"),
        hours=("hours", "sum"),
        meetings=("meeting_id", "nunique"),
    )
    assert list(per_week.index) == all_weeks(plan)[:org]
    assert (per_week["meetings"] == 1).all() and (per_week["people"] == 6).all()
    assert (per_week["functions"] == 4).all() and (per_week["hours"] == 6).all()

    functions = rows.groupby("meeting_id")["function"].nunique()
    rows["cross"] = rows["meeting_id"].map(functions) >= 2
    hours = rows.groupby(["week", "cross"])["hours"].sum().unstack(fill_value=0)
    before, after = hours.iloc[:org].mean(), hours.iloc[org:].mean()
    assert 0.25 <= 1 - after[True] / before[True] <= 0.45
    assert abs(after[False] / before[False] - 1) < 0.1
    midnight = tables["meetings"].query("starts_at.str[:10] != ends_at.str[:10]")
    assert len(midnight) > 0
    emails = tables["attendees"]["email"]
    assert (~emails.str.lower().isin(tables["people"]["email"])).sum() > 0
    assert (emails != emails.str.lower()).sum() > 0
    declined = (tables["attendees"]["response"].str.lower() == "declined").mean()
    assert 0.05 < declined < 0.11
