-- One row per function, lag (0 to 8 weeks) and KPI week W that pairs with a later cohort: the KPI's
-- value in W and the rate of the cohort of week W + lag_weeks. A week pairs only when the KPI has a
-- value and that cohort is mature and has sign-ups. These are the rows behind function_outcome_lag.
with kpi_weeks as (
    select function, week_start, value
    from function_weekly
    where value is not null
),

mature_cohorts as (
    select cohort_week, rate
    from outcome_cohorts
    where mature and signups > 0
),

lags as (
    select lag_weeks
    from (values (0), (1), (2), (3), (4), (5), (6), (7), (8)) as lag_values(lag_weeks)
),

final as (
    select
        kpi_weeks.function,
        lags.lag_weeks,
        kpi_weeks.week_start,
        cast(kpi_weeks.value as double) as kpi_value,
        mature_cohorts.cohort_week,
        cast(mature_cohorts.rate as double) as later_rate
    from kpi_weeks
    cross join lags
    inner join mature_cohorts
        on mature_cohorts.cohort_week = kpi_weeks.week_start + 7 * lags.lag_weeks
)

select * from final
