"""Builds a workspace into one DuckDB file holding the outcome view.

    python -m pipelines.build WORKSPACE_DIR --out FILE.duckdb

Layers: raw text tables (pipelines/read.py) -> typed and validated, duplicates removed
(pipelines/validate.py) -> staging models -> intermediate models -> marts (pipelines/models/).
The build writes a new file beside FILE and swaps it in with one rename, so a reader never sees half
a build and a failed build leaves the last good FILE serving. The last N good builds are kept beside
FILE for links pinned to a build, and every build, good or failed, is recorded in their history
(pipelines/builds.py). Exit status: 0 built, 2 the workspace cannot be built (the message names the
file and what to fix), 1 anything else.

The validated rows of each table are kept beside FILE (`<stem>.stage/`), keyed by the hashes of the
files that feed it, so that a rebuild re-reads only the exports that changed (pipelines/stage_cache.py),
and runs only the models downstream of them, in a copy of the last build (pipelines/model_plan.py).
DuckDB works within a memory limit and spills to a folder beside FILE, removed afterwards: 1.5 GiB (or
60% of the machine's memory if less), or SEAMS_MEMORY_LIMIT (`8GB`, `512MiB`, or a share such as `50%`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import fcntl
import os
import re
import shutil
import sys
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines import builds, checks, cli, model_plan, read, stage_cache, validate
from pipelines import config as config_module
from pipelines import workspace as workspace_module
from pipelines.config import Config, WorkspaceError
from pipelines.contract import TABLES

MACROS = Path(__file__).parent / "macros.sql"
# Dependency order. Each file is one `select`; the runner adds `create table <file name> as`.
MODEL_ORDER = [
    "staging/stg_signups",
    "staging/stg_events",
    "staging/stg_tickets",
    "staging/stg_demos",
    "staging/stg_issues",
    "staging/stg_meetings",
    "staging/stg_attendees",
    "staging/stg_people",
    "staging/stg_org_changes",
    "intermediate/as_of",
    "intermediate/function_rows",  # assembled from the config: pipelines/kpis.py
    "intermediate/weeks",
    "intermediate/signup_outcomes",
    "intermediate/meeting_exclusions",
    "intermediate/meeting_attendance",
    "intermediate/coordination_meetings",
    "marts/function_weekly",
    "marts/function_streaks",
    "marts/outcome_cohorts",
    "marts/function_outcome_pairs",
    "marts/function_outcome_lag",
    "marts/outcome_breakdown",
    "marts/activation_times",
    "marts/coordination_weekly",
    "marts/coordination_series",
    "marts/seam_matrix",
    "marts/signature_weekly",
    "marts/over_collaboration_weekly",
    "marts/org_changes",
    "marts/org_change_comparison",
]
# Tables that only exist while building, in memory: never written to the built file.
_SCRATCH_PREFIXES = ("raw_", "typed_", "dropped_", "valid_")


@dataclass(frozen=True)
class BuildResult:
    build_id: str
    out: Path
    seconds: float
    model_seconds: dict[str, float]
    rows_rejected: int
    as_of: dt.date | None = None
    reused: tuple[str, ...] = ()  # tables taken from their staged entry instead of read again


Progress = Callable[[str], None]  # told each step of a build as it starts ("Reading the exports")


def build(workspace_dir: Path, out: Path, progress: Progress | None = None) -> BuildResult:
    """Build `workspace_dir` into `out`; raises WorkspaceError, leaving `out` untouched, on failure.

    Either way the build is recorded in the history beside `out`; a good one is kept there too, and
    kept builds beyond `[builds] keep` are pruned.
    """
    started = time.perf_counter()
    started_at = builds.now_iso()
    workspace_dir = Path(workspace_dir)
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    known: dict = {}  # what the history records of a failure: the workspace's fingerprint, once known
    with _build_lock(out):
        try:
            result = _build_and_swap(workspace_dir, out, progress or _no_progress, started, known)
        except Exception as exc:
            builds.record(
                out,
                builds.Record(
                    "failed", started_at, round(time.perf_counter() - started, 3), str(workspace_dir.resolve()),
                    error=str(exc) if isinstance(exc, WorkspaceError) else f"{type(exc).__name__}: {exc}",
                    fingerprint=known.get("fingerprint"),
                ),
            )
            raise
        builds.record(
            out,
            builds.Record(
                "ok", started_at, round(result.seconds, 3), str(workspace_dir.resolve()), build_id=result.build_id,
                as_of=result.as_of.isoformat() if result.as_of else None, rows_rejected=result.rows_rejected,
                fingerprint=known.get("fingerprint"),
            ),
        )
        builds.prune(out, known["keep"])
    return result


def _no_progress(_step: str):
    pass


def _build_and_swap(workspace_dir: Path, out: Path, progress: Progress, started: float, known: dict) -> BuildResult:
    if not workspace_dir.is_dir():
        raise WorkspaceError(f"{workspace_dir}: not a folder; a workspace is a folder of exports with a seams.toml")
    progress("Reading the config and finding the exports")
    config = config_module.load(workspace_dir)
    known["keep"] = config.builds.keep
    files = workspace_module.discover(workspace_dir, config)
    known["fingerprint"] = workspace_module.fingerprint(workspace_dir, files)
    tmp = out.with_name(f"{out.name}.{uuid.uuid4().hex[:8]}.tmp")
    stage = stage_cache.Stage(out, files)
    try:
        try:
            result = _build_into(tmp, out, workspace_dir, config, files, started, progress, stage)
        except duckdb.OutOfMemoryException as exc:
            # DuckDB spills to disk beyond its memory limit, as long as that disk has room.
            raise WorkspaceError(
                f"{workspace_dir}: the build needed more than its memory limit ({memory_limit()}) and the disk "
                f"holding {out.parent} had no room left to spill to; free disk space there, or raise "
                "SEAMS_MEMORY_LIMIT (for example 8GB or 60%), and build again — the previous build keeps serving"
            ) from exc
        progress("Swapping the new build in")
        # Kept before the swap: a link pinned to this build resolves as soon as anyone can see it.
        kept = builds.keep(out, tmp, result.build_id)
        try:
            # A writer killed earlier may have left a log that no longer matches the new file.
            Path(f"{out}.wal").unlink(missing_ok=True)
            os.replace(tmp, out)
        except BaseException:
            kept.unlink(missing_ok=True)
            raise
    except BaseException:
        stage.discard()
        raise
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
    try:
        stage.publish()
    except OSError:
        # The build is in and good; staged tables only save time, and a missing one is read again.
        stage.discard()
    return BuildResult(
        result.build_id, out, time.perf_counter() - started, result.model_seconds, result.rows_rejected, result.as_of,
        tuple(stage.reuse),
    )


@contextmanager
def _build_lock(out: Path):
    """One build at a time per output file, across processes (the app and the command line)."""
    # "a": taking the lock leaves the lock file (and its time) as it was.
    with open(f"{out}.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def connect(path: Path | str = ":memory:", settings: dict | None = None) -> duckdb.DuckDBPyConnection:
    # Settings go in as the connection's config, never as SQL text (a temp folder is a path).
    con = duckdb.connect(str(path), config=settings or {})
    # Deterministic output whatever the machine's zone; zones are always explicit in the models.
    con.execute("set TimeZone = 'UTC'")
    # DuckDB 2.0.x can push a cast into read_csv and fail a whole read on one bad value (duckdb#23818).
    con.execute("set disabled_optimizers = 'type_pushdown'")
    con.execute(MACROS.read_text())
    return con


# The app rebuilds inside its own server process, so a build takes little memory unless told
# otherwise: 1.5 GiB keeps a scale-1 build (1M sign-ups, 15M events) under 2 GB of peak RSS, and a
# bigger workspace spills to disk. More memory builds faster (README, "Benchmark").
DEFAULT_MEMORY_LIMIT = 1536 << 20


def memory_limit() -> str:
    """DuckDB's memory limit for a build: SEAMS_MEMORY_LIMIT (`8GB`, `512MiB`, or `50%` of the machine's
    memory), else 1.5 GiB or 60% of the machine's memory if that is less, so that a big workspace
    spills to disk instead of failing and the app and the system keep the rest."""
    text = os.environ.get("SEAMS_MEMORY_LIMIT", "").strip()
    if not text:
        return f"{min(int(_machine_memory() * 0.6), DEFAULT_MEMORY_LIMIT) >> 20}MiB"
    share = re.fullmatch(r"(\d+(?:\.\d+)?)\s*%", text)
    if share and 0 < float(share[1]) <= 100:
        return f"{int(_machine_memory() * float(share[1]) / 100) >> 20}MiB"
    if re.fullmatch(r"\d+(\.\d+)?\s*([KMGT]i?B|B)", text, re.IGNORECASE):
        return text
    raise WorkspaceError(
        f"SEAMS_MEMORY_LIMIT={text!r}: expected a size such as 8GB or 512MiB, or a share of memory such as 50%"
    )


def _machine_memory() -> int:
    """Bytes of memory this process may use: the machine's, or its container's limit when lower."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
    except OSError:
        return memory
    return min(memory, int(limit)) if limit.isdigit() else memory


