"""A plain HR list (CSV) -> people, with the hourly cost given directly or as an annual salary.

There is no standard HR export (EXPORT-FORMATS.md "People"); this reads the columns such lists have:
- email `Email`, `Work email`, `Mail` or `Email address`; function `Function` or `Department`;
  level `Level`, `Grade` or `Job level`; team `Team`.
- hourly_cost `Hourly cost`, `Hourly rate` or `Cost per hour` when given; else `Annual salary`,
  `Salary`, `Yearly salary` or `Base salary` divided by the working hours of a year, which the
  source names: `people = { path = "hr.csv", adapter = "hr", annual_hours = 1720 }`. Amounts read
  as everywhere else (`$85,000` is 85000); one that is not an amount is passed on and rejected with
  the value as written. A list with salaries and no `annual_hours` cannot be priced: a workspace error.
"""

from __future__ import annotations

from pipelines.adapters.base import Adapter, Sniff, insert_select, load_csv
from pipelines.config import CONFIG_NAME, WorkspaceError
from pipelines.read import FileRead

_EMAIL = ("email", "work_email", "mail", "email_address", "e_mail")
_FUNCTION = ("function", "department")
_HOURLY = ("hourly_cost", "hourly_rate", "cost_per_hour")
_SALARY = ("annual_salary", "salary", "yearly_salary", "base_salary")
_LEVEL = ("level", "grade", "job_level")


def read(con, table, source) -> FileRead:
    result = FileRead(source, empty_note="header only: no people")
    columns = load_csv(con, source, result)
    hourly, salary = columns.first(*_HOURLY), columns.first(*_SALARY)
    if salary != "null" and source.annual_hours is None:
        raise WorkspaceError(
            f"{source.name}: annual salaries need the working hours of a year to give an hourly cost; "
            f"add annual_hours to [sources] people in {CONFIG_NAME} "
            '(for example people = { path = "…", adapter = "hr", annual_hours = 1720 })'
        )
    # Given directly, the hourly cost wins; else the salary over the year's hours (a salary that is not
    # an amount is passed on as written, for validation to reject).
    from_salary = (
        f"coalesce(cast(parse_money({salary}) / ? as varchar), {salary})" if salary != "null" else "null"
    )
    relation = f"""(
        select
            _line,
            {columns.first(*_EMAIL)} as email,
            {columns.first(*_FUNCTION)} as function,
            coalesce(nullif(trim({hourly}), ''), {from_salary}) as hourly_cost,
            {columns.first(*_LEVEL)} as level,
            {columns.first("team")} as team
        from seams_export
    )"""
    params = [source.annual_hours] if salary != "null" else []
    insert_select(con, table, source, {name: name for name in ("_line", *table.column_names)}, relation, params)
    if salary != "null":
        result.notes.append(f"hourly cost from annual salary / {source.annual_hours:g} hours where none is given")
    return result


def _has_any(shape: Sniff, names: tuple[str, ...]) -> bool:
    return any(shape.has(name) for name in names)


def _recognises(shape: Sniff) -> bool:
    # A canonical people file (email, function, hourly_cost) is read as it is; this is for HR-named lists.
    hr_named = _has_any(shape, (*_SALARY, "hourly_rate", "cost_per_hour", "department", "work_email"))
    return shape.kind == "csv" and _has_any(shape, _EMAIL) and _has_any(shape, _FUNCTION) and hr_named


ADAPTER = Adapter(
    name="hr",
    tables=("people",),
    detected_tables=("people",),
    shape="an HR list (CSV with Email or Work email, Function or Department, and Hourly rate or Annual salary)",
    recognises=_recognises,
    read=read,
)
