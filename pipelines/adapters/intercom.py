"""Intercom conversations JSON (`GET /conversations`, `POST /conversations/search`: pages of
`{"type": "conversation.list", "conversations": [...]}`, pages concatenated into one array, or one
conversation a line) -> tickets.

The shape (EXPORT-FORMATS.md "Intercom", from Intercom's API definition): `id` (a string),
`created_at` and `updated_at` in Unix seconds, `state` open | closed | snoozed (older versions: `open`
true/false), `priority` priority | not_priority, `tags: {"tags": [{"name": …}]}`, `statistics` with
`first_close_at`, `last_close_at` (Unix seconds), `contacts: {"contacts": [{"id", "external_id"}]}`,
`source.author`.
- ticket_id `id`; created_at `created_at`; status `state`; priority `priority`.
- solved_at: a closed conversation's `statistics.last_close_at` (a conversation may close and reopen
  many times; the last close is when it was solved). An open or snoozed one is not solved now, even
  if it was closed before. A closed one without statistics keeps solved_at empty (counted).
- requester_id: the first contact's `external_id` (the user id of your product), else its `id`, else
  the `source.author` id.
- tags: the tag names joined with `, ` (an Intercom tag name may hold spaces).
"""

from __future__ import annotations

import json

from pipelines.adapters.base import (
    Adapter,
    Sniff,
    decode,
    insert_rows,
    json_records,
    plural,
    records_of,
    sniff,
    text_of,
)
from pipelines.read import FileRead, preview

_LIST = "conversations"


def read(con, table, source) -> FileRead:
    result = FileRead(source, empty_note="no conversations")
    with open(source.path, "rb") as handle:
        text, result.encoding = decode(handle.read())
    if result.encoding != "utf-8":
        result.notes.append("not valid UTF-8; read as Windows-1252")
    records = _records(text, sniff(source.path, source.name).kind == "jsonl", result)
    rows, unknown_close = [], 0
    for line, conversation in records:
        if not isinstance(conversation, dict):
            result.rejects.append((line, None, preview(text_of(conversation) or ""), "not a conversation object"))
            continue
        state = _state(conversation)
        solved = None
        if state == "closed":
            solved = text_of(_dig(conversation, "statistics", "last_close_at"))
            unknown_close += solved is None
        rows.append([
            line, text_of(conversation.get("id")), text_of(conversation.get("created_at")), solved, state,
            _requester(conversation), _tags(conversation), text_of(conversation.get("priority")),
        ])
    insert_rows(con, table, source, rows)
    result.rows_read = len(rows) + len(result.rejects)
    if unknown_close:
        result.notes.append(
            f"{plural(unknown_close, 'closed conversation')} without statistics.last_close_at: solved_at unknown"
        )
    return result


def _records(text: str, lines: bool, result: FileRead) -> list[tuple[int, object]]:
    """(line, conversation) in file order: from a list page, an array, one object, or JSON lines."""
    if lines:
        return _lines(text, result)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        result.rejects.append((exc.lineno, None, None, f"not valid JSON: {exc.msg}"))
        return []
    if isinstance(document, dict) and isinstance(document.get(_LIST), list):
        return list(json_records(text, _LIST))
    container, _ = records_of(document)
    return list(json_records(text, "" if isinstance(document, list) else container))


def _lines(text: str, result: FileRead) -> list[tuple[int, object]]:
    records = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        try:
            records.append((number, json.loads(line)))
        except json.JSONDecodeError as exc:
            result.rejects.append((number, None, preview(line), f"not valid JSON: {exc.msg}"))
    return records


def _state(conversation: dict) -> str | None:
    state = conversation.get("state")
    if state is None and isinstance(conversation.get("open"), bool):
        return "open" if conversation["open"] else "closed"
    return text_of(state)


def _dig(record: dict, *path: str):
    for key in path:
        if not isinstance(record, dict):
            return None
        record = record.get(key)
    return record


def _requester(conversation: dict) -> str | None:
    contacts = _dig(conversation, "contacts", "contacts")
    if isinstance(contacts, list) and contacts and isinstance(contacts[0], dict):
        first = contacts[0]
        return text_of(first.get("external_id") or first.get("id"))
    return text_of(_dig(conversation, "source", "author", "id"))


def _tags(conversation: dict) -> str | None:
    tags = conversation.get("tags")
    tags = tags.get("tags") if isinstance(tags, dict) else tags
    if not isinstance(tags, list):
        return None
    names = [str(tag.get("name") if isinstance(tag, dict) else tag) for tag in tags]
    return ", ".join(name for name in names if name) or None


def _is_conversation(record: dict | None) -> bool:
    if not isinstance(record, dict):
        return False
    if record.get("type") == "conversation":
        return True
    return {"id", "created_at"} <= set(record) and ("state" in record or "open" in record) and (
        "statistics" in record or "conversation_parts" in record or "source" in record
    )


def _recognises(shape: Sniff) -> bool:
    record = shape.record or {}
    if shape.kind == "json" and shape.container is None and isinstance(record.get(_LIST), list):
        return record.get("type") == "conversation.list" or _is_conversation(
            next((item for item in record[_LIST] if isinstance(item, dict)), None)
        )
    return shape.kind in ("json", "jsonl") and _is_conversation(shape.record)


ADAPTER = Adapter(
    name="intercom",
    tables=("tickets",),
    detected_tables=("tickets",),
    shape="Intercom conversations JSON (a conversation.list page, an array or JSON lines of conversations "
    "with id, created_at, state, statistics)",
    recognises=_recognises,
    read=read,
)
