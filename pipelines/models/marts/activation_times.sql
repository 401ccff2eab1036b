-- One row per cohort week shown × whole day since sign-up, 0 to window_days: how many of the
-- cohort's sign-ups activated on that day, and the share activated by its end. Day d holds the
-- activations at d × 24 h or later and before (d + 1) × 24 h of elapsed time after sign-up; day
-- window_days holds only those at exactly window_days × 24 h (the window's inclusive end).
-- Only sign-ups activated within the window count, as in outcome_cohorts.
with outcome as (
    select * from cfg_outcome
),

signup_outcomes as (
    select * from signup_outcomes
),

cohorts as (
    select * from outcome_cohorts
),

days as (
    select cast(activation_day as integer) as activation_day
    from outcome, range(0, outcome.window_days + 1) as day_spine(activation_day)
),

per_day as (
    select
        cohort_week,
        cast(floor(days_to_activate) as integer) as activation_day,
        count(*) as activated
    from signup_outcomes
    where is_activated
    group by cohort_week, cast(floor(days_to_activate) as integer)
),

spine as (
    select
        cohorts.cohort_week,
        days.activation_day,
        coalesce(per_day.activated, 0) as activated,
        cohorts.signups,
        cohorts.activated as cohort_activated,
        cohorts.mature
    from cohorts
    cross join days
    left join per_day
        on cohorts.cohort_week = per_day.cohort_week
        and days.activation_day = per_day.activation_day
),

running_totals as (
    select
        *,
        cast(
            sum(activated) over (
                partition by cohort_week order by activation_day rows between unbounded preceding and current row
            ) as bigint
        ) as cumulative_activated
    from spine
),

final as (
    select
        cohort_week,
        activation_day,
        activated,
        cast(activated as double) / nullif(cohort_activated, 0) as share_of_activated,
        cumulative_activated,
        cast(cumulative_activated as double) / nullif(signups, 0) as cumulative_rate,
        signups,
        mature
    from running_totals
)

select * from final
