"""The /api/calls operations documented at /api/docs (path, method)."""

OPERATIONS: set[tuple[str, str]] = set()
