"""DuckDB SQL to Spark SQL: the one place where the two engines differ.

The models (pipelines/models/), pipelines/kpis.py and pipelines/macros.sql are written once, for
DuckDB. `to_spark` turns one model into Spark SQL in three steps, all on sqlglot's syntax tree:

1. `?` parameters become literals in the tree (never pasted into the text);
2. calls of the macros in macros.sql are replaced by their bodies, read from that file;
3. sqlglot transpiles DuckDB to Spark, after the rewrites below, where sqlglot has no rule or a rule
   that does not keep DuckDB's meaning.

- timestamptz (an instant) is Spark's TIMESTAMP, with the session time zone UTC (spark.py);
  timestamp (a wall-clock time) is TIMESTAMP_NTZ (sqlglot).
- timezone(zone, instant), the local wall-clock time: cast(from_utc_timestamp(instant, zone) as
  timestamp_ntz); timezone(zone, local), the instant: to_utc_timestamp(local, zone).
- epoch(ts), seconds with their fraction: cast(unix_micros(ts) as double) / 1000000 (sqlglot writes
  unix_timestamp, which drops the fraction).
- isodow(x), Monday = 1: weekday(x) + 1 (sqlglot's formula counts from Sunday).
- to_hours(n): n * interval '1' hour.
- percentile_cont(q) within group (order by x): kept as it is (sqlglot writes percentile_approx, an
  estimate).
- string_agg(distinct x, sep order by x): array_join(array_sort(collect_set(x)), sep), null without
  values (Spark's listagg(distinct ...) fails beside a count(distinct ...)).
- range(a, b, step) as t(c) in FROM: lateral explode(filter(sequence(a, greatest(a, b), step), v -> v
  < b)) as t(c), so that the end is excluded and a >= b gives no rows (sequence() would fail).

A local time skipped by a clock change moves forward in both engines; for an ambiguous one they may
pick different occurrences, which macros.sql's local_to_instant settles (it takes the first).
`timezone()` converts either way depending on its argument's type, so the argument's kind is worked
out from the tree: a cast to timestamp and timezone(zone, instant) are wall-clock times; columns are
instants unless this model computes them as wall-clock times or the caller names them
(`local_columns`). Anything else raises TranslationError rather than guessing.
Not rewritten, because the models never need it: a cast of a fraction to an integer (DuckDB rounds,
Spark truncates; the models floor first).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel
from sqlglot.tokens import TokenType

MACROS = Path(__file__).resolve().parent.parent / "macros.sql"
_DUCKDB = sqlglot.Dialect.get_or_raise("duckdb")
_WALL_CLOCK = {exp.DataType.Type.TIMESTAMP, exp.DataType.Type.TIMESTAMPNTZ, exp.DataType.Type.DATETIME}
_INSTANT = {exp.DataType.Type.TIMESTAMPTZ, exp.DataType.Type.TIMESTAMPLTZ}
_RANGE_VALUE = "range_value"  # the lambda variable of a range's filter; shadows any column of that name


class TranslationError(ValueError):
    """A model uses DuckDB SQL that this module cannot give the same meaning on Spark."""


@dataclass(frozen=True)
class Macro:
    name: str
    params: tuple[str, ...]
    body: str  # DuckDB SQL of one expression


def read_macros(text: str) -> dict[str, Macro]:
    """The macros of a file of `create or replace macro name(a, b) as (expression);` statements."""
    tokens = _DUCKDB.tokenize(text)
    statements: list[list] = [[]]
    for token in tokens:
        if token.token_type == TokenType.SEMICOLON:
            statements.append([])
        else:
            statements[-1].append(token)
    macros = {}
    for statement in filter(None, statements):
        words = [t.text.lower() for t in statement[:4]]
        shape_ok = (
            words == ["create", "or", "replace", "macro"]
            and len(statement) > 8
            and statement[5].token_type == TokenType.L_PAREN
            and statement[-1].token_type == TokenType.R_PAREN
        )
        close = _closing(statement, 5) if shape_ok else -1
        if not shape_ok or close < 0 or statement[close + 1].text.lower() != "as":
            raise TranslationError(f"macros.sql: not a `create or replace macro name(...) as (...)`: {words}")
        params = tuple(t.text.lower() for t in statement[6:close] if t.token_type != TokenType.COMMA)
        opening = statement[close + 2]
        name = statement[4].text.lower()
        macros[name] = Macro(name, params, text[opening.end + 1 : statement[-1].start])
    return macros


def _closing(tokens: list, start: int) -> int:
    """The index of the parenthesis that closes the one at `start`; -1 when none does."""
    depth = 0
    for i in range(start, len(tokens)):
        depth += {TokenType.L_PAREN: 1, TokenType.R_PAREN: -1}.get(tokens[i].token_type, 0)
        if depth == 0:
            return i
    return -1


def project_macros() -> dict[str, Macro]:
    """The macros of pipelines/macros.sql as the file is now."""
    return _macros_of(MACROS.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=4)
def _macros_of(text: str) -> dict[str, Macro]:
    return read_macros(text)


def to_spark(
    sql: str,
    params: Sequence = (),
    macros: dict[str, Macro] | None = None,
    local_columns: Iterable[str] = (),
) -> str:
    """Spark SQL with the meaning of the DuckDB `sql`, its `?` parameters bound to `params`."""
    tree = parse(sql, params)
    tree = expand_macros(tree, project_macros() if macros is None else macros)
    tree = _rewrite(tree, {c.lower() for c in local_columns})
    return tree.sql(dialect="spark", unsupported_level=ErrorLevel.RAISE)


def parse(sql: str, params: Sequence = ()) -> exp.Expression:
    """The tree of one DuckDB statement, each `?` replaced by the literal of its parameter."""
    # Number the markers first (`?` -> `$1`, found by the tokenizer, so never inside a string or a
    # comment): the tree's traversal order is not always the order of the text.
    tokens = [t for t in _DUCKDB.tokenize(sql) if t.token_type == TokenType.PLACEHOLDER and t.text == "?"]
    if len(tokens) != len(params):
        raise TranslationError(f"{len(tokens)} parameters in the SQL, {len(params)} values given")
    pieces, last = [], 0
    for number, token in enumerate(tokens, start=1):
        pieces += [sql[last : token.start], f"${number}"]
        last = token.end + 1
    tree = sqlglot.parse_one("".join(pieces) + sql[last:], read="duckdb")
    for marker in list(tree.find_all(exp.Placeholder)):
        if not str(marker.name).isdigit():
            raise TranslationError(f"unexpected parameter {marker.sql('duckdb')}")
        marker.replace(exp.convert(params[int(marker.name) - 1]))
    return tree


def expand_macros(tree: exp.Expression, macros: dict[str, Macro], depth: int = 10) -> exp.Expression:
    """Every call of a macro replaced by its body, its parameters by the call's arguments."""
    for _ in range(depth):
        calls = [n for n in tree.find_all(exp.Anonymous) if str(n.this).lower() in macros]
        if not calls:
            return tree
        for call in calls:
            expanded = _expand(call, macros[str(call.this).lower()])
            if call is tree:
                tree = expanded
            else:
                call.replace(expanded)
    raise TranslationError(f"macros nest deeper than {depth} calls")


