"""The FastAPI app behind the newswatch page: server-rendered, read-only, authenticated.

Pages are Jinja2 templates with autoescaping on, and no JavaScript: every value from an article,
feed or topic is hostile text. Every route depends on :func:`.auth.airflow_user`, and the
exception handlers turn a refusal into a login redirect (browsers) or a bare 401/403 (API
callers), never into data. Settings and the engine are created on the first request, not at
import, because Airflow imports plugins in every component.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from newswatch.airflow.ui import pages
from newswatch.airflow.ui.auth import NotAuthenticated, NotAuthorized, airflow_user, login_url
from newswatch.settings import Settings, load_settings
from newswatch.store.engine import make_engine
from newswatch.store.reads import alerts as alert_reads

log = logging.getLogger(__name__)
TEMPLATES = Path(__file__).parent / "templates"
# Drawing size of one topic's hits-per-day chart, in SVG user units (presentation, not a limit).
CHART_WIDTH, CHART_HEIGHT = 900, 90
# A search box query longer than this is refused (422) before parsing: no topic query is this long.
MAX_QUERY_CHARS = 2000
MAX_PAGE = 1000  # deeper paging is what the CLI export is for
# No script may run and nothing may be loaded from elsewhere; Airflow's own UI may frame the page.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
NAV = (("articles", "/", "Articles"), ("stories", "/stories", "Stories"), ("alerts", "/alerts", "Alerts"),
       ("topics", "/topics", "Topics"), ("sources", "/sources", "Source health"))


def web_url(value: object) -> str:
    """Only http(s) URLs become links: a stored URL is page data, never a javascript: or data: link."""
    text = str(value or "")
    return text if text.lower().startswith(("http://", "https://")) else ""


@lru_cache(maxsize=1)
def templates() -> Environment:
    """Autoescaping is on for every template, whatever its extension."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    env.filters["when"] = lambda value: value.strftime("%Y-%m-%d %H:%M UTC") if value else "—"
    env.filters["web_url"] = web_url
    env.filters["short"] = lambda value: value.strftime("%m-%d %H:%M") if value else "—"
    return env


class Backend:
    """Settings and one engine per process, built lazily on first use."""

    def __init__(self, settings_loader: Callable[[], Settings]) -> None:
        self._loader = settings_loader
        self._settings: Settings | None = None
        self._engine: Engine | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = self._loader()
        return self._settings

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self.settings.database_url)
        return self._engine


def render(request: Request, name: str, page: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    base = str(request.scope.get("root_path", "")).rstrip("/")
    html = templates().get_template(name).render(base=base, nav=NAV, page=page, **context)
    return HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)


def _wants_html(request: Request) -> bool:
    """A browser navigation (not an API client with a Bearer header) is sent to the login page."""
    return "text/html" in request.headers.get("accept", "") and "authorization" not in request.headers


def _refused(request: Request, exc: NotAuthenticated) -> Response:
    if _wants_html(request):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(login_url(target), status_code=303, headers={"Cache-Control": "no-store"})
    return JSONResponse({"detail": "Not authenticated"}, status_code=401,
                        headers={"WWW-Authenticate": "Bearer", "Cache-Control": "no-store"})


def _forbidden(request: Request, exc: NotAuthorized) -> Response:
    return JSONResponse({"detail": "Forbidden"}, status_code=403, headers={"Cache-Control": "no-store"})


def _database_down(request: Request, exc: SQLAlchemyError) -> Response:
    """The article database is unreachable or unmigrated: say so, without its URL or the SQL."""
    log.exception("newswatch UI could not read the article database")
    return render(request, "unavailable.html", "", status_code=503, error=type(exc).__name__)


def create_app(
    settings_loader: Callable[[], Settings] = load_settings,
    authenticate: Callable[..., Any] = airflow_user,
) -> FastAPI:
    """The app; ``authenticate`` is a FastAPI dependency that raises a refusal for a bad caller."""
    backend = Backend(settings_loader)
    # The dependency on the app, not per route: a route added later cannot forget it.
    app = FastAPI(title="newswatch", docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=[Depends(authenticate)])
    app.add_exception_handler(NotAuthenticated, _refused)  # type: ignore[arg-type]
    app.add_exception_handler(NotAuthorized, _forbidden)  # type: ignore[arg-type]
    app.add_exception_handler(SQLAlchemyError, _database_down)  # type: ignore[arg-type]

    @app.get("/", response_class=HTMLResponse)
    def articles_page(
        request: Request,
        q: Annotated[str, Query(max_length=MAX_QUERY_CHARS)] = "",
        page: Annotated[int, Query(ge=0, le=MAX_PAGE)] = 0,
    ) -> Response:
        found = pages.recent_articles(backend.engine, backend.settings, q, page)
        counts = pages.overview(backend.engine, backend.settings)
        return render(request, "articles.html", "articles", result=found, counts=counts)

    @app.get("/articles/{article_id}", response_class=HTMLResponse)
    def article_page(request: Request, article_id: int) -> Response:
        article = pages.article_detail(backend.engine, backend.settings, article_id)
        if article is None:
            return render(request, "missing.html", "articles", status_code=404, what=f"article {article_id}")
        return render(request, "article.html", "articles", article=article)

    @app.get("/stories", response_class=HTMLResponse)
    def stories_page(request: Request) -> Response:
        return render(request, "stories.html", "stories",
                      stories=pages.recent_stories(backend.engine, backend.settings))

    @app.get("/alerts", response_class=HTMLResponse)
    def alerts_page(
        request: Request,
        status: Annotated[str, Query(max_length=20)] = "",
        topic: Annotated[str, Query(max_length=200)] = "",
    ) -> Response:
        found = pages.recent_alerts(backend.engine, backend.settings, status=status, topic=topic)
        counts = alert_reads.alert_counts(backend.engine)  # not the header's article counts
        return render(request, "alerts.html", "alerts", alerts=found, status=status, topic=topic,
                      counts=counts)

    @app.get("/topics", response_class=HTMLResponse)
    def topics_page(request: Request) -> Response:
        activity = pages.topic_activity(backend.engine, backend.settings)
        return render(request, "topics.html", "topics", days=backend.settings.ui_chart_days,
                      topics=pages.with_charts(activity, width=CHART_WIDTH, height=CHART_HEIGHT))

    @app.get("/sources", response_class=HTMLResponse)
    def sources_page(request: Request) -> Response:
        configured, config_errors = pages.configured_sources(backend.settings)
        health = pages.source_health(backend.engine, backend.settings, configured=configured)
        return render(request, "sources.html", "sources", quiet_hours=backend.settings.ui_quiet_after_hours,
                      sources=health, judged=configured is not None, config_errors=config_errors)

    return app
