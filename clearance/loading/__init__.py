"""The raw layer: DOJ files bulk-loaded into DuckDB as text, with lineage and quarantine."""
