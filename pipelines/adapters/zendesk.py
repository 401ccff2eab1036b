"""Zendesk tickets: the admin CSV export, and API JSON (`/api/v2/tickets`, incremental exports, or JSON
lines) with `solved_at` from ticket metrics (`/api/v2/ticket_metrics`) -> tickets.

- CSV (EXPORT-FORMATS.md "CSV export columns"): `Id`, `Created at`, `Solved at`, `Status`, `Priority`,
  `Requester id`, `Tags` (space-separated in one cell). Dates like `2009-09-01 19:02` carry no offset:
  they are in the account's zone, which is the source's `timezone`. A missing metric is written `-`:
  read as empty.
- API JSON: a ticket has no `solved_at`; it lives in ticket metrics. Every metrics file among the
  source's files (a `ticket_metrics` page, or an incremental export's side-loaded `metric_sets`) is
  joined to the tickets by `ticket_id`. A metrics file gives no rows of its own (the Data page says
  how many of its values were joined); a ticket with no metric keeps `solved_at` empty.
- `tags` (a JSON array) become one space-separated text, as in the CSV; `status` and `priority` are
  kept as written (a KPI's `where` compares them case-insensitively). Closed tickets keep `closed`:
  they were solved first, and their `solved_at` counts.
"""

from __future__ import annotations

import json
from pathlib import Path

from pipelines.adapters.base import (
    Adapter,
    Sniff,
    decode,
    insert_rows,
    insert_select,
    json_records,
    load_csv,
    plural,
    records_of,
    sniff,
    text_of,
)
from pipelines.read import FileRead

_METRICS = ("ticket_metrics", "metric_sets")


def read(con, table, source) -> FileRead:
    shape = sniff(source.path, source.name)
    if shape.kind == "csv":
        return _read_csv(con, table, source)
    result = FileRead(source, empty_note="no tickets")
    try:
        records, document = _records(source.path, shape)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        result.rejects.append((getattr(exc, "lineno", 1), None, None, f"not valid JSON: {exc}"))
        result.rows_read = 1
        return result
    if _is_metrics(shape):
        result.empty_note = _metrics_note(source, len(records))
        return result
    solved = _solved_at(source, document)
    rows, joined = [], 0
    for line, ticket in records:
        if not isinstance(ticket, dict):
            result.rejects.append((line, None, text_of(ticket), "not a ticket object"))
            continue
        ticket_id = text_of(ticket.get("id"))
        joined += ticket_id in solved
        tags = ticket.get("tags")
        tags = (" ".join(map(str, tags)) or None) if isinstance(tags, list) else text_of(tags)
        rows.append([
            line, ticket_id, text_of(ticket.get("created_at")), solved.get(ticket_id), text_of(ticket.get("status")),
            text_of(ticket.get("requester_id")), tags, text_of(ticket.get("priority")),
        ])
    insert_rows(con, table, source, rows)
    result.rows_read = len(rows) + len(result.rejects)
    if rows:
        result.notes.append(
            f"solved_at from ticket metrics for {joined} of {plural(len(rows), 'ticket')}"
            if solved
            else "no ticket metrics beside it: solved_at unknown (export ticket_metrics too)"
        )
    return result


def _records(path: Path, shape: Sniff) -> tuple[list[tuple[int, object]], object]:
    with open(path, "rb") as handle:
        text, _ = decode(handle.read())
    if shape.kind == "jsonl":
        records = [(n, json.loads(line)) for n, line in enumerate(text.split("\n"), 1) if line.strip()]
        return records, None
    document = json.loads(text)
    container, _ = records_of(document)
    return list(json_records(text, container)), document


def _solved_at(source, document) -> dict[str, str | None]:
    """ticket_id -> solved_at from every metrics file of this source, and from side-loaded metric sets."""
    solved: dict[str, str | None] = {}
    metric_lists = []
    if isinstance(document, dict) and isinstance(document.get("metric_sets"), list):
        metric_lists.append(document["metric_sets"])
    for path in source.group:
        shape = sniff(path)
        if path != source.path and _is_metrics(shape):
            metric_lists.append([record for _, record in _records(path, shape)[0]])
    for metrics in metric_lists:
        for metric in metrics:
            if isinstance(metric, dict) and metric.get("ticket_id") is not None:
                solved[text_of(metric["ticket_id"])] = text_of(metric.get("solved_at"))
    return solved


def _metrics_note(source, metrics: int) -> str:
    shapes = [sniff(p) for p in source.group if p != source.path]
    tickets = [s.name for s in shapes if s.kind in ("json", "jsonl") and not _is_metrics(s)]
    if not tickets:
        return f"ticket metrics ({plural(metrics, 'record')}) with no tickets file beside them: nothing to join"
    return f"ticket metrics ({plural(metrics, 'record')}): solved_at joined into {', '.join(tickets)}"


def _is_metrics(shape: Sniff) -> bool:
    return shape.container in _METRICS or (shape.kind == "jsonl" and shape.has("ticket_id", "solved_at"))


def _read_csv(con, table, source) -> FileRead:
    result = FileRead(source, empty_note="header only: no tickets")
    columns = load_csv(con, source, result)

    def value(*names: str) -> str:
        # Zendesk writes a missing metric as `-`.
        return f"nullif(trim({columns.first(*names)}), '-')"

    expressions = {
        "_line": "_line",
        "ticket_id": value("id"),
        "created_at": value("created_at"),
        "solved_at": value("solved_at"),
        "status": value("status"),
        "requester_id": value("requester_id"),
        "tags": value("tags"),
        "priority": value("priority"),
    }
    insert_select(con, table, source, expressions, "seams_export")
    return result


def _recognises(shape: Sniff) -> bool:
    if shape.kind == "csv":
        return shape.has("id", "created_at", "solved_at", "status") and (
            shape.has("requester") or shape.has("requester_id")
        )
    if shape.kind == "json":
        return shape.container in ("tickets", *_METRICS) and (
            shape.has("id", "created_at", "status") or shape.has("ticket_id", "solved_at")
        )
    if shape.kind == "jsonl":
        return shape.has("id", "created_at", "status", "requester_id") or shape.has("ticket_id", "solved_at", "reopens")
    return False


ADAPTER = Adapter(
    name="zendesk",
    tables=("tickets",),
    detected_tables=("tickets",),
    shape="a Zendesk ticket export (CSV with Id, Requester, Created at, Solved at, Status; or API JSON with "
    "tickets or ticket_metrics)",
    recognises=_recognises,
    read=read,
)
