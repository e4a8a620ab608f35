"""What a match means for the outbox (record): one alert per topic and story, wire copies listed
on it, UPDATED only when the evidence changed (or as ``realert`` says), merged while unsent,
digest topics only record. Driven through match_and_enqueue, as the matching run calls it."""

from __future__ import annotations

from datetime import timedelta

from newswatch.alerts.run import match_and_enqueue
from newswatch.store.schema import alerts, topic_evaluations, topic_matches

KIM = ("Kim visits Russia", "Moscow and North Korea discussed missile supplies. Talks lasted a day.")
KIM_COPY = ("Kim ends Russia visit", "Russia and North Korea talked about missiles. The visit ended Sunday.")


def _update(store, article_id, headline, body, n=2):
    return store.version(article_id, headline, body, version_no=n)


def test_wire_copies_add_outlets_to_one_alert(engine, store, settings, make_topic, now):
    story = store.story("Kim")
    a1, _ = store.publish("https://a.example/1", "a.example", *KIM, story)
    store.publish("https://b.example/1", "b.example", *KIM_COPY, story)
    store.publish("https://c.example/1", "c.example", "Snow in Moscow", "Cold weather.", store.story("snow"))
    summary = match_and_enqueue(engine, [make_topic()], now=now, settings=settings)
    assert (summary["versions"], summary["matches"], summary["new"], summary["copy"]) == (3, 2, 1, 1)
    (alert,) = store.rows(alerts)
    assert alert.kind == "new" and alert.status == "pending" and alert.story_key == f"s{story}"
    assert [i["outlet"] for i in alert.payload["items"]] == ["a.example", "b.example"]
    assert alert.recipients == ["analysts@example.com"]
    assert alert.message_id.startswith("<") and alert.message_id.endswith("@example.org>")
    assert alert.subject == "[newswatch] Arms: Kim visits Russia"
    # rerun, later: nothing new to evaluate, nothing changes
    again = match_and_enqueue(engine, [make_topic()], now=now + timedelta(minutes=1), settings=settings)
    assert again["versions"] == 0
    assert store.rows(alerts) == [alert]
    assert store.count(topic_evaluations) == 3 and store.count(topic_matches) == 2
    assert a1


def test_copy_after_the_alert_was_sent_makes_no_new_alert(engine, store, settings, make_topic, now):
    story = store.story("Kim")
    store.publish("https://a.example/1", "a.example", *KIM, story)
    match_and_enqueue(engine, [make_topic()], now=now, settings=settings)
    with engine.begin() as conn:
        conn.execute(alerts.update().values(status="sent"))
    store.publish("https://b.example/1", "b.example", *KIM_COPY, story)
    summary = match_and_enqueue(engine, [make_topic()], now=now, settings=settings)
    assert summary["copy"] == 1 and store.count(alerts) == 1
    assert len(store.rows(alerts)[0].payload["items"]) == 1  # a sent alert is history


def test_articles_without_a_story_alert_separately(engine, store, settings, make_topic, now):
    store.publish("https://a.example/1", "a.example", *KIM)
    store.publish("https://b.example/1", "b.example", *KIM_COPY)
    assert match_and_enqueue(engine, [make_topic()], now=now, settings=settings)["new"] == 2


def test_update_realerts_only_when_the_evidence_changed(engine, store, settings, make_topic, now):
    story = store.story("Kim")
    article, _ = store.publish("https://a.example/1", "a.example", *KIM, story)
    topic = make_topic()
    match_and_enqueue(engine, [topic], now=now, settings=settings)
    with engine.begin() as conn:
        conn.execute(alerts.update().values(status="sent"))
    first = store.rows(alerts)[0]
    # a new version whose change is outside the evidence: no alert
    _update(store, article, KIM[0], KIM[1].replace("Talks lasted a day.", "Talks lasted two days."), 2)
    assert match_and_enqueue(engine, [topic], now=now, settings=settings)["unchanged"] == 1
    assert store.count(alerts) == 1
    # a version whose matched passage changed: one UPDATED alert that says what changed
    body = "Moscow and North Korea agreed on missile supplies and artillery. Talks lasted two days."
    _update(store, article, KIM[0], body, 3)
    assert match_and_enqueue(engine, [topic], now=now, settings=settings)["updated"] == 1
    second = store.rows(alerts)[1]
    assert second.kind == "updated" and second.subject.startswith("[newswatch] UPDATED: Arms:")
    assert [e["text"] for e in second.payload["changes"]["added"]] == [body.split(" Talks")[0]]
    assert [e["text"] for e in second.payload["changes"]["removed"]] == [KIM[1].split(" Talks")[0]]
    assert second.payload["in_reply_to"] == first.message_id
    assert second.message_id != first.message_id


