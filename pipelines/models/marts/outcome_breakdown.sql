-- One row per cohort week shown × dimension (segment, channel, plan) × value seen in that dimension:
-- sign-ups, activated, the rate with its 95% Wilson interval, and whether the cohort is mature.
-- Every value seen in any week shown appears in every week shown (0 sign-ups: rate and interval
-- null), so that a line per value has no silent gaps. A missing or blank value is "(none)".
with signup_outcomes as (
    select * from signup_outcomes
),

cohorts as (
    select * from outcome_cohorts
),

-- One row per sign-up and dimension: the sign-ups, unpivoted.
signup_dimensions as (
    select cohort_week, is_activated, 'segment' as dimension, segment as value from signup_outcomes
    union all
    select cohort_week, is_activated, 'channel' as dimension, channel as value from signup_outcomes
    union all
    select cohort_week, is_activated, 'plan' as dimension, plan as value from signup_outcomes
),

labelled as (
    select
        cohort_week,
        is_activated,
        dimension,
        coalesce(nullif(trim(value), ''), '(none)') as value
    from signup_dimensions
),

values_seen as (
    select distinct dimension, value from labelled
),

per_value as (
    select
        cohort_week,
        dimension,
        value,
        count(*) as signups,
        count(case when is_activated then 1 end) as activated
    from labelled
    group by cohort_week, dimension, value
),

final as (
    select
        cohorts.cohort_week,
        values_seen.dimension,
        values_seen.value,
        coalesce(per_value.signups, 0) as signups,
        coalesce(per_value.activated, 0) as activated,
        cast(per_value.activated as double) / nullif(per_value.signups, 0) as rate,
        wilson_low(per_value.activated, per_value.signups) as rate_low,
        wilson_high(per_value.activated, per_value.signups) as rate_high,
        cohorts.mature
    from cohorts
    cross join values_seen
    left join per_value
        on cohorts.cohort_week = per_value.cohort_week
        and values_seen.dimension = per_value.dimension
        and values_seen.value = per_value.value
)

select * from final
