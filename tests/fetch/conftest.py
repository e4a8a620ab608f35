"""Fixtures for the fetch tests: the hostile server and loopback-allowing settings (shared)."""

from hostile_fixtures import TEST_SETTINGS, base, fetcher, make_settings, servers, settings

__all__ = ["TEST_SETTINGS", "base", "fetcher", "make_settings", "servers", "settings"]