def _build_into(
    tmp: Path,
    out: Path,
    root: Path,
    config: Config,
    files: dict,
    started: float,
    progress: Progress,
    stage: stage_cache.Stage,
) -> BuildResult:
    # Beside the output, so that spilling uses the disk that will hold the build; removed afterwards.
    spill = Path(f"{tmp}.spill")
    # Reading and validating run in memory (spilling when they must): their scratch tables, written
    # to the file and dropped again, cost half the build's time. The models are written to `tmp`.
    con = connect(":memory:", {"memory_limit": memory_limit(), "temp_directory": str(spill)})
    try:
        timings: dict[str, float] = {}
        _write_config_tables(con, config)
        models = model_plan.models(MODEL_ORDER, config)
        key = model_plan.models_key(con, models, list(files))
        with ThreadPoolExecutor(max_workers=1) as pool:
            # Hashing runs beside DuckDB's reading (hashlib releases the GIL on large buffers); files
            # of tables that may be reused are hashed first, since their hashes decide what is read.
            hashes = {path: pool.submit(workspace_module.file_sha256, path) for path in stage.hash_order()}
            stage.plan(hashes)
            changed = _start_file(con, tmp, out, key, stage)
            reads = read_and_validate(con, config, files, timings, stage, progress)
            t0 = time.perf_counter()
            for table in files:
                if table not in stage.reuse:
                    stage.write(con, table, reads)
            timings["stage/write"] = time.perf_counter() - t0
            progress(f"Running the models downstream of {len(changed)} changed tables" if changed is not None
                     else f"Running {len(models)} models")
            # From here on new tables go to the file; names not found there are looked up in memory.
            con.execute("use built")
            con.execute("set search_path = 'built.main,memory.main'")
            _run_models(con, models, timings, changed)
            build_id = _write_build_tables(
                con, root, config, files, reads, {p: h.result() for p, h in hashes.items()}, started, key
            )
        t0 = time.perf_counter()
        _persist(con)
        timings["write"] = time.perf_counter() - t0
        progress("Checking the built data")
        failures = checks.run(con)
        if failures:
            raise RuntimeError("the built data failed its own checks: " + "; ".join(failures))
        rejected = con.execute("select count(*) from rejects").fetchone()[0]
        as_of = con.execute("select as_of_date from build_info").fetchone()[0]
        con.execute("checkpoint built")
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)
    return BuildResult(build_id, tmp, time.perf_counter() - started, timings, rejected, as_of)


