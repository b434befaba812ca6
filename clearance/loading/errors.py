"""Errors raised while loading DOJ files into the raw layer."""

from clearance.errors import ClearanceError


class InputFileError(ClearanceError):
    """A DOJ file that cannot be loaded: missing, not a file, empty, or without one valid line."""
