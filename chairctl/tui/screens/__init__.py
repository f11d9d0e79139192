"""The screens of the chairctl app."""
