"""The Dagster code location that runs one clearance run: load, dbt build, exports."""
