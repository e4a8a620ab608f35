"""Send outbox rows: claim atomically, send with the row's Message-ID, record the outcome.

States: ``pending`` → ``claimed`` (a sender owns it, nothing sent yet) → ``sending`` (handed to
SMTP) → ``sent`` | ``pending`` (temporary failure, retried later with backoff) | ``failed``
(permanent 5xx, or too many attempts). A claim is a compare-and-set ``UPDATE … WHERE status =
'pending'``, so two senders never own the same row on SQLite or PostgreSQL. A stale ``claimed``
row (its sender died before sending) returns to ``pending``. When delivery is unknowable — the
connection dropped inside DATA, or a stale ``sending`` row whose sender died mid-transaction —
the row becomes ``unknown`` and is never resent automatically: we prefer a flagged, possibly
missing e-mail to a duplicate. See alerts/README.md for the guarantee in full.
"""

from __future__ import annotations

import email.utils
import smtplib
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Engine

from newswatch.alerts.compose import ComposeError, build_message
from newswatch.errors import NewswatchError
from newswatch.settings import Settings, SettingsError
from newswatch.store import outbox
from newswatch.store.values import utc

_CANDIDATES = 5  # rows looked at per claim attempt, so competing senders rarely collide
_INTERRUPTED = (
    "sender stopped during the SMTP transaction; delivery "
    "unknown, not resent automatically (requeue by hand if it never arrived)"
)


class _Temporary(NewswatchError):
    """Retry later: SMTP 4xx, connection refused or dropped."""

    kind = "smtp_temporary"


class _Permanent(NewswatchError):
    """Do not retry: SMTP 5xx (the text is the server's reply)."""

    kind = "smtp_permanent"


class _Ambiguous(NewswatchError):
    """The connection failed after the message was handed over: it may have been delivered."""

    kind = "smtp_ambiguous"


def deliver(
    smtp: smtplib.SMTP, message: EmailMessage, mail_from: str, recipients: list[str]
) -> dict[str, Any]:
    """One SMTP transaction, step by step, so that every failure is known to be before the message
    was handed over (safe to retry) or during/after it (:class:`_Ambiguous`: never retried).
    Returns the recipients the server refused while accepting the others."""
    smtp.ehlo_or_helo_if_needed()
    sender = email.utils.parseaddr(mail_from)[1]
    code, reply = smtp.mail(sender)
    if code != 250:
        _reset(smtp)
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    refused: dict[str, Any] = {}
    for rcpt in recipients:
        code, reply = smtp.rcpt(rcpt)
        if code not in (250, 251):
            refused[rcpt] = (code, reply)
    if len(refused) == len(recipients):
        _reset(smtp)
        raise smtplib.SMTPRecipientsRefused(refused)
    try:
        code, reply = smtp.data(message.as_bytes())
    except smtplib.SMTPResponseException:
        raise  # the server answered DATA with an error: nothing was accepted
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        raise _Ambiguous(f"connection lost during DATA, delivery unknown: {exc}") from exc
    if code != 250:
        _reset(smtp)
        raise smtplib.SMTPDataError(code, reply)
    return refused


def _reset(smtp: smtplib.SMTP) -> None:
    try:
        smtp.rset()
    except (smtplib.SMTPException, OSError):
        pass  # the next command will fail and be classified


