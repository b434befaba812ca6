"""Great Expectations suites that guard each layer of a clearance run.

One module per suite: raw, staging and intermediate, marts, volume and targets. Each reads
an aggregate of the run's tables through a read-only DuckDB connection into a pandas
dataframe and validates it in an ephemeral GX context (`expectations.validation`), because
GX 1.x has no DuckDB SQL datasource that works. Great Expectations takes 2 to 3 s to import,
so only the suite modules and `expectations.validation` import it. A command-line run
validates in a second process that imports it while the run starts
(`orchestration/lib/suite_worker.py`).
"""
