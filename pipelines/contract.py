"""The export contract of DESIGN.md as data: each canonical table, its columns in contract order, which
are required, how each is typed, and the key that duplicates are judged by.

Validation and deduplication SQL are generated from this one description (pipelines/validate.py), so
a rule ("a bad timestamp is a reject naming its column") is written once for every table.
"""

from __future__ import annotations

from dataclasses import dataclass

# Column kinds and how a text value becomes typed (pipelines/macros.sql holds the parsers).
TEXT = "text"  # kept as given, surrounding spaces trimmed
TIMESTAMP = "timestamp"  # DESIGN.md "Timestamps": ISO 8601, offset or naive, bare date, epoch number
DATE = "date"  # a calendar date
NUMBER = "number"  # a plain decimal number (story points)
MONEY = "money"  # $1,200.00 reads as 1200; a decimal comma is a reject
EMAIL = "email"  # lower-cased, without a mailto: prefix
RESPONSE = "response"  # accepted / declined / tentative / needs_action; missing = needs_action
BOOLEAN = "boolean"  # true/false, yes/no, 1/0 (any case); missing = null


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = TEXT
    required: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    # The table whose key this table's first column must match (attendees belong to meetings).
    parent: str | None = None
    # Checks across columns: (column named in the reject, condition on typed values, reason).
    rules: tuple[tuple[str, str, str], ...] = ()

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def timestamp_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.kind == TIMESTAMP)

    @property
    def number_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.kind in (NUMBER, MONEY))


def _table(name, *columns, key=(), parent=None, rules=()) -> Table:
    return Table(name, tuple(columns), tuple(key), parent, tuple(rules))


_TABLE_LIST = [
    _table(
        "signups",
        Column("user_id", required=True),
        Column("signed_up_at", TIMESTAMP, required=True),
        Column("account_id"),
        Column("segment"),
        Column("channel"),
        Column("plan"),
        key=("user_id",),
    ),
    _table(
        "events",
        Column("user_id", required=True),
        Column("event", required=True),
        Column("occurred_at", TIMESTAMP, required=True),
    ),
    _table(
        "tickets",
        Column("ticket_id", required=True),
        Column("created_at", TIMESTAMP, required=True),
        Column("solved_at", TIMESTAMP),
        Column("status"),
        Column("requester_id"),
        Column("tags"),
        Column("priority"),
        key=("ticket_id",),
    ),
    _table(
        "demos",
        Column("demo_id", required=True),
        Column("held_at", TIMESTAMP, required=True),
        Column("owner"),
        Column("account_id"),
        Column("outcome"),
        key=("demo_id",),
    ),
    _table(
        "issues",
        Column("issue_key", required=True),
        Column("issue_type", required=True),
        Column("resolved_at", TIMESTAMP),
        Column("status"),
        Column("labels"),
        Column("story_points", NUMBER),
        key=("issue_key",),
    ),
    _table(
        "meetings",
        Column("meeting_id", required=True),
        Column("starts_at", TIMESTAMP, required=True),
        Column("ends_at", TIMESTAMP, required=True),
        Column("title"),
        Column("series_id"),
        Column("organizer", EMAIL),
        # Optional: calendar adapters mark all-day events, which are not coordination (DESIGN.md "Calendars").
        Column("is_all_day", BOOLEAN),
        key=("meeting_id",),
        rules=[("ends_at", "_typed_ends_at < _typed_starts_at", "ends before it starts")],
    ),
    _table(
        "attendees",
        Column("meeting_id", required=True),
        Column("email", EMAIL, required=True),
        Column("response", RESPONSE),
        key=("meeting_id", "email"),
        parent="meetings",
    ),
    _table(
        "people",
        Column("email", EMAIL, required=True),
        Column("function", required=True),
        Column("hourly_cost", MONEY),
        Column("level"),
        Column("team"),
        key=("email",),
    ),
    _table(
        "org_changes",
        Column("changed_on", DATE, required=True),
        Column("label", required=True),
    ),
]

TABLES: dict[str, Table] = {t.name: t for t in _TABLE_LIST}

# Tables every workspace needs (the outcome); function KPIs add the tables they read.
OUTCOME_TABLES = ("signups", "events")
# Meetings and attendees come as a pair, or not at all.
CALENDAR_TABLES = ("meetings", "attendees")
RESPONSES = ("accepted", "declined", "tentative", "needs_action")
