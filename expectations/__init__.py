"""Great Expectations suites that guard each layer of a clearance run.

One module per suite: raw, staging and intermediate, marts, volume and targets. Each reads
an aggregate of the run's tables through a read-only DuckDB connection into a pandas
dataframe and validates it in an ephemeral GX context (`expectations.validation`), because
GX 1.x has no DuckDB SQL datasource that works. Great Expectations takes about 2 s to
import, so only the modules that validate import it, and only when a check runs.
"""
