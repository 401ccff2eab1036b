-- One row per cohort week shown: sign-ups, how many reached the milestone within the window, the
-- rate (a fraction) with its 95% Wilson interval, whether the cohort is mature, and how long the
-- activated sign-ups took (median and p75 of days to activate, among those activated within the
-- window). Who is activated is decided once, per sign-up, in signup_outcomes.
-- Mature: every sign-up in the cohort has had its whole window by as_of, that is
-- (local midnight at week start + 7 days) + window_days × 24 h <= as_of.
-- Interval: wilson_low / wilson_high (macros.sql), z = 1.96; null with no sign-ups.
with outcome as (
    select * from cfg_outcome
),

workspace as (
    select * from cfg_workspace
),

as_of as (
    select * from as_of
),

weeks as (
    select * from weeks
),

signup_outcomes as (
    select * from signup_outcomes
),

per_cohort as (
    select
        cohort_week,
        count(*) as signups,
        count(case when is_activated then 1 end) as activated
    from signup_outcomes
    group by cohort_week
),

-- Continuous percentiles (linear between neighbours): the median of 1, 2, 4, 10 days is 3.
activation_times as (
    select
        cohort_week,
        percentile_cont(0.5) within group (order by days_to_activate) as median_days_to_activate,
        percentile_cont(0.75) within group (order by days_to_activate) as p75_days_to_activate
    from signup_outcomes
    where is_activated
    group by cohort_week
),

cohort_rates as (
    select
        weeks.week_start as cohort_week,
        coalesce(per_cohort.signups, 0) as signups,
        coalesce(per_cohort.activated, 0) as activated,
        cast(per_cohort.activated as double) / nullif(per_cohort.signups, 0) as rate,
        local_to_instant(cast(weeks.week_start + 7 as timestamp), workspace.timezone)
            + to_hours(outcome.window_days * 24) <= as_of.as_of_at as mature,
        cast(
            timezone(
                workspace.timezone,
                local_to_instant(cast(weeks.week_start + 7 as timestamp), workspace.timezone)
                + to_hours(outcome.window_days * 24)
            ) as date
        ) as mature_on,
        cast(outcome.target as double) as target,
        wilson_low(per_cohort.activated, per_cohort.signups) as rate_low,
        wilson_high(per_cohort.activated, per_cohort.signups) as rate_high,
        activation_times.median_days_to_activate,
        activation_times.p75_days_to_activate
    from weeks
    cross join outcome
    cross join workspace
    cross join as_of
    left join per_cohort on weeks.week_start = per_cohort.cohort_week
    left join activation_times on weeks.week_start = activation_times.cohort_week
),

-- An immature cohort is provisional whatever its rate: never red, never a stall.
final as (
    select
        cohort_week,
        signups,
        activated,
        rate,
        mature,
        mature_on,
        target,
        case
            when signups = 0 then null
            when not mature then 'provisional'
            when rate >= target then 'green'
            else 'red'
        end as status,
        rate_low,
        rate_high,
        median_days_to_activate,
        p75_days_to_activate
    from cohort_rates
)

select * from final
