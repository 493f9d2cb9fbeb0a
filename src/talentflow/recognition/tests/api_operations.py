"""The /api/recognition operations documented at /api/docs (path, method)."""

OPERATIONS: set[tuple[str, str]] = {
    ("/api/recognition/catalogue", "get"),
    ("/api/recognition/catalogue", "post"),
    ("/api/recognition/catalogue/{entry_id}", "delete"),
    ("/api/recognition/certificates", "get"),
    ("/api/recognition/certificates", "post"),
    ("/api/recognition/certificates/{certificate_id}", "get"),
    ("/api/recognition/certificates/{certificate_id}/evidence", "post"),
    ("/api/recognition/certificates/{certificate_id}/actions/{action}", "post"),
    ("/api/recognition/stats", "get"),
}
