-- One row per function per week shown: how many consecutive green weeks end at this week, the
-- longest such run up to and including this week, and the week the current run began.
-- A week that is not green (amber, red, or no value) ends a run; its streak is 0.
with functions as (
    select * from function_weekly
),

-- Gaps and islands: a new run starts after every week that is not green.
runs as (
    select
        function,
        kpi,
        function_order,
        week_start,
        status,
        sum(case when status = 'green' then 0 else 1 end) over (
            partition by function order by week_start rows between unbounded preceding and current row
        ) as run_number
    from functions
),

streaks as (
    select
        *,
        sum(case when status = 'green' then 1 else 0 end) over (
            partition by function, run_number order by week_start rows between unbounded preceding and current row
        ) as green_streak,
        min(case when status = 'green' then week_start end) over (partition by function, run_number) as run_started_on
    from runs
),

final as (
    select
        week_start,
        function,
        kpi,
        status,
        cast(green_streak as integer) as green_streak,
        cast(
            max(green_streak) over (
                partition by function order by week_start rows between unbounded preceding and current row
            ) as integer
        ) as longest_green_streak,
        case when green_streak > 0 then run_started_on end as green_since,
        function_order
    from streaks
)

select * from final