def _start_file(con, tmp: Path, out: Path, key: str, stage: stage_cache.Stage) -> set[str] | None:
    """Attach the new file as `built`. Return None for a new file, where every model runs; or, when
    only some exports changed and the last build ran the same models (pipelines/model_plan.py), the
    tables read again, for a copy of the last build in which only the models downstream of them run."""
    if not (stage.reuse and model_plan.previous_key(con, out) == key):
        con.execute("attach ? as built", [str(tmp)])
        return None
    shutil.copyfile(out, tmp)
    con.execute("attach ? as built", [str(tmp)])
    models = {m.split("/")[-1] for m in MODEL_ORDER}
    for (name,) in con.execute("select table_name from duckdb_tables() where database_name = 'built'").fetchall():
        if name not in models:
            con.execute(f"drop table built.main.{name}")  # config, rejects, sources, build_info: made anew
    return {f"valid_{t}" for t in stage.files if t not in stage.reuse}


def _persist(con):
    """Copy what the build keeps of its in-memory tables (config and rejects) into the file; the
    scratch tables of reading and validation stay behind and go when the connection closes."""
    names = con.execute(
        "select table_name from duckdb_tables() where database_name = 'memory' order by table_oid"
    ).fetchall()
    for (name,) in names:
        if not name.startswith(_SCRATCH_PREFIXES):
            con.execute(f"create table built.main.{name} as select * from memory.main.{name}")


