"""Registers the newswatch page with Airflow: a FastAPI app on the api-server plus a nav entry.

Airflow imports this module in every component, so it only builds the (cheap) app object; the
database is opened on the first request. The app authenticates every request itself (see
``newswatch.airflow.ui.auth``) because Airflow does not protect plugin routes.
"""

from __future__ import annotations

from airflow.plugins_manager import AirflowPlugin
from newswatch.airflow.ui.app import create_app

URL_PREFIX = "/newswatch"


class NewswatchPlugin(AirflowPlugin):
    name = "newswatch"
    fastapi_apps = [{"app": create_app(), "url_prefix": URL_PREFIX, "name": "newswatch"}]
    external_views = [
        {
            "name": "Newswatch",
            "href": f"{URL_PREFIX}/",
            "url_route": "newswatch",
            "category": "browse",
            "destination": "nav",
        }
    ]
