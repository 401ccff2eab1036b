"""Helpers for the adapter tests: read one export through its adapter into raw and typed rows, without
a whole build, so that a test can assert exactly what an adapter hands to validation.

Files come from the real-export corpus (`../shared/corpus/`, README there: provenance and what each file
exercises) or from tests/fixtures/adapters/ (written from the documented formats, EXPORT-FORMATS.md).
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from pipelines import read, validate
from pipelines.build import connect
from pipelines.contract import TABLES
from pipelines.workspace import SourceFile

ROOT = Path(__file__).resolve().parents[1]
# A copy of ../shared/corpus (public exports with their provenance in its README), so CI needs nothing outside.
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "adapters"


@dataclass
class Read:
    raw: list[tuple]  # (_line, contract columns as text…) in file order
    typed: list[tuple]  # (_line, typed contract columns…) of the rows validation keeps
    invalid: list[tuple]  # (_line, column, reason) of the rows validation rejects
    result: read.FileRead


def read_export(
    path: Path,
    table: str,
    adapter: str,
    zone: str = "Europe/London",
    as_of: dt.date | dt.datetime | None = dt.date(2030, 1, 1),
    **options,
) -> Read:
    """Read `path` as `table` with `adapter` (as [sources] would), then type it as validation does."""
    spec = TABLES[table]
    con = connect()
    for each in TABLES.values():
        read.create_raw_table(con, each)
    source = SourceFile(
        table, path, path.name, path.suffix.lstrip("."), path.suffix == ".gz", adapter, zone, 0,
        as_of=as_of, workspace_timezone=options.pop("workspace_timezone", zone), group=options.pop("group", (path,)),
        **options,
    )
    result = read.read_file(con, spec, source)
    columns = ", ".join(spec.column_names)
    raw = con.execute(f"select _line, {columns} from raw_{table} order by _line, rowid").fetchall()
    con.execute(f"create table typed_{table} as {validate.typed_sql(spec)}")
    # Instants as UTC text, to keep expected rows short.
    utc = "strftime(_typed_{} at time zone 'UTC', '%Y-%m-%d %H:%M:%S')"
    typed_columns = ", ".join(
        utc.format(c) if c in spec.timestamp_columns else f"_typed_{c}" for c in spec.column_names
    )
    typed = con.execute(
        f"select _line, {typed_columns} from typed_{table} where _bad_column is null order by _line, rowid"
    ).fetchall()
    invalid = con.execute(
        f"select _line, _bad_column, _bad_reason from typed_{table} where _bad_column is not null order by _line"
    ).fetchall()
    con.close()
    return Read(raw, typed, invalid, result)


def corpus(relative: str) -> Path:
    return CORPUS / relative


def copy_into(workspace: Path, *paths: Path) -> None:
    """Copy export files, byte for byte, into a workspace folder."""
    workspace.mkdir(parents=True, exist_ok=True)
    for path in paths:
        shutil.copyfile(path, workspace / path.name)
