"""
### newswatch_maintenance

Daily housekeeping and the checks that keep failures from going unnoticed:

* `retention` — drops raw page bodies older than `NEWSWATCH_RAW_PAGE_RETENTION_DAYS` and
  fetch-log rows older than `NEWSWATCH_FETCH_LOG_RETENTION_DAYS`;
* `check_sources` — flags sources that yielded nothing for longer than expected, that fail run
  after run, or whose pages stopped extracting (a site redesign), and queues one notice a day per
  problem for `NEWSWATCH_OPERATOR_EMAILS`;
* `send` — sends the queued notices through the outbox.
"""

from __future__ import annotations

from airflow.sdk import dag, task
from newswatch.airflow.defaults import START_DATE, TAGS_BASE, default_args


@dag(
    dag_id="newswatch_maintenance",
    schedule="@daily",
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    tags=[*TAGS_BASE, "maintenance"],
    doc_md=__doc__,
    default_args=default_args(timeout_minutes=60),
)
def newswatch_maintenance() -> None:
    @task
    def retention() -> dict:
        from newswatch.airflow.tasks import error_line_last
        from newswatch.airflow.tasks import retention as run

        with error_line_last():
            return run()

    @task
    def check_sources() -> dict:
        from newswatch.airflow.tasks import check_sources as run
        from newswatch.airflow.tasks import error_line_last

        with error_line_last():
            return run()

    @task
    def send(*_: dict) -> dict:
        from airflow.sdk import get_current_context
        from newswatch.airflow.tasks import error_line_last, send_alerts

        with error_line_last():
            return send_alerts(get_current_context()["run_id"])

    send(retention(), check_sources())


newswatch_maintenance()
