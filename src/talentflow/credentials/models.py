"""Models of the credentials app (issue 7)."""
