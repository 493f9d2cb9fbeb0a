"""Tests for the programmes app."""
