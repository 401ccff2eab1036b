"""A plain HR list -> people (docs/adapters.md "hr"): hourly cost given directly, or an annual salary over
`annual_hours` from [sources]. Fixture written from the columns HR lists have (EXPORT-FORMATS.md "People").
"""

from __future__ import annotations

import pytest
from adapter_helpers import FIXTURES, copy_into
from pipeline_helpers import build_workspace, csv, query, toml

from pipelines.config import WorkspaceError, load

SIGNUPS = csv("""
    user_id,signed_up_at
    u1,2026-03-02T09:00:00Z
    """)
EVENTS = csv("""
    user_id,event,occurred_at
    u1,activated,2026-03-03T09:00:00Z
    """)


def test_hourly_cost_is_given_or_the_annual_salary_over_the_configured_hours(tmp_path):
    copy_into(tmp_path / "ws", FIXTURES / "hr_people.csv")
    config = toml(as_of="2026-03-31", extra="""
        [sources]
        people = { path = "hr_people.csv", annual_hours = 1720 }
        """)
    db = build_workspace(tmp_path, {"signups.csv": SIGNUPS, "events.csv": EVENTS}, config)
    # 1720 working hours a year: $86,000 / 1720 = 50.00; 72,240 / 1720 = 42.00. Cy's hourly rate is given
    # ($35.50); Flo's given rate ($60) wins over the salary. Eve has neither: cost unknown.
    assert query(db, "select email, function, hourly_cost, level, team, source_line from stg_people order by 1") == [
        ("ann@example.com", "Engineering", 50.0, "Senior", "Platform", 2),
        ("bob@example.com", "Sales", 42.0, "Mid", "EMEA", 3),
        ("cy@example.com", "Support", 35.5, "Junior", "Tier 1", 4),
        ("eve@example.com", "Design", None, "Mid", "Core", 6),
        ("flo@example.com", "Engineering", 60.0, "Staff", "Platform", 7),
    ]
    # A decimal comma is not read: the salary as written is the reject's value.
    assert query(db, 'select line, "column", value, reason from rejects') == [
        (5, "hourly_cost", "86.000,00", "not an amount (expected 1200.50 or $1,200.50; a decimal comma is not read)"),
    ]
    sql = "select adapter, rows_read, rows_loaded, rows_rejected, note from sources where table_name = 'people'"
    assert query(db, sql) == [("hr", 6, 5, 1, "hourly cost from annual salary / 1720 hours where none is given")]


def test_salaries_without_annual_hours_are_a_workspace_error(tmp_path):
    copy_into(tmp_path / "ws", FIXTURES / "hr_people.csv")
    with pytest.raises(WorkspaceError) as raised:
        build_workspace(tmp_path, {"signups.csv": SIGNUPS, "events.csv": EVENTS}, toml(as_of="2026-03-31"))
    assert str(raised.value) == (
        "hr_people.csv: annual salaries need the working hours of a year to give an hourly cost; add annual_hours "
        'to [sources] people in seams.toml (for example people = { path = "…", adapter = "hr", annual_hours = 1720 })'
    )


@pytest.mark.parametrize(
    "entry, message",
    [
        ('people = { path = "hr.csv", annual_hours = 0 }',
         "[sources.people.annual_hours]: working hours a year (for example 1720): only for people, a number"),
        ('tickets = { path = "t.csv", annual_hours = 1720 }',
         "[sources.tickets.annual_hours]: working hours a year (for example 1720): only for people, a number"),
        ('events = { path = "e.csv", event = "Sign Up" }',
         "[sources.events.event]: names the event that marks a sign-up: only for signups, as text"),
    ],
)
def test_source_options_are_checked(tmp_path, entry, message):
    (tmp_path / "seams.toml").write_text(toml(extra=f"[sources]\n{entry}\n"))
    with pytest.raises(WorkspaceError) as raised:
        load(tmp_path)
    assert str(raised.value) == f"{tmp_path / 'seams.toml'} {message}"
