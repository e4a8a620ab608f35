"""Versions are decided on normalised content: noise never makes a version, real edits always do."""

from newswatch.identify.diff import version_diff, word_diff
from newswatch.identify.normalize import clean_text, normalise

BODY = """The drone hit the port at 3am, officials said.
Three people were hurt and taken to hospital.
The port reopened at noon."""


def _hash(headline: str, body: str) -> str:
    return normalise(headline, body).content_hash


def test_noise_does_not_change_the_hash() -> None:
    base = _hash("Drone hits port", BODY)
    noisy = (
        "Updated 5 minutes ago\nAdvertisement\nBy Jane Doe | 1.2k shares\n"
        + BODY.replace("officials said.", "officials  said.   Updated 2 hours ago")
        + "\n\nShare | Tweet | Email\nStory continues below advertisement\n"
    )
    clean_byline = "By Jane Doe | 14 shares\n" + BODY
    assert _hash("  Drone   hits port ", noisy) == _hash("Drone hits port", clean_byline)
    assert _hash("Drone hits port", BODY + "\n\n") == base
    assert _hash("Drone hits port", BODY.replace("\n", "\n\n")) == base


def test_real_edits_change_the_hash() -> None:
    base = _hash("Drone hits port", BODY)
    assert _hash("Drone hits port", BODY.replace("Three", "Four")) != base
    assert _hash("Drones hit port", BODY) != base
    assert _hash("Drone hits port", BODY + "\nA fourth person died later.") != base


def test_prose_with_numbers_and_times_is_kept() -> None:
    prose = "He said 3 comments were made a year ago in a meeting that lasted 45 minutes and went on."
    assert clean_text(prose) == prose


def test_word_diff_shows_only_changed_hunks() -> None:
    old = " ".join(f"w{i}" for i in range(100))
    new = old.replace("w50", "CHANGED")
    diff = word_diff(old, new, 2)
    assert diff == "… w48 w49 [-w50-] {+CHANGED+} w51 w52 …"
    assert word_diff(old, old, 2) == ""


def test_version_diff_labels_headline_changes() -> None:
    diff = version_diff("Old title", "a b c", "New title", "a b c d", 3)
    assert diff.startswith("headline: … [-Old-] {+New+} title …")
    assert "{+d+}" in diff


def test_characters_that_render_as_nothing_are_not_stored_nor_hashed() -> None:
    hyphenated = "Nord\u00adkorea liefert Gra\u00adnaten an Russ\u00adland.\nKim\u2060Jong Un flog.\ufeff"
    plain = "Nordkorea liefert Granaten an Russland.\nKimJong Un flog."
    cleaned = normalise("Nord\u00adkorea und Russ\u200bland", hyphenated)
    assert cleaned.body == plain and cleaned.headline == "Nordkorea und Russland"
    assert cleaned.content_hash == normalise("Nordkorea und Russland", plain).content_hash
    # Persian's zero-width non-joiner and an emoji's zero-width joiner change what readers see.
    joiners = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 \U0001f469\u200d\U0001f52c"
    assert clean_text(joiners) == joiners
