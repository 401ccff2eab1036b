"""Reads export files, as they are, into raw text tables: one `raw_<table>` per canonical table.

Every value arrives as text, so that a bad value becomes a reject in validation instead of failing
the whole read (PLATFORM.md: the sniffer types from a sample and aborts on the first misfit). Each raw
row carries the file it came from and the line an editor shows for the start of its record.

Clean CSV files (one record per line, valid UTF-8) go through DuckDB's reader; a file with
multi-line records, broken records or another encoding is read by Python's csv module instead,
which knows exactly where each record starts. Structural problems (a record with the wrong number
of fields, invalid JSON) are rejects at this stage.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

from pipelines.config import WorkspaceError
from pipelines.contract import Table

if TYPE_CHECKING:
    from pipelines.workspace import SourceFile

_VALUE_PREVIEW = 200


@dataclass
class FileRead:
    """What reading one file produced, before validation."""

    source: SourceFile
    encoding: str = "utf-8"
    rows_read: int = 0
    notes: list[str] = field(default_factory=list)
    # Structural rejects: (line, column, value, reason).
    rejects: list[tuple[int, str | None, str | None, str]] = field(default_factory=list)
    # What the Data page says of a file that gave no rows (an adapter says "no events", say).
    empty_note: str = "header only: no rows"


def normalise_header(name: str) -> str:
    """`User ID`, ` user-id ` and `USER_ID` all name `user_id` (DESIGN.md "Headers")."""
    return re.sub(r"[\s\-]+", "_", name.strip().lstrip("\ufeff").strip()).lower()


def create_raw_table(con: duckdb.DuckDBPyConnection, table: Table):
    columns = ", ".join(f"{c} varchar" for c in table.column_names)
    con.execute(
        f"create or replace table raw_{table.name} "
        f"(_file varchar, _file_order integer, _line bigint, _zone varchar, {columns})"
    )


def read_file(con: duckdb.DuckDBPyConnection, table: Table, source: SourceFile) -> FileRead:
    """Append one file's records to raw_<table>; return its counts and structural rejects."""
    if source.adapter != "canonical":
        from pipelines import adapters  # adapters use this module's readers

        return adapters.ADAPTERS[source.adapter].read(con, table, source)
    result = FileRead(source)
    if source.format == "parquet":
        _read_parquet(con, table, source, result)
    elif source.format == "jsonl":
        _read_jsonl(con, table, source, result)
    elif not _read_csv_fast(con, table, source, result):
        _read_csv_exact(con, table, source, result)
    return result


def _column_map(table: Table, headers: list[str], source: SourceFile) -> dict[str, int]:
    """Contract column -> position in the file; a missing required column is a workspace error."""
    positions: dict[str, int] = {}
    for index, header in enumerate(headers):
        positions.setdefault(normalise_header(header), index)
    missing = [c for c in table.required if c not in positions]
    if missing:
        found = ", ".join(repr(h) for h in headers) or "none"
        tried = f"; no adapter recognised it either (shapes tried: {source.tried})" if source.tried else ""
        raise WorkspaceError(
            f"{source.name}: required column {missing[0]!r} of {table.name} is missing "
            f"(columns found: {found}); add it or rename the header{tried}"
        )
    return {c: positions[c] for c in table.column_names if c in positions}


def _insert_from(con, table: Table, source: SourceFile, select_list: dict[str, str], from_sql: str, params: list):
    """Insert into raw_<table> from a relation whose columns we name ourselves (never file text)."""
    values = ", ".join(f"cast({select_list[c]} as varchar)" if c in select_list else "null" for c in table.column_names)
    con.execute(
        f"insert into raw_{table.name} select ?, ?, {select_list['_line']}, ?, {values} from {from_sql}",
        [source.name, source.order, source.timezone, *params],
    )


def _read_parquet(con, table: Table, source: SourceFile, result: FileRead):
    relation = "read_parquet(?, file_row_number = true)"
    headers = [row[0] for row in con.execute(f"describe select * from {relation}", [str(source.path)]).fetchall()]
    headers = [h for h in headers if h != "file_row_number"]
    positions = _column_map(table, headers, source)
    # Positional references (#n) keep column names from the file out of the SQL text.
    select_list = {c: f"#{i + 1}" for c, i in positions.items()}
    select_list["_line"] = "file_row_number + 1"
    before = _count(con, table)
    _insert_from(con, table, source, select_list, relation, [str(source.path)])
    result.rows_read = _count(con, table) - before
    result.encoding = "parquet"


