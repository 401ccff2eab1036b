-- One row per sign-up (deduplicated): when it happened, and the local week it belongs to (its cohort).
with signups as (
    select * from valid_signups
),

workspace as (
    select * from cfg_workspace
),

final as (
    select
        signups.user_id,
        signups.signed_up_at,
        week_of(timezone(workspace.timezone, signups.signed_up_at), workspace.week_start_isodow) as cohort_week,
        signups.account_id,
        signups.segment,
        signups.channel,
        signups.plan,
        signups._file as source_file,
        signups._line as source_line
    from signups
    cross join workspace
)

select * from final
