"""The /api/credentials operations documented at /api/docs (path, method)."""

OPERATIONS: set[tuple[str, str]] = {
    ("/api/credentials/my-code", "get"),
    ("/api/credentials/trust-list", "get"),
    ("/api/credentials/revocations", "get"),
    ("/api/credentials/services", "get"),
    ("/api/credentials/redemptions", "post"),
    ("/api/credentials/redemptions", "get"),
}
