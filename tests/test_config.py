"""seams.toml (DESIGN.md "Contracts", "Config"): read once into frozen dataclasses; every error names
the file, the key and the reason."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from pipelines import config as config_module
from pipelines.config import Function, Outcome, WorkspaceError

MINIMAL = """\
[workspace]
name = "Northwind"
timezone = "Europe/London"
"""

SUPPORT = """
[[functions]]
name = "Support"
kpi = "Tickets solved"
table = "tickets"
date_column = "solved_at"
target = 400
"""


def load(tmp_path, text: str, encoding: str = "utf-8"):
    (tmp_path / "seams.toml").write_text(textwrap.dedent(text), encoding=encoding)
    return config_module.load(tmp_path)


def error(tmp_path, text: str) -> str:
    with pytest.raises(WorkspaceError) as raised:
        load(tmp_path, text)
    prefix = str(tmp_path / "seams.toml")
    message = str(raised.value)
    assert message.startswith(prefix), message
    return message.removeprefix(prefix).lstrip(" ")


def test_defaults_are_set_once_and_overridden_per_item(tmp_path):
    config = load(tmp_path, MINIMAL + SUPPORT + '\n[outcome]\ntarget = 0.5\n')
    assert config.workspace.week_start == "monday"
    assert config.workspace.week_start_isodow == 1
    assert config.workspace.currency == "USD"
    assert config.workspace.as_of is None
    # Only target is overridden; the rest are DESIGN.md's defaults.
    assert config.outcome == Outcome(target=0.5)
    assert (config.outcome.window_days, config.outcome.stall_weeks, config.outcome.stall_min_gain) == (30, 4, 0.01)
    assert config.functions == (
        Function(name="Support", kpi="Tickets solved", table="tickets", date_column="solved_at", target=400.0),
    )
    assert config.functions[0].measure == "count"
    assert config.functions[0].direction == "higher"
    assert config.functions[0].amber_band == 0.10


def test_a_byte_order_mark_is_allowed(tmp_path):
    assert load(tmp_path, "\ufeff" + MINIMAL).workspace.name == "Northwind"


def test_as_of_and_start_are_dates_and_where_values_text(tmp_path):
    text = MINIMAL + "as_of = 2026-10-31\nstart = 2026-01-05\nweek_start = \"sunday\"\n" + SUPPORT
    text += 'where = { status = "solved", priority = 1 }\n'
    config = load(tmp_path, text)
    assert config.workspace.as_of == dt.date(2026, 10, 31)
    assert config.workspace.start == dt.date(2026, 1, 5)
    assert config.workspace.week_start_isodow == 7
    assert config.functions[0].where == (("status", "solved"), ("priority", "1"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[workspace]\nname = "x"\n', "[workspace]: missing required key 'timezone'"),
        ("[outcome]\ntarget = 0.4\n", "[workspace]: missing; it needs at least name and timezone"),
        (MINIMAL + "[outcom]\n", ": unknown key 'outcom'; expected one of: builds, coordination, functions, "
         "org_changes, outcome, sources, workspace"),
        (MINIMAL.replace("Europe/London", "Europe/Londn"),
         "[workspace.timezone]: 'Europe/Londn' is not an IANA time zone name (for example 'Europe/London')"),
        (MINIMAL + 'week_start = "sun"\n', "[workspace.week_start]: 'sun' is not a weekday name (monday … sunday)"),
        (MINIMAL + "start = 2026-01-05T00:00:00\n", "[workspace.start]: must be a date (2026-01-05), not a date-time"),
        (MINIMAL + "[outcome]\ntarget = 40\n",
         "[outcome.target]: 40.0 is not a fraction between 0 and 1 (write 0.40 for 40%)"),
        (MINIMAL + "[outcome]\nwindow_days = \"30\"\n",
         "[outcome.window_days]: has the wrong type (str); expected int"),
        (MINIMAL + SUPPORT + "colour = 1\n", "[functions[0]]: unknown key 'colour'; expected one of: amber_band, "
         "column, date_column, direction, kpi, measure, name, table, target, where"),
        (MINIMAL + SUPPORT.replace('"tickets"', '"tix"'),
         "[functions[0] (Support).table]: unknown table 'tix'; expected one of: signups, events, tickets, demos, "
         "issues, meetings, attendees, people, org_changes"),
        (MINIMAL + SUPPORT.replace('"solved_at"', '"status"'),
         "[functions[0] (Support).date_column]: 'status' is not a timestamp column of tickets (created_at, solved_at)"),
        (MINIMAL + SUPPORT + 'measure = "sum"\n',
         "[functions[0] (Support).column]: measure 'sum' needs a numeric column of tickets (none)"),
        (MINIMAL + SUPPORT + 'column = "status"\n',
         "[functions[0] (Support).column]: a count takes no column; remove it or use measure = \"sum\""),
        (MINIMAL + SUPPORT + 'where = { colour = "red" }\n',
         "[functions[0] (Support).where]: 'colour' is not a column of tickets (ticket_id, created_at, solved_at, "
         "status, requester_id, tags, priority)"),
        (MINIMAL + SUPPORT + 'direction = "up"\n',
         "[functions[0] (Support).direction]: 'up' is not 'higher' or 'lower'"),
        (MINIMAL + SUPPORT + SUPPORT,
         "[functions]: function 'Support' is named twice; each function needs its own name"),
        (MINIMAL + '[sources]\ntickets = { path = "z.csv", adapter = "zendesk2" }\n',
         "[sources.tickets.adapter]: unknown adapter 'zendesk2'; this version reads: canonical, zendesk, freshdesk, "
         "intercom, salesforce, hubspot, jira, linear, github, amplitude, mixpanel, segment, posthog, ics, outlook, "
         "msgraph, hr"),
        (MINIMAL + '[sources]\ntickets = { path = "z.csv", sheet = 1 }\n',
         "[sources.tickets]: unknown key 'sheet'; expected one of: adapter, annual_hours, event, path, timezone"),
        (MINIMAL + '[sources]\ntix = "z.csv"\n',
         "[sources.tix]: unknown table 'tix'; expected one of: signups, events, tickets, demos, issues, meetings, "
         "attendees, people, org_changes"),
    ],
)
def test_each_error_names_the_file_the_key_and_the_reason(tmp_path, text, expected):
    assert error(tmp_path, text) == expected


def test_invalid_toml_names_the_file(tmp_path):
    with pytest.raises(WorkspaceError) as raised:
        load(tmp_path, MINIMAL + "name = \n")
    assert str(raised.value).startswith(f"{tmp_path / 'seams.toml'}: not valid TOML: ")


def test_a_workspace_without_seams_toml(tmp_path):
    with pytest.raises(WorkspaceError) as raised:
        config_module.load(tmp_path)
    assert str(raised.value) == (
        f"{tmp_path / 'seams.toml'}: no seams.toml in the workspace; create one (see DESIGN.md 'Contracts')."
    )
