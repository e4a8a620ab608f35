"""
### newswatch_ingest

Every 15 minutes (``NEWSWATCH_INGEST_EVERY_MINUTES``): read the sources file, then one mapped
task instance **per source** (labelled with its name; sources are grouped into shards when there
are more than ``NEWSWATCH_SOURCES_PER_SHARD``) runs discover → fetch → extract → identify → store.

* A red `ingest` instance is a source that failed: its log **ends** with one short line,
  `source 'NAME' failed: error_kind=KIND: reason` (`timeout`, `http_5xx`, `connection`, …), the
  detail above it; the other sources carry on.
* `summarize` adds up the cycle and updates the `newswatch://articles` Asset, which triggers
  `newswatch_alerts` — whatever the sources did, the articles that were stored go on to alerting.
* `check` runs last and **fails the run** when any `ingest` instance failed, naming them, so a
  failed source shows as a failed run in the DAG list and on Home (not only as a red square in
  the grid). Its log ends with `error_kind=run_failed: N of M ingest instance(s) failed: NAMES`.
* Re-running any task or the whole run converges to the same database state.
"""

from __future__ import annotations

from airflow.sdk import Asset, dag, task
from newswatch.airflow.defaults import (
    ARTICLES_ASSET_URI,
    START_DATE,
    TAGS_BASE,
    default_args,
    ingest_parallelism,
    ingest_schedule,
)

ARTICLES = Asset(name="newswatch_articles", uri=ARTICLES_ASSET_URI)


@dag(
    dag_id="newswatch_ingest",
    schedule=ingest_schedule(),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    tags=[*TAGS_BASE, "ingest"],
    doc_md=__doc__,
    default_args=default_args(timeout_minutes=30),
)
def newswatch_ingest() -> None:
    @task
    def plan() -> list[dict]:
        from newswatch.airflow.tasks import error_line_last, plan_shards, task_settings

        with error_line_last():
            return plan_shards(task_settings())

    @task(map_index_template="{{ shard_label }}", max_active_tis_per_dagrun=ingest_parallelism())
    def ingest(shard: dict) -> dict:
        from airflow.sdk import get_current_context
        from newswatch.airflow.tasks import error_line_last, ingest_shard

        context = get_current_context()
        context["shard_label"] = shard["label"]  # type: ignore[typeddict-unknown-key]
        with error_line_last():
            return ingest_shard(shard, context["run_id"])

    @task(trigger_rule="all_done", outlets=[ARTICLES], retries=0)
    def summarize(results: list[dict | None]) -> dict:
        from newswatch.airflow.tasks import error_line_last
        from newswatch.airflow.tasks import summarize as add_up

        # One slice request: iterating would probe past the end and log a spurious 404.
        with error_line_last():
            return add_up(list(results[:]))

    # The failed ingest instance has already e-mailed the operators: no second notice from here.
    @task(trigger_rule="all_done", retries=0, on_failure_callback=[])
    def check() -> dict:
        from airflow.sdk import get_current_context
        from newswatch.airflow.tasks import check_ingest, error_line_last, run_task_states

        context = get_current_context()
        with error_line_last():
            return check_ingest(context["ti"].xcom_pull(task_ids="plan"), run_task_states(context))

    summarize(ingest.expand(shard=plan())) >> check()


newswatch_ingest()
