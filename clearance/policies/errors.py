"""The error raised for an invalid policy file, options file or parameter override."""

from clearance.errors import ClearanceError


class PolicyError(ClearanceError):
    """A policy, options file or `--param` value is invalid; the message names file and field."""
