-- One row per support ticket (the last version of each ticket_id).
with tickets as (
    select * from valid_tickets
),

final as (
    select
        tickets.ticket_id,
        tickets.created_at,
        tickets.solved_at,
        tickets.status,
        tickets.requester_id,
        tickets.tags,
        tickets.priority,
        tickets._file as source_file,
        tickets._line as source_line
    from tickets
)

select * from final
