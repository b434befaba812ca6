"""Exports: the 2019 statewide tool's CSV layouts and summary.json, owner-only."""

from clearance.exports.writer import ExportResult, write_exports

__all__ = ["ExportResult", "write_exports"]
