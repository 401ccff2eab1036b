"""Choosing an adapter (docs/adapters.md "How a file finds its adapter"): by the file's shape, by name in
[sources], or the canonical reader; a file nothing recognises is named with the shapes tried; the
`sources` table says which adapter read which file, for which table, in which zone.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from adapter_helpers import CORPUS, FIXTURES, ROOT, copy_into
from pipeline_helpers import build_workspace, csv, make_workspace, query, toml

from pipelines import adapters, config
from pipelines.adapters import sniff
from pipelines.build import build

SIGNUPS = csv("""
    user_id,signed_up_at
    u1,2026-03-02T09:00:00Z
    """)
EVENTS = csv("""
    user_id,event,occurred_at
    u1,activated,2026-03-03T09:00:00Z
    """)
GOOD = {"signups.csv": SIGNUPS, "events.csv": EVENTS}


def cannot_build(workspace, tmp_path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "pipelines.build", str(workspace), "--out", str(tmp_path / "out.duckdb")],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    return done.stderr.removeprefix("seams: cannot build: ").removesuffix("\n")


def shapes(table: str) -> str:
    """The adapters that can feed `table`, as the messages list them (their shapes are data, in the registry)."""
    return "; ".join(f"{a.name}: {a.shape}" for a in adapters.ADAPTERS.values() if table in a.tables)


def test_every_adapter_name_in_the_config_has_an_adapter():
    assert set(config.ADAPTERS) == {"canonical", *adapters.ADAPTERS}


@pytest.mark.parametrize(
    "path, adapter",
    [
        (FIXTURES / "weekly_sync.ics", "ics"),
        (CORPUS / "ics/icalendar/issue_112_missing_tzinfo_on_exdate.ics", "ics"),  # a bare VEVENT, no VCALENDAR
        (FIXTURES / "outlook_calendar.csv", "outlook"),
        (FIXTURES / "graph_calendarview.json", "msgraph"),
        (CORPUS / "msgraph/event-get.response1.json", "msgraph"),
        (FIXTURES / "zendesk_export.csv", "zendesk"),
        (CORPUS / "zendesk/api_v2_tickets_page1.json", "zendesk"),
        (CORPUS / "zendesk/api_v2_ticket_metrics_page1.json", "zendesk"),
        (FIXTURES / "jira_export.csv", "jira"),
        (CORPUS / "github/rest_list_issues_paginated.json", "github"),
        (FIXTURES / "amplitude_export.zip", "amplitude"),
        (FIXTURES / "mixpanel_export.jsonl", "mixpanel"),
        (CORPUS / "posthog/events_csv_export_expected.csv", "posthog"),
        (FIXTURES / "hr_people.csv", "hr"),
    ],
    ids=lambda value: getattr(value, "name", value),
)
def test_each_export_is_recognised_by_its_shape_alone(path, adapter):
    assert [a.name for a in adapters.recognising(sniff(path))] == [adapter]


def test_canonical_files_are_recognised_by_no_adapter(tmp_path):
    for name, text in {
        "people.csv": "email,function,hourly_cost\na@example.com,Sales,50\n",
        "tickets.csv": "ticket_id,created_at,solved_at,status\n1,2026-03-02,,open\n",
        "issues.csv": "issue_key,issue_type,resolved_at,status,labels,story_points\nK-1,bug,,open,,\n",
        "events.jsonl": '{"user_id": "u1", "event": "activated", "occurred_at": "2026-03-03"}\n',
    }.items():
        (tmp_path / name).write_text(text)
        assert adapters.recognising(sniff(tmp_path / name)) == [], name


def test_a_canonical_name_holding_a_tool_export_is_read_by_the_tool_adapter(tmp_path):
    # tickets.csv that is really a Zendesk export: its shape decides.
    workspace = make_workspace(tmp_path / "ws", GOOD, toml(as_of="2026-03-31"))
    (workspace / "tickets.csv").write_bytes((FIXTURES / "zendesk_export.csv").read_bytes())
    db = tmp_path / "out.duckdb"
    build(workspace, db)
    assert query(db, "select file, table_name, adapter, rows_read from sources where table_name = 'tickets'") == [
        ("tickets.csv", "tickets", "zendesk", 4),
    ]


def test_several_exports_of_one_tool_are_read_in_name_order(tmp_path):
    # Two monthly Zendesk exports dropped in: both feed tickets; the later file wins a ticket in both.
    march = (FIXTURES / "zendesk_export.csv").read_text()
    april = march.splitlines()[0] + "\r\n" + march.splitlines()[1].replace(",Solved,High,", ",Closed,High,") + "\r\n"
    files = {**GOOD, "zendesk 2026-03.csv": march, "zendesk 2026-04.csv": april}
    db = build_workspace(tmp_path, files, toml(as_of="2026-03-31"))
    sql = "select file, adapter, rows_read, rows_loaded from sources where table_name = 'tickets' order by 1"
    assert query(db, sql) == [
        ("zendesk 2026-03.csv", "zendesk", 4, 2),
        ("zendesk 2026-04.csv", "zendesk", 1, 1),
    ]
    assert query(db, "select status from stg_tickets where ticket_id = '101'") == [("Closed",)]
    assert query(db, "select file, line, reason from rejects where value = '101'") == [
        ("zendesk 2026-03.csv", 2, "superseded by zendesk 2026-04.csv line 2"),
    ]


def test_a_canonical_file_and_a_tool_export_for_one_table_is_an_error(tmp_path):
    tickets = "ticket_id,created_at\n1,2026-03-02\n"
    workspace = make_workspace(tmp_path / "ws", {**GOOD, "tickets.csv": tickets}, toml())
    copy_into(workspace, FIXTURES / "zendesk_export.csv")
    assert cannot_build(workspace, tmp_path) == (
        f"{workspace.resolve()}: tickets.csv (canonical) and zendesk_export.csv (zendesk) both hold tickets; keep "
        "one, or name the one to read in [sources] of seams.toml"
    )


def test_a_named_file_no_adapter_recognises_names_the_shapes_tried(tmp_path):
    workspace = make_workspace(tmp_path / "ws", {**GOOD, "export.json": '{"rows": [1, 2]}\n'},
                               toml(extra='[sources]\nissues = "export.json"\n'))
    assert cannot_build(workspace, tmp_path) == (
        "export.json: no adapter recognises this file as issues; shapes tried: canonical issues (issue_key, "
        f"issue_type columns); {shapes('issues')}. Name its adapter in [sources] of seams.toml, or export it in "
        "one of these shapes"
    )


def test_a_named_csv_missing_columns_says_no_adapter_recognised_it(tmp_path):
    workspace = make_workspace(tmp_path / "ws", {**GOOD, "export.csv": "key,kind\nK-1,bug\n"},
                               toml(extra='[sources]\nissues = "export.csv"\n'))
    message = cannot_build(workspace, tmp_path)
    assert message.startswith(
        "export.csv: required column 'issue_key' of issues is missing (columns found: 'key', 'kind'); add it or "
        "rename the header; no adapter recognised it either (shapes tried: canonical issues (issue_key, issue_type "
        "columns); jira: "
    )


def test_an_adapter_named_for_a_table_it_cannot_feed_is_an_error(tmp_path):
    extra = '[sources]\ntickets = { path = "x.ics", adapter = "ics" }\n'
    workspace = make_workspace(tmp_path / "ws", GOOD, toml(extra=extra))
    (workspace / "x.ics").write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    assert cannot_build(workspace, tmp_path) == (
        f"{workspace.resolve() / 'seams.toml'} [sources.tickets.adapter]: adapter 'ics' reads meetings, attendees, "
        "not tickets"
    )


def test_a_missing_required_table_names_the_files_nothing_recognised(tmp_path):
    workspace = make_workspace(tmp_path / "ws", {"signups.csv": SIGNUPS, "clicks.csv": "who,what\nu1,x\n"}, toml())
    assert cannot_build(workspace, tmp_path) == (
        f"{workspace.resolve()}: no export for table 'events' (the outcome needs it); add events.csv (or .parquet / "
        ".jsonl) or name a file in [sources]; no adapter recognised clicks.csv (shapes tried: canonical events "
        f"(user_id, event, occurred_at columns); {shapes('events')})"
    )
