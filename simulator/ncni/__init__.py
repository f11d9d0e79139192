"""The chair's side of the NCNI protocol: the panel's tick stream and the status frames."""
