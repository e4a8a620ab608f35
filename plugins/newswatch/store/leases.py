"""The database lease store: per-domain politeness shared by every process using the article
database (``domain_slots`` holds each domain's next start, ``domain_leases`` its requests in
flight). The fetcher's limiter takes it as its ``fetch.leases.LeaseStore``."""

from __future__ import annotations

from sqlalchemy import Engine

from newswatch.models import DomainClaim
from newswatch.store import fetch_log


class DatabaseLeases:
    """``LeaseStore`` over the fetch log's slot and lease tables (SQLite and PostgreSQL)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def try_claim(
        self,
        domain: str,
        now: float,
        interval: float,
        *,
        concurrency: int | None = None,
        lease_seconds: float = 0.0,
        poll: float = 0.0,
    ) -> DomainClaim:
        claim = fetch_log.try_claim_domain(
            self._engine,
            domain,
            now,
            interval,
            concurrency=concurrency,
            lease_seconds=lease_seconds,
            poll=poll,
        )
        return DomainClaim(claim.claimed, claim.at, claim.lease_id)

    def release(self, lease_id: str) -> None:
        fetch_log.release_lease(self._engine, lease_id)

    def defer(self, domain: str, until: float) -> None:
        fetch_log.defer_domain(self._engine, domain, until)
