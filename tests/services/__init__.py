"""Tests of the service layer under the front ends."""