def _write_config_tables(con, config: Config):
    ws = config.workspace
    as_of = ws.as_of
    is_end_of_day = isinstance(as_of, dt.date) and not isinstance(as_of, dt.datetime)
    if is_end_of_day:
        # A date means "to the end of that day": the next local midnight (rows at it are the next day's).
        as_of = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())
    aware = as_of is not None and as_of.tzinfo is not None
    con.execute(
        """create table cfg_workspace as select
            ?::varchar as name, ?::varchar as timezone, ?::integer as week_start_isodow, ?::varchar as currency,
            coalesce(?::timestamptz, local_to_instant(?::timestamp, ?::varchar)) as as_of_at,
            ?::boolean as is_as_of_end_of_day, ?::date as start_date""",
        [
            ws.name,
            ws.timezone,
            ws.week_start_isodow,
            ws.currency,
            as_of if aware else None,
            None if aware else as_of,
            ws.timezone,
            is_end_of_day,
            ws.start,
        ],
    )
    o = config.outcome
    con.execute(
        """create table cfg_outcome as select ?::varchar as name, ?::varchar as milestone_event,
            ?::integer as window_days, ?::double as target, ?::integer as stall_weeks, ?::double as stall_min_gain""",
        [o.name, o.milestone_event, o.window_days, o.target, o.stall_weeks, o.stall_min_gain],
    )
    con.execute(
        """create table cfg_functions (function_order integer, function varchar, kpi varchar, table_name varchar,
            date_column varchar, measure varchar, value_column varchar, target double, direction varchar,
            amber_band double)"""
    )
    for i, f in enumerate(config.functions):
        con.execute(
            "insert into cfg_functions values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [i, f.name, f.kpi, f.table, f.date_column, f.measure, f.column, f.target, f.direction, f.amber_band],
        )
    con.execute("create table cfg_org_changes (changed_on date, label varchar)")
    for change in config.org_changes:
        con.execute("insert into cfg_org_changes values (?, ?)", [change.changed_on, change.label])
    c = config.coordination
    con.execute(
        """create table cfg_coordination as select ?::double as over_collaboration_rise,
            ?::integer as min_group_size, ?::integer as broadcast_size, ?::integer as comparison_weeks""",
        [c.over_collaboration_rise, c.min_group_size, c.broadcast_size, c.comparison_weeks],
    )


def read_and_validate(
    con, config: Config, files: dict, timings: dict, stage: stage_cache.Stage, progress: Progress
) -> list[read.FileRead]:
    """Every export read and validated into `valid_<table>` and `rejects` (tables `stage` reuses come
    from their entries); raises WorkspaceError when a required file has no row left. Also the first
    half of a Spark build (pipelines/spark_build.py)."""
    unchanged = f"; {len(stage.reuse)} unchanged tables are reused" if stage.reuse else ""
    progress(f"Reading {sum(len(files[t]) for t in files if t not in stage.reuse)} export files{unchanged}")
    reads = _read_all(con, files, timings, stage)
    progress("Validating rows (rejects, duplicates)")
    _validate_all(con, timings, skip=set(stage.reuse))
    _check_survivors(con, config, reads)
    return reads


