"""Segment messages as JSON lines (an S3 or webhook destination's files, optionally gzipped) -> events,
and sign-ups with `event` in [sources] (`signups = { path = …, adapter = "segment", event = "Signed Up" }`).

The shape (EXPORT-FORMATS.md "Segment", the Segment spec): every message has `type` (track, identify,
page, screen, group, alias), `userId` and/or `anonymousId`, `messageId`, and the ISO 8601 times
`timestamp`, `originalTimestamp`, `sentAt`, `receivedAt`; a track call adds `event` and `properties`.
- Only track calls are events; the other messages (identify, page, …) are left out and counted in the
  note. A sign-up is a track event too (`Signed Up`, as the spec names it).
- user_id `userId`, else `anonymousId` (an anonymous visitor: counted in the note); event `event`;
  occurred_at `timestamp` (Segment's corrected time, the one to use when order matters), else
  `originalTimestamp`, else `receivedAt`.
Read by DuckDB's JSON reader, as the other streams are (pipelines/adapters/base.py `load_json_lines`).
"""

from __future__ import annotations

from pipelines.adapters.base import Adapter, Sniff, load_json_lines, plural
from pipelines.adapters.stream import insert_stream
from pipelines.read import FileRead

FIELDS = {
    "message_type": ("type",),
    "user_id": ("userId",),
    "anonymous_id": ("anonymousId",),
    "event": ("event",),
    "corrected_at": ("timestamp",),
    "original_at": ("originalTimestamp",),
    "received_at": ("receivedAt",),
}


def read(con, table, source) -> FileRead:
    result = FileRead(source, empty_note="no track events")
    load_json_lines(con, [(source.path, source.path.suffix.lower() == ".gz")], FIELDS, result)
    other, anonymous = con.execute(
        """select count(*) filter (where not is_track),
            count(*) filter (where is_track and user_id is null and anonymous_id is not null)
        from (select *, coalesce(lower(trim(message_type)) = 'track', false) as is_track from seams_json)"""
    ).fetchall()[0]
    con.execute(
        """create or replace temp table seams_stream as
        select _line, coalesce(user_id, anonymous_id) as user_id, event,
            coalesce(corrected_at, original_at, received_at) as occurred_at
        from seams_json where coalesce(lower(trim(message_type)), '') = 'track'"""
    )
    # Rows read are the track calls and the lines that are not JSON; other messages are not events.
    result.rows_read -= other
    insert_stream(con, table, source, result, "seams_stream")
    if table.name == "events":
        kinds = con.execute(
            "select coalesce(lower(trim(message_type)), '(no type)'), count(*) from seams_json "
            "where coalesce(lower(trim(message_type)), '') <> 'track' group by 1 order by 2 desc, 1"
        ).fetchall()
        if kinds:
            detail = ", ".join(f"{n} {kind}" for kind, n in kinds)
            result.notes.append(f"{plural(other, 'message')} left out, not track calls ({detail})")
        if anonymous:
            result.notes.append(f"{plural(anonymous, 'event')} without userId: identified by anonymousId")
    return result


def _recognises(shape: Sniff) -> bool:
    return shape.kind == "jsonl" and shape.has("type") and (shape.has("userid") or shape.has("anonymousid")) and (
        shape.has("messageid") or shape.has("timestamp") or shape.has("receivedat")
    )


ADAPTER = Adapter(
    name="segment",
    tables=("events", "signups"),
    detected_tables=("events",),
    shape="Segment messages (JSON lines with type, userId or anonymousId, messageId, timestamp)",
    recognises=_recognises,
    read=read,
    needs=(("signups", "event"),),
)
