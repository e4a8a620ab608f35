"""Hooks: Airflow connections turned into the plain clients the core functions take."""

from __future__ import annotations

import smtplib

from airflow.providers.smtp.hooks.smtp import SmtpHook

from newswatch.errors import NewswatchError


class NewswatchSmtpHook(SmtpHook):
    """The provider's SMTP hook (TLS/SSL, login from the connection), handing out its client.

    The outbox decides retries and must send each message exactly once, so the hook's own
    send-with-retry (``send_email_smtp``) is never used: the sender gets a connected
    ``smtplib.SMTP`` and calls ``send_message`` once per claimed alert.
    """

    def open_client(self) -> smtplib.SMTP:
        self.get_conn()
        client = self._smtp_client
        if not isinstance(client, smtplib.SMTP):
            raise NewswatchError(
                f"SMTP connection {self.smtp_conn_id!r} gave no client", kind="smtp_connection"
            )
        self._smtp_client = None  # the caller owns (and closes) it from here on
        return client
