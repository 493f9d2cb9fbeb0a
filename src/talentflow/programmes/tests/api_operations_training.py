"""The /api/programmes operations of training (path, method), as the OpenAPI schema lists them."""

_T = "/api/programmes/training"

OPERATIONS: set[tuple[str, str]] = {
    (f"{_T}/bases", "get"),
    (f"{_T}/bases", "post"),
    (f"{_T}/bases/{{base_id}}", "get"),
    (f"{_T}/bases/{{base_id}}/actions/{{action}}", "post"),
    (f"{_T}/bases/{{base_id}}/subsidy", "post"),
    (f"{_T}/cohorts", "get"),
    (f"{_T}/cohorts", "post"),
    (f"{_T}/cohorts/{{cohort_id}}", "get"),
    (f"{_T}/cohorts/{{cohort_id}}/mentors", "post"),
    (f"{_T}/cohorts/{{cohort_id}}/topics", "post"),
    (f"{_T}/cohorts/{{cohort_id}}/students", "post"),
    (f"{_T}/cohorts/{{cohort_id}}/run", "post"),
    (f"{_T}/cohorts/{{cohort_id}}/placements", "post"),
    (f"{_T}/cohorts/{{cohort_id}}/confirm", "post"),
    (f"{_T}/agreements", "get"),
    (f"{_T}/agreements", "post"),
    (f"{_T}/agreements/{{agreement_id}}", "get"),
    (f"{_T}/agreements/{{agreement_id}}/actions/{{action}}", "post"),
    (f"{_T}/agreements/{{agreement_id}}/enterprise-mentor", "post"),
    (f"{_T}/agreements/{{agreement_id}}/milestones", "post"),
    (f"{_T}/milestones/{{milestone_id}}/done", "post"),
    (f"{_T}/trainees/{{trainee_id}}/graduate", "post"),
    (f"{_T}/trainees/{{trainee_id}}/destination", "post"),
    (f"{_T}/trainees/{{trainee_id}}/withdraw", "post"),
    (f"{_T}/stats", "get"),
}
