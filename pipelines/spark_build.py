"""Builds a workspace on Apache Spark into a folder of Parquet files holding the outcome view.

    python -m pipelines.build WORKSPACE_DIR --engine spark --out DIR [--master URL]

What runs where: reading and validating the exports (pipelines/read.py, validate.py) run in DuckDB on
this machine, exactly as in a DuckDB build, and so do `rejects`, `sources`, `build_info` and the
`cfg_*` tables. The validated rows go to Spark as Parquet, and every model of build.MODEL_ORDER runs
there, translated from the same SQL files (pipelines/engines/spark_sql.py). DIR then holds
`<table>.parquet` for every table a DuckDB build file holds: a Parquet dataset folder for what Spark
wrote, one file for the rest. The app opens DIR like a built file (pipelines/query.py `attach`).

The build writes a new folder beside DIR, checks it (pipelines/checks.py, on the folder as the app
reads it) and swaps it in with two renames (the old folder away, the new one in), then removes the
old one: a failed build leaves the last good DIR as it was. Spark runs on `--master`, else
SEAMS_SPARK_MASTER, else local[2]. The tables are the same as a DuckDB build's (tests/test_spark.py).
"""

from __future__ import annotations

import functools
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from pipelines import build as duckdb_build
from pipelines import checks, model_plan, query, stage_cache
from pipelines import config as config_module
from pipelines import workspace as workspace_module
from pipelines.config import WorkspaceError
from pipelines.contract import TABLES
from pipelines.engines import spark as spark_engine
from pipelines.engines import spark_sql

# The tables DuckDB writes (reading, validation and the build's own record); the models write the rest.
CONFIG_TABLES = ("cfg_workspace", "cfg_outcome", "cfg_functions", "cfg_org_changes", "cfg_coordination")
RECORD_TABLES = ("rejects", "sources", "build_info")
_INPUTS = "_inputs"  # the validated rows handed to Spark, inside the new folder until it is checked


@dataclass(frozen=True)
class SparkBuildResult:
    build_id: str
    out: Path
    seconds: float
    step_seconds: dict[str, float]
    rows_rejected: int
    master: str


def build(
    workspace_dir: Path,
    out: Path,
    master: str | None = None,
    spark=None,
    progress: duckdb_build.Progress | None = None,
) -> SparkBuildResult:
    """Build `workspace_dir` on Spark into the folder `out`; raises WorkspaceError, leaving `out`
    untouched, when the workspace cannot be built. `spark`: a session to use instead of starting one."""
    started = time.perf_counter()
    progress = progress or (lambda _step: None)
    workspace_dir, out = Path(workspace_dir), Path(out).resolve()
    if not workspace_dir.is_dir():
        raise WorkspaceError(f"{workspace_dir}: not a folder; a workspace is a folder of exports with a seams.toml")
    if out.exists() and not out.is_dir():
        raise WorkspaceError(f"{out}: a file; a Spark build writes a folder of Parquet files (--out DIR)")
    out.parent.mkdir(parents=True, exist_ok=True)
    with duckdb_build._build_lock(out):
        progress("Reading the config and finding the exports")
        config = config_module.load(workspace_dir)
        files = workspace_module.discover(workspace_dir, config)
        tmp = out.with_name(f"{out.name}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            url = spark_engine.master_url(master)
            # Started only once the exports are read and valid: a workspace error needs no Spark.
            session = (lambda: spark) if spark is not None else functools.partial(spark_engine.session, url)
            steps = _build_into(tmp, workspace_dir, config, files, session, started, progress)
            progress("Checking the built data")
            build_id, rejected = _check(tmp)
            progress("Swapping the new build in")
            _swap(tmp, out)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return SparkBuildResult(build_id, out, time.perf_counter() - started, steps, rejected, url)


def _build_into(tmp: Path, root: Path, config, files: dict, spark, started: float, progress) -> dict[str, float]:
    """Build into the new folder `tmp`; `spark` gives the session when it is first needed."""
    steps: dict[str, float] = {}
    inputs = tmp / _INPUTS
    inputs.mkdir(parents=True)
    # Reading and validating: the DuckDB build's own steps, on this machine.
    con = duckdb_build.connect(
        ":memory:", {"memory_limit": duckdb_build.memory_limit(), "temp_directory": str(tmp / "_spill")}
    )
    try:
        duckdb_build._write_config_tables(con, config)
        hashes = {f.path: workspace_module.file_sha256(f.path) for fs in files.values() for f in fs}
        # No staged tables are reused: a Spark build reads every export (stage_cache.Stage, never planned).
        reads = duckdb_build.read_and_validate(
            con, config, files, steps, stage_cache.Stage(tmp / "unused", files), progress
        )
        t0 = time.perf_counter()
        handed = [f"valid_{name}" for name in TABLES] + list(CONFIG_TABLES)
        for name in handed:
            # The relation API writes the file (no path in SQL text), on a cursor of its own: the
            # connection may hold a result that the build's steps did not fetch to its end.
            con.cursor().table(name).write_parquet(str(inputs / f"{name}.parquet"))
        steps["spark/hand_over"] = time.perf_counter() - t0

        progress(f"Running {len(duckdb_build.MODEL_ORDER)} models on Spark")
        tables = spark_engine.Tables(spark(), tmp)
        for name in handed:
            tables.load(name, inputs / f"{name}.parquet")
        models, names_read = {}, {}
        for model in model_plan.models(duckdb_build.MODEL_ORDER, config):
            # A model waits for the earlier models it names (MODEL_ORDER is their order).
            names_read[model.name] = model.reads & set(models)
            models[model.name] = functools.partial(_translated, model, tables)
        steps |= {f"model/{name}": s for name, s in tables.run_all(models, names_read).items()}

        # sources and build_info as a DuckDB build makes them; build_info needs the as_of Spark found.
        con.cursor().read_parquet(query.parquet_files(tmp / "as_of.parquet")).create("as_of")
        duckdb_build._write_build_tables(con, root, config, files, reads, hashes, started)
        for name in RECORD_TABLES + CONFIG_TABLES:
            con.cursor().table(name).write_parquet(str(tmp / f"{name}.parquet"))
    finally:
        con.close()
    shutil.rmtree(inputs)
    shutil.rmtree(tmp / "_spill", ignore_errors=True)
    return steps


def _translated(model: model_plan.Model, tables: spark_engine.Tables) -> str:
    # Translated once the tables it reads are made: their wall-clock columns are known by then.
    return spark_sql.to_spark(model.sql, model.params, local_columns=tables.local_columns)


def _check(folder: Path) -> tuple[str, int]:
    """The build's own checks on the written folder, read as the app reads it; its id and rejects."""
    con = query.attach(str(folder))
    try:
        cur = query.cursor_of(con)
        failures = checks.run(cur)
        if failures:
            raise RuntimeError("the built data failed its own checks: " + "; ".join(failures))
        build_id = cur.execute("select build_id from build_info").fetchone()[0]
        rejected = cur.execute("select count(*) from rejects").fetchone()[0]
        return build_id, rejected
    finally:
        con.close()


def _swap(tmp: Path, out: Path):
    """The new folder in place of the old: old renamed away, new renamed in, old removed."""
    old = out.with_name(f"{out.name}.{uuid.uuid4().hex[:8]}.old") if out.exists() else None
    if old is not None:
        os.rename(out, old)
    try:
        os.rename(tmp, out)
    except BaseException:
        if old is not None:
            os.rename(old, out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
