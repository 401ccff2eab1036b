"""Reads a workspace's `seams.toml` into frozen dataclasses, once, and says exactly what is wrong.

Every error names the file, the key and the reason (DESIGN.md "Contracts"). Defaults are set here
once; each `[[functions]]` entry overrides only what it names.
"""

from __future__ import annotations

import datetime as dt
import tomllib
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.contract import TABLES

CONFIG_NAME = "seams.toml"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MEASURES = ("count", "sum", "mean")
DIRECTIONS = ("higher", "lower")
# Adapter names in [sources] (pipelines/adapters/ reads each; docs/adapters.md describes them).
ADAPTERS = (
    "canonical", "zendesk", "freshdesk", "intercom", "salesforce", "hubspot", "jira", "linear", "github", "amplitude",
    "mixpanel", "segment", "posthog", "ics", "outlook", "msgraph", "hr",
)


class WorkspaceError(Exception):
    """A workspace that cannot be built: the message names the file and what to fix."""


@dataclass(frozen=True)
class Workspace:
    name: str
    timezone: str
    week_start: str = "monday"
    currency: str = "USD"
    as_of: dt.date | dt.datetime | None = None
    start: dt.date | None = None

    @property
    def week_start_isodow(self) -> int:
        return WEEKDAYS.index(self.week_start) + 1


@dataclass(frozen=True)
class Outcome:
    name: str = "30-day activation"
    milestone_event: str = "activated"
    window_days: int = 30
    target: float = 0.40
    stall_weeks: int = 4
    stall_min_gain: float = 0.01


@dataclass(frozen=True)
class Function:
    name: str
    kpi: str
    table: str
    date_column: str
    target: float
    measure: str = "count"
    column: str | None = None
    where: tuple[tuple[str, str], ...] = ()
    direction: str = "higher"
    amber_band: float = 0.10


@dataclass(frozen=True)
class Coordination:
    over_collaboration_rise: float = 0.15
    min_group_size: int = 5
    # Meetings left out of coordination (the Data page counts them): more attendees than this are a
    # broadcast, not coordination.
    broadcast_size: int = 25
    # Weeks of equal windows before and after an org change on the Coordination page.
    comparison_weeks: int = 8


@dataclass(frozen=True)
class Builds:
    keep: int = 26  # builds kept for pinned links; an older pinned link opens the latest with a notice


@dataclass(frozen=True)
class OrgChange:
    changed_on: dt.date
    label: str


@dataclass(frozen=True)
class Source:
    table: str
    path: str
    adapter: str | None = None  # None: chosen by the file's shape
    timezone: str | None = None
    event: str | None = None  # sign-ups read from an event stream: the event that marks a sign-up
    annual_hours: float | None = None  # people: working hours a year, to price an annual salary


@dataclass(frozen=True)
class Config:
    path: Path
    workspace: Workspace
    outcome: Outcome
    functions: tuple[Function, ...]
    coordination: Coordination = field(default_factory=Coordination)
    org_changes: tuple[OrgChange, ...] = ()
    sources: tuple[Source, ...] = ()
    builds: Builds = field(default_factory=Builds)


_SECTIONS = {"workspace", "outcome", "functions", "coordination", "org_changes", "sources", "builds"}
_SOURCE_KEYS = {"path", "adapter", "timezone", "event", "annual_hours"}


def load(workspace_dir: Path) -> Config:
    path = workspace_dir / CONFIG_NAME
    if not path.is_file():
        raise WorkspaceError(f"{path}: no {CONFIG_NAME} in the workspace; create one (see DESIGN.md 'Contracts').")
    try:
        # utf-8-sig: a config saved by a Windows editor may start with a BOM.
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise WorkspaceError(f"{path}: not valid TOML: {exc}") from None
    return parse(raw, path)


