"""
### newswatch_alerts

Runs whenever `newswatch_ingest` updates the `newswatch://articles` Asset.

1. `match` — match new article versions against the watched topics (`config/topics.yaml`) and
   put **one alert per topic and story** into the outbox (a row with a unique key).
2. `send` — claim pending alerts, send each with a deterministic `Message-ID` through the
   Airflow connection `smtp_default`, mark it sent. Temporary SMTP errors are retried later
   from the outbox; nothing is ever sent twice by a task retry.
3. `check` — **fails the run** when `match` or `send` failed or an alert ended `failed` or
   `unknown` (delivery unknowable: never resent by itself), so it shows as a failed run in the
   DAG list and on Home. Its log ends with the counts and the commands to look and requeue:
   `newswatch alerts outbox --status unknown`, `newswatch alerts requeue ID`.
"""

from __future__ import annotations

from airflow.sdk import Asset, dag, task
from newswatch.airflow.defaults import ARTICLES_ASSET_URI, START_DATE, TAGS_BASE, default_args


@dag(
    dag_id="newswatch_alerts",
    schedule=[Asset(name="newswatch_articles", uri=ARTICLES_ASSET_URI)],
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    tags=[*TAGS_BASE, "alerts"],
    doc_md=__doc__,
    default_args=default_args(timeout_minutes=15),
)
def newswatch_alerts() -> None:
    @task
    def match() -> dict:
        from newswatch.airflow.tasks import error_line_last, match_topics

        with error_line_last():
            return match_topics()

    @task
    def send(matched: dict) -> dict:
        from airflow.sdk import get_current_context
        from newswatch.airflow.tasks import error_line_last, send_alerts

        with error_line_last():
            return send_alerts(get_current_context()["run_id"])

    @task(trigger_rule="all_done", retries=0)
    def check() -> dict:
        from airflow.sdk import get_current_context
        from newswatch.airflow.tasks import check_alerts, error_line_last, run_task_states

        context = get_current_context()
        with error_line_last():
            return check_alerts(context["ti"].xcom_pull(task_ids="send"), run_task_states(context))

    send(match()) >> check()


newswatch_alerts()
