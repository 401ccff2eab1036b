"""Mixpanel raw export (JSON lines, optionally gzipped) -> events, and sign-ups with `event` in [sources].

The shape (EXPORT-FORMATS.md "Mixpanel"): `{"event": "Signed up", "properties": {"time": 1602611311,
"distinct_id": "…", "$insert_id": "…", …}}`, one per line; `time` is epoch seconds (milliseconds with
`time_in_ms`), which the pipeline reads as UTC by its size. Read by DuckDB's JSON reader.
- user_id `properties.$user_id` (ID merge), else `properties.distinct_id`; event `event`;
  occurred_at `properties.time`.
- Projects created before 2023 may have `time` shifted to the project's zone (reported by Fivetran,
  unverified): such epochs are not corrected here.
"""

from __future__ import annotations

from pipelines.adapters.base import Adapter, Sniff, load_json_lines
from pipelines.adapters.stream import insert_stream
from pipelines.read import FileRead

FIELDS = {
    "merged_user_id": ("properties", "$user_id"),
    "distinct_id": ("properties", "distinct_id"),
    "event": ("event",),
    "occurred_at": ("properties", "time"),
}


def read(con, table, source) -> FileRead:
    result = FileRead(source, empty_note="no events")
    load_json_lines(con, [(source.path, source.path.suffix.lower() == ".gz")], FIELDS, result)
    con.execute(
        """create or replace temp table seams_stream as
        select _line, coalesce(merged_user_id, distinct_id) as user_id, event, occurred_at from seams_json"""
    )
    insert_stream(con, table, source, result, "seams_stream")
    return result


def _recognises(shape: Sniff) -> bool:
    properties = (shape.record or {}).get("properties")
    return shape.kind == "jsonl" and shape.has("event", "properties") and isinstance(properties, dict) and (
        "time" in properties
    )


ADAPTER = Adapter(
    name="mixpanel",
    tables=("events", "signups"),
    detected_tables=("events",),
    shape="a Mixpanel export (JSON lines of event and properties.time)",
    recognises=_recognises,
    read=read,
    needs=(("signups", "event"),),
)
