"""Reusable widgets of the chairctl app."""