def _reply(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return f"{code} {text}".strip()


def classify(exc: BaseException) -> Exception:
    """Map an smtplib/socket exception to temporary or permanent."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = {code for code, _ in exc.recipients.values()}
        replies = "; ".join(f"{rcpt}: {_reply(c, m)}" for rcpt, (c, m) in exc.recipients.items())
        return _Permanent(replies) if codes and all(c >= 500 for c in codes) else _Temporary(replies)
    if isinstance(exc, smtplib.SMTPResponseException):
        reply = _reply(exc.smtp_code, exc.smtp_error)
        return _Permanent(reply) if 500 <= exc.smtp_code < 600 else _Temporary(reply)
    # Disconnects, refused connections, timeouts, anything else: nothing was handed over.
    return _Temporary(f"{type(exc).__name__}: {exc}")


def backoff(attempts: int, settings: Settings) -> timedelta:
    """Delay before attempt ``attempts + 1``: doubling from the base, capped."""
    seconds = settings.alert_retry_base_seconds * (2 ** max(attempts - 1, 0))
    return timedelta(seconds=min(seconds, settings.alert_retry_max_seconds))


def recover_stale(engine: Engine, now: datetime, settings: Settings) -> dict[str, int]:
    """Release claims whose sender vanished; flag interrupted sends as ``unknown``."""
    cutoff = now - timedelta(seconds=settings.alert_claim_lease_seconds)
    with engine.begin() as conn:
        released = outbox.release_claims_before(conn, cutoff)
        unknown = outbox.mark_sending_unknown_before(conn, cutoff, _INTERRUPTED)
    return {"released": released, "unknown": unknown}


def claim_one(engine: Engine, now: datetime, worker_id: str) -> Any | None:
    """Atomically take one due pending alert for ``worker_id``; ``None`` when none is left."""
    while True:
        with engine.connect() as conn:
            ids = outbox.due_ids(conn, now, _CANDIDATES)
        if not ids:
            return None
        for alert_id in ids:
            with engine.begin() as conn:
                won = outbox.claim(conn, alert_id, worker_id, now)
            if won is not None:
                return won


def _transition(engine: Engine, alert_id: int, worker_id: str, from_status: str, **values: Any) -> bool:
    with engine.begin() as conn:
        return outbox.transition(conn, alert_id, worker_id, from_status, values)


def _retry_or_fail(
    engine: Engine,
    alert: Any,
    worker_id: str,
    from_status: str,
    error: str,
    now: datetime,
    max_attempts: int,
    settings: Settings,
) -> str:
    attempts = int(alert.attempts or 0) + 1
    if attempts >= max_attempts:
        _transition(
            engine,
            alert.id,
            worker_id,
            from_status,
            status="failed",
            attempts=attempts,
            last_error=f"gave up after {attempts} attempts; last: {error}",
            claimed_by=None,
        )
        return "failed"
    _transition(
        engine,
        alert.id,
        worker_id,
        from_status,
        status="pending",
        attempts=attempts,
        last_error=error,
        next_attempt_at=now + backoff(attempts, settings),
        claimed_by=None,
        claimed_at=None,
    )
    return "retry"


def _check_zone(settings: Settings) -> None:
    """Fail the run, not every alert, when the display time zone is misconfigured."""
    try:
        ZoneInfo(settings.alert_timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise SettingsError(
            f"NEWSWATCH_ALERT_TIMEZONE={settings.alert_timezone!r} is not a time zone"
        ) from exc


def send_pending(
    engine: Engine,
    connect: Callable[[], smtplib.SMTP],
    *,
    now: datetime,
    worker_id: str,
    settings: Settings,
    max_attempts: int | None = None,
) -> dict[str, int]:
    """Send due alerts until none is left (or the server is unreachable); return counts. The
    sender is ``settings.mail_from``, the address the queued Message-IDs were made with."""
    _check_zone(settings)
    max_attempts = max_attempts or settings.alert_max_attempts
    now = utc(now)  # type: ignore[assignment]
    summary = {"sent": 0, "retry": 0, "failed": 0, **recover_stale(engine, now, settings)}
    smtp: smtplib.SMTP | None = None
    try:
        for _ in range(settings.alert_send_batch):
            alert = claim_one(engine, now, worker_id)
            if alert is None:
                break
            outcome, smtp = _send_one(
                engine, alert, smtp, connect, now, worker_id, max_attempts, settings
            )
            summary[outcome] += 1
            if outcome in ("retry", "unknown") and smtp is None:
                break  # the server is unreachable: leave the rest for the next run
    finally:
        _quit(smtp)
    return summary


def _send_one(
    engine: Engine,
    alert: Any,
    smtp: smtplib.SMTP | None,
    connect: Callable[[], smtplib.SMTP],
    now: datetime,
    worker_id: str,
    max_attempts: int,
    settings: Settings,
) -> tuple[str, smtplib.SMTP | None]:
    try:
        message = build_message(alert, now=now, settings=settings)
    except (ComposeError, ValueError) as exc:
        _transition(
            engine, alert.id, worker_id, "claimed", status="failed", last_error=f"cannot compose: {exc}"
        )
        return "failed", smtp
    if smtp is None:
        try:
            smtp = connect()
        except Exception as exc:  # whatever the server says at connect time is not this alert's fault
            error = f"cannot connect: {classify(exc)}"
            return _retry_or_fail(
                engine, alert, worker_id, "claimed", error, now, max_attempts, settings
            ), None
    stage = "claimed"
    try:
        if not _transition(engine, alert.id, worker_id, "claimed", status="sending", claimed_at=now):
            return "retry", smtp  # our claim was taken over (lease expired); the other sender owns it
        stage = "sending"
        refused = deliver(smtp, message, settings.mail_from, list(alert.recipients))
    except _Ambiguous as exc:
        _transition(
            engine,
            alert.id,
            worker_id,
            "sending",
            status="unknown",
            last_error=f"{exc}; not resent automatically (requeue by hand if it never arrived)",
            attempts=int(alert.attempts or 0) + 1,
        )
        _quit(smtp)
        return "unknown", None
    except Exception as exc:  # smtplib raises many types; classify() decides
        kind = classify(exc)
        if isinstance(kind, _Permanent):
            _transition(
                engine,
                alert.id,
                worker_id,
                stage,
                status="failed",
                attempts=int(alert.attempts or 0) + 1,
                last_error=str(kind),
                claimed_by=None,
            )
            return "failed", smtp
        _quit(smtp)
        return _retry_or_fail(engine, alert, worker_id, stage, str(kind), now, max_attempts, settings), None
    note = "; ".join(f"{r}: {_reply(c, m)}" for r, (c, m) in refused.items()) if refused else None
    _transition(
        engine,
        alert.id,
        worker_id,
        "sending",
        status="sent",
        sent_at=now,
        attempts=int(alert.attempts or 0) + 1,
        last_error=note and f"some recipients refused: {note}",
    )
    return "sent", smtp


def _quit(smtp: smtplib.SMTP | None) -> None:
    if smtp is None:
        return
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()