def _read_all(con, files: dict, timings: dict, stage: stage_cache.Stage) -> list[read.FileRead]:
    con.execute(
        'create table rejects (file varchar, line bigint, "column" varchar, value varchar, reason varchar, '
        "table_name varchar)"
    )
    reads = []
    for table in TABLES.values():
        t0 = time.perf_counter()
        read.create_raw_table(con, table)
        if table.name in stage.reuse:
            reads += stage.restore(con, table.name)
            timings[f"reuse/{table.name}"] = time.perf_counter() - t0
            continue
        for source in files.get(table.name, []):
            result = read.read_file(con, table, source)
            for line, column, value, reason in result.rejects:
                con.execute(
                    "insert into rejects values (?, ?, ?, ?, ?, ?)",
                    [source.name, line, column, value, reason, table.name],
                )
            reads.append(result)
        timings[f"read/{table.name}"] = time.perf_counter() - t0
    return reads


def _validate_all(con, timings: dict, skip: set[str] = frozenset()):
    for table in TABLES.values():
        t0 = time.perf_counter()
        name = table.name
        if name in skip:
            continue  # staged rows, validated when they were read
        con.execute(f"create table typed_{name} as {validate.typed_sql(table)}")
        con.execute(f"insert into rejects {validate.validation_rejects_sql(table)}")
        con.execute(f"create table dropped_{name} as {validate.dropped_sql(table)}")
        con.execute(f"insert into rejects {validate.dropped_rejects_sql(table)}")
        # Each scratch table goes as soon as it has served (adapters look at raw rows only while
        # reading): at most two copies of a table's rows are held at once.
        con.execute(f"drop table raw_{name}")
        con.execute(f"create table valid_{name} as {validate.valid_sql(table)}")
        con.execute(f"drop table typed_{name}")
        con.execute(f"drop table dropped_{name}")
        if table.parent:
            _reject_orphans(con, table.name, table.parent, table.column_names[0])
        timings[f"validate/{name}"] = time.perf_counter() - t0


def _reject_orphans(con, child: str, parent: str, column: str):
    """Rows that refer to a parent row that does not exist (or was rejected) are rejects."""
    con.execute(
        f"""insert into rejects
        select _file, _line, '{column}', {column},
            'no row in {parent} has this {column} (unknown or rejected)', '{child}'
        from valid_{child} where {column} not in (select {column} from valid_{parent})"""
    )
    con.execute(f"delete from valid_{child} where {column} not in (select {column} from valid_{parent})")


def _check_survivors(con, config: Config, reads: list[read.FileRead]):
    """A non-empty required file of which no row survives fails the build, naming its reject reasons."""
    required = set(workspace_module.required_tables(config))
    for result in reads:
        source = result.source
        if source.table not in required or result.rows_read == 0:
            continue
        loaded = con.execute(f"select count(*) from valid_{source.table} where _file = ?", [source.name]).fetchone()[0]
        if loaded == 0:
            reasons = con.execute(
                "select reason, count(*) from rejects where file = ? group by reason order by 2 desc, 1 limit 3",
                [source.name],
            ).fetchall()
            summary = "; ".join(f"{reason} ({n} rows)" for reason, n in reasons)
            raise WorkspaceError(
                f"{source.name}: none of its {result.rows_read} rows could be read ({summary}); "
                "fix the file and build again — the previous build keeps serving"
            )


# A model run again whose rows are exactly those of the last build changes nothing downstream; the
# comparison is worth its cost only for small tables (weeks, per-week marts).
_COMPARED_ROWS = 200_000


def _run_models(con, models: list, timings: dict, changed: set[str] | None):
    """Run `models` in order; with `changed` (a copy of the last build), only those downstream of it."""
    for model in models:
        if changed is not None and not model.reads & changed:
            continue
        t0 = time.perf_counter()
        if changed is not None:
            con.execute(f"alter table {model.name} rename to _previous_{model.name}")
        con.execute(f"create table {model.name} as {model.sql}", list(model.params))
        if changed is not None:
            if not _same_rows(con, model.name, f"_previous_{model.name}"):
                changed.add(model.name)
            con.execute(f"drop table _previous_{model.name}")
        timings[f"model/{model.name}"] = time.perf_counter() - t0


