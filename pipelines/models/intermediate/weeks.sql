-- One row per week shown: from the first week with a sign-up or a function KPI row (or the
-- config's start) to the week of as_of. Every weekly mart covers exactly these weeks.
with workspace as (
    select * from cfg_workspace
),

as_of as (
    select * from as_of
),

first_weeks as (
    select min(cohort_week) as first_week from stg_signups, as_of where signed_up_at <= as_of.last_row_at
    union all
    select min(week_start) as first_week from function_rows
),

bounds as (
    select
        coalesce(
            week_of(cast(workspace.start_date as timestamp), workspace.week_start_isodow),
            (select min(first_week) from first_weeks)
        ) as first_week,
        week_of(cast(as_of.as_of_date as timestamp), workspace.week_start_isodow) as last_week
    from workspace
    cross join as_of
),

final as (
    select cast(week_start as date) as week_start
    from bounds,
        range(bounds.first_week, bounds.last_week + interval 1 day, interval 7 day) as spine(week_start)
)

select * from final