def _read_csv_fast(con, table: Table, source: SourceFile, result: FileRead) -> bool:
    """DuckDB's reader, for a file whose records are one line each; False if it is not such a file."""
    path = str(source.path)
    try:
        headers = [
            row[0]
            for row in con.execute(
                "describe select * from read_csv(?, all_varchar = true, header = true)", [path]
            ).fetchall()
        ]
    except duckdb.Error:
        return False
    names = [f"c{i}" for i in range(len(headers))]
    relation = (
        "(select row_number() over () + 1 as _line, * from read_csv(?, all_varchar = true, header = true, "
        "names = ?, store_rejects = true, rejects_table = 'seams_csv_rejects', rejects_scan = 'seams_csv_scans'))"
    )
    try:
        positions = _column_map(table, headers, source)
    except WorkspaceError:
        # The sniffer can misread a file with broken records (one column, wrong delimiter): the exact
        # reader, which sees every record, decides whether a column is really missing.
        return False
    select_list = {c: names[i] for c, i in positions.items()}
    select_list["_line"] = "_line"
    con.execute("begin transaction")
    before = _count(con, table)
    # Lines are counted in Python while DuckDB reads (it releases the GIL): a second pass over the file
    # that costs no time of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        counting = pool.submit(_line_count, source)
        try:
            _insert_from(con, table, source, select_list, relation, [path, names])
        except duckdb.Error:
            con.execute("rollback")
            return False
        lines = counting.result()
    rows = _count(con, table) - before
    broken = con.execute("select count(*) from seams_csv_rejects").fetchone()[0]
    # One record per line (no blank lines, no quoted line breaks): the editor line is row + 1.
    if broken or lines != rows + 1:
        con.execute("rollback")
        return False
    con.execute("commit")
    result.rows_read = rows
    return True


def _open_bytes(source: SourceFile):
    return gzip.open(source.path, "rb") if source.compressed else open(source.path, "rb")


def _line_count(source: SourceFile) -> int:
    """Lines as an editor counts them: newlines, plus one for a last line without a newline."""
    newlines, last = 0, b"\n"
    with _open_bytes(source) as handle:
        while chunk := handle.read(1 << 22):
            newlines += chunk.count(b"\n")
            last = chunk[-1:]
    return newlines + (0 if last in (b"\n", b"") else 1)


def _decode(source: SourceFile, result: FileRead) -> str:
    with _open_bytes(source) as handle:
        data = handle.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # DESIGN.md "Files": a file that is not valid UTF-8 is read as Windows-1252.
        result.encoding = "windows-1252"
        result.notes.append("not valid UTF-8; read as Windows-1252")
        return data.decode("cp1252", errors="replace")


def _dialect(con, source: SourceFile, text: str) -> dict:
    """DuckDB's sniffer where it can read the file; Python's on the decoded text otherwise."""
    try:
        # fetchall, not fetchone: DuckDB 2.0 refuses other work (register) while a result is unfinished.
        delimiter, quote, escape = con.execute(
            "select Delimiter, Quote, Escape from sniff_csv(?, ignore_errors = true)", [str(source.path)]
        ).fetchall()[0]
        # The sniffer reports an absent quote or escape character as "(empty)".
        quote, escape = (None if c in (None, "", "(empty)") else c for c in (quote, escape))
        return {"delimiter": delimiter, "quotechar": quote or '"', "escapechar": escape, "doublequote": True}
    except duckdb.Error:
        pass
    try:
        dialect = csv.Sniffer().sniff(text[: 1 << 16], delimiters=",;\t|")
        return {"delimiter": dialect.delimiter, "quotechar": dialect.quotechar or '"'}
    except csv.Error:
        return {"delimiter": ","}


def _read_csv_exact(con, table: Table, source: SourceFile, result: FileRead):
    """Python's csv module, tracking the editor line where each record starts."""
    text = _decode(source, result)
    reader = csv.reader(io.StringIO(text, newline=""), **_dialect(con, source, text))
    rows: list[list] = []
    headers: list[str] | None = None
    next_line = 1
    try:
        for record in reader:
            start, next_line = next_line, reader.line_num + 1
            if not record or record == [""]:
                continue  # a blank line is not a record
            if headers is None:
                headers = record
                positions = _column_map(table, headers, source)
                continue
            result.rows_read += 1
            if len(record) != len(headers):
                result.rejects.append(
                    (start, None, preview(",".join(record)), f"expected {len(headers)} fields, found {len(record)}")
                )
                continue
            # An empty field is null, as DuckDB's reader makes it, whichever reader a file takes.
            rows.append(
                [start] + [record[positions[c]] or None if c in positions else None for c in table.column_names]
            )
    except csv.Error as exc:
        result.rows_read += 1
        result.rejects.append((next_line, None, None, f"unreadable CSV from here on: {exc}"))
    if headers is None:
        raise WorkspaceError(f"{source.name}: the file is empty; a CSV export needs a header row")
    _insert_rows(con, table, source, rows)


