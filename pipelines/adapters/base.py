"""What every adapter shares: a file's shape (sniffed from its head), and the ways an adapter hands rows
to the pipeline.

An adapter turns one real export into rows of a canonical raw table (`raw_<table>`: all text, the
editor line where each record starts, the source's zone), so that typing, rejects and duplicates stay
generic (pipelines/validate.py). It converts only what the canonical reader could not read: a
timestamp syntax of its own (Jira's `3/Nov/20 12:17`), a status code, a value buried in a nested
field. A value it cannot convert is passed through unchanged, so validation rejects it with the value
the user sees in the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import gzip
import io
import json
import zipfile
import zoneinfo
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from pipelines import read as read_module
from pipelines.read import FileRead, normalise_header

if TYPE_CHECKING:
    from pipelines.contract import Table
    from pipelines.workspace import SourceFile

_HEAD_BYTES = 1 << 18
# A JSON document (not JSON lines) is parsed whole to see its shape; past this size it is not sniffed.
_MAX_JSON_DOCUMENT = 256 << 20
EXPORT_SUFFIXES = (".csv", ".tsv", ".txt", ".json", ".jsonl", ".ndjson", ".ics", ".zip", ".parquet")


@dataclass(frozen=True)
class Sniff:
    """A file's shape, from its head: what detection looks at."""

    name: str
    kind: str | None  # csv | json (a document) | jsonl | ics | zip | parquet | None (not an export)
    headers: tuple[str, ...] = ()  # CSV and Parquet: normalised header names, in file order
    keys: frozenset[str] = frozenset()  # JSON: keys of the first record (normalised)
    container: str | None = None  # a JSON document: the key of its list of records ("" for a bare array)
    record: dict | None = None  # JSON: the first record as parsed

    def has(self, *names: str) -> bool:
        """Every name is a CSV header or a key of the first JSON record."""
        present = set(self.headers) | self.keys
        return all(name in present for name in names)


@dataclass(frozen=True)
class Adapter:
    name: str
    tables: tuple[str, ...]  # tables it can feed when named in [sources]
    detected_tables: tuple[str, ...]  # tables it feeds when chosen by shape (sign-ups need `event`)
    shape: str  # what it recognises, in words: named when no adapter recognises a file
    recognises: Callable[[Sniff], bool]
    read: Callable[[duckdb.DuckDBPyConnection, Table, SourceFile], FileRead]
    # Keys of [sources] it needs for a table: ("signups", "event") = sign-ups need `event`.
    needs: tuple[tuple[str, str], ...] = field(default=())


def sniff(path: Path, name: str | None = None) -> Sniff:
    """The shape of the file at `path`; never raises for an unreadable file (kind None).

    Cached by path, size and modification time: the app asks which file feeds which table every few
    seconds, and a JSON document may have to be parsed whole to find its first record."""
    try:
        stat = path.stat()
    except OSError:
        return Sniff(name or path.name, None)
    return _sniff(path, name or path.name, stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=256)
def _sniff(path: Path, name: str, _size: int, _mtime_ns: int) -> Sniff:
    suffixes = [s.lower() for s in path.suffixes]
    compressed = bool(suffixes) and suffixes[-1] == ".gz"
    suffix = ([""] + (suffixes[:-1] if compressed else suffixes))[-1]
    try:
        if suffix == ".zip":
            return _sniff_zip(path, name)
        if suffix == ".parquet":
            headers = tuple(normalise_header(n) for n in pq.read_schema(path).names)
            return Sniff(name, "parquet", headers=headers)
        head = _head(path, compressed)
    except (OSError, EOFError, zipfile.BadZipFile, ValueError):
        return Sniff(name, None)
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    if suffix == ".ics" or text.lstrip()[:15].upper().startswith(("BEGIN:VCALENDAR", "BEGIN:VEVENT")):
        return Sniff(name, "ics")
    if suffix in (".json", ".jsonl", ".ndjson"):
        return _sniff_json(path, name, text, compressed, lines=suffix != ".json")
    if suffix in (".csv", ".tsv", ".txt"):
        return Sniff(name, "csv", headers=tuple(normalise_header(h) for h in first_record(text)))
    return Sniff(name, None)


def _head(path: Path, compressed: bool) -> bytes:
    with (gzip.open(path, "rb") if compressed else open(path, "rb")) as handle:
        return handle.read(_HEAD_BYTES)


