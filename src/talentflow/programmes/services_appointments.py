"""Placeholder: filled by issue 6."""

AUDIT_ACTIONS: dict = {}
