"""The county partitions: one partition per California county, keyed by its DOJ name."""

from dagster import StaticPartitionsDefinition

from clearance.counties import CALIFORNIA_COUNTIES

COUNTY_PARTITIONS = StaticPartitionsDefinition(list(CALIFORNIA_COUNTIES))
