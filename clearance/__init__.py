"""Prop 64 record clearance: load CA DOJ research files, decide relief, write the exports."""

__version__ = "0.1.0"
