"""The rules app's API operations, as test_api_docs expects them: (path, method)."""

OPERATIONS: set[tuple[str, str]] = {
    ("/api/rules/policies", "get"),
    ("/api/rules/policies/{policy_id}", "get"),
    ("/api/rules/policies/{policy_id}/versions", "post"),
    ("/api/rules/policies/{policy_id}/compute", "post"),
    ("/api/rules/versions/{version_id}", "get"),
    ("/api/rules/versions/{version_id}", "patch"),
    ("/api/rules/versions/{version_id}", "delete"),
    ("/api/rules/versions/{version_id}/what-if", "get"),
    ("/api/rules/versions/{version_id}/publish", "post"),
    ("/api/rules/applications", "get"),
    ("/api/rules/applications", "post"),
    ("/api/rules/applications/{application_id}", "get"),
    ("/api/rules/applications/{application_id}", "patch"),
    ("/api/rules/applications/{application_id}/evidence", "post"),
    ("/api/rules/applications/{application_id}/submit", "post"),
    ("/api/rules/applications/{application_id}/review", "post"),
    ("/api/rules/applications/{application_id}/payout", "post"),
    ("/api/rules/applications/{application_id}/withdraw", "post"),
}
