"""The demo generator: deterministic, scalable, and its story holds when recomputed from the
files with plain pandas (independently of the generator's own bookkeeping). Its few planted
faults are exactly what the build rejects, and they move no number."""

import shutil
import tomllib
from collections import Counter
from datetime import date

import duckdb
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipelines import demo
from pipelines.build import build

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
REQUIRED = {
    "signups": ["user_id", "signed_up_at"],
    "events": ["user_id", "event", "occurred_at"],
    "tickets": ["ticket_id", "created_at"],
    "demos": ["demo_id", "held_at"],
    "issues": ["issue_key", "issue_type"],
    "meetings": ["meeting_id", "starts_at", "ends_at"],
    "attendees": ["meeting_id", "email"],
    "people": ["email", "function"],
}
KEYS = {
    "signups": ["user_id"],
    "tickets": ["ticket_id"],
    "demos": ["demo_id"],
    "issues": ["issue_key"],
    "meetings": ["meeting_id"],
    "attendees": ["meeting_id", "email"],
    "people": ["email"],
}
# Planted faults that only text can hold, so a Parquet demo does not have them.
CSV_ONLY = {"events": 1, "tickets": 1, "issues": 1, "people": 1}
MARTS = ("function_weekly", "outcome_cohorts", "coordination_weekly", "signature_weekly")
NOT_A_DATE = "not a date-time (expected ISO 8601 such as 2026-03-02T09:30:00Z, a date, or epoch seconds)"
ORPHAN = "no row in meetings has this meeting_id (unknown or rejected)"
DECIMAL_COMMA = "not an amount (expected 1200.50 or $1,200.50; a decimal comma is not read)"


def read_csv_tables(out) -> dict[str, pd.DataFrame]:
    read = {"dtype": str, "keep_default_na": False, "na_values": [""]}
    return {name: pd.read_csv(out / f"{name}.csv", **read) for name in COLUMNS}


def read_parquet_tables(out) -> dict[str, pd.DataFrame]:
    return {name: pq.read_table(out / f"{name}.parquet").to_pandas() for name in COLUMNS}


def readable_time(text: pd.Series) -> pd.Series:
    return text.isna() | pd.to_datetime(text, utc=True, format="ISO8601", errors="coerce").notna()


