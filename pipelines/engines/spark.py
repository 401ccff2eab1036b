"""Apache Spark for the Seams models: the session, and tables in and out as Parquet.

Every table Spark reads or writes is a Parquet dataset in a folder that the driver and the executors
share (a local folder with `local[N]`; a shared mount on a cluster). Each model's result is written
out and read back before the next model runs, as DuckDB's `create table` would keep it: a model that
several others read is computed once.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.types import TimestampNTZType

DEFAULT_MASTER = "local[2]"
# Settings every build session gets, whatever the caller's session had.
SESSION_CONF = {
    # DuckDB's timestamptz is Spark's TIMESTAMP read and written in UTC (engines/spark_sql.py).
    "spark.sql.session.timeZone": "UTC",
    # Parquet's standard instant type, which DuckDB reads as timestamptz (Spark's default is INT96).
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
}
# Hadoop reads input paths as glob patterns: these characters are escaped to mean themselves.
_GLOB = set("\\*?[]{}")


def master_url(master: str | None = None) -> str:
    """`master`, else SEAMS_SPARK_MASTER, else local[2]."""
    return master or os.environ.get("SEAMS_SPARK_MASTER") or DEFAULT_MASTER


def session(master: str | None = None) -> SparkSession:
    """The process's Spark session (started on first use): no UI, small shuffles when local."""
    url = master_url(master)
    builder = (
        SparkSession.builder.master(url)
        .appName("seams")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
    )
    for key, value in SESSION_CONF.items():
        builder = builder.config(key, value)
    if url.startswith("local"):
        # On one machine, Spark's fixed cost per query dominates: fewer shuffle partitions and no
        # adaptive re-planning save about a third of it (the default 200 partitions suit a cluster).
        builder = builder.config("spark.sql.shuffle.partitions", "2").config("spark.sql.adaptive.enabled", "false")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def path_of(path: Path, reading: bool = False) -> str:
    """A local path as Spark takes it: `file:` (not the cluster's default file system); to read,
    with glob characters escaped (Hadoop expands patterns in the paths it reads, not in those it writes)."""
    text = str(Path(path).resolve())
    return "file:" + ("".join("\\" + c if c in _GLOB else c for c in text) if reading else text)


def isolated(spark: SparkSession) -> SparkSession:
    """A session of its own on `spark`'s context, with the settings a build needs: its views and
    settings are nobody else's."""
    session = spark.newSession()
    for key, value in SESSION_CONF.items():
        session.conf.set(key, value)
    return session


class Tables:
    """The tables of one build in their own Spark session: loaded from Parquet, or made by a model
    and written to `<folder>/<name>.parquet`."""

    def __init__(self, spark: SparkSession, folder: Path):
        self.spark = isolated(spark)
        self.folder = Path(folder)
        self.local_columns: set[str] = set()  # wall-clock (TIMESTAMP_NTZ) columns of the tables so far
        self._lock = threading.Lock()

    def load(self, name: str, path: Path) -> DataFrame:
        frame = self.spark.read.parquet(path_of(path, reading=True))
        frame.createOrReplaceTempView(name)
        local = {f.name.lower() for f in frame.schema.fields if isinstance(f.dataType, TimestampNTZType)}
        with self._lock:
            self.local_columns |= local
        return frame

    def run(self, name: str, sql: str) -> float:
        """Run one model's Spark SQL into table `name`; the seconds it took."""
        started = time.perf_counter()
        target = self.folder / f"{name}.parquet"
        self.spark.sql(sql).write.mode("errorifexists").parquet(path_of(target))
        self.load(name, target)
        return time.perf_counter() - started

    def run_all(self, models: dict[str, Callable[[], str]], reads: dict[str, set[str]], workers: int = 4):
        """Run every model (name -> a function giving its Spark SQL, called once the tables it reads
        are made), each as soon as those are made, a few at a time: on small tables most of a
        query's time is Spark's fixed cost, which overlaps. The seconds each took."""
        seconds: dict[str, float] = {}
        waiting = dict(models)
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="seams-model") as pool:
            running = {}
            while waiting or running:
                for name in [n for n in waiting if not (reads[n] & (set(waiting) | set(running.values())))]:
                    running[pool.submit(self.run, name, waiting.pop(name)())] = name
                if not running:
                    raise RuntimeError(f"models that read each other: {sorted(waiting)}")
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    seconds[running.pop(future)] = future.result()  # the first failure ends the build
        return seconds
