-- One row per meeting and attendee email (lower-cased), with the response; declined rows stay here
-- and are left out of coordination later.
with attendees as (
    select * from valid_attendees
),

final as (
    select
        attendees.meeting_id,
        attendees.email,
        attendees.response,
        attendees.response = 'declined' as is_declined,
        attendees._file as source_file,
        attendees._line as source_line
    from attendees
)

select * from final
