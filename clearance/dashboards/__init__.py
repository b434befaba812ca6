"""Static dashboards for policymakers: one self-contained HTML page per county publication and
one statewide page over every county's latest publication, with small cells suppressed."""
