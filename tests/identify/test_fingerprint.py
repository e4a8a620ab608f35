"""MinHash/LSH fingerprints: stable across processes, similar texts share bands, unrelated do not."""

import random
import subprocess
import sys

from newswatch.identify.fingerprint import fingerprint, similarity

WORDS = [f"w{i}" for i in range(5000)]


def _text(seed: int, n: int = 400) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _fp(headline: str, body: str):  # type: ignore[no-untyped-def]
    return fingerprint(headline, body, shingle_words=4, bands=20, rows=3)


def test_light_rewrite_is_similar_and_shares_bands() -> None:
    body = _text(1)
    words = body.split()
    rewrite = " ".join([*words[:150], "added", "sentence", "here", *words[150:380]])
    a, b = _fp("Kim watches drone test", body), _fp("Kim oversees drone test", rewrite)
    assert similarity(a.signature, b.signature) > 0.6
    assert set(a.band_keys) & set(b.band_keys)


def test_unrelated_texts_are_dissimilar() -> None:
    a, b = _fp("x", _text(1)), _fp("y", _text(2))
    assert similarity(a.signature, b.signature) < 0.1
    assert not set(a.band_keys) & set(b.band_keys)


def test_signature_is_the_same_in_another_process() -> None:
    body = _text(3, 50)
    here = _fp("h", body).band_keys
    code = (
        "from newswatch.identify.fingerprint import fingerprint;"
        f"print(list(fingerprint('h', {body!r}, shingle_words=4, bands=20, rows=3).band_keys))"
    )
    there = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "123"},
    ).stdout
    assert there.strip() == repr(list(here))


def test_empty_text_has_no_bands() -> None:
    assert _fp(None, "").band_keys == ()  # type: ignore[arg-type]
    assert _fp("Only a headline", "").band_keys


def test_containment_sees_a_shortened_copy_inside_the_original() -> None:
    from newswatch.identify.fingerprint import containment, shingles

    body = _text(9, 400)
    half = " ".join(body.split()[:200])
    a, b = shingles(None, body, 4), shingles(None, half, 4)
    jaccard = len(a & b) / len(a | b)
    assert 0.45 < jaccard < 0.55
    assert containment(jaccard, len(a), len(b)) > 0.95
    assert containment(0.1, 400, 400) < 0.2
    assert containment(0.0, 10, 10) == 0.0 and containment(0.5, 0, 10) == 0.0