def _same_rows(con, table: str, previous: str) -> bool:
    (rows,) = con.execute(f"select count(*) from {table}").fetchone()
    if rows > _COMPARED_ROWS or rows != con.execute(f"select count(*) from {previous}").fetchone()[0]:
        return False
    (differing,) = con.execute(
        f"select count(*) from ((from {table} except all from {previous}) union all "
        f"(from {previous} except all from {table}))"
    ).fetchone()
    return differing == 0


def _write_build_tables(
    con, root: Path, config: Config, files: dict, reads: list, hashes: dict, started: float,
    models_key: str | None = None,
) -> str:
    con.execute(
        """create table sources (file varchar, table_name varchar, adapter varchar, encoding varchar,
            rows_read bigint, rows_loaded bigint, rows_rejected bigint, bytes bigint, sha256 varchar,
            modified_at timestamptz, note varchar, timezone varchar)"""
    )
    for result in reads:
        source = result.source
        loaded = con.execute(f"select count(*) from valid_{source.table} where _file = ?", [source.name]).fetchone()[0]
        rejected = con.execute(
            "select count(*) from rejects where file = ? and table_name = ?", [source.name, source.table]
        ).fetchone()[0]
        notes = list(result.notes)
        if result.rows_read == 0:
            notes.append(result.empty_note)
        stat = source.path.stat()
        con.execute(
            "insert into sources values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                source.name,
                source.table,
                source.adapter,
                result.encoding,
                result.rows_read,
                loaded,
                rejected,
                stat.st_size,
                hashes[source.path],
                dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC),
                "; ".join(notes) or None,
                source.timezone,
            ],
        )
    built_at = dt.datetime.now(dt.UTC)
    build_id = built_at.strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]
    con.execute(
        """create table build_info as select ?::varchar as build_id, ?::timestamptz as built_at,
            (select as_of_at from as_of) as as_of, (select as_of_date from as_of) as as_of_date,
            ?::varchar as workspace, ?::varchar as workspace_name,
            ?::varchar as fingerprint, ?::varchar as timezone, ?::varchar as currency,
            ?::double as duration_seconds, ?::boolean as has_calendar, ?::boolean as has_people,
            ?::varchar as models_key""",
        [
            build_id,
            built_at,
            str(root.resolve()),
            config.workspace.name,
            workspace_module.fingerprint(root, files),
            config.workspace.timezone,
            config.workspace.currency,
            time.perf_counter() - started,
            "meetings" in files,
            "people" in files,
            models_key,
        ],
    )
    return build_id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.build", description="Build a Seams workspace.")
    parser.add_argument("workspace", type=Path, help="the workspace folder (exports and seams.toml)")
    parser.add_argument(
        "--out", type=Path, required=True,
        help="the DuckDB file to write, or with --engine spark the folder of Parquet files (replaced atomically)",
    )
    parser.add_argument(
        "--engine", choices=("duckdb", "spark"), default="duckdb",
        help="where the models run: DuckDB on this machine (default), or Apache Spark (pipelines/spark_build.py)",
    )
    parser.add_argument(
        "--master", help="with --engine spark: the Spark master URL (default SEAMS_SPARK_MASTER, else local[2])"
    )
    args = parser.parse_args(argv)
    if args.master and args.engine != "spark":
        parser.error("--master needs --engine spark")

    def run() -> int:
        if args.engine == "spark":
            from pipelines import spark_build  # imports pyspark: only for a Spark build

            result = spark_build.build(args.workspace, args.out, master=args.master)
        else:
            result = build(args.workspace, args.out)
        print(
            f"built {result.out} (build {result.build_id}) in {result.seconds:.2f} s; "
            f"{result.rows_rejected} rows rejected"
        )
        return 0

    return cli.guarded("build", run)


if __name__ == "__main__":
    sys.exit(main())
