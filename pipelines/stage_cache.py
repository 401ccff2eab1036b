"""Staged tables kept beside a built file, so that a rebuild re-reads only the exports that changed.

    <dir>/<stem>.stage/<table>-<key>/valid.parquet   valid_<table>: its rows after reading and validation
                                     rejects.parquet its rejects (structural, validation, duplicates, orphans)
                                     reads.json      per file: encoding, rows read, notes (for `sources`)

A table's key is a sha256 over everything that decides what reading and validating it gives:
- the sha256 of each of its files (the one `sources` records: never size or modification time), and
  what the workspace tells the reader about each (name, format, compression, adapter, time zone, file
  order, `event`, `annual_hours`, the config's as_of and zone);
- the code that reads and validates (a digest of pipelines/read.py, validate.py, contract.py,
  macros.sql, build.py, adapters/ and this module), STAGE_VERSION, and the versions of the libraries
  that parse (DuckDB, pyarrow, icalendar);
- the keys of the tables it depends on: attendees on meetings (an attendee of an unknown meeting is an
  orphan reject), and a table read by a tool adapter on sign-ups and events (a calendar expands its
  series up to the latest sign-up or event when the config sets no as_of).
Nothing else of the config reaches reading: a changed KPI target reuses every staged table.

A build writes the entries of the tables it read into a pending folder, and moves them in only once
the new file has been swapped in; it then prunes every entry this build did not use. A failed build
removes its pending folder, so it never leaves an entry behind; an entry is a folder moved in with
one rename, so a reader never sees half of one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import json
import re
import shutil
import uuid
from concurrent.futures import Future
from pathlib import Path

from pipelines.contract import OUTCOME_TABLES, TABLES
from pipelines.read import FileRead
from pipelines.workspace import SourceFile

# Bump when what an entry holds changes shape (its files, its columns).
STAGE_VERSION = 1
_PIPELINES = Path(__file__).resolve().parent
_CODE = ("read.py", "validate.py", "contract.py", "macros.sql", "build.py", "stage_cache.py")
_LIBRARIES = ("duckdb", "pyarrow", "icalendar", "recurring-ical-events")
_ENTRY = re.compile(r"(?P<table>[a-z_]+)-(?P<key>[0-9a-f]{64})")
_PENDING_PREFIX = "pending-"
_ENTRY_FILES = ("valid.parquet", "rejects.parquet", "reads.json")


def stage_dir(out: Path) -> Path:
    """Where the staged tables of the built file `out` are kept: `<dir>/<stem>.stage`."""
    out = Path(out)
    return out.with_name(f"{out.stem}.stage")


def _code_digest() -> str:
    digest = hashlib.sha256(f"stage {STAGE_VERSION}\n".encode())
    paths = [_PIPELINES / name for name in _CODE] + sorted((_PIPELINES / "adapters").rglob("*.py"))
    for path in paths:
        digest.update(f"{path.relative_to(_PIPELINES).as_posix()}\0".encode())
        digest.update(path.read_bytes())
    for library in _LIBRARIES:
        try:
            version = importlib.metadata.version(library)
        except importlib.metadata.PackageNotFoundError:
            version = None
        digest.update(f"{library}={version}\n".encode())
    return digest.hexdigest()


def dependencies(table: str, files: dict[str, list[SourceFile]]) -> list[str]:
    """The tables whose staged rows (or raw rows) reading and validating `table` looks at."""
    found = []
    parent = TABLES[table].parent
    if parent and parent in files:
        found.append(parent)
    # Tool adapters may look at raw sign-ups and events (pipelines/adapters/base.py: as_of_bound).
    if table not in OUTCOME_TABLES and any(f.adapter != "canonical" for f in files[table]):
        found += [t for t in OUTCOME_TABLES if t in files]
    return found


def _reads_outcome_raw(table: str, files: dict[str, list[SourceFile]]) -> bool:
    return any(dep in OUTCOME_TABLES for dep in dependencies(table, files))


def _stat(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def _describe(source: SourceFile, sha256: str) -> dict:
    """What the reader is told about one file, with its content hash in place of its path."""
    fields = dataclasses.asdict(source)
    del fields["path"]
    fields["group"] = [Path(p).name for p in source.group]
    fields["sha256"] = sha256
    return fields


class Stage:
    """The staged tables of one build: which to reuse, and the entries of those it reads."""

    def __init__(self, out: Path, files: dict[str, list[SourceFile]]):
        self.folder = stage_dir(out)
        self.files = files
        self.hashes: dict[Path, Future] = {}
        self.keys: dict[str, str] = {}
        self.reuse: dict[str, Path] = {}
        self.pending = self.folder / f"{_PENDING_PREFIX}{uuid.uuid4().hex[:12]}"
        self._code = _code_digest()
        # Taken before any file is hashed or read: a file that changes during the build is not staged.
        self._stats = {f.path: _stat(f.path) for fs in files.values() for f in fs}
        self._candidates = self._same_sizes()

    def _same_sizes(self) -> set[str]:
        """Tables with an entry made from files of the same names and sizes: only these are worth
        waiting for a hash (a file whose size changed has changed)."""
        if not self.folder.is_dir():
            return set()
        found = set()
        for entry in self.folder.iterdir():
            match = _ENTRY.fullmatch(entry.name)
            if not match or match["table"] not in self.files:
                continue
            sizes = [(f.name, self._stats[f.path][0]) for f in self.files[match["table"]]]
            try:
                meta = json.loads((entry / "reads.json").read_text())
                if [(m["name"], m["bytes"]) for m in meta["files"]] == sizes:
                    found.add(match["table"])
            except (OSError, ValueError, KeyError, TypeError):
                continue  # not an entry this code wrote: never trusted, pruned by the next good build
        return found

    def hash_order(self) -> list[Path]:
        """Every file once, those of tables that may be reused first: their hashes decide the plan."""
        paths = [f.path for table in TABLES if table in self.files for f in self.files[table]]
        first = [f.path for table in TABLES if table in self._candidates for f in self.files[table]]
        return list(dict.fromkeys(first + paths))

    def key(self, table: str) -> str:
        """The table's key; waits for the hashes of its files (and of those it depends on)."""
        if table not in self.keys:
            described = [_describe(f, self.hashes[f.path].result()) for f in self.files[table]]
            deps = {dep: self.key(dep) for dep in dependencies(table, self.files)}
            text = json.dumps(
                {"code": self._code, "table": table, "files": described, "depends_on": deps},
                sort_keys=True,
                default=str,
            )
            self.keys[table] = hashlib.sha256(text.encode()).hexdigest()
        return self.keys[table]

    def entry(self, table: str) -> Path:
        return self.folder / f"{table}-{self.key(table)}"

    def plan(self, hashes: dict[Path, Future]):
        """Decide, before anything is read, which tables come from their staged entry."""
        self.hashes = hashes
        for table in [t for t in TABLES if t in self.files]:
            deps = dependencies(table, self.files)
            if table not in self._candidates or any(dep not in self.reuse for dep in deps):
                continue
            if all((self.entry(table) / name).is_file() for name in _ENTRY_FILES):
                self.reuse[table] = self.entry(table)
        # A tool adapter that reads again needs the raw sign-ups and events read before it: read those
        # again too (their entries stay valid; the rows read are the same).
        if any(t not in self.reuse and _reads_outcome_raw(t, self.files) for t in self.files):
            for table in OUTCOME_TABLES:
                self.reuse.pop(table, None)

    def restore(self, con, table: str) -> list[FileRead]:
        """valid_<table> and its rejects from the table's entry; the FileRead of each of its files."""
        entry = self.reuse[table]
        # A view, not a copy: the models stream the staged rows from their file, whatever their size.
        # Made through the relation API, so that no path is written into SQL text; dropped before the
        # built file is closed (pipelines/build.py drops every scratch table and view).
        con.read_parquet(str(entry / "valid.parquet")).create_view(f"valid_{table}")
        con.execute("insert into rejects select * from read_parquet(?)", [str(entry / "rejects.parquet")])
        meta = json.loads((entry / "reads.json").read_text())
        return [
            FileRead(
                source,
                encoding=item["encoding"],
                rows_read=item["rows_read"],
                notes=list(item["notes"]),
                empty_note=item["empty_note"],
            )
            for source, item in zip(self.files[table], meta["files"], strict=True)
        ]

    def write(self, con, table: str, reads: list[FileRead]):
        """Write the entry of a table this build read into the pending folder (moved in by publish)."""
        if (self.entry(table) / "reads.json").is_file():
            return  # read again only for a tool adapter's sake: its entry holds the same rows
        if any(_stat(f.path) != self._stats[f.path] for f in self.files[table]):
            return  # changed while it was read: its rows may not be those of the hash
        entry = self.pending / self.entry(table).name
        entry.mkdir(parents=True)
        con.execute(f"copy valid_{table} to ? (format parquet)", [str(entry / "valid.parquet")])
        con.execute(
            "copy (select * from rejects where table_name = ?) to ? (format parquet)",
            [table, str(entry / "rejects.parquet")],
        )
        files = [
            {
                "name": r.source.name,
                "bytes": self._stats[r.source.path][0],
                "sha256": self.hashes[r.source.path].result(),
                "encoding": r.encoding,
                "rows_read": r.rows_read,
                "notes": list(r.notes),
                "empty_note": r.empty_note,
            }
            for r in reads
            if r.source.table == table
        ]
        (entry / "reads.json").write_text(json.dumps({"table": table, "key": self.key(table), "files": files}))

    def publish(self):
        """Move this build's new entries in and prune every entry it did not use (after the swap)."""
        if self.pending.is_dir():
            for entry in self.pending.iterdir():
                target = self.folder / entry.name
                if target.exists():
                    shutil.rmtree(entry)  # the same key: the same rows
                else:
                    entry.rename(target)
        used = {f"{table}-{self.key(table)}" for table in self.files}
        if self.folder.is_dir():
            for path in self.folder.iterdir():
                if path.name not in used:
                    # Stale keys, and pending folders of builds that were killed (builds are serialised).
                    shutil.rmtree(path) if path.is_dir() else path.unlink()

    def discard(self):
        """A failed build leaves nothing: its pending entries go, and a folder it created too."""
        shutil.rmtree(self.pending, ignore_errors=True)
        try:
            self.folder.rmdir()  # only when empty
        except OSError:
            pass