def accepted(raw: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The rows the product keeps, by DESIGN.md "Reading exports", in plain pandas: required values
    present, times and numbers readable, meetings that end after they start; an exact repeat
    counts once, then the last row of each key wins; attendees of unknown meetings are dropped."""
    out = {}
    for name, df in raw.items():
        ok = df[REQUIRED[name]].notna().all(axis=1)
        for column in COLUMNS[name]:
            if column.endswith("_at"):
                ok &= readable_time(df[column])
        if name == "issues":
            ok &= df["story_points"].isna() | pd.to_numeric(df["story_points"], errors="coerce").notna()
        if name == "people":
            ok &= df["hourly_cost"].isna() | df["hourly_cost"].str.fullmatch(r"\$?\d+(\.\d+)?")
        if name == "meetings":
            ok &= local(df["ends_at"].where(ok)) >= local(df["starts_at"].where(ok))
        df = df[ok].drop_duplicates()
        out[name] = df.drop_duplicates(KEYS[name], keep="last") if name in KEYS else df
    out["attendees"] = out["attendees"][out["attendees"]["meeting_id"].isin(out["meetings"]["meeting_id"])]
    return out


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    counts = demo.generate(out, scale=SCALE)
    tables = accepted(read_csv_tables(out))
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
    # and one planted sign-up without a user id (a reject)
    assert small["signups"] == round(1e6 / 39 * 0.03 * 6) + 1
    assert large["signups"] == round(1e6 / 39 * 0.12 * 6) + 1
    for name in ("events", "tickets", "demos", "issues"):
        assert 3.5 < large[name] / small[name] < 4.5, name
    assert small["people"] == large["people"] == 300 + 1  # and a new hire whose cost is a reject
    tiny = demo.generate(tmp_path / "t", scale=0.001, weeks=6)
    assert tiny["meetings"] > 100 * 6  # the floor keeps the calendar real at small scales


def test_parquet_matches_csv(tmp_path):
    csv = demo.generate(tmp_path / "c", scale=0.002, weeks=10)
    par = demo.generate(tmp_path / "p", scale=0.002, weeks=10, fmt="parquet")
    assert {name: csv[name] - par[name] for name in csv} == {name: CSV_ONLY.get(name, 0) for name in csv}
    for name, columns in COLUMNS.items():
        assert pq.read_schema(tmp_path / "p" / f"{name}.parquet").names == columns
    assert str(pq.read_schema(tmp_path / "p" / "meetings.parquet").field("starts_at").type) == "timestamp[us, tz=UTC]"
    assert not list((tmp_path / "p").glob("*.csv"))


def test_files_follow_the_contract(ws):
    out, counts, tables, config, plan = ws
    raw = read_csv_tables(out)
    for name, columns in COLUMNS.items():
        assert list(raw[name].columns) == columns
        assert len(raw[name]) == counts[name]
        assert 0 < len(raw[name]) - len(tables[name]) <= 2, name  # the planted faults
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


def test_the_sync_alone_cost_hours_and_changed_nothing(ws, tmp_path):
    """In the built marts, the alignment sync is the one recurring cross-functional series that
    runs from the first week to the week before the org change with the outcome flat, and among
    the 3 costliest; the others carry on, lighter. Cross-functional hours fall 30-40% after the
    change; same-function hours stay level."""
    out, _, _, _, plan = ws
    build(out, tmp_path / "demo.duckdb")
    with duckdb.connect(str(tmp_path / "demo.duckdb"), read_only=True) as con:
        series = con.execute(
            "select * from coordination_series where series_kind = 'series_id' and functions >= 2"
        ).df()
        weekly = con.execute(
            "select week_start, attendee_hours, cross_functional_attendee_hours from coordination_weekly"
        ).df()
    first, last_before = plan.cal.week_date(0), plan.cal.week_date(plan.cal.org_week - 1)
    series[["first_week", "last_week"]] = series[["first_week", "last_week"]].apply(lambda c: pd.to_datetime(c).dt.date)
    sync = series.set_index("series_ref").loc["activation-alignment-sync"]
    assert (sync["first_week"], sync["last_week"], sync["meetings"]) == (first, last_before, plan.cal.org_week)
    assert sync["functions"] == 4 and sync["people"] == 6 and sync["attendee_hours"] == 6 * plan.cal.org_week
    assert sync["is_outcome_flat"] and not sync["is_hidden"]
    stopped = series[series["last_week"] == last_before]
    assert stopped.loc[stopped["is_outcome_flat"], "series_ref"].tolist() == ["activation-alignment-sync"]
    ran_to_change = series[(series["first_week"] == first) & (series["last_week"] == last_before)]
    assert ran_to_change["series_ref"].tolist() == ["activation-alignment-sync"]
    costliest = series[~series["is_hidden"]].sort_values("cost", ascending=False)["series_ref"]
    assert "activation-alignment-sync" in costliest.head(3).tolist()

    weekly["after"] = pd.to_datetime(weekly["week_start"]).dt.date >= plan.cal.org_date
    weekly["same"] = weekly["attendee_hours"] - weekly["cross_functional_attendee_hours"]
    mean = (
        weekly.rename(columns={"cross_functional_attendee_hours": "cross"}).groupby("after")[["cross", "same"]].mean()
    )
    assert 0.30 <= 1 - mean.loc[True, "cross"] / mean.loc[False, "cross"] <= 0.40
    assert abs(mean.loc[True, "same"] / mean.loc[False, "same"] - 1) < 0.1


def first_copy(df: pd.DataFrame, i: int) -> int:
    """The position of the first row that row i repeats exactly."""
    filled = df.fillna("")
    return int(np.flatnonzero((filled.iloc[:i] == filled.iloc[i]).all(axis=1))[0])


def planted(raw: dict[str, pd.DataFrame], first_line: int, csv: bool) -> Counter:
    """(table_name, column, reason) of every planted fault, its line numbers found in the raw rows
    (position + 1 in Parquet; + 2 in CSV, whose line 1 is the header)."""
    events, demos, tickets = raw["events"], raw["demos"], raw["tickets"]
    repeated_event = first_copy(events, int(np.flatnonzero(events.duplicated())[0]))
    repeated_demo = first_copy(demos, int(np.flatnonzero(demos.duplicated())[0]))
    final_ticket = int(np.flatnonzero(tickets["ticket_id"].duplicated())[0])
    expected = [
        ("signups", "user_id", "missing required value"),
        ("events", None, f"exact duplicate of line {repeated_event + first_line}"),
        ("tickets", "ticket_id", f"superseded by line {final_ticket + first_line}"),
        ("demos", "demo_id", f"exact duplicate of line {repeated_demo + first_line}"),
        ("meetings", "ends_at", "ends before it starts"),
        ("attendees", "meeting_id", ORPHAN),
        ("attendees", "meeting_id", ORPHAN),
    ]
    if csv:
        expected += [
            ("events", "occurred_at", NOT_A_DATE),
            ("tickets", "solved_at", NOT_A_DATE),
            ("issues", "story_points", "not a number"),
            ("people", "hourly_cost", DECIMAL_COMMA),
        ]
    return Counter(expected)


def built(workspace, out) -> tuple[pd.DataFrame, pd.DataFrame]:
    build(workspace, out)
    with duckdb.connect(str(out), read_only=True) as con:
        rejects = con.execute('select table_name, file, line, "column", value, reason from rejects').df()
        sources = con.execute("select * from sources").df()
    return rejects, sources


def assert_accounted(sources: pd.DataFrame, counts: dict, rejects: pd.DataFrame):
    """Every row written is read, and ends loaded or rejected."""
    assert (sources["rows_read"] == sources["rows_loaded"] + sources["rows_rejected"]).all()
    assert dict(zip(sources["table_name"], sources["rows_read"], strict=True)) == counts
    per_file = rejects.groupby("file").size().reindex(sources["file"], fill_value=0)
    assert sources["rows_rejected"].tolist() == per_file.tolist()


def test_the_build_rejects_exactly_the_planted_faults_and_no_number_moves(ws, tmp_path):
    out, counts, _, _, plan = ws
    raw = read_csv_tables(out)
    rejects, sources = built(out, tmp_path / "demo.duckdb")
    got = Counter(zip(rejects["table_name"], rejects["column"].replace({np.nan: None}), rejects["reason"], strict=True))
    assert got == planted(raw, 2, csv=True)
    assert sum(got.values()) == 11
    assert_accounted(sources, counts, rejects)
    with duckdb.connect(str(tmp_path / "demo.duckdb"), read_only=True) as con:
        kpis = con.execute("select function, value from function_weekly order by function, week_start").df()
        outcome = con.execute("select signups, activated, mature from outcome_cohorts order by cohort_week").df()
    for function, values in kpis.groupby("function")["value"]:
        assert (values.to_numpy() == plan.kpi(function).values).all(), function
    assert (outcome["signups"].to_numpy() == plan.signups).all()
    assert (outcome["activated"].to_numpy()[outcome["mature"]] == plan.activated[outcome["mature"]]).all()
    # Each reject names the line of its planted row and that row's value.
    for row in rejects.itertuples():
        assert row.file == f"{row.table_name}.csv"
        if pd.notna(row.column):
            cell = raw[row.table_name][row.column].iloc[row.line - 2]
            assert (pd.isna(cell) and pd.isna(row.value)) or cell == row.value, row

    # Without the planted rows the marts are the same, value for value.
    clean = tmp_path / "clean"
    clean.mkdir()
    shutil.copy(out / "seams.toml", clean / "seams.toml")
    for name in COLUMNS:
        drop = set(rejects.loc[rejects["table_name"] == name, "line"])
        lines = (out / f"{name}.csv").read_text(encoding="utf-8").splitlines(keepends=True)
        (clean / f"{name}.csv").write_text("".join(t for n, t in enumerate(lines, 1) if n not in drop), "utf-8")
    assert built(clean, tmp_path / "clean.duckdb")[0].empty
    with duckdb.connect() as con:
        con.execute(f"attach '{tmp_path / 'demo.duckdb'}' as demo (read_only)")
        con.execute(f"attach '{tmp_path / 'clean.duckdb'}' as clean (read_only)")
        for mart in MARTS:
            assert con.execute(f"select count(*) from demo.{mart}").fetchone()[0] > 0
            for a, b in (("demo", "clean"), ("clean", "demo")):
                sql = f"select count(*) from (select * from {a}.{mart} except all select * from {b}.{mart})"
                assert con.execute(sql).fetchone()[0] == 0, mart


def test_a_parquet_demo_has_the_faults_a_typed_file_can_hold(tmp_path):
    counts = demo.generate(tmp_path / "ws", scale=SCALE, fmt="parquet")
    rejects, sources = built(tmp_path / "ws", tmp_path / "demo.duckdb")
    got = Counter(zip(rejects["table_name"], rejects["column"].replace({np.nan: None}), rejects["reason"], strict=True))
    assert got == planted(read_parquet_tables(tmp_path / "ws"), 1, csv=False)
    assert_accounted(sources, counts, rejects)
