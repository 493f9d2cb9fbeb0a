"""The /api/programmes operations documented at /api/docs (method, path)."""

OPERATIONS: set[tuple[str, str]] = set()
