"""Zendesk (CSV export; API JSON with solved_at from ticket metrics), Jira CSV and GitHub issues JSON
(docs/adapters.md "zendesk", "jira", "github").

Real files from ../shared/corpus/zendesk and ../shared/corpus/github; fixtures in tests/fixtures/adapters
written from EXPORT-FORMATS.md where no public real file exists (Zendesk CSV, Jira CSV). Zone
Europe/London (GMT = UTC until 2026-03-29), so naive March times read as the same UTC times.
"""

from __future__ import annotations

from adapter_helpers import FIXTURES, copy_into, corpus, read_export
from pipeline_helpers import build_workspace, csv, query, toml

SIGNUPS = csv("""
    user_id,signed_up_at
    u1,2026-03-02T09:00:00Z
    """)
EVENTS = csv("""
    user_id,event,occurred_at
    u1,activated,2026-03-03T09:00:00Z
    """)
SUPPORT = """
    [[functions]]
    name = "Support"
    kpi = "Tickets solved"
    table = "tickets"
    date_column = "solved_at"
    target = 2
    """
ENGINEERING = """
    [[functions]]
    name = "Engineering"
    kpi = "Story points"
    table = "issues"
    date_column = "resolved_at"
    measure = "sum"
    column = "story_points"
    target = 5
    """
NOT_A_DATE_TIME = "not a date-time (expected ISO 8601 such as 2026-03-02T09:30:00Z, a date, or epoch seconds)"


def test_a_zendesk_csv_export_dropped_in_the_workspace_feeds_tickets(tmp_path):
    copy_into(tmp_path / "ws", FIXTURES / "zendesk_export.csv")
    config = toml(as_of="2026-03-31", extra=SUPPORT)
    db = build_workspace(tmp_path, {"signups.csv": SIGNUPS, "events.csv": EVENTS}, config)
    # `-` is an empty metric; the Subject of ticket 102 spans two lines, so ticket 103 starts at line 5.
    assert query(
        db,
        """select ticket_id, created_at::varchar, solved_at::varchar, status, requester_id, tags, priority, source_line
        from stg_tickets order by ticket_id""",
    ) == [
        ("101", "2026-03-02 09:15:00+00", "2026-03-03 14:05:00+00", "Solved", "9001", "sso login", "High", 2),
        ("102", "2026-03-04 10:00:00+00", None, "Open", "9002", "billing", None, 3),
        ("103", "2026-03-05 11:30:00+00", "2026-03-06 16:45:00+00", "Closed", "9003", None, "Low", 5),
    ]
    # 2026-02-30 is no date.
    assert query(db, 'select file, line, "column", value, reason from rejects') == [
        ("zendesk_export.csv", 6, "created_at", "2026-02-30 10:00", NOT_A_DATE_TIME),
    ]
    # W 2026-03-02: tickets 101 (solved 03-03) and 103 (solved 03-06) -> 2 = target: green.
    assert query(db, "select week_start::varchar, value, status from function_weekly order by 1") == [
        ("2026-03-02", 2.0, "green"),
        ("2026-03-09", 0.0, "red"),
        ("2026-03-16", 0.0, "red"),
        ("2026-03-23", 0.0, "red"),
        ("2026-03-30", 0.0, "red"),
    ]
    sql = "select adapter, rows_read, rows_loaded, rows_rejected from sources where table_name = 'tickets'"
    assert query(db, sql) == [("zendesk", 4, 3, 1)]


def test_zendesk_api_tickets_take_solved_at_from_the_ticket_metrics_beside_them(tmp_path):
    copy_into(tmp_path / "ws", FIXTURES / "zendesk_tickets.json", FIXTURES / "zendesk_ticket_metrics.json")
    config = toml(as_of="2026-03-31", extra=SUPPORT + '\n[sources]\ntickets = "zendesk_*.json"\n')
    db = build_workspace(tmp_path, {"signups.csv": SIGNUPS, "events.csv": EVENTS}, config)
    # Each ticket at the line of its opening brace; solved_at from the metric with its ticket_id (203 has
    # none yet); the metric of ticket 999 matches no ticket here. Tags arrays become space-separated.
    assert query(
        db,
        """select ticket_id, created_at::varchar, solved_at::varchar, status, requester_id, tags, priority, source_line
        from stg_tickets order by ticket_id""",
    ) == [
        ("201", "2026-03-02 09:00:00+00", "2026-03-03 15:30:00+00", "solved", "7001", "sso login", "normal", 3),
        ("202", "2026-03-03 10:00:00+00", "2026-03-04 08:00:00+00", "closed", "7002", None, None, 15),
        ("203", "2026-03-04 11:00:00+00", None, "open", "7003", "billing", "high", 24),
    ]
    # The metrics file gives no rows of its own and says where its values went.
    assert query(
        db, "select file, adapter, rows_read, rows_loaded, rows_rejected, note from sources "
        "where table_name = 'tickets' order by file"
    ) == [
        ("zendesk_ticket_metrics.json", "zendesk", 0, 0, 0,
         "ticket metrics (4 records): solved_at joined into zendesk_tickets.json"),
        ("zendesk_tickets.json", "zendesk", 3, 3, 0, "solved_at from ticket metrics for 3 of 3 tickets"),
    ]


