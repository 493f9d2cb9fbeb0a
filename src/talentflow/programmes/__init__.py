"""Programmes: appointments and joint training (issue 6)."""
