"""The points app's API operations, as test_api_docs expects them: (path, method)."""

OPERATIONS: set[tuple[str, str]] = set()
