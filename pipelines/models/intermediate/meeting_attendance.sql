-- One row per meeting and attendee who did not decline, with the attendee's function and hourly
-- cost when the people export knows them.
with meetings as (
    select * from stg_meetings
),

attendees as (
    select * from stg_attendees where not is_declined
),

people as (
    select * from stg_people
),

final as (
    select
        meetings.meeting_id,
        meetings.week_start,
        meetings.hours,
        attendees.email,
        people.function,
        people.hourly_cost,
        meetings.hours * people.hourly_cost as cost
    from attendees
    inner join meetings on attendees.meeting_id = meetings.meeting_id
    left join people on attendees.email = people.email
)

select * from final
