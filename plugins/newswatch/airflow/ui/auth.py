"""Authenticate every request to the newswatch page with Airflow's own JWT and auth manager.

Airflow 3.3 mounts plugin FastAPI apps without any authentication, so the page checks the caller
itself, exactly as Airflow's API does: the token comes from ``Authorization: Bearer`` or from the
``_token`` cookie that Airflow's login page sets; the configured auth manager validates it
(signature with ``[api_auth] jwt_secret``, expiry, audience, revoked-token list) and decides
whether the user may use the Airflow website at all (``AccessView.WEBSITE``: every role from
viewer up, under any auth manager). Anything else is refused before a query runs.

The page is read-only, so "may see Airflow's UI" is the bar; a custom-view permission would lock
out every FAB/Keycloak user until an admin created a "newswatch" resource.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from jwt import InvalidTokenError

from newswatch.errors import NewswatchError


class NotAuthenticated(NewswatchError):
    """No usable Airflow credential: the caller must log in."""

    kind = "not_authenticated"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NotAuthorized(NewswatchError):
    """A valid Airflow user whom the auth manager does not allow to see this page."""

    kind = "not_authorized"


def request_token(request: Request) -> str | None:
    """An explicit Bearer token wins over the ambient session cookie, as in Airflow's API."""
    header = request.headers.get("authorization", "")
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    from airflow.api_fastapi.auth.managers.base_auth_manager import COOKIE_NAME_JWT_TOKEN

    return request.cookies.get(COOKIE_NAME_JWT_TOKEN) or None


def auth_manager() -> Any:
    """The api-server's configured auth manager (SimpleAuthManager, FAB, Keycloak, ...)."""
    from airflow.api_fastapi.app import get_auth_manager

    return get_auth_manager()


async def airflow_user(request: Request) -> Any:
    """FastAPI dependency: the Airflow user behind the request, or raise NotAuthenticated/NotAuthorized."""
    token = request_token(request)
    if not token:
        raise NotAuthenticated("no Airflow token")
    manager = auth_manager()
    try:
        user = await manager.get_user_from_token(token)
    except InvalidTokenError as exc:
        raise NotAuthenticated(f"invalid Airflow token: {type(exc).__name__}") from None
    from airflow.api_fastapi.auth.managers.models.resource_details import AccessView

    if not manager.is_authorized_view(access_view=AccessView.WEBSITE, user=user):
        raise NotAuthorized("website")
    return user


def login_url(next_path: str) -> str:
    """Where a browser logs in; Airflow sends it back to ``next_path`` afterwards."""
    return str(auth_manager().get_url_login(next_url=next_path))
