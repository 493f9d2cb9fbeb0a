"""The evaluation app's API operations, as test_api_docs expects them: (path, method)."""

OPERATIONS: set[tuple[str, str]] = {
    ("/api/evaluation/authorisations", "get"),
    ("/api/evaluation/authorisations", "post"),
    ("/api/evaluation/authorisations/{authorisation_id}", "get"),
    ("/api/evaluation/authorisations/{authorisation_id}/revoke", "post"),
    ("/api/evaluation/evaluations", "get"),
    ("/api/evaluation/evaluations", "post"),
    ("/api/evaluation/evaluations/{evaluation_id}", "get"),
    ("/api/evaluation/evaluations/{evaluation_id}/actions/{action}", "post"),
    ("/api/evaluation/recommendations", "get"),
    ("/api/evaluation/recommendations", "post"),
    ("/api/evaluation/recommendations/{recommendation_id}", "get"),
    ("/api/evaluation/recommendations/{recommendation_id}/notice", "post"),
    ("/api/evaluation/recommendations/{recommendation_id}/finalise", "post"),
    ("/api/evaluation/objections", "post"),
    ("/api/evaluation/objections/{objection_id}/resolve", "post"),
    ("/api/evaluation/results", "get"),
    ("/api/evaluation/results", "post"),
    ("/api/evaluation/results/{result_id}", "get"),
    ("/api/evaluation/results/{result_id}/revoke", "post"),
}
