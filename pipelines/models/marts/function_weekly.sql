-- One row per function per week shown: the KPI's value, its target and its status.
-- A week with no rows has value 0 for a count or a sum, and no value (and no status) for a mean.
with functions as (
    select * from cfg_functions
),

weeks as (
    select * from weeks
),

function_rows as (
    select * from function_rows
),

values_per_week as (
    select
        function,
        week_start,
        count(*) as row_count,
        sum(value) as value_sum,
        avg(value) as value_mean
    from function_rows
    group by function, week_start
),

function_weeks as (
    select
        functions.function_order,
        functions.function,
        functions.kpi,
        functions.measure,
        functions.target,
        functions.direction,
        functions.amber_band,
        weeks.week_start
    from functions
    cross join weeks
),

valued as (
    select
        function_weeks.*,
        coalesce(values_per_week.row_count, 0) as row_count,
        case function_weeks.measure
            when 'count' then coalesce(values_per_week.row_count, 0)
            when 'sum' then coalesce(values_per_week.value_sum, 0)
            else values_per_week.value_mean
        end as value
    from function_weeks
    left join values_per_week
        on function_weeks.function = values_per_week.function
        and function_weeks.week_start = values_per_week.week_start
),

final as (
    select
        week_start,
        function,
        kpi,
        cast(value as double) as value,
        cast(target as double) as target,
        -- Rounded bounds, so that 360 is amber against 400 with a 10% band despite binary fractions.
        case
            when value is null then null
            when direction = 'higher' and value >= target then 'green'
            when direction = 'higher' and value >= round(target * (1 - amber_band), 9) then 'amber'
            when direction = 'lower' and value <= target then 'green'
            when direction = 'lower' and value <= round(target * (1 + amber_band), 9) then 'amber'
            else 'red'
        end as status,
        direction,
        amber_band,
        measure,
        row_count,
        function_order
    from valued
)

select * from final
