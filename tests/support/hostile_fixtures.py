"""Shared fixtures of the fetch and discovery tests: the hostile server (a subprocess on loopback)
and settings that allow loopback. Each of those test folders re-exports them from its conftest."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from hostile_server import ServerPool
from newswatch.fetch import Fetcher
from newswatch.settings import Settings, load_settings

# Short limits keep hostile endpoints quick; loopback must be allowed for the fixture server.
TEST_SETTINGS = {
    "NEWSWATCH_ALLOWED_NETWORKS": "127.0.0.0/8",
    "NEWSWATCH_PER_DOMAIN_DELAY": "0",
    "NEWSWATCH_CONNECT_TIMEOUT": "1",
    "NEWSWATCH_READ_TIMEOUT": "1",
    "NEWSWATCH_TOTAL_DEADLINE": "2",
    "NEWSWATCH_MAX_PAGE_BYTES": str(1024 * 1024),
    "NEWSWATCH_MAX_RETRIES": "1",
    "NEWSWATCH_RETRY_AFTER_CAP": "2",
    "NEWSWATCH_RETRY_BACKOFF": "0.2",
}


def _make_settings(**overrides: str) -> Settings:
    env = dict(TEST_SETTINGS)
    env.update({f"NEWSWATCH_{k.upper()}": v for k, v in overrides.items()})
    return load_settings(environ=env)


@pytest.fixture
def make_settings() -> Callable[..., Settings]:
    """Build test settings with overrides: ``make_settings(robots_on_error="allow")``."""
    return _make_settings


@pytest.fixture(scope="session")
def servers() -> Iterator[ServerPool]:
    pool = ServerPool()
    yield pool
    pool.close()


@pytest.fixture(scope="session")
def base(servers: ServerPool) -> str:
    """A hostile server without robots.txt (404: everything allowed)."""
    return servers.get()


@pytest.fixture
def settings() -> Settings:
    return _make_settings()


@pytest.fixture
def fetcher(settings: Settings) -> Iterator[Fetcher]:
    with Fetcher(settings) as f:
        yield f
