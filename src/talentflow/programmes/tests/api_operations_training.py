"""The /api/programmes operations of training (path, method)."""

OPERATIONS: set[tuple[str, str]] = set()