def _expand(call: exp.Anonymous, macro: Macro) -> exp.Expression:
    args = call.expressions
    if len(args) != len(macro.params):
        raise TranslationError(f"{macro.name} takes {len(macro.params)} arguments, given {len(args)}")
    by_name = dict(zip(macro.params, args, strict=True))

    def substitute(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and not node.table and node.name.lower() in by_name:
            return exp.Paren(this=by_name[node.name.lower()].copy())
        return node

    return exp.Paren(this=_macro_body(macro).transform(substitute))


def _macro_body(macro: Macro) -> exp.Expression:
    return _parsed_body(macro.body).copy()


@functools.lru_cache(maxsize=64)
def _parsed_body(body: str) -> exp.Expression:
    return sqlglot.parse_one(body, read="duckdb")


def _call(name: str, *args: exp.Expression) -> exp.Anonymous:
    """A call of a Spark function that sqlglot writes as it is."""
    return exp.Anonymous(this=name, expressions=list(args))


# --- rewrites where sqlglot's Spark output would differ from DuckDB's meaning ---------------------


def _rewrite(tree: exp.Expression, local_columns: set[str]) -> exp.Expression:
    local_columns = local_columns | _local_aliases(tree, local_columns)
    _rewrite_timezones(tree, local_columns)
    for node in list(tree.find_all(exp.TimeToUnix)):
        micros = exp.cast(_call("unix_micros", node.this), "double")
        node.replace(exp.paren(exp.Div(this=micros, expression=exp.Literal.number(1000000))))
    for node in list(tree.find_all(exp.DayOfWeekIso)):
        node.replace(exp.paren(exp.Add(this=_call("weekday", node.this), expression=exp.Literal.number(1))))
    for node in list(tree.find_all(exp.Anonymous)):
        if str(node.this).lower() == "to_hours":
            (hours,) = node.expressions
            one_hour = exp.Interval(this=exp.Literal.string("1"), unit=exp.var("HOUR"))
            node.replace(exp.paren(exp.Mul(this=exp.paren(hours), expression=one_hour)))
    for node in list(tree.find_all(exp.PercentileCont)):
        if not isinstance(node.parent, exp.WithinGroup):
            raise TranslationError(f"percentile_cont without `within group`: {node.sql('duckdb')}")
        node.replace(_call("percentile_cont", node.this))
    for node in list(tree.find_all(exp.GenerateSeries)):
        _rewrite_range(node)
    for node in list(tree.find_all(exp.GroupConcat)):
        _rewrite_distinct_string_agg(node)
    return tree


def _rewrite_distinct_string_agg(node: exp.GroupConcat):
    """string_agg(distinct x, sep order by x): Spark's listagg(distinct ...) fails beside another
    count(distinct ...) in one aggregate (a ClassCastException in Spark 4.3), so the sorted set of
    values is joined instead; null, as in DuckDB, when there is no value."""
    order = node.this
    if not (isinstance(order, exp.Order) and isinstance(order.this, exp.Distinct)):
        return  # sqlglot's listagg ... within group is right
    (value,) = order.this.expressions
    (key,) = order.expressions
    if key.this != value or key.args.get("desc"):
        raise TranslationError(f"string_agg(distinct x ...) must be ordered by x ascending: {node.sql('duckdb')}")
    separator = node.args.get("separator") or exp.Literal.string(",")
    joined = _call("array_join", _call("array_sort", _call("collect_set", value.copy())), separator)
    has_values = exp.GT(this=exp.Count(this=value.copy()), expression=exp.Literal.number(0))
    node.replace(exp.Case(ifs=[exp.If(this=has_values, true=joined)]))


def _rewrite_timezones(tree: exp.Expression, local_columns: set[str]):
    calls = [n for n in tree.find_all(exp.Anonymous) if str(n.this).lower() == "timezone"]
    # Kinds are judged on the DuckDB tree, before any call is rewritten; then the innermost first.
    kinds = {id(call): _kind_of_argument(call, local_columns) for call in calls}
    for call in reversed(calls):
        zone, value = call.expressions
        if kinds[id(call)] == "local":
            spark = _call("to_utc_timestamp", value, zone)
        else:
            spark = exp.cast(_call("from_utc_timestamp", value, zone), "timestamp_ntz")
        call.replace(spark)


def _kind_of_argument(call: exp.Anonymous, local_columns: set[str]) -> str:
    if len(call.expressions) != 2:
        raise TranslationError(f"timezone() takes a zone and a timestamp: {call.sql('duckdb')}")
    kind = _kind(call.expressions[1], local_columns)
    if kind is None:
        raise TranslationError(
            f"cannot tell whether {call.expressions[1].sql('duckdb')} is a wall-clock time or an instant "
            "(in timezone()): cast it to timestamp or timestamptz"
        )
    return kind


def _kind(node: exp.Expression, local_columns: set[str]) -> str | None:
    """'local' (a wall-clock timestamp), 'instant' (timestamptz), or None when it cannot be told."""
    if isinstance(node, exp.Paren):
        return _kind(node.this, local_columns)
    if isinstance(node, exp.Cast):  # try_cast too
        kind = node.to.this
        return "local" if kind in _WALL_CLOCK else "instant" if kind in _INSTANT else None
    if isinstance(node, exp.Anonymous) and str(node.this).lower() == "timezone" and len(node.expressions) == 2:
        inner = _kind(node.expressions[1], local_columns)
        return {"local": "instant", "instant": "local"}.get(inner or "")
    if isinstance(node, (exp.Add, exp.Sub)):
        sides = [_kind(side, local_columns) for side in (node.this, node.expression)]
        known = {k for k in sides if k}
        return known.pop() if len(known) == 1 else None
    if isinstance(node, exp.Case):
        branches = [i.args.get("true") for i in node.args.get("ifs", [])] + [node.args.get("default")]
        known = {_kind(b, local_columns) for b in branches if b is not None}
        return known.pop() if len(known) == 1 else None
    if isinstance(node, exp.Coalesce):
        known = {_kind(a, local_columns) for a in [node.this, *node.expressions]}
        return known.pop() if len(known) == 1 else None
    if isinstance(node, exp.Column):
        # Stored tables hold instants (spark.py names any wall-clock column of its inputs).
        return "local" if node.name.lower() in local_columns else "instant"
    return None


def _local_aliases(tree: exp.Expression, known: set[str]) -> set[str]:
    """Names this statement gives to wall-clock timestamps (`timezone(zone, x) as local_starts_at`),
    and aliases of those names, until no new one is found."""
    found: set[str] = set()
    while True:
        names = known | found
        new = {a.alias.lower() for a in tree.find_all(exp.Alias) if _kind(a.this, names) == "local"} - found
        if not new:
            return found
        found |= new


def _rewrite_range(series: exp.GenerateSeries):
    """`range(a, b, step) as t(c)` (DuckDB: a, a + step, ... while < b) as a lateral explode."""
    table = series.parent
    if not isinstance(table, exp.Table) or not series.args.get("is_end_exclusive"):
        raise TranslationError(f"range() is translated only as a table in FROM: {series.sql('duckdb')}")
    step = series.args.get("step")
    if step is not None and not (
        isinstance(step, exp.Interval) or (isinstance(step, exp.Literal) and not step.is_string)
    ):
        raise TranslationError(f"range() with a computed step is not translated: {series.sql('duckdb')}")
    start, end = series.args["start"], series.args["end"]
    # sequence() includes its end and fails when the end is before the start: end at the start
    # at least, then keep the values before `end`.
    bounds = [start.copy(), exp.Greatest(this=start.copy(), expressions=[end.copy()])]
    sequence = _call("sequence", *bounds, *([step.copy()] if step is not None else []))
    keep = exp.Lambda(
        this=exp.LT(this=exp.column(_RANGE_VALUE), expression=end.copy()),
        expressions=[exp.to_identifier(_RANGE_VALUE)],
    )
    values = exp.ArrayFilter(this=sequence, expression=keep)
    alias = table.args.get("alias")
    if alias is None or len(alias.columns) != 1:
        raise TranslationError(f"range() needs an alias with one column, t(c): {table.sql('duckdb')}")
    table.replace(exp.Lateral(this=exp.Explode(this=values), alias=alias.copy()))
