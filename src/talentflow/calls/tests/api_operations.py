"""The /api/calls operations documented at /api/docs (path, method)."""

OPERATIONS: set[tuple[str, str]] = {
    ("/api/calls", "get"),
    ("/api/calls", "post"),
    ("/api/calls/stats", "get"),
    ("/api/calls/{call_id}", "get"),
    ("/api/calls/{call_id}", "patch"),
    ("/api/calls/{call_id}/panel", "put"),
    ("/api/calls/{call_id}/actions/{action}", "post"),
    ("/api/calls/{call_id}/applications", "get"),
    ("/api/calls/{call_id}/applications", "post"),
    ("/api/calls/{call_id}/results", "get"),
    ("/api/calls/applications/{application_id}", "get"),
    ("/api/calls/applications/{application_id}/scores", "post"),
}