def parse(raw: dict, path: Path) -> Config:
    err = _Errors(path)
    err.unknown_keys("", raw, _SECTIONS)
    workspace = _workspace(raw.get("workspace"), err)
    outcome = _build(Outcome, raw.get("outcome", {}), "outcome", err)
    _check_outcome(outcome, err)
    functions = tuple(_function(item, i, err) for i, item in enumerate(_list(raw, "functions", err)))
    names = [f.name for f in functions]
    for name in {n for n in names if names.count(n) > 1}:
        err.fail("functions", f"function {name!r} is named twice; each function needs its own name")
    coordination = _build(Coordination, raw.get("coordination", {}), "coordination", err)
    org_changes = tuple(_org_change(item, i, err) for i, item in enumerate(_list(raw, "org_changes", err)))
    sources = _sources(raw.get("sources", {}), err)
    builds = _build(Builds, raw.get("builds", {}), "builds", err)
    for key, value, least in [
        ("coordination.min_group_size", coordination.min_group_size, 1),
        ("coordination.broadcast_size", coordination.broadcast_size, 2),
        ("coordination.comparison_weeks", coordination.comparison_weeks, 1),
        ("builds.keep", builds.keep, 1),
    ]:
        if value < least:
            err.fail(key, f"must be at least {least}")
    return Config(path, workspace, outcome, functions, coordination, org_changes, sources, builds)


class _Errors:
    def __init__(self, path: Path):
        self.path = path

    def fail(self, key: str, reason: str):
        where = f" [{key}]" if key else ""
        raise WorkspaceError(f"{self.path}{where}: {reason}")

    def unknown_keys(self, key: str, table: dict, allowed: set[str]):
        if not isinstance(table, dict):
            self.fail(key, "must be a table of keys")
        for name in table:
            if name not in allowed:
                self.fail(key, f"unknown key {name!r}; expected one of: {', '.join(sorted(allowed))}")


def _build(cls, table, key: str, err: _Errors):
    """Instantiate a dataclass from a TOML table, checking key names and value types."""
    allowed = {f.name for f in cls.__dataclass_fields__.values() if f.name != "path"}
    err.unknown_keys(key, table, allowed)
    defaults = cls.__dataclass_fields__
    values = {}
    for name, value in table.items():
        kind = defaults[name].type
        if "float" in kind and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not _type_ok(kind, value):
            err.fail(f"{key}.{name}", f"has the wrong type ({type(value).__name__}); expected {kind}")
        values[name] = value
    try:
        return cls(**values)
    except TypeError as exc:
        missing = str(exc).split("argument")[-1].strip(": ")
        err.fail(key, f"missing required key {missing}")


def _type_ok(kind: str, value) -> bool:
    if isinstance(value, bool):
        return "bool" in kind
    checks = {"str": str, "float": float, "int": int, "dt.datetime": dt.datetime, "dt.date": dt.date}
    return any(name in kind and isinstance(value, cls) for name, cls in checks.items())


def _list(raw: dict, key: str, err: _Errors) -> list:
    items = raw.get(key, [])
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        err.fail(key, f"must be an array of tables ([[{key}]])")
    return items


def _workspace(table, err: _Errors) -> Workspace:
    if table is None:
        err.fail("workspace", "missing; it needs at least name and timezone")
    workspace = _build(Workspace, table, "workspace", err)
    _check_zone(workspace.timezone, "workspace.timezone", err)
    if workspace.week_start not in WEEKDAYS:
        err.fail("workspace.week_start", f"{workspace.week_start!r} is not a weekday name (monday … sunday)")
    if isinstance(workspace.start, dt.datetime):
        err.fail("workspace.start", "must be a date (2026-01-05), not a date-time")
    return workspace


def _check_zone(name: str, key: str, err: _Errors):
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        err.fail(key, f"{name!r} is not an IANA time zone name (for example 'Europe/London')")


def _check_outcome(outcome: Outcome, err: _Errors):
    if outcome.window_days < 1:
        err.fail("outcome.window_days", "must be at least 1")
    if not 0 < outcome.target <= 1:
        err.fail("outcome.target", f"{outcome.target} is not a fraction between 0 and 1 (write 0.40 for 40%)")
    if outcome.stall_weeks < 2:
        err.fail("outcome.stall_weeks", "must be at least 2 (the rule compares the first and last cohort)")


