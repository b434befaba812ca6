"""Definitions of the clearance code location, one module per concern."""
