"""The points app's API operations, as test_api_docs expects them: (path, method)."""

OPERATIONS: set[tuple[str, str]] = {
    ("/api/points/talents/{talent_id}/statement", "get"),
    ("/api/points/leaderboard", "get"),
    ("/api/points/events", "get"),
    ("/api/points/events", "post"),
    ("/api/points/events/{event_id}/void", "post"),
    ("/api/points/sync", "post"),
    ("/api/points/schemes", "get"),
    ("/api/points/schemes/{scheme_id}", "get"),
    ("/api/points/versions/{version_id}/preview", "get"),
    ("/api/points/versions/{version_id}/publish", "post"),
}
