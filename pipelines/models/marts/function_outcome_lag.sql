-- One row per function per lag (0 to 8 weeks): how the function's weekly KPI moves with the rate
-- of the mature cohort that signed up lag_weeks later. An association over the weeks shown, never
-- a cause. The pairs (KPI value in week W, rate of the cohort of W + lag_weeks) are
-- function_outcome_pairs. `correlation` is Pearson's r of the pairs; `rank_correlation` is
-- Spearman's rho (Pearson's r of the ranks, ties given their mean rank). Both are null with fewer
-- than 2 pairs or when either side does not vary. `strength` names the size of r by the usual rule
-- of thumb (|r| < 0.1 none, < 0.3 weak, < 0.5 moderate, else strong), and only with enough pairs to
-- mean anything.
with functions as (
    select * from cfg_functions
),

pairs as (
    select * from function_outcome_pairs
),

lags as (
    select lag_weeks
    from (values (0), (1), (2), (3), (4), (5), (6), (7), (8)) as lag_values(lag_weeks)
),

-- Fewer pairs than this cannot tell an association from noise; the pages say so.
thresholds as (
    select 8 as min_pairs
),

-- Each side ranked within its (function, lag), tied values sharing their mean rank.
ranked_pairs as (
    select
        *,
        rank() over (partition by function, lag_weeks order by kpi_value)
        + (count(*) over (partition by function, lag_weeks, kpi_value) - 1) / 2.0 as kpi_rank,
        rank() over (partition by function, lag_weeks order by later_rate)
        + (count(*) over (partition by function, lag_weeks, later_rate) - 1) / 2.0 as rate_rank
    from pairs
),

per_lag as (
    select
        function,
        lag_weeks,
        count(*) as pairs,
        min(week_start) as first_week,
        max(week_start) as last_week,
        case
            when count(*) >= 2 and var_pop(kpi_value) > 0 and var_pop(later_rate) > 0
                then corr(kpi_value, later_rate)
        end as correlation,
        case
            when count(*) >= 2 and var_pop(kpi_rank) > 0 and var_pop(rate_rank) > 0
                then corr(kpi_rank, rate_rank)
        end as rank_correlation
    from ranked_pairs
    group by function, lag_weeks
),

function_lags as (
    select
        functions.function,
        functions.kpi,
        lags.lag_weeks,
        cast(coalesce(per_lag.pairs, 0) as integer) as pairs,
        cast(per_lag.correlation as double) as correlation,
        cast(per_lag.rank_correlation as double) as rank_correlation,
        coalesce(per_lag.pairs, 0) >= thresholds.min_pairs as is_enough_pairs,
        thresholds.min_pairs,
        per_lag.first_week,
        per_lag.last_week,
        functions.function_order
    from functions
    cross join lags
    cross join thresholds
    left join per_lag
        on functions.function = per_lag.function
        and lags.lag_weeks = per_lag.lag_weeks
),

final as (
    select
        function,
        kpi,
        lag_weeks,
        pairs,
        correlation,
        rank_correlation,
        is_enough_pairs,
        case
            when not is_enough_pairs or correlation is null then null
            when abs(correlation) < 0.1 then 'none'
            when abs(correlation) < 0.3 then 'weak'
            when abs(correlation) < 0.5 then 'moderate'
            else 'strong'
        end as strength,
        min_pairs,
        first_week,
        last_week,
        function_order
    from function_lags
)

select * from final
