"""Security tests reuse the whole-cycle harness of tests/reliability (cycle.py) and its fixtures."""

from cycle_fixtures import newsroom, sink, sources_file, topics_file

__all__ = ["newsroom", "sink", "sources_file", "topics_file"]
