"""
### newswatch_digest

Hourly. Topics whose delivery is `hourly` or `daily` get one digest email per period that
groups their stories, most important first. `hourly` digests cover the last full hour; `daily`
digests are queued once the day (UTC) is over. Each digest is an outbox row with a unique key,
so reruns never send a digest twice.
"""

from __future__ import annotations

from airflow.sdk import dag, task
from newswatch.airflow.defaults import START_DATE, TAGS_BASE, default_args


@dag(
    dag_id="newswatch_digest",
    schedule="@hourly",
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    tags=[*TAGS_BASE, "alerts", "digest"],
    doc_md=__doc__,
    default_args=default_args(timeout_minutes=15),
)
def newswatch_digest() -> None:
    @task
    def hourly() -> dict:
        from newswatch.airflow.tasks import enqueue_digests, error_line_last

        with error_line_last():
            return enqueue_digests("hourly")

    @task
    def daily() -> dict:
        from newswatch.airflow.tasks import enqueue_digests, error_line_last

        with error_line_last():
            return enqueue_digests("daily")

    @task
    def send(*_: dict) -> dict:
        from airflow.sdk import get_current_context
        from newswatch.airflow.tasks import error_line_last, send_alerts

        with error_line_last():
            return send_alerts(get_current_context()["run_id"])

    send(hourly(), daily())


newswatch_digest()
