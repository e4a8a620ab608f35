"""
### newswatch_ingest

Every 15 minutes (``NEWSWATCH_INGEST_EVERY_MINUTES``): read the sources file, then one mapped
task instance **per source** (labelled with its name; sources are grouped into shards when there
are more than ``NEWSWATCH_SOURCES_PER_SHARD``) runs discover → fetch → extract → identify → store.

* A red `ingest` instance is a source that failed: its last log line names the **error kind**
  (`timeout`, `http_5xx`, `blocked_network`, …); the other sources carry on.
* `summarize` adds up the cycle and updates the `newswatch://articles` Asset, which triggers
  `newswatch_alerts`.
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
        from newswatch.airflow.tasks import plan_shards, task_settings

        return plan_shards(task_settings())

    @task(map_index_template="{{ shard_label }}", max_active_tis_per_dagrun=ingest_parallelism())
    def ingest(shard: dict) -> dict:
        from airflow.sdk import get_current_context
        from newswatch.airflow.tasks import ingest_shard

        context = get_current_context()
        context["shard_label"] = shard["label"]  # type: ignore[typeddict-unknown-key]
        return ingest_shard(shard, context["run_id"])

    @task(trigger_rule="all_done", outlets=[ARTICLES], retries=0)
    def summarize(results: list[dict | None]) -> dict:
        from newswatch.airflow.tasks import summarize as add_up

        # One slice request: iterating would probe past the end and log a spurious 404.
        return add_up(list(results[:]))

    summarize(ingest.expand(shard=plan()))


newswatch_ingest()
