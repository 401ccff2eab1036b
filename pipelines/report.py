"""The week's summary as a Markdown note with PNG charts: what Overview shows, to download or to write
from the command line.

    python -m pipelines.report WORKSPACE --week 2026-W14 --out DIR [--db FILE]

`--week` is an ISO week (the week holding its Monday, in the workspace's own week start) or a date
(the week holding it). The workspace is built first when its build is missing or out of date (the
app's file, `WORKSPACE/.seams/seams.duckdb`, unless `--db` or SEAMS_DB names another). Writes
DIR/week-<week start>.md and its charts beside it. Exit status: 0 written, 2 a week outside the data
or a workspace that cannot be built (one readable line), 1 anything else.

Every figure comes from pipelines/summary.py and pipelines/query.py; this module only words and
lays them out. Text from the config or the exports is escaped for Markdown.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import io
import os
import re
import struct
import sys
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipelines import build as build_module
from pipelines import cli, query, summary
from pipelines import config as config_module
from pipelines import workspace as workspace_module
from pipelines.config import WorkspaceError
from pipelines.summary import WeekSummary, percent
from ui import charts as charts_module

# PNGs share one width so that the weeks line up from chart to chart; scale 2 stays sharp on screens.
_CHART_WIDTH = 760
_CHART_SCALE = 2
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_ISO_WEEK = re.compile(r"(\d{4})-?W(\d{1,2})", re.IGNORECASE)
_STATUS_WORDS = {"green": "on target", "red": "below target", "provisional": "provisional"}


class ReportError(Exception):
    """A report that cannot be written as asked (a week outside the data): one readable line."""


@dataclass(frozen=True)
class WeekNote:
    """One week's note: Markdown that links its charts by file name, and the charts as PNG bytes."""

    week: dt.date
    markdown: str
    charts: dict[str, bytes]  # file name -> PNG, in the order the note shows them

    @property
    def filename(self) -> str:
        return f"week-{self.week.isoformat()}.md"

    def zip_bytes(self) -> bytes:
        """The note and its charts in one zip, side by side, so the note's relative links resolve."""
        buffer = io.BytesIO()
        stamp = (self.week.year, self.week.month, self.week.day, 0, 0, 0)  # same bytes for the same note
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in [(self.filename, self.markdown.encode()), *self.charts.items()]:
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, content)
        return buffer.getvalue()

    def write(self, folder: Path) -> list[Path]:
        """Write the note and its charts into `folder`; the paths written, note first."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        paths = [folder / self.filename]
        paths[0].write_text(self.markdown, encoding="utf-8")
        for name, content in self.charts.items():
            (folder / name).write_bytes(content)
            paths.append(folder / name)
        return paths


def escape(text: object) -> str:
    """Text from a config or an export, made literal in Markdown: every ASCII punctuation mark is
    backslash-escaped (CommonMark allows it for all of them) and line breaks become spaces, so a name
    can neither become markup or HTML nor break a table row."""
    flat = re.sub(r"[\x00-\x1f\x7f]+", " ", str(text))
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", flat)


def week_note(cur: query.Cursor, week: dt.date, since: dt.date | None = None, with_charts: bool = True) -> WeekNote:
    """The note for `week` (a week start shown in the build). Charts cover the weeks from `since`
    (None: all weeks), as on Overview. Raises ReportError for a week the build does not show."""
    week_summary = summary.week_summary(cur, week)
    if week_summary is None:
        raise ReportError(f"no week commencing {week.isoformat()} in this build")
    previous = summary.week_summary(cur, week - dt.timedelta(days=7))
    info = query.build_info(cur).iloc[0].to_dict()
    charts = _charts(cur, week_summary, info, since) if with_charts else {}
    markdown = "\n".join(_note_lines(week_summary, previous, info, list(charts))) + "\n"
    return WeekNote(week, markdown, charts)


def _note_lines(now: WeekSummary, previous: WeekSummary | None, info: dict, chart_files: list[str]) -> list[str]:
    lines = [
        f"# Week commencing {now.week:%A %-d %B %Y}",
        "",
        f"{escape(info['workspace_name'])} · weekly review · compared with the week before",
        "",
        f"**{_banner(now)}** {_escaped(now).headline()}",
        "",
        "## Function KPIs",
        "",
        *_kpi_table(now),
        "",
        f"## Outcome: {escape(now.outcome_name)}",
        "",
        *_outcome_lines(now),
        "",
        "## Coordination",
        "",
        *_coordination_lines(now, info),
        "",
        "## What changed since last week",
        "",
        *_change_lines(now, previous, info),
    ]
    if chart_files:
        lines += ["", "## Charts", ""]
        for name in chart_files:
            lines += [f"![{_CHART_TITLES[name.split('-', 4)[-1]]}]({name})", ""]
        lines.pop()
    lines += ["", "---", "", _provenance(info)]
    return lines


def _banner(now: WeekSummary) -> str:
    if now.signature["signature"]:
        return "Signature this week."
    if now.is_provisional:
        return "Outcome not known yet."
    return "No signature this week."


def _escaped(now: WeekSummary) -> WeekSummary:
    """The same summary with its export text escaped, so that its own sentence can be reused as is."""
    return dataclasses.replace(
        now,
        functions=now.functions.assign(function=now.functions["function"].map(escape)),
        outcome_name=escape(now.outcome_name),
    )


def _number(value, measure: str, signed: bool = False) -> str:
    if value is None or pd.isna(value):
        return "—"
    sign = "+" if signed else ""
    return f"{value:{sign},.1f}" if measure == "mean" else f"{value:{sign},.0f}"


def _kpi_table(now: WeekSummary) -> list[str]:
    rows = [
        "| Function | KPI | This week | Target | Status | Change vs last week |",
        "|---|---|---:|---:|---|---:|",
    ]
    for row in now.functions.itertuples():
        bound = "at least" if row.direction == "higher" else "at most"
        rows.append(
            f"| {escape(row.function)} | {escape(row.kpi)} | {_number(row.value, row.measure)} "
            f"| {bound} {_number(row.target, row.measure)} | {row.status or 'no value'} "
            f"| {_number(row.change, row.measure, signed=True)} |"
        )
    if now.functions.empty:
        rows.append("| (no function KPIs configured) | | | | | |")
    return rows


def _outcome_lines(now: WeekSummary) -> list[str]:
    cohort = now.cohort
    target = percent(now.outcome_target, 0)
    if cohort["rate"] is None or pd.isna(cohort["rate"]):
        return [f"- This week's cohort: no sign-ups (target {target})."]
    lines = [
        f"- This week's cohort: **{percent(cohort['rate'])}** ({cohort['activated']:,} of {cohort['signups']:,} "
        f"sign-ups activated) against a {target} target: {_STATUS_WORDS.get(cohort['status'], 'no value')}."
    ]
    low, high = cohort.get("rate_low"), cohort.get("rate_high")
    if low is not None and high is not None and not (pd.isna(low) or pd.isna(high)):
        lines.append(f"- 95% interval of the rate: {percent(low)} to {percent(high)}.")
    if now.is_provisional:
        lines.append(
            f"- Provisional until {cohort['mature_on']:%-d %b %Y}: not every sign-up has had its whole window yet, "
            "so the rate may still rise and is never counted as a stall."
        )
    else:
        lines.append(f"- Mature since {cohort['mature_on']:%-d %b %Y}: the rate is final.")
        weeks = now.signature["stalled_weeks"]
        if now.signature["outcome_stalled"]:
            lines.append(
                f"- Stalled for {weeks} week{'s' if weeks != 1 else ''}: the trailing mature cohorts are all below "
                "target and not improving."
            )
        elif now.signature.get("stall_uncertain"):
            lines.append(
                "- Too noisy to call a stall: the trailing cohorts are below target and not improving, but their "
                "95% interval is wider than the gap to target."
            )
        else:
            lines.append("- Not stalled this week.")
    return lines


def _coordination_lines(now: WeekSummary, info: dict) -> list[str]:
    if not info["has_calendar"]:
        return ["- No calendar export was given (meetings and attendees), so coordination hours and cost are unknown."]
    week = now.coordination
    currency = info["currency"]
    lines = [
        f"- {_hours(week['attendee_hours'])} attendee-hours in {week['meetings']:,} meetings "
        f"({_hours(week['hours'])} meeting hours); {percent(week['cross_functional_share'])} cross-functional."
    ]
    if not info["has_people"]:
        lines.append("- Cost unknown: no people export was given, so hourly costs and functions are unknown.")
    else:
        lines.append(f"- Cost: {_money(week['cost'], currency)} (attendees with a known hourly cost).")
        unknown = week["unknown_cost_attendee_hours"]
        if unknown:
            lines.append(f"- {_hours(unknown)} attendee-hours have no known hourly cost and are not priced.")
    return lines


def _hours(value) -> str:
    return "—" if value is None or pd.isna(value) else f"{value:,.1f}"


def _money(value, currency: str, signed: bool = False) -> str:
    if value is None or pd.isna(value):
        return "— (not shown)"
    return f"{value:{'+' if signed else ''},.0f} {escape(currency)}"


def _change_lines(now: WeekSummary, previous: WeekSummary | None, info: dict) -> list[str]:
    if previous is None:
        return ["- No earlier week to compare with: this is the first week of the data."]
    lines = [f"Compared with the week commencing {previous.week:%A %-d %B %Y}:", ""]
    before = dict(zip(previous.functions["function"], previous.functions["status"], strict=True))
    changed = [
        f"- {escape(row.function)}: {before.get(row.function) or 'no value'} → {row.status or 'no value'}."
        for row in now.functions.itertuples()
        if before.get(row.function) != row.status
    ]
    lines += changed or ["- No function KPI changed status."]
    change = now.outcome_change
    rates = f"{percent(previous.cohort['rate'])} → {percent(now.cohort['rate'])}"
    if change is None:
        lines.append(f"- {escape(now.outcome_name)}: {rates}.")
    else:
        lines.append(f"- {escape(now.outcome_name)}: {rates} ({change * 100:+.1f} pp).")
    held = (bool(previous.signature["signature"]), bool(now.signature["signature"]))
    lines.append(
        {
            (True, True): "- The signature held both weeks.",
            (False, True): "- The signature holds this week; it did not last week.",
            (True, False): "- The signature held last week; it does not this week.",
            (False, False): "- The signature held in neither week.",
        }[held]
    )
    if info["has_calendar"]:
        hours = now.coordination_change("attendee_hours")
        meetings = now.coordination_change("meetings")
        lines.append(
            f"- Attendee-hours {_hours(previous.coordination['attendee_hours'])} → "
            f"{_hours(now.coordination['attendee_hours'])} ({hours:+,.1f}); meetings {meetings:+,}."
        )
        if info["has_people"]:
            costs = (previous.coordination["cost"], now.coordination["cost"])
            # A cost held back (privacy floor) has no change to show.
            cost = None if any(c is None or pd.isna(c) for c in costs) else now.coordination_change("cost")
            lines.append(
                f"- Cost {_money(previous.coordination['cost'], info['currency'])} → "
                f"{_money(now.coordination['cost'], info['currency'])}"
                + ("." if cost is None else f" ({_money(cost, info['currency'], signed=True)}).")
            )
    return lines


def _provenance(info: dict) -> str:
    # The zone is an IANA name the config has validated; the workspace name is free text.
    as_of = pd.Timestamp(info["as_of"]).tz_convert(info["timezone"])
    built_at = pd.Timestamp(info["built_at"]).tz_convert("UTC")
    return (
        f"From build `{info['build_id']}` of {escape(info['workspace_name'])}, built {built_at:%-d %b %Y %H:%M} UTC; "
        f"data as of {as_of:%-d %b %Y %H:%M} {info['timezone']} (the last day covered is "
        f"{pd.Timestamp(info['as_of_date']):%-d %b %Y})."
    )


_CHART_TITLES = {
    "status-grid.png": "Weeks at a glance: each function and the outcome by week",
    "outcome.png": "Outcome by sign-up cohort against the target",
    "coordination-hours.png": "Coordination hours per week",
    "coordination-cost.png": "Coordination cost per week",
}


def _charts(cur: query.Cursor, now: WeekSummary, info: dict, since: dt.date | None) -> dict[str, bytes]:
    """Overview's charts for this week, as PNG files named after the week."""
    week = now.week
    org_changes = query.org_changes(cur)
    built = {
        "status-grid.png": charts_module.status_grid(query.status_grid(cur, since), week, org_changes),
        "outcome.png": charts_module.outcome_trend(
            query.outcome_cohorts(cur, since), now.outcome_target, week, org_changes
        ),
    }
    if info["has_calendar"]:
        coordination = query.coordination_weekly(cur, since)
        built["coordination-hours.png"] = charts_module.coordination_hours(coordination, week, org_changes)
        built["coordination-cost.png"] = charts_module.coordination_cost(
            coordination, info["currency"], week, org_changes
        )
    return {f"week-{week.isoformat()}-{name}": to_png(chart) for name, chart in built.items()}


