"""Benchmarks of one family: the Rongtai H10 chair against its vendor's own app, the baseline
only this family has (the app's key sequences are public)."""
