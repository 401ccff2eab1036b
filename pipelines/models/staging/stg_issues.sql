-- One row per work item from the issue tracker (the last version of each issue_key).
with issues as (
    select * from valid_issues
),

final as (
    select
        issues.issue_key,
        issues.issue_type,
        issues.resolved_at,
        issues.status,
        issues.labels,
        issues.story_points,
        issues._file as source_file,
        issues._line as source_line
    from issues
)

select * from final
