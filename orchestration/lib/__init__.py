"""Helpers of the code location that import no Dagster, so the command line can use them fast."""
