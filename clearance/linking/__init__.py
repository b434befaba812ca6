"""Linking court charges to DOJ convictions."""
