"""Which models a build runs: all of them, or on a rebuild only those downstream of a changed export.

A rebuild whose exports changed only in some tables starts from a copy of the last good build and
runs again just the models that read, directly or through other models, a table read again
(`valid_<t>`). A small model that runs again and gives exactly the rows it gave before (the list of
weeks, say) changes nothing downstream. The copy is taken only when the last build ran the same
models on the same config: `models_key` hashes the text of every model as it runs (the KPI rows'
SQL and parameters included), the macros, this module and build.py, the config tables' rows, the
tables present and DuckDB's version; build_info records it. Otherwise every model runs.

A model's inputs are the tables its SQL reads, found in sqlglot's syntax tree (both engines use them:
the Spark build runs a model once the models it reads are made). A common table expression named
like a table only adds an input, so a model may run without need, never the other way round.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import duckdb
import sqlglot
from sqlglot import exp

from pipelines import kpis
from pipelines.config import Config

MODELS = Path(__file__).parent / "models"
_CODE = [Path(__file__), Path(__file__).parent / "build.py", Path(__file__).parent / "macros.sql"]


@dataclass(frozen=True)
class Model:
    name: str
    sql: str
    params: tuple
    reads: frozenset[str]  # the tables (and common table expressions) its SQL reads, lower-cased


def models(order: list[str], config: Config) -> list[Model]:
    """Every model in `order` ("staging/stg_signups", ...) with the SQL and parameters it runs with."""
    found = []
    for path in order:
        name = path.split("/")[-1]
        if name == "function_rows":
            sql, params = kpis.function_rows_sql(config)
        else:
            sql, params = (MODELS / f"{path}.sql").read_text(), []
        found.append(Model(name, sql, tuple(params), tables_read(sql)))
    return found


def tables_read(sql: str) -> frozenset[str]:
    """The names of the tables (and common table expressions) that `sql` reads, lower-cased."""
    return frozenset(table.name.lower() for table in sqlglot.parse_one(sql, read="duckdb").find_all(exp.Table))


def models_key(con: duckdb.DuckDBPyConnection, all_models: list[Model], tables: list[str]) -> str:
    """What decides the models' output besides the validated rows (see the module's docstring)."""
    digest = hashlib.sha256(f"duckdb {duckdb.__version__}\ntables {sorted(tables)}\n".encode())
    for path in _CODE:
        digest.update(path.read_bytes())
    for model in all_models:
        digest.update(json.dumps([model.name, model.sql, model.params], default=str).encode())
    config_tables = con.execute(
        "select table_name from duckdb_tables() where database_name = 'memory' and table_name like 'cfg\\_%' "
        "escape '\\' order by table_name"
    ).fetchall()
    for (name,) in config_tables:
        rows = con.execute(f"select * from memory.main.{name}").fetchall()
        digest.update(json.dumps([name, sorted(map(repr, rows))]).encode())
    return digest.hexdigest()


def previous_key(con: duckdb.DuckDBPyConnection, out: Path) -> str | None:
    """The models_key of the build at `out`, or None (no build, or one made before keys were kept)."""
    if not out.is_file():
        return None
    try:
        con.execute("attach ? as previous (read_only)", [str(out)])
    except duckdb.Error:
        return None
    try:
        row = con.execute("select models_key from previous.main.build_info").fetchone()
    except duckdb.Error:
        row = None
    finally:
        con.execute("detach previous")
    return row[0] if row else None
