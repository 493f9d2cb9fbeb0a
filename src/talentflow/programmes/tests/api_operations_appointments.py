"""The /api/programmes operations of appointments (path, method), as the OpenAPI schema lists
them."""

OPERATIONS: set[tuple[str, str]] = {
    ("/api/programmes/requests", "get"),
    ("/api/programmes/requests", "post"),
    ("/api/programmes/requests/{request_id}", "get"),
    ("/api/programmes/requests/{request_id}/candidates", "get"),
    ("/api/programmes/requests/{request_id}/proposals", "post"),
    ("/api/programmes/appointments", "get"),
    ("/api/programmes/appointments/{appointment_id}", "get"),
    ("/api/programmes/appointments/{appointment_id}/actions", "post"),
    ("/api/programmes/appointments/{appointment_id}/start", "post"),
    ("/api/programmes/appointments/{appointment_id}/renew", "post"),
    ("/api/programmes/appointments/{appointment_id}/logs", "get"),
    ("/api/programmes/appointments/{appointment_id}/logs", "post"),
    ("/api/programmes/appointments/{appointment_id}/reviews", "post"),
    ("/api/programmes/appointments/{appointment_id}/letter.pdf", "get"),
    ("/api/programmes/stats", "get"),
}
