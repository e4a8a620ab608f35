"""Fixtures for the whole-pipeline fault tests: the demo newsroom, topics, a mail sink."""

from cycle_fixtures import newsroom, sink, sources_file, topics_file

__all__ = ["newsroom", "sink", "sources_file", "topics_file"]
