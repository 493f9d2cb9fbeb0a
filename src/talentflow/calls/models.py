"""Models of the calls app (issue 7)."""
