"""Mail header and HTML injection through every field a scraped page or feed can set: headline
(page and feed title), authors, body, dates, language, canonical/og URLs and the article URL.

The whole path runs: a real HTTP server serves the hostile feed and pages, the pipeline
extracts and stores them, topics match, and the alert goes to a real SMTP server, where the
received bytes are checked.
"""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path

import cycle
from bs4 import BeautifulSoup
from hostile_server import start_server
from newswatch.store.engine import make_engine
from newswatch.store.schema import alerts
from sqlalchemy import select

CRLF = "\r\nBcc: victim@evil.example\r\nX-Injected: yes\r\n\r\n"
SCRIPT = "<script>alert(1)</script><img src=x onerror=alert(2)>"
TEMPLATE = "{{ 7*7 }}{% raw %}${7*7}"
EVIL = f"Korea{CRLF}{SCRIPT}{TEMPLATE}\u2028\x1b[31m=?utf-8?b?QmNjOiB4QGV2aWwuZXhhbXBsZQ==?="
PARAGRAPH = (
    "Korea and its neighbours held talks this week about trade, shipping and the weather. "
    "Officials said the meeting would continue next month in the capital. "
)


def _page(base: str, headline: bool) -> str:
    ld = {
        "@context": "https://schema.org", "@type": "NewsArticle",
        "author": [{"@type": "Person", "name": f"Eve{CRLF}{SCRIPT}"}],
        "datePublished": f"2026-11-26T10:00:00Z{CRLF}", "inLanguage": f"en{CRLF}",
        "mainEntityOfPage": f"{base}/files/x\"><script>alert(3)</script>",
    }
    if headline:
        ld["headline"] = EVIL
    body = "".join(f"<p>{PARAGRAPH}</p>" for _ in range(4))
    ld_json = json.dumps(ld).replace("</", "<\\/")
    h1 = "<h1>" + EVIL.replace("<", "&lt;") + "</h1>" if headline else ""
    crlf_text = CRLF.replace(chr(13), "&#13;")
    hostile_text = SCRIPT.replace("<", "&lt;")  # markup shown as text on the page
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{"Korea &lt;script&gt;" if headline else ""}</title>
<link rel="canonical" href="javascript:alert(4)">
<meta property="og:url" content="{base}/files/og&quot;&gt;&lt;script&gt;alert(5)&lt;/script&gt;">
<meta name="author" content="Mallory&#13;&#10;Bcc: victim@evil.example">
<script type="application/ld+json">{ld_json}</script></head>
<body><article>{h1}
<p class="byline">By <a rel="author" href="javascript:alert(6)">Eve&#13;&#10;Bcc: x@evil.example</a></p>
{body}<p>Korea: {hostile_text} {TEMPLATE} <a href="javascript:alert(7)">read more</a>
{crlf_text}.</p></article></body></html>"""


def _feed(base: str) -> str:
    def item(path: str, title: str) -> str:
        esc = title.replace("&", "&amp;").replace("<", "&lt;")
        return f"<item><title>{esc}</title><link>{base}{path}</link><pubDate>{CRLF}</pubDate></item>"

    return ("<rss><channel>" + item("/files/one.html?q=%22%3E%3Cscript%3Ealert(8)%3C/script%3E", EVIL)
            + item("/files/two.html", EVIL) + "</channel></rss>")


def _check_headers(message: EmailMessage) -> None:
    names = [k.lower() for k in message.keys()]
    assert "bcc" not in names and "x-injected" not in names, names
    for key, value in message.items():
        assert "\r" not in str(value) and "\n" not in str(value), (key, value)


def _check_html(html: str) -> None:
    soup = BeautifulSoup(html, "lxml")
    assert soup.find_all(["script", "img", "iframe", "object", "embed", "form"]) == []
    for tag in soup.find_all(True):
        for attr, value in tag.attrs.items():
            assert not attr.lower().startswith("on"), (tag.name, attr)
            if attr in ("href", "src", "action"):
                assert str(value).startswith(("http://", "https://", "mailto:")), (tag.name, attr, value)
    assert "49" not in soup.get_text()  # no template was evaluated ({{ 7*7 }})


def test_hostile_scraped_fields_arrive_inert(db_url: str, tmp_path: Path, sink: cycle.MailSink) -> None:
    root = tmp_path / "site"
    root.mkdir()
    topics = tmp_path / "topics.yaml"
    topics.write_text("topics:\n  - name: Korea\n    query: korea\n    recipients: [desk@example.com]\n")
    with start_server("--root", str(root)) as info:
        base = str(info["url"])
        (root / "one.html").write_text(_page(base, headline=True))
        (root / "two.html").write_text(_page(base, headline=False))  # headline only from the feed
        (root / "feed.xml").write_text(_feed(base))
        sources = tmp_path / "sources.yaml"
        sources.write_text(f"sources:\n  - name: evil\n    feed: {base}/files/feed.xml\n")
        settings = cycle.settings_from(cycle.environment(db_url, sources, topics))
        summaries = cycle.ingest(settings)
        assert summaries[0].new == 2, summaries
        result = cycle.alerts(settings, sink.port)
    assert result["sent"]["sent"] >= 1
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            queued = conn.execute(select(alerts.c.status)).scalars().all()
    finally:
        engine.dispose()
    assert queued and set(queued) == {"sent"}
    assert len(sink.received) == len(queued)
    for mail in sink.received:
        assert mail.rcpt_tos == ["desk@example.com"]
        message = mail.message
        _check_headers(message)
        assert "Korea" in str(message["Subject"])
        html = message.get_body(("html",))
        assert html is not None
        _check_html(html.get_content())
        # Body text may quote "Bcc: …" as words; it must not have made new MIME parts or headers.
        kinds = [part.get_content_type() for part in message.walk()]
        assert kinds.count("text/plain") == 1 and kinds.count("text/html") == 1, kinds
        assert set(kinds) <= {"multipart/alternative", "text/plain", "text/html"}, kinds