def to_png(chart) -> bytes:
    """An Altair chart as PNG, rendered in-process (no browser, no network)."""
    # Imported here: the renderer is large and only the note needs it.
    import vl_convert

    spec = chart.properties(width=_CHART_WIDTH).to_dict()
    return _compact_png(vl_convert.vegalite_to_png(spec, scale=_CHART_SCALE, allowed_base_urls=[]))


def _compact_png(png: bytes) -> bytes:
    """The same image with its pixel data deflated at level 9: the renderer's own PNGs are about
    eight times larger. Every other chunk is kept as it is, in order."""
    chunks, pixels, position = [], [], len(PNG_SIGNATURE)
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind, data = png[position + 4 : position + 8], png[position + 8 : position + 8 + length]
        position += 12 + length
        if kind == b"IDAT":
            if not pixels:
                chunks.append((b"IDAT", None))  # where the pixel data goes
            pixels.append(data)
        else:
            chunks.append((kind, data))
    packed = zlib.compress(zlib.decompress(b"".join(pixels)), 9)
    out = [PNG_SIGNATURE]
    for kind, data in chunks:
        data = packed if data is None else data
        out.append(struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data)))
    return b"".join(out)


# The command line.


def parse_week(text: str) -> dt.date:
    """A day inside the week asked for: an ISO week's Monday (`2026-W24`) or a date (`2026-06-08`)."""
    text = text.strip()
    iso_week = _ISO_WEEK.fullmatch(text)
    try:
        if iso_week:
            return dt.date.fromisocalendar(int(iso_week[1]), int(iso_week[2]), 1)
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise ReportError(f"--week {text}: not an ISO week (2026-W14) or a date (2026-06-08)")