def test_realert_policies(engine, store, settings, make_topic, now):
    never, always = make_topic("Never", realert="never"), make_topic("Always", realert="always")
    story = store.story("Kim")
    article, _ = store.publish("https://a.example/1", "a.example", *KIM, story)
    match_and_enqueue(engine, [never, always], now=now, settings=settings)
    with engine.begin() as conn:
        conn.execute(alerts.update().values(status="sent"))
    _update(store, article, KIM[0], KIM[1] + " More.", 2)  # evidence unchanged
    match_and_enqueue(engine, [never, always], now=now, settings=settings)
    with engine.begin() as conn:
        conn.execute(alerts.update().values(status="sent"))
    _update(store, article, KIM[0], "Moscow and North Korea agreed on missile deals.", 3)  # changed
    match_and_enqueue(engine, [never, always], now=now, settings=settings)
    kinds = sorted((a.topic_name, a.kind) for a in store.rows(alerts))
    assert kinds == [("Always", "new"), ("Always", "updated"), ("Always", "updated"), ("Never", "new")]


def test_update_before_sending_is_merged_into_the_pending_alert(engine, store, settings, make_topic, now):
    article, _ = store.publish("https://a.example/1", "a.example", *KIM, store.story("Kim"))
    match_and_enqueue(engine, [make_topic()], now=now, settings=settings)
    _update(store, article, "Kim visits Russia (updated)", "Moscow and North Korea signed missile deals.", 2)
    assert match_and_enqueue(engine, [make_topic()], now=now, settings=settings)["merged"] == 1
    (alert,) = store.rows(alerts)
    assert alert.payload["headline"] == "Kim visits Russia (updated)"
    assert alert.subject == "[newswatch] Arms: Kim visits Russia (updated)"
    assert alert.payload["evidence"][-1]["text"] == "Moscow and North Korea signed missile deals."


def test_digest_topics_only_record(engine, store, settings, make_topic, now):
    store.publish("https://a.example/1", "a.example", *KIM, store.story("Kim"))
    summary = match_and_enqueue(engine, [make_topic(delivery="hourly")], now=now, settings=settings)
    assert summary["digest"] == 1 and store.count(alerts) == 0
    (m,) = store.rows(topic_matches)
    assert m.disposition == "digest" and m.digest_key is None


def test_evidence_is_stored_with_spans(engine, store, settings, make_topic, now):
    store.publish("https://a.example/1", "a.example", *KIM, store.story("Kim"))
    match_and_enqueue(engine, [make_topic()], now=now, settings=settings)
    (m,) = store.rows(topic_matches)
    (e,) = m.evidence
    assert [e["text"][a:b] for a, b in e["spans"]] == ["Moscow", "North Korea", "missile"]
    assert m.score == 1 and len(m.evidence_hash) == 64 and m.disposition == "new"


def test_long_evidence_is_stored_fully_but_shown_capped(engine, store, settings, make_topic, now):
    body = " ".join(f"Moscow and North Korea discussed missile number {i}." for i in range(30))
    article, _ = store.publish("https://a.example/1", "a.example", "Kim", body, store.story("1"))
    match_and_enqueue(engine, [make_topic()], now=now, settings=settings)
    with engine.begin() as conn:
        conn.execute(alerts.update().values(status="sent"))
    # the change is in sentence 20, beyond what an e-mail shows: still reported
    store.version(article, "Kim", body.replace("number 20.", "number 20 and artillery."), version_no=2)
    assert match_and_enqueue(engine, [make_topic()], now=now, settings=settings)["updated"] == 1
    m1, _ = store.rows(topic_matches)
    assert len(m1.evidence) == 30
    upd = store.rows(alerts)[1]
    assert len(upd.payload["evidence"]) == settings.alert_max_evidence
    assert [e["text"] for e in upd.payload["changes"]["added"]] == [
        "Moscow and North Korea discussed missile number 20 and artillery."
    ]


def test_the_earliest_published_copy_heads_the_alert(engine, store, settings, make_topic, now):
    story = store.story("Kim")
    # The copy is stored (and matched) first, but the original was published an hour earlier.
    store.publish("https://b.example/1", "b.example", *KIM_COPY, story, published_at=now)
    store.publish("https://a.example/1", "a.example", *KIM, story, published_at=now - timedelta(hours=1))
    match_and_enqueue(engine, [make_topic()], now=now, settings=settings)
    (alert,) = store.rows(alerts)
    assert alert.subject == f"[newswatch] Arms: {KIM[0]}"
    assert alert.payload["headline"] == KIM[0]
    assert sorted(i["outlet"] for i in alert.payload["items"]) == ["a.example", "b.example"]


def test_source_in_a_topic_query_matches_the_configured_source_name_and_the_host(
    engine, store, settings, make_topic, now
):
    """Operators name outlets by their sources.yaml name; the host still works too."""
    from newswatch.store.schema import articles

    story = store.story("Kim")
    article_id, _ = store.publish("http://127.0.0.1:8701/kim", "127.0.0.1:8701", *KIM, story)
    with engine.begin() as conn:
        conn.execute(articles.update().where(articles.c.id == article_id).values(source_name="straits-daily"))
    by_name = make_topic("By name", 'source:straits-daily AND missile*')
    by_host = make_topic("By host", 'source:"127.0.0.1" AND missile*')
    other = make_topic("Other source", 'source:pacific-wire AND missile*')
    summary = match_and_enqueue(engine, [by_name, by_host, other], now=now, settings=settings)
    assert summary["matches"] == 2
    by_topic = {a.topic_name: a for a in store.rows(alerts)}
    assert set(by_topic) == {"By name", "By host"}
    assert by_topic["By name"].payload["items"][0]["source"] == "straits-daily"
