"""Models of the recognition app (issue 7)."""
