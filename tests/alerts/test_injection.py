"""Hostile page text arrives inert: CRLF and Bcc in headlines, <script>, template syntax, bad links."""

from __future__ import annotations

from newswatch.alerts.run import match_and_enqueue
from newswatch.alerts.sender import send_pending
from newswatch.store.schema import alerts
from sqlalchemy import select

EVIL_HEADLINE = (
    "Moscow & North Korea missile talks\r\nBcc: victim@evil.example\r\nX-Injected: yes\x07\x1b[31m\u2028next"
)
EVIL_BODY = (
    "Moscow and North Korea discussed missile supplies <script>alert('x')</script> {{ 7*7 }} {% raw %}. "
    'Contact: <a href="javascript:alert(1)">here</a>.\r\nBcc: victim2@evil.example\r\n\r\n.\r\nQUIT'
)


def test_injection_attempts_arrive_inert(engine, store, settings, make_topic, now, smtp_server):
    store.publish(
        "javascript:alert(document.cookie)",
        "evil.example\r\nBcc: x@evil.example",
        EVIL_HEADLINE,
        EVIL_BODY,
        store.story("evil"),
    )
    topic = make_topic("Arms {{ config }}\r\nBcc: t@evil.example")
    assert match_and_enqueue(engine, [topic], now=now, settings=settings)["new"] == 1
    assert (
        send_pending(
            engine,
            smtp_server.connect,
            now=now,
            worker_id="w",
            settings=settings,
        )["sent"]
        == 1
    )
    (mail,) = smtp_server.received
    assert mail.rcpt_tos == ["analysts@example.com"]  # nobody added by the page
    msg = mail.message
    raw = mail.raw.decode("utf-8", "replace")
    header_block = raw.split("\r\n\r\n", 1)[0]
    assert "Bcc" not in header_block.replace("Bcc: victim", "").split("Subject:")[0]
    assert not any(line.lower().startswith(("bcc:", "x-injected:")) for line in header_block.splitlines())
    assert msg["Bcc"] is None and msg["X-Injected"] is None
    subject = msg["Subject"]
    assert (
        "\n" not in subject
        and "\r" not in subject
        and "\x07" not in subject
        and "\u2028" not in subject
        and "\x1b" not in subject
    )
    assert "Bcc: victim@evil.example X-Injected: yes" in subject  # shown as inert text
    html = msg.get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "{{ 7*7 }}" in html and "49" not in html
    assert 'href="javascript' not in html.replace("&lt;a href=&#34;javascript", "")
    assert '<a href="javascript' not in html
    text = msg.get_body(("plain",)).get_content()
    assert "{{ 7*7 }}" in text and "{% raw %}" in text and " 49 " not in text
    assert "link withheld" in text
    with engine.connect() as conn:
        stored = conn.execute(select(alerts.c.subject)).scalar_one()
    assert "\r" not in stored and "\n" not in stored