def _function(table: dict, index: int, err: _Errors) -> Function:
    key = f"functions[{index}]"
    where = table.get("where", {})
    if not isinstance(where, dict) or not all(isinstance(v, (str, int, float)) for v in where.values()):
        err.fail(f"{key}.where", "must be an inline table of column = value")
    table = {**table, "where": tuple((str(k), str(v)) for k, v in where.items())}
    function = _build(Function, {k: v for k, v in table.items() if k != "where"}, key, err)
    function = Function(**{**function.__dict__, "where": table["where"]})
    key = f"{key} ({function.name})"
    spec = TABLES.get(function.table)
    if spec is None:
        err.fail(f"{key}.table", f"unknown table {function.table!r}; expected one of: {', '.join(TABLES)}")
    if function.date_column not in spec.timestamp_columns:
        err.fail(
            f"{key}.date_column",
            f"{function.date_column!r} is not a timestamp column of {function.table} "
            f"({', '.join(spec.timestamp_columns)})",
        )
    if function.measure not in MEASURES:
        err.fail(f"{key}.measure", f"{function.measure!r} is not one of {', '.join(MEASURES)}")
    if function.measure == "count" and function.column is not None:
        err.fail(f"{key}.column", 'a count takes no column; remove it or use measure = "sum"')
    if function.measure != "count" and function.column not in spec.number_columns:
        err.fail(
            f"{key}.column",
            f"measure {function.measure!r} needs a numeric column of {function.table} "
            f"({', '.join(spec.number_columns) or 'none'})",
        )
    for column, _ in function.where:
        if column not in spec.column_names:
            err.fail(f"{key}.where", f"{column!r} is not a column of {function.table} ({', '.join(spec.column_names)})")
    if function.direction not in DIRECTIONS:
        err.fail(f"{key}.direction", f"{function.direction!r} is not 'higher' or 'lower'")
    if not 0 <= function.amber_band < 1:
        err.fail(f"{key}.amber_band", "must be a fraction between 0 and 1 (0.10 for 10%)")
    return function


def _org_change(table: dict, index: int, err: _Errors) -> OrgChange:
    change = _build(OrgChange, table, f"org_changes[{index}]", err)
    if isinstance(change.changed_on, dt.datetime):
        err.fail(f"org_changes[{index}].changed_on", "must be a date (2026-07-06)")
    return change


def _sources(table, err: _Errors) -> tuple[Source, ...]:
    if not isinstance(table, dict):
        err.fail("sources", 'must be a table of TABLE = "file name" or TABLE = { path = … }')
    sources = []
    for name, entry in table.items():
        key = f"sources.{name}"
        if name not in TABLES:
            err.fail(key, f"unknown table {name!r}; expected one of: {', '.join(TABLES)}")
        if isinstance(entry, str):
            entry = {"path": entry}
        err.unknown_keys(key, entry, _SOURCE_KEYS)
        if not isinstance(entry.get("path"), str):
            err.fail(key, "needs a path (a file name or glob inside the workspace)")
        adapter = entry.get("adapter")
        if adapter is not None and adapter not in ADAPTERS:
            err.fail(f"{key}.adapter", f"unknown adapter {adapter!r}; this version reads: {', '.join(ADAPTERS)}")
        if "timezone" in entry:
            _check_zone(entry["timezone"], f"{key}.timezone", err)
        event = entry.get("event")
        if event is not None and (name != "signups" or not isinstance(event, str) or not event.strip()):
            err.fail(f"{key}.event", "names the event that marks a sign-up: only for signups, as text")
        hours = entry.get("annual_hours")
        is_number = isinstance(hours, (int, float)) and not isinstance(hours, bool)
        if hours is not None and (name != "people" or not is_number or not 0 < hours <= 8784):
            err.fail(f"{key}.annual_hours", "working hours a year (for example 1720): only for people, a number")
        sources.append(
            Source(name, entry["path"], adapter, entry.get("timezone"), event, float(hours) if hours else None)
        )
    return tuple(sources)
