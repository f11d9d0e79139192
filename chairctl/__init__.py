"""chairctl: drive massage chairs with declarative, personalised, safety-checked programs."""

__version__ = "0.1.0"
