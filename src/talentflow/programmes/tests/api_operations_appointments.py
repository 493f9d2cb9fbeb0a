"""The /api/programmes operations of appointments (path, method)."""

OPERATIONS: set[tuple[str, str]] = set()
