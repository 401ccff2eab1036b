"""Freshdesk tickets: the ticket list exported from the UI (Tickets -> Export, CSV) -> tickets.

The shape (EXPORT-FORMATS.md "Freshdesk"; no public sample exists, so the column names are the UI's
labels as documented there): `Ticket ID`, `Subject`, `Status`, `Priority`, `Source`, `Type`, `Agent`,
`Group`, `Created time`, `Resolved time`, `Closed time`, `Tags`, and the requester's columns.
- ticket_id `Ticket ID`; created_at `Created time`; solved_at `Resolved time`, else `Closed time` (a
  ticket closed without being marked resolved was solved when it closed); tags as written.
- status and priority as written; the API's codes, when a file has them, become the UI's words
  (status 2 Open, 3 Pending, 4 Resolved, 5 Closed; priority 1 Low, 2 Medium, 3 High, 4 Urgent).
- requester_id: `Contact ID`, `Requester ID`, else `Requester Email`, else `Requester Name`.
- Times carry no offset: they are read in the source's `timezone` (the helpdesk's zone). Their format
  is not documented; an ISO date-time (`2026-03-02 09:15:00`) is read, anything else is rejected with
  the value as written.
"""

from __future__ import annotations

from pipelines.adapters.base import Adapter, Sniff, insert_select, load_csv
from pipelines.read import FileRead

_STATUS = {"2": "Open", "3": "Pending", "4": "Resolved", "5": "Closed"}
_PRIORITY = {"1": "Low", "2": "Medium", "3": "High", "4": "Urgent"}
_REQUESTER = ("contact_id", "requester_id", "requester_email", "requester_name")


def _coded(column: str, codes: dict[str, str]) -> str:
    """A column's text, with the API's numeric codes turned into the UI's words."""
    cases = " ".join(f"when '{code}' then '{word}'" for code, word in codes.items())
    return f"case trim({column}) {cases} else nullif(trim({column}), '') end"


def read(con, table, source) -> FileRead:
    result = FileRead(source, empty_note="header only: no tickets")
    columns = load_csv(con, source, result)

    def value(*names: str) -> str:
        return f"nullif(trim({columns.first(*names)}), '')"

    expressions = {
        "_line": "_line",
        "ticket_id": value("ticket_id"),
        "created_at": value("created_time"),
        "solved_at": f"coalesce({value('resolved_time')}, {value('closed_time')})",
        "status": _coded(columns.first("status"), _STATUS),
        "requester_id": f"coalesce({', '.join(value(name) for name in _REQUESTER)})",
        "tags": value("tags"),
        "priority": _coded(columns.first("priority"), _PRIORITY),
    }
    insert_select(con, table, source, expressions, "seams_export")
    return result


def _recognises(shape: Sniff) -> bool:
    return shape.kind == "csv" and shape.has("ticket_id", "created_time") and (
        shape.has("resolved_time") or shape.has("closed_time")
    )


ADAPTER = Adapter(
    name="freshdesk",
    tables=("tickets",),
    detected_tables=("tickets",),
    shape="a Freshdesk ticket export (CSV with Ticket ID, Created time, Resolved time or Closed time)",
    recognises=_recognises,
    read=read,
)
