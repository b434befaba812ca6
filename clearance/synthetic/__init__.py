"""Synthetic DOJ research files for the demo and the benchmark; every person in them is invented."""
