"""
### newswatch_reprocess

Manual. Re-extracts archived raw pages after the extractor improved — only the page behind each
article's latest version — and stores a new version only where the result changed. Trigger with
params `since` (`30m`, `12h`, `7d`, `2w` or an ISO date; empty = everything archived) and `source` (a source
name; empty = all). Pages dropped by retention cannot be reprocessed.
"""

from __future__ import annotations

from airflow.sdk import Param, dag, task
from newswatch.airflow.defaults import START_DATE, TAGS_BASE, default_args


@dag(
    dag_id="newswatch_reprocess",
    schedule=None,
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    tags=[*TAGS_BASE, "reprocess"],
    doc_md=__doc__,
    default_args=default_args(timeout_minutes=240),
    params={
        "since": Param("7d", type=["null", "string"], description="12h, 7d, 2w or an ISO date; empty: all"),
        "source": Param(None, type=["null", "string"], description="one source name; empty: all"),
    },
)
def newswatch_reprocess() -> None:
    @task
    def reprocess(params: dict | None = None) -> dict:
        from newswatch.airflow.tasks import error_line_last
        from newswatch.airflow.tasks import reprocess as run

        params = params or {}
        with error_line_last():
            return run(params.get("since"), params.get("source"))

    reprocess()


newswatch_reprocess()
