"""Build the e-mail for an outbox row: EmailMessage (SMTP policy), plain text + HTML.

Everything shown comes from untrusted pages, so: templates autoescape HTML, the subject and every
header value are reduced to one line without control characters, links are only http(s), and
page text is data passed to templates, never template source. Any script is fine: the message
is UTF-8 throughout (the subject as RFC 2047 encoded words), and each outlet's line names the
article's language, so a reader knows before opening it what a Korean or Russian copy is.
"""

from __future__ import annotations

import email.policy
import email.utils
import re
from datetime import datetime
from email.message import EmailMessage
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from newswatch.alerts.outbox import one_line
from newswatch.errors import NewswatchError
from newswatch.settings import Settings
from newswatch.topics.matcher import Evidence

TEMPLATES = Path(__file__).parent / "templates"
ADDRESS = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+"
)
_HEADER_LIMIT = 200
# Language names shown beside an outlet; other codes are shown as they are.
LANGUAGE_NAMES = {
    "en": "English", "ko": "Korean", "ru": "Russian", "zh": "Chinese", "ja": "Japanese", "de": "German",
    "fr": "French", "es": "Spanish", "it": "Italian", "pt": "Portuguese", "nl": "Dutch", "uk": "Ukrainian",
    "ar": "Arabic", "fa": "Persian", "tr": "Turkish", "pl": "Polish", "el": "Greek", "vi": "Vietnamese",
}  # fmt: skip


class ComposeError(NewswatchError, ValueError):
    """The row cannot become a safe e-mail (e.g. a recipient is not a plain address)."""

    kind = "compose"


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def safe_url(url: Any) -> str | None:
    """Only http(s) links reach an e-mail; anything else (``javascript:``, ``data:``) is dropped."""
    if not isinstance(url, str) or not re.match(r"https?://[^\s\"'<>]+$", url, re.IGNORECASE):
        return None
    return url


def show_time(value: str | None, zone: str) -> str | None:
    """``2023-09-18 05:12 UTC``: the time in the configured zone, with the zone's name."""
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        return f"{parsed:%Y-%m-%d %H:%M} (time zone unknown)"
    local = parsed.astimezone(ZoneInfo(zone))
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


def _evidence(raw: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    out = []
    for item in raw or []:
        e = Evidence.from_dict(item)
        out.append({"field": e.field, "segments": e.segments()})
    return out


def language_name(code: Any) -> str | None:
    """``ko`` → ``Korean``, ``pt-BR`` → ``Portuguese (pt-BR)``; None when the language is unknown."""
    if not isinstance(code, str) or not code.strip():
        return None
    code = one_line(code, 20)
    primary = code.lower().replace("_", "-").split("-")[0]
    name = LANGUAGE_NAMES.get(primary)
    if name is None:
        return code
    return name if primary == code.lower() else f"{name} ({code})"


def _item(item: dict[str, Any], zone: str) -> dict[str, Any]:
    # The source's configured name is what readers know the outlet by; the host only without one.
    outlet = one_line(item.get("source") or item.get("outlet"), _HEADER_LIMIT) or "unknown outlet"
    language = language_name(item.get("language"))
    return {
        "outlet": f"{outlet} [{language}]" if language else outlet,
        "language": language,
        "headline": item.get("headline") or "",
        "url": safe_url(item.get("url")),
        "shown_url": item.get("url") or "",
        "published": show_time(item.get("published_at"), zone),
        "updated": show_time(item.get("updated_at"), zone),
    }


def _story(payload: dict[str, Any], zone: str) -> dict[str, Any]:
    changes = payload.get("changes") or {}
    return {
        "headline": payload.get("headline") or "(no headline)",
        "score": payload.get("score", 0),
        "items": [_item(i, zone) for i in payload.get("items", [])],
        "evidence": _evidence(payload.get("evidence")),
        "added": _evidence(changes.get("added")),
        "removed": _evidence(changes.get("removed")),
    }


def context(payload: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """Template variables for an alert, digest or operator-notice payload."""
    zone = settings.alert_timezone
    base = {
        "kind": payload.get("kind", "new"),
        "topic": payload.get("topic", ""),
        "description": payload.get("topic_description") or "",
    }
    if base["kind"] == "digest":
        base.update(
            period=payload.get("period"),
            window_start=show_time(payload.get("window_start"), zone),
            window_end=show_time(payload.get("window_end"), zone),
            stories=[_story(s, zone) for s in payload.get("stories", [])],
            more=int(payload.get("more") or 0),
        )
    elif base["kind"] == "ops":
        base.update(
            source=str(payload.get("source", "")),
            problem=str(payload.get("problem", "")),
            message=str(payload.get("message", "")),
        )
    else:
        base["story"] = _story(payload, zone)
    return base


TEMPLATE_FOR_KIND = {"digest": "digest", "ops": "notice"}  # every other kind is a topic alert


def render(payload: dict[str, Any], settings: Settings) -> tuple[str, str]:
    """(plain text, HTML) bodies for a payload."""
    name = TEMPLATE_FOR_KIND.get(str(payload.get("kind")), "alert")
    env, ctx = environment(), context(payload, settings)
    return env.get_template(f"{name}.txt.j2").render(ctx), env.get_template(f"{name}.html.j2").render(ctx)


def build_message(alert: Any, *, now: datetime, settings: Settings) -> EmailMessage:
    """The EmailMessage for an outbox row (``alert`` has subject, recipients, message_id, payload),
    from ``settings.mail_from``."""
    mail_from = settings.mail_from
    recipients = [r for r in alert.recipients or [] if isinstance(r, str)]
    if not recipients or any(not ADDRESS.fullmatch(r) for r in recipients):
        raise ComposeError(f"recipients are not plain addresses: {recipients!r}")
    if one_line(mail_from, len(mail_from)) != mail_from or not ADDRESS.fullmatch(
        email.utils.parseaddr(mail_from)[1]
    ):
        raise ComposeError(f"mail_from is not a plain address: {mail_from!r}")
    text, html = render(alert.payload, settings)
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["Subject"] = one_line(alert.subject, settings.alert_subject_max_chars)
    msg["From"] = one_line(mail_from, _HEADER_LIMIT)
    msg["To"] = ", ".join(recipients)
    msg["Date"] = email.utils.format_datetime(now)
    msg["Message-ID"] = alert.message_id
    reply_to = (alert.payload or {}).get("in_reply_to")
    if isinstance(reply_to, str) and re.fullmatch(r"<[^<>\s]+@[^<>\s]+>", reply_to):
        msg["In-Reply-To"] = reply_to
        msg["References"] = reply_to
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Newswatch-Topic"] = one_line(alert.topic_name, _HEADER_LIMIT)
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    return msg