def test_the_real_zendesk_api_pages():
    # Page 1 of tickets and page 1 of ticket metrics, recorded from Zendesk's staging account (2012). The
    # file is one line, so every ticket is at line 1. Their ids do not overlap: no solved_at is known.
    tickets = corpus("zendesk/api_v2_tickets_page1.json")
    metrics = corpus("zendesk/api_v2_ticket_metrics_page1.json")
    read = read_export(tickets, "tickets", "zendesk", group=(tickets, metrics))
    assert len(read.typed) == 100
    # The first ticket as written: id 1, created 2012-09-06T20:15:09Z, pending, high, tags [sample, zendesk].
    assert read.typed[0] == (1, "1", "2012-09-06 20:15:09", None, "pending", "20014182", "sample zendesk", "high")
    assert read.result.notes == ["solved_at from ticket metrics for 0 of 100 tickets"]
    alone = read_export(tickets, "tickets", "zendesk", group=(tickets,))
    assert alone.result.notes == ["no ticket metrics beside it: solved_at unknown (export ticket_metrics too)"]
    metrics_read = read_export(metrics, "tickets", "zendesk", group=(tickets, metrics))
    assert (metrics_read.raw, metrics_read.result.empty_note) == (
        [], "ticket metrics (100 records): solved_at joined into api_v2_tickets_page1.json",
    )


def test_a_jira_csv_with_repeated_columns_and_locale_dates(tmp_path):
    copy_into(tmp_path / "ws", FIXTURES / "jira_export.csv")
    db = build_workspace(
        tmp_path, {"signups.csv": SIGNUPS, "events.csv": EVENTS}, toml(as_of="2026-03-31", extra=ENGINEERING)
    )
    # BOM and CRLF; line 2's Description spans two lines. `3/Mar/26 12:17 PM` is 12:17 (12-hour clock),
    # `4/Mar/26 15:42` 15:42; all three Labels columns joined, both Sprint columns ignored.
    assert query(
        db,
        """select issue_key, issue_type, resolved_at::varchar, status, labels, story_points, source_line
        from stg_issues order by issue_key""",
    ) == [
        ("SEAM-1", "Story", "2026-03-03 12:17:00+00", "Done", "onboarding activation", 5.0, 2),
        ("SEAM-2", "Bug", "2026-03-04 15:42:00+00", "Done", None, 2.0, 4),
        ("SEAM-3", "Feature", None, "In Progress", "ui", 8.0, 5),
    ]
    # 31/Feb/26 is no date: the value as written in the file.
    assert query(db, 'select line, "column", value, reason from rejects') == [
        (6, "resolved_at", "31/Feb/26 10:00", NOT_A_DATE_TIME),
    ]
    # W 2026-03-02: 5 + 2 story points resolved = 7 >= 5: green.
    assert query(db, "select value, status from function_weekly where week_start = '2026-03-02'") == [(7.0, "green")]
    assert query(db, "select adapter, encoding from sources where table_name = 'issues'") == [("jira", "utf-8")]


def test_jira_dates_in_the_source_zone():
    path = FIXTURES / "jira_export.csv"
    read = read_export(path, "issues", "jira", zone="America/New_York")
    # 12:17 EST (UTC-5) = 17:17 UTC.
    assert read.typed[0][3] == "2026-03-03 17:17:00"


def test_github_issues_leave_out_pull_requests_and_not_planned_is_not_shipped():
    read = read_export(FIXTURES / "github_issues.json", "issues", "github")
    # #1 completed: resolved; the first label naming a type is its type. #2 not_planned: not resolved.
    # #3 open, no labels: type `issue`. #4 is a pull request. #5's GitHub issue type wins over its label.
    assert read.typed == [
        (2, "acme/app#1", "enhancement", "2026-03-03 12:00:00", "completed", "enhancement, good first issue", None),
        (25, "acme/app#2", "bug", None, "not_planned", "bug", None),
        (43, "acme/app#3", "issue", None, "open", None, None),
        (76, "acme/app#5", "Feature", "2026-03-06 12:00:00", "completed", "bug", None),
    ]
    assert read.result.notes == ["1 pull request left out (the issues API lists them too)"]


def test_the_real_github_issue_pages():
    # octokit's recorded pages: 13 open, unlabelled issues (#13 down to #1), re-indented into one array.
    read = read_export(corpus("github/rest_list_issues_paginated.json"), "issues", "github")
    repository = "octokit-fixture-org/tmp-scenario-paginate-issues-20220719043836917-izyoe"
    assert [row[1] for row in read.typed] == [f"{repository}#{n}" for n in range(13, 0, -1)]
    assert {row[2:] for row in read.typed} == {("issue", None, "open", None, None)}
    assert read.result.notes == []
