"""DAG-level defaults shared by every newswatch DAG: cheap to import at parse time.

Reads only environment variables (never Variables, sockets or the database).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

START_DATE = datetime(2026, 1, 1, tzinfo=UTC)
OWNER = os.environ.get("NEWSWATCH_OWNER", "newswatch")
TAGS_BASE = ["newswatch"]


FAILURE_SUBJECT = "[newswatch] {{ dag.dag_id }}: {{ ti.task_id }} {{ ti.rendered_map_index or '' }} failed"
FAILURE_BODY = """<p>Task <b>{{ ti.task_id }}</b> of <b>{{ dag.dag_id }}</b> failed
(try {{ ti.try_number }}, run {{ run_id }}).</p>
<p>Source / shard: <b>{{ ti.rendered_map_index or '-' }}</b></p>
<p>Error: <code>{{ exception }}</code></p>
<p><a href="{{ ti.log_url }}">Open the log</a></p>"""


def operator_emails() -> list[str]:
    """Who hears about failed tasks: ``NEWSWATCH_OPERATOR_EMAILS`` (comma-separated), else nobody."""
    raw = os.environ.get("NEWSWATCH_OPERATOR_EMAILS", "")
    return [address.strip() for address in raw.split(",") if address.strip()]


def failure_callbacks() -> list:
    """Email the operators when a task fails for good (SmtpNotifier over ``smtp_default``)."""
    recipients = operator_emails()
    if not recipients:
        return []
    from airflow.providers.smtp.notifications.smtp import SmtpNotifier

    return [
        SmtpNotifier(
            to=recipients,
            from_email=os.environ.get("NEWSWATCH_MAIL_FROM"),
            smtp_conn_id=os.environ.get("NEWSWATCH_SMTP_CONN_ID", "smtp_default"),
            subject=FAILURE_SUBJECT,
            html_content=FAILURE_BODY,
        )
    ]


def default_args(*, retries: int | None = None, timeout_minutes: int = 30) -> dict:
    """Retries with exponential backoff, a hard execution timeout, operators told of failures."""
    return {
        "on_failure_callback": failure_callbacks(),
        "owner": OWNER,
        "retries": int(os.environ.get("NEWSWATCH_TASK_RETRIES", "2")) if retries is None else retries,
        "retry_delay": timedelta(seconds=int(os.environ.get("NEWSWATCH_RETRY_DELAY_SECONDS", "30"))),
        "retry_exponential_backoff": True,
        "max_retry_delay": timedelta(minutes=10),
        "execution_timeout": timedelta(minutes=timeout_minutes),
    }


def ingest_parallelism() -> int:
    """Mapped ingest task instances one run may run at once (``NEWSWATCH_INGEST_PARALLELISM``)."""
    return max(1, int(os.environ.get("NEWSWATCH_INGEST_PARALLELISM", "4")))


def every_minutes(minutes: int) -> str | timedelta:
    """A cron expression for "every N minutes" where one exists, so the UI shows ``*/15 * * * *``
    ("Every 15 minutes") rather than ``0:15:00``; other periods stay a plain interval."""
    if minutes <= 0:
        raise ValueError(f"an interval of {minutes} minutes is not a schedule")
    if minutes < 60 and 60 % minutes == 0:
        return "* * * * *" if minutes == 1 else f"*/{minutes} * * * *"
    hours, rest = divmod(minutes, 60)
    if rest == 0 and 24 % hours == 0:
        return {1: "@hourly", 24: "@daily"}.get(hours, f"0 */{hours} * * *")
    return timedelta(minutes=minutes)


def ingest_schedule() -> str | timedelta:
    """Every ``NEWSWATCH_INGEST_EVERY_MINUTES`` (15), as a cron expression where one exists."""
    return every_minutes(int(os.environ.get("NEWSWATCH_INGEST_EVERY_MINUTES", "15")))


# The Asset the ingest DAG updates and the alerts DAG is scheduled on.
ARTICLES_ASSET_URI = "newswatch://articles"
