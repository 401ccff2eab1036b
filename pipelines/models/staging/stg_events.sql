-- One row per product event (exact duplicates removed); events of users without a sign-up are kept.
with events as (
    select * from valid_events
),

final as (
    select
        events.user_id,
        events.event,
        events.occurred_at,
        events._file as source_file,
        events._line as source_line
    from events
)

select * from final
