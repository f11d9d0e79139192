"""Drivers: talk to real massage chairs. Models, protocol codecs, links and adapters."""
