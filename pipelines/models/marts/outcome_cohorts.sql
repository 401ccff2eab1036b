-- One row per cohort week shown: sign-ups, how many reached the milestone within the window, the
-- rate (a fraction) and whether the cohort is mature.
-- Activated: the FIRST milestone event at or after sign-up falls within window_days × 24 hours of
-- elapsed time (not calendar days, so a daylight-saving change does not move the window's end).
-- Mature: every sign-up in the cohort has had its whole window by as_of, that is
-- (local midnight at week start + 7 days) + window_days × 24 h <= as_of.
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

signups as (
    select stg_signups.*
    from stg_signups
    cross join as_of
    where stg_signups.signed_up_at <= as_of.last_row_at
),

milestones as (
    select stg_events.user_id, stg_events.occurred_at
    from stg_events
    cross join outcome
    cross join as_of
    where lower(trim(stg_events.event)) = lower(trim(outcome.milestone_event))
        and stg_events.occurred_at <= as_of.last_row_at
),

first_milestones as (
    select
        signups.user_id,
        min(milestones.occurred_at) as first_milestone_at
    from signups
    inner join milestones
        on signups.user_id = milestones.user_id
        and milestones.occurred_at >= signups.signed_up_at
    group by signups.user_id
),

signup_outcomes as (
    select
        signups.cohort_week,
        first_milestones.first_milestone_at is not null
        and epoch(first_milestones.first_milestone_at) - epoch(signups.signed_up_at)
            <= outcome.window_days * 86400 as is_activated
    from signups
    cross join outcome
    left join first_milestones on signups.user_id = first_milestones.user_id
),

per_cohort as (
    select
        cohort_week,
        count(*) as signups,
        count(*) filter (where is_activated) as activated
    from signup_outcomes
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
        cast(outcome.target as double) as target
    from weeks
    cross join outcome
    cross join workspace
    cross join as_of
    left join per_cohort on weeks.week_start = per_cohort.cohort_week
),

-- An immature cohort is provisional whatever its rate: never red, never a stall.
final as (
    select
        *,
        case
            when signups = 0 then null
            when not mature then 'provisional'
            when rate >= target then 'green'
            else 'red'
        end as status
    from cohort_rates
)

select * from final
