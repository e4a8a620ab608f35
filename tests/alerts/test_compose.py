"""Composing e-mails from outbox payloads: subjects, times with zones, links, notices, digests."""

from __future__ import annotations

import email
import email.policy
from dataclasses import replace
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from newswatch.alerts.compose import ComposeError, build_message, safe_url, show_time
from newswatch.alerts.outbox import subject
from newswatch.settings import load_settings

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def row(payload, recipients=("a@example.com",), subj="[newswatch] T: H", topic="T"):
    return SimpleNamespace(
        recipients=list(recipients),
        subject=subj,
        message_id="<x@example.org>",
        payload=payload,
        topic_name=topic,
    )


def test_times_are_shown_in_the_configured_zone() -> None:
    assert show_time("2023-09-18T05:00:00+00:00", "UTC") == "2023-09-18 05:00 UTC"
    assert show_time("2023-09-18T05:00:00+00:00", "Europe/Berlin") == "2023-09-18 07:00 CEST"
    assert show_time("2023-09-18T05:00:00", "UTC") == "2023-09-18 05:00 (time zone unknown)"
    assert show_time(None, "UTC") is None


def test_only_http_links() -> None:
    assert safe_url("https://a.example/x?y=1") == "https://a.example/x?y=1"
    for bad in ("javascript:alert(1)", "data:text/html,x", 'https://a.example/"onmouseover=x', None, 5):
        assert safe_url(bad) is None


def test_bad_recipients_or_sender_refuse_to_compose() -> None:
    settings = load_settings(environ={})
    with pytest.raises(ComposeError):
        build_message(
            row({}, recipients=["a@example.com\r\nBcc: b@example.com"]),
            now=NOW,
            settings=settings,
        )
    with pytest.raises(ComposeError):
        build_message(row({}), now=NOW, settings=replace(settings, mail_from="evil\r\n@example.org"))


def test_operator_notice_renders_its_own_template() -> None:
    payload = {
        "kind": "ops",
        "source": "<b>feed</b>",
        "problem": "stale",
        "message": "No new article for 3 days",
    }
    msg = build_message(row(payload), now=NOW, settings=load_settings(environ={}))
    assert "No new article for 3 days" in msg.get_body(("plain",)).get_content()
    assert "&lt;b&gt;feed&lt;/b&gt;" in msg.get_body(("html",)).get_content()


def test_digest_mentions_stories_left_out() -> None:
    payload = {
        "kind": "digest",
        "topic": "T",
        "period": "daily",
        "window_start": NOW.isoformat(),
        "window_end": NOW.isoformat(),
        "stories": [],
        "more": 3,
    }
    msg = build_message(row(payload), now=NOW, settings=load_settings(environ={}))
    assert "and 3 more stories" in msg.get_body(("plain",)).get_content()


@hsettings(max_examples=150, deadline=None)
@given(headline=st.text(max_size=120), body=st.text(max_size=300), outlet=st.text(max_size=40))
def test_any_page_text_makes_a_well_formed_message(headline: str, body: str, outlet: str) -> None:
    payload = {
        "kind": "new",
        "topic": "T",
        "headline": headline,
        "score": 1.0,
        "evidence": [{"field": "body", "text": body, "spans": [[0, min(3, len(body))]]}],
        "items": [
            {
                "outlet": outlet,
                "url": "https://a.example/x",
                "headline": headline,
                "published_at": NOW.isoformat(),
                "updated_at": None,
            }
        ],
    }
    settings = load_settings(environ={})
    alert = row(payload, subj=subject("new", "T", headline, settings.alert_subject_max_chars))
    try:
        msg = build_message(alert, now=NOW, settings=settings)
        raw = msg.as_bytes()
    except UnicodeError:
        return  # lone surrogates cannot be e-mailed (nor stored in PostgreSQL); the sender fails the row
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert "\n" not in parsed["Subject"] and "\r" not in parsed["Subject"]
    assert parsed["To"] == "a@example.com" and parsed["Bcc"] is None
    assert {p.get_content_type() for p in parsed.iter_parts()} == {"text/plain", "text/html"}
    html = parsed.get_body(("html",)).get_content()
    assert "<script" not in html.lower()  # page text can never open a tag: every "<" is escaped
    assert html.count("<mark") == (1 if body[:3] else 0)


@pytest.mark.parametrize(
    ("language", "headline", "evidence"),
    [
        ("ko", "북한, 러시아에 포탄 추가 지원", "정보당국은 북한이 러시아에 포탄을 보냈다고 밝혔다."),
        ("ru", "КНДР передала России снаряды", "Северная Корея отправила в Россию новую партию снарядов."),
        ("zh", "朝鲜向俄罗斯运送炮弹", "韩国情报部门表示，朝鲜向俄罗斯运送了一批炮弹。"),
        ("ja", "北朝鮮、ロシアに砲弾を供与", "北朝鮮がロシアに砲弾を輸送したとみられる。"),
    ],
)
def test_alerts_in_any_script_arrive_readable_and_name_the_language(
    language: str, headline: str, evidence: str
) -> None:
    settings = load_settings(environ={})
    payload = {
        "kind": "new",
        "topic": "Russia–North Korea military ties",
        "headline": headline,
        "score": 2.0,
        "evidence": [{"field": "body", "text": evidence, "spans": [[0, 2]]}],
        "items": [
            {
                "outlet": "example.test",
                "url": "https://example.test/a",
                "headline": headline,
                "published_at": NOW.isoformat(),
                "updated_at": None,
                "language": language,
            }
        ],
    }
    title = subject("new", "Russia–North Korea military ties", headline, settings.alert_subject_max_chars)
    raw = build_message(
        row(payload, subj=title), now=NOW, settings=settings
    ).as_bytes()
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert head.isascii() and b"=?utf-8?" in head  # encoded words: any mail client can read them
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["Subject"] == title and headline in title
    plain = parsed.get_body(("plain",)).get_content()
    html = parsed.get_body(("html",)).get_content()
    assert evidence[2:] in plain and headline in html
    name = {"ko": "Korean", "ru": "Russian", "zh": "Chinese", "ja": "Japanese"}[language]
    assert f"example.test [{name}]" in plain and f"example.test [{name}]" in html
    assert parsed.get_body(("plain",)).get_content_charset() == "utf-8"


def test_an_unknown_language_shows_no_label_and_odd_codes_stay_one_line() -> None:
    from newswatch.alerts.compose import language_name

    assert language_name(None) is None and language_name("") is None
    assert language_name("pt-BR") == "Portuguese (pt-BR)"
    assert language_name("xx") == "xx"
    assert "\n" not in (language_name("en\nBcc: x") or "")