def week_containing(cur: query.Cursor, day: dt.date, asked: str) -> dt.date:
    """The start of the week shown that holds `day` (weeks start on the workspace's own day)."""
    starts = sorted(query.weeks(cur)["week_start"].dt.date)
    for start in starts:
        if start <= day < start + dt.timedelta(days=7):
            return start
    name = query.build_info(cur).iloc[0]["workspace_name"]
    span = f"the weeks commencing {starts[0].isoformat()} to {starts[-1].isoformat()}" if starts else "no weeks"
    raise ReportError(f"--week {asked} is outside the data: {name} has {span}")


def database_path(workspace: Path, db: Path | None) -> Path:
    """--db, else SEAMS_DB, else the app's file inside the workspace (ui/data.py's convention)."""
    configured = db or os.environ.get("SEAMS_DB")
    return Path(configured).expanduser().resolve() if configured else workspace / ".seams" / "seams.duckdb"


def ensure_built(workspace: Path, db: Path) -> None:
    """Build `workspace` into `db` unless `db` already holds a build of the workspace as it is now."""
    if not workspace.is_dir():
        # Checked here, before the build makes the folder of its default output inside it.
        raise WorkspaceError(f"{workspace}: not a folder; a workspace is a folder of exports with a seams.toml")
    if db.exists():
        config = config_module.load(workspace)
        current = workspace_module.fingerprint(workspace, workspace_module.discover(workspace, config))
        with opened(db) as cur:
            if query.build_info(cur).iloc[0]["fingerprint"] == current:
                return
    build_module.build(workspace, db)


@contextmanager
def opened(db: Path):
    """A cursor on the built file, read-only (attached to an in-memory database, as the app does)."""
    con = query.attach(db)
    try:
        yield query.cursor_of(con)
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.report", description="Write a week's summary note.")
    parser.add_argument("workspace", type=Path, help="the workspace folder (exports and seams.toml)")
    parser.add_argument("--week", required=True, help="an ISO week (2026-W14) or a date in the week (2026-06-08)")
    parser.add_argument("--out", type=Path, required=True, help="the folder to write the note and its charts into")
    parser.add_argument("--db", type=Path, help="the built file to read, built first if out of date")
    args = parser.parse_args(argv)

    def run() -> int:
        day = parse_week(args.week)
        workspace = args.workspace.expanduser().resolve()
        db = database_path(workspace, args.db)
        ensure_built(workspace, db)
        with opened(db) as cur:
            note = week_note(cur, week_containing(cur, day, args.week))
        paths = note.write(args.out)
        print(f"wrote {paths[0]} and {len(paths) - 1} charts beside it")
        return 0

    return cli.guarded("report", run, user_errors=(ReportError,))


if __name__ == "__main__":
    sys.exit(main())
