"""Amplitude Export API archive (a zip of gzipped JSON lines, several files per hour) -> events, and
sign-ups with `event` in [sources].

The shape (EXPORT-FORMATS.md "Amplitude"): one event per line with `event_type`, `event_time`
(`2023-01-01 19:02:52.749000`: UTC, though written without `Z`), `user_id` (null for anonymous users),
`device_id`, `amplitude_id`, `$insert_id`, … The members are read in name order by DuckDB's JSON reader
(gzip included), straight from a temporary copy of each member; `line` counts on across members, as if
they were one file (`unzip -p export.zip | zcat`). A plain `.json`, `.jsonl` or `.gz` of the same lines
is read the same way.
- user_id `user_id`, else `device_id` (an anonymous user: such events join no sign-up; counted in the note);
  event `event_type`; occurred_at `event_time` in UTC (whatever the source's `timezone`).
- A repeated event (the same user, event and time: Amplitude may deliver one twice) counts once.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path

from pipelines.adapters.base import Adapter, Sniff, load_json_lines, plural
from pipelines.adapters.stream import insert_stream
from pipelines.read import FileRead

FIELDS = {
    "user_id": ("user_id",),
    "device_id": ("device_id",),
    "event": ("event_type",),
    "occurred_at": ("event_time",),
}


def read(con, table, source) -> FileRead:
    result = FileRead(source, empty_note="no events")
    with tempfile.TemporaryDirectory(prefix="seams-amplitude-") as folder:
        load_json_lines(con, _members(source.path, Path(folder)), FIELDS, result)
    anonymous = con.execute(
        "select count(*) from seams_json where user_id is null and device_id is not null"
    ).fetchall()[0][0]
    con.execute(
        """create or replace temp table seams_stream as
        select _line, coalesce(user_id, device_id) as user_id, event,
            -- Amplitude writes UTC without saying so; an explicit offset is kept as written.
            case when regexp_matches(trim(occurred_at), '(Z|[+-][0-9]{2}:?[0-9]{2})$') then occurred_at
                else trim(occurred_at) || 'Z' end as occurred_at
        from seams_json"""
    )
    insert_stream(con, table, source, result, "seams_stream")
    if table.name == "events" and anonymous:
        result.notes.append(f"{plural(anonymous, 'event')} without user_id: identified by device_id")
    return result


def _members(path: Path, folder: Path) -> list[tuple[Path, bool]]:
    """The JSON-lines files to read, in name order: a zip's members copied out (still compressed)."""
    if not zipfile.is_zipfile(path):
        return [(path, path.suffix.lower() == ".gz")]
    files = []
    with zipfile.ZipFile(path) as archive:
        members = sorted((m for m in archive.infolist() if not m.is_dir()), key=lambda m: m.filename)
        for index, member in enumerate(members):
            compressed = member.filename.lower().endswith(".gz")
            target = folder / f"{index:06d}.json{'.gz' if compressed else ''}"
            with archive.open(member) as raw, open(target, "wb") as out:
                shutil.copyfileobj(raw, out, 1 << 20)
            files.append((target, compressed))
    return files


def _recognises(shape: Sniff) -> bool:
    return shape.kind in ("zip", "jsonl") and shape.has("event_type", "event_time") and (
        shape.has("amplitude_id") or shape.has("device_id") or shape.has("$insert_id")
    )


ADAPTER = Adapter(
    name="amplitude",
    tables=("events", "signups"),
    detected_tables=("events",),
    shape="an Amplitude export (a zip of gzipped JSON lines with event_type, event_time, amplitude_id)",
    recognises=_recognises,
    read=read,
    needs=(("signups", "event"),),
)
