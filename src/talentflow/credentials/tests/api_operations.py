"""The /api/credentials operations documented at /api/docs (path, method)."""

OPERATIONS: set[tuple[str, str]] = set()
