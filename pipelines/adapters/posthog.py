"""PostHog events: the UI/API CSV export, and batch-export JSON lines -> events, and sign-ups with
`event` in [sources].

- CSV (EXPORT-FORMATS.md "PostHog"; the real file in ../shared/corpus/posthog): the selected columns of
  the events table, flattened with dots (`properties.$browser`), CRLF, `timestamp` like
  `2022-07-06T19:37:43.095295+00:00`. JSON lines: `uuid, event, distinct_id, person_id, timestamp, …`.
- user_id `person_id` when present (the stable person), else `distinct_id` (per device or login);
  event `event`; occurred_at `timestamp`.
"""

from __future__ import annotations

from pipelines.adapters.base import Adapter, Sniff, load_csv, load_json_lines, sniff
from pipelines.adapters.stream import insert_stream
from pipelines.read import FileRead

FIELDS = {
    "person_id": ("person_id",),
    "distinct_id": ("distinct_id",),
    "event": ("event",),
    "occurred_at": ("timestamp",),
}


def read(con, table, source) -> FileRead:
    result = FileRead(source, empty_note="no events")
    if sniff(source.path, source.name).kind == "csv":
        columns = load_csv(con, source, result)
        con.execute(
            f"""create or replace temp table seams_stream as
            select _line, coalesce(nullif(trim({columns.first("person_id")}), ''), {columns.first("distinct_id")})
                    as user_id,
                {columns.first("event")} as event, {columns.first("timestamp")} as occurred_at
            from seams_export"""
        )
    else:
        load_json_lines(con, [(source.path, source.path.suffix.lower() == ".gz")], FIELDS, result)
        con.execute(
            """create or replace temp table seams_stream as
            select _line, coalesce(person_id, distinct_id) as user_id, event, occurred_at from seams_json"""
        )
    insert_stream(con, table, source, result, "seams_stream")
    return result


def _recognises(shape: Sniff) -> bool:
    return shape.kind in ("csv", "jsonl") and shape.has("event", "distinct_id", "timestamp")


ADAPTER = Adapter(
    name="posthog",
    tables=("events", "signups"),
    detected_tables=("events",),
    shape="PostHog events (CSV or JSON lines with event, distinct_id, timestamp)",
    recognises=_recognises,
    read=read,
    needs=(("signups", "event"),),
)