def first_record(text: str) -> list[str]:
    """The first non-blank CSV record of `text` (a header), with the delimiter sniffed."""
    try:
        dialect = csv.Sniffer().sniff(text[: 1 << 16], delimiters=",;\t|")
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter, quotechar='"')
    except csv.Error:
        reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for record in reader:
            if record and record != [""]:
                return record
    except csv.Error:
        pass
    return []


def _normalised_keys(record) -> frozenset[str]:
    return frozenset(normalise_header(k) for k in record) if isinstance(record, dict) else frozenset()


def _sniff_json(path: Path, name: str, head: str, compressed: bool, lines: bool) -> Sniff:
    first_line = next((line for line in head.split("\n") if line.strip()), "")
    try:
        record = json.loads(first_line)
        is_line_record = isinstance(record, dict)
    except json.JSONDecodeError:
        is_line_record = False
    if lines or (is_line_record and _has_second_record(head, first_line)):
        return Sniff(name, "jsonl", keys=_normalised_keys(record) if is_line_record else frozenset(),
                     record=record if is_line_record else None)
    try:
        # The head usually holds the first record whole: no need to parse a large document.
        container, record = records_of_head(head)
        return Sniff(name, "json", keys=_normalised_keys(record), container=container, record=record)
    except (json.JSONDecodeError, ValueError, IndexError):
        pass
    if path.stat().st_size > _MAX_JSON_DOCUMENT:
        return Sniff(name, "json")
    try:
        with (gzip.open(path, "rb") if compressed else open(path, "rb")) as handle:
            document = json.loads(handle.read().decode("utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError, OSError, EOFError):
        return Sniff(name, "json")
    container, record = records_of(document)
    return Sniff(name, "json", keys=_normalised_keys(record), container=container, record=record)


def _has_second_record(head: str, first_line: str) -> bool:
    rest = head[head.index(first_line) + len(first_line):]
    second = next((line for line in rest.split("\n") if line.strip()), None)
    return second is not None and second.lstrip().startswith("{")


# Keys under which API responses keep their list of records (Graph `value`, Zendesk `tickets`, …).
CONTAINERS = ("value", "tickets", "ticket_metrics", "issues", "items", "results", "data", "events", "records")


def records_of(document) -> tuple[str | None, dict | None]:
    """Where a JSON document keeps its records: a bare array (""), a list under a known key (`value`,
    `tickets`, …); any other object is one record itself (container None), even when it holds lists of
    objects of its own (an event's `attendees`)."""
    if isinstance(document, list):
        first = next((item for item in document if isinstance(item, dict)), None)
        return "", first
    if isinstance(document, dict):
        for key in CONTAINERS:
            value = document.get(key)
            if isinstance(value, list):
                first = next((item for item in value if isinstance(item, dict)), None)
                return key, first
        return None, document
    return None, None


def records_of_head(head: str) -> tuple[str | None, dict | None]:
    """records_of() from the start of a document: the first record must be complete in `head`."""
    start = _skip_space(head, 0)
    if head[start] == "[":
        _, first = next(json_records(head, ""))
        return "", first if isinstance(first, dict) else None
    decoder = json.JSONDecoder()
    for key in CONTAINERS:
        position = _find_key(head, start, key, decoder)
        if position < len(head) and head[position] == "[":
            first = next((record for _, record in json_records(head[position:], "")), None)
            return key, first if isinstance(first, dict) else None
    raise ValueError("no known container in the head: parse the whole document")


def _sniff_zip(path: Path, name: str) -> Sniff:
    """A zip of (gzipped) JSON lines, as Amplitude exports: the first line of its first member."""
    with zipfile.ZipFile(path) as archive:
        members = sorted(m.filename for m in archive.infolist() if not m.is_dir())
        if not members:
            return Sniff(name, "zip")
        with archive.open(members[0]) as raw:
            stream = gzip.open(raw) if members[0].lower().endswith(".gz") else raw
            line = stream.readline(1 << 20)
    try:
        record = json.loads(line.decode("utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return Sniff(name, "zip")
    return Sniff(name, "zip", keys=_normalised_keys(record), record=record if isinstance(record, dict) else None)


def json_records(text: str, container: str | None) -> Iterator[tuple[int, object]]:
    """(editor line where it starts, record) for each record of a JSON document, in file order.

    `container` is where the records are: "" a bare array, a key of the top-level object, or None for a
    document that is one record. Records are decoded one at a time with the standard decoder, so the
    line of each is exact; a document that is not valid JSON raises json.JSONDecodeError.
    """
    decoder = json.JSONDecoder()
    position = _skip_space(text, 0)
    if container is None:
        record, _ = decoder.raw_decode(text, position)
        yield text.count("\n", 0, position) + 1, record
        return
    if container != "":
        position = _find_key(text, position, container, decoder)
    if position >= len(text) or text[position] != "[":
        return
    line, counted = 1, 0
    position = _skip_space(text, position + 1)
    while position < len(text) and text[position] != "]":
        line += text.count("\n", counted, position)
        counted = position
        record, position = decoder.raw_decode(text, position)
        yield line, record
        position = _skip_space(text, position)
        if position < len(text) and text[position] == ",":
            position = _skip_space(text, position + 1)


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n\ufeff":
        position += 1
    return position


def _find_key(text: str, position: int, key: str, decoder: json.JSONDecoder) -> int:
    """The position of the value of `key` in the object starting at `position` (len(text) if absent)."""
    if text[position] != "{":
        return len(text)
    position = _skip_space(text, position + 1)
    while position < len(text) and text[position] != "}":
        name, position = decoder.raw_decode(text, position)
        position = _skip_space(text, position)
        position = _skip_space(text, position + 1)  # the colon
        if name == key:
            return position
        _, position = decoder.raw_decode(text, position)
        position = _skip_space(text, position)
        if position < len(text) and text[position] == ",":
            position = _skip_space(text, position + 1)
    return len(text)


def text_of(value) -> str | None:
    """A JSON value as the text a raw table holds: strings as they are, numbers as written."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding: UTF-8 (a BOM dropped), or else Windows-1252 (DESIGN.md "Files")."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "windows-1252"


def as_of_bound(con: duckdb.DuckDBPyConnection, source: SourceFile) -> dt.datetime:
    """The instant series are expanded to: the config's as_of, else the latest sign-up or event read so
    far (they are read before every other table), else now. Rows after as_of stay in staging anyway,
    so a bound later than the final as_of only adds rows that count nowhere."""
    zone = zoneinfo.ZoneInfo(source.workspace_timezone or source.timezone)
    as_of = source.as_of
    if isinstance(as_of, dt.datetime):
        return as_of if as_of.tzinfo else as_of.replace(tzinfo=zone)
    if isinstance(as_of, dt.date):
        # A date means to the end of that local day.
        return dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), zone)
    try:
        # Epoch seconds, not a TIMESTAMPTZ: fetching one of those needs pytz (PLATFORM.md).
        latest = con.execute(
            """select max(latest) from (
                select epoch(max(parse_timestamp(signed_up_at, _zone))) as latest from raw_signups
                union all
                select epoch(max(parse_timestamp(occurred_at, _zone))) as latest from raw_events
            )"""
        ).fetchall()[0][0]
    except duckdb.Error:
        latest = None
    return dt.datetime.fromtimestamp(latest, dt.UTC) if latest is not None else dt.datetime.now(dt.UTC)


def insert_rows(con: duckdb.DuckDBPyConnection, table: Table, source: SourceFile, rows: list[list]):
    """Append rows `[line, value of each contract column…]` (text or None) to raw_<table>."""
    read_module._insert_rows(con, table, source, rows)


def insert_select(con, table: Table, source: SourceFile, expressions: dict[str, str], relation: str, params=()):
    """Append `select <expression per contract column> from <relation>` to raw_<table>.

    Expressions are written by adapters over column names they generated (c0, c1, … or JSON paths),
    never over text from the file; `_line` must be among them.
    """
    read_module._insert_from(con, table, source, expressions, relation, list(params))


class Columns:
    """A CSV export's header by normalised name -> the generated column names (`c0`, `c1`, …) holding it;
    a name may repeat (Jira writes one `Labels` column per label)."""

    def __init__(self, headers: list[str]):
        self.positions: dict[str, list[str]] = {}
        for index, header in enumerate(headers):
            self.positions.setdefault(normalise_header(header), []).append(f"c{index}")

    def first(self, *names: str) -> str:
        """The first of `names` the file has, as a column reference, or `null`."""
        for name in names:
            if name in self.positions:
                return self.positions[name][0]
        return "null"

    def all(self, name: str) -> list[str]:
        return self.positions.get(name, [])


def load_csv(con: duckdb.DuckDBPyConnection, source: SourceFile, result: FileRead) -> Columns:
    """Load a CSV export into `seams_export(_line, c0, c1, …)`: see pipelines/read.py."""
    return Columns(read_module.load_text_table(con, source, result))


def plural(number: int, one: str, many: str | None = None) -> str:
    """`1 event`, `2 events`: counts in the notes the Data page shows."""
    return f"{number} {one if number == 1 else many or one + 's'}"


def load_json_lines(
    con: duckdb.DuckDBPyConnection, files: list[tuple[Path, bool]], fields: dict[str, tuple[str, ...]],
    result: FileRead,
) -> None:
    """Load JSON-lines files into the temporary table `seams_json(_line, <field>…)`, all text.

    `fields` names each column and where it is in a record: a top-level key, or a path into a nested
    object (`("properties", "time")`). Files are read in the order given, and `_line` counts on across
    them (the lines of their concatenation), so a zip of several members still has one line per record.
    DuckDB's JSON reader streams a file when every line is one record; a file with blank lines or a
    line that is not JSON is read line by line in Python instead, and each bad line is a reject.
    """
    con.execute("drop table if exists seams_json")
    names = list(fields)
    con.execute(f"create temp table seams_json (_line bigint, {', '.join(f'{n} varchar' for n in names)})")
    offset = 0
    for path, compressed in files:
        lines = _count_lines(path, compressed)
        if not _json_fast(con, path, compressed, fields, offset, lines):
            _json_exact(con, path, compressed, fields, offset, result)
        offset += lines
    result.rows_read = con.execute("select count(*) from seams_json").fetchall()[0][0] + len(result.rejects)


def _count_lines(path: Path, compressed: bool) -> int:
    newlines, last = 0, b"\n"
    with (gzip.open(path, "rb") if compressed else open(path, "rb")) as handle:
        while chunk := handle.read(1 << 22):
            newlines += chunk.count(b"\n")
            last = chunk[-1:]
    return newlines + (0 if last in (b"\n", b"") else 1)


def _json_pointer(path: tuple[str, ...]) -> str:
    return "/" + "/".join(part.replace("~", "~0").replace("/", "~1") for part in path)


def _json_fast(con, path: Path, compressed: bool, fields: dict, offset: int, lines: int) -> bool:
    tops = dict.fromkeys(spec[0] for spec in fields.values())
    nested = {spec[0] for spec in fields.values() if len(spec) > 1}
    # Keys are the adapter's own constants (never text from a file), quoted as SQL literals.
    columns = ", ".join(f"'{top}': '{'JSON' if top in nested else 'VARCHAR'}'" for top in tops)
    aliases = {top: f"k{i}" for i, top in enumerate(tops)}
    renamed = ", ".join(f'"{top}" as {alias}' for top, alias in aliases.items())
    selects = ", ".join(
        aliases[spec[0]] if len(spec) == 1 else f"json_extract_string({aliases[spec[0]]}, '{_json_pointer(spec[1:])}')"
        for spec in fields.values()
    )
    try:
        con.execute("drop table if exists seams_json_file")
        con.execute(
            f"""create temp table seams_json_file as
            select row_number() over () + ? as _line, {selects}
            from (select {renamed} from read_json(?, format = 'newline_delimited', columns = {{{columns}}},
                compression = ?, maximum_object_size = 134217728))""",
            [offset, str(path), "gzip" if compressed else "none"],
        )
    except duckdb.Error:
        return False
    rows = con.execute("select count(*) from seams_json_file").fetchall()[0][0]
    if rows != lines:
        return False  # blank lines: the editor line of each record is not its row number
    con.execute("insert into seams_json select * from seams_json_file")
    return True


def _json_exact(con, path: Path, compressed: bool, fields: dict, offset: int, result: FileRead):
    with (gzip.open(path, "rb") if compressed else open(path, "rb")) as handle:
        text, encoding = decode(handle.read())
    if encoding != "utf-8" and "not valid UTF-8; read as Windows-1252" not in result.notes:
        result.encoding = encoding
        result.notes.append("not valid UTF-8; read as Windows-1252")
    rows = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            result.rejects.append((offset + number, None, read_module.preview(line), f"not valid JSON: {exc.msg}"))
            continue
        if not isinstance(record, dict):
            result.rejects.append((offset + number, None, read_module.preview(line), "not a JSON object"))
            continue
        rows.append([offset + number] + [text_of(_dig(record, spec)) for spec in fields.values()])
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in range(len(fields) + 1)]
    batch = pa.table(
        {"_line": pa.array(columns[0], pa.int64())}
        | {name: pa.array(columns[i + 1], pa.string()) for i, name in enumerate(fields)}
    )
    con.register("seams_json_batch", batch)
    con.execute("insert into seams_json select * from seams_json_batch")
    con.unregister("seams_json_batch")


def _dig(record: dict, path: tuple[str, ...]):
    value = record
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value
