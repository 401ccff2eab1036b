-- One row per sign-up in a cohort week shown: its segment, channel and plan, its first milestone at
-- or after sign-up (up to as_of), whether that falls within the window, and how long it took.
-- Activated: the FIRST milestone event at or after sign-up falls within window_days × 24 hours of
-- elapsed time (not calendar days, so a daylight-saving change does not move the window's end).
-- hours_to_activate and days_to_activate are elapsed time (days = hours / 24), set for activated
-- sign-ups only. Every cohort figure on the Outcome page is an aggregate of these rows.
with outcome as (
    select * from cfg_outcome
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
    inner join weeks on stg_signups.cohort_week = weeks.week_start
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

elapsed as (
    select
        signups.user_id,
        signups.cohort_week,
        signups.segment,
        signups.channel,
        signups.plan,
        signups.account_id,
        signups.signed_up_at,
        first_milestones.first_milestone_at,
        epoch(first_milestones.first_milestone_at) - epoch(signups.signed_up_at) as seconds_to_milestone,
        outcome.window_days * 86400 as window_seconds,
        signups.source_file,
        signups.source_line
    from signups
    cross join outcome
    left join first_milestones on signups.user_id = first_milestones.user_id
),

final as (
    select
        user_id,
        cohort_week,
        segment,
        channel,
        plan,
        account_id,
        signed_up_at,
        first_milestone_at,
        coalesce(seconds_to_milestone <= window_seconds, false) as is_activated,
        case when seconds_to_milestone <= window_seconds
            then cast(seconds_to_milestone as double) / 3600
        end as hours_to_activate,
        case when seconds_to_milestone <= window_seconds
            then cast(seconds_to_milestone as double) / 86400
        end as days_to_activate,
        source_file,
        source_line
    from elapsed
)

select * from final