def _read_jsonl(con, table: Table, source: SourceFile, result: FileRead):
    text = _decode(source, result)
    rows, seen_keys = [], set()
    # Lines end at a line feed (CRLF or LF), as an editor counts them: str.splitlines would also
    # split at U+2028 or U+0085, which JSON allows inside a string and an editor does not break at.
    for line_number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        result.rows_read += 1
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            result.rejects.append((line_number, None, preview(line), f"not valid JSON: {exc.msg}"))
            continue
        if not isinstance(record, dict):
            result.rejects.append((line_number, None, preview(line), "not a JSON object"))
            continue
        values = {normalise_header(k): v for k, v in record.items()}
        seen_keys.update(values)
        rows.append([line_number] + [_json_text(values.get(c)) for c in table.column_names])
    if result.rows_read:
        _column_map(table, sorted(seen_keys), source)
    _insert_rows(con, table, source, rows)


def _json_text(value) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value) if isinstance(value, (dict, list, bool)) else str(value)


def _insert_rows(con, table: Table, source: SourceFile, rows: list[list]):
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in range(len(table.column_names) + 1)]
    batch = pa.table(
        {"_line": pa.array(columns[0], pa.int64())}
        | {c: pa.array(columns[i + 1], pa.string()) for i, c in enumerate(table.column_names)}
    )
    con.register("seams_batch", batch)
    select_list = {c: c for c in table.column_names} | {"_line": "_line"}
    _insert_from(con, table, source, select_list, "seams_batch", [])
    con.unregister("seams_batch")


def _count(con, table: Table) -> int:
    return con.execute(f"select count(*) from raw_{table.name}").fetchone()[0]


def preview(text: str) -> str:
    return text if len(text) <= _VALUE_PREVIEW else text[:_VALUE_PREVIEW] + "…"


def load_text_table(con: duckdb.DuckDBPyConnection, source: SourceFile, result: FileRead) -> list[str]:
    """Load a CSV export, as it is, into the temporary table `seams_export(_line, c0, c1, …)` (all text);
    return its header as written. For adapters, which map columns by position: a header may repeat a
    name (Jira's `Labels`, `Labels`), so names never become SQL identifiers.

    DuckDB reads a clean file; a file with multi-line records, broken records or another encoding is
    read by Python's csv module (records with the wrong number of fields become structural rejects)."""
    con.execute("drop table if exists seams_export")
    text_head = _head_text(source)
    try:
        dialect = _dialect(con, source, text_head)
    except csv.Error:
        dialect = {"delimiter": ","}
    headers = _first_record(text_head, dialect)
    if not headers:
        raise WorkspaceError(f"{source.name}: the file is empty; a CSV export needs a header row")
    names = [f"c{i}" for i in range(len(headers))]
    if not _load_fast(con, source, names, result):
        _load_exact(con, source, headers, result)
    return headers


def _head_text(source: SourceFile) -> str:
    with _open_bytes(source) as handle:
        head = handle.read(1 << 16)
    return head.decode("utf-8-sig", errors="replace")


def _first_record(text: str, dialect: dict) -> list[str]:
    try:
        for record in csv.reader(io.StringIO(text, newline=""), **dialect):
            if record and record != [""]:
                return [name.lstrip("\ufeff") for name in record]
    except csv.Error:
        pass
    return []


def _load_fast(con, source: SourceFile, names: list[str], result: FileRead) -> bool:
    try:
        con.execute(
            "create temp table seams_export as select row_number() over () + 1 as _line, * from read_csv(?, "
            "all_varchar = true, header = true, names = ?, store_rejects = true, "
            "rejects_table = 'seams_csv_rejects', rejects_scan = 'seams_csv_scans')",
            [str(source.path), names],
        )
    except duckdb.Error:
        con.execute("drop table if exists seams_export")
        return False
    rows = con.execute("select count(*) from seams_export").fetchone()[0]
    broken = con.execute("select count(*) from seams_csv_rejects").fetchone()[0]
    if broken or _line_count(source) != rows + 1:
        con.execute("drop table seams_export")
        return False
    result.rows_read = rows
    return True


def _load_exact(con, source: SourceFile, headers: list[str], result: FileRead):
    text = _decode(source, result)
    reader = csv.reader(io.StringIO(text, newline=""), **_dialect(con, source, text))
    rows: list[list] = []
    seen_header, next_line = False, 1
    try:
        for record in reader:
            start, next_line = next_line, reader.line_num + 1
            if not record or record == [""]:
                continue
            if not seen_header:
                seen_header = True
                continue
            result.rows_read += 1
            if len(record) != len(headers):
                result.rejects.append(
                    (start, None, preview(",".join(record)), f"expected {len(headers)} fields, found {len(record)}")
                )
                continue
            rows.append([start] + [value or None for value in record])
    except csv.Error as exc:
        result.rows_read += 1
        result.rejects.append((next_line, None, None, f"unreadable CSV from here on: {exc}"))
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in range(len(headers) + 1)]
    batch = pa.table(
        {"_line": pa.array(columns[0], pa.int64())}
        | {f"c{i}": pa.array(columns[i + 1], pa.string()) for i in range(len(headers))}
    )
    con.register("seams_export_batch", batch)
    con.execute("create temp table seams_export as select * from seams_export_batch")
    con.unregister("seams_export_batch")
