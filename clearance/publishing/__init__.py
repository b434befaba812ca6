"""Publication of a run: its folder under the publish root, the analyst database, the run
manifest, and the atomic switch of the county's `latest` link."""
