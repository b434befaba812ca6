"""The base exception of the product: every failure a user can act on derives from it."""


class ClearanceError(Exception):
    """A failure the user can fix, reported in one line that names files and columns only."""
