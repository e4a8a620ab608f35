"""Near-duplicate fingerprints: MinHash signatures over word shingles, cut into LSH bands.

Hand-written because the libraries that do this (datasketch) pull numpy and scipy into every
Airflow worker for some forty lines of arithmetic. Hashes are BLAKE2b, never Python's ``hash()``,
so signatures are identical across processes and machines.

Two texts whose shingle sets have Jaccard similarity J share any one band with probability
``1 - (1 - J**rows) ** bands``; the store looks candidates up by band key (an index probe per
band, so the cost does not grow with the database) and then confirms them by signature agreement.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

# Added per rotation step when an empty bin borrows its neighbour's value: larger than any hash
# value, so borrowed values never equal genuine ones.
_EMPTY_BIN_OFFSET = 1 << 64
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Fingerprint:
    signature: tuple[int, ...]
    band_keys: tuple[str, ...]
    size: int = 0  # number of shingles, so containment can be estimated from Jaccard


def words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def shingles(headline: str | None, body: str, size: int) -> set[str]:
    """Word ``size``-grams of the body plus the headline's words (so a headline alone still counts)."""
    tokens = words(body)
    grams = {" ".join(tokens[i : i + size]) for i in range(max(len(tokens) - size + 1, 0))}
    if tokens and not grams:
        grams.add(" ".join(tokens))
    grams.update(f"h:{w}" for w in words(headline or ""))
    return grams


def _hash64(shingle: str) -> int:
    return int.from_bytes(hashlib.blake2b(shingle.encode("utf-8"), digest_size=8).digest(), "big")


def minhash(items: set[str], bins: int) -> tuple[int, ...]:
    """One-permutation MinHash with rotation densification (empty set → empty signature).

    Each shingle is hashed once and kept only if it is the smallest in its bin, so the cost is one
    hash per shingle instead of one per shingle *and* permutation; bins left empty (short texts)
    borrow the value of the next filled bin plus an offset per step, the same way for every text,
    so equal sets still give equal signatures and the share of equal bins estimates Jaccard.
    """
    if not items:
        return ()
    best: list[int | None] = [None] * bins
    for item in items:
        slot, value = divmod(_hash64(item), bins)[::-1]
        current = best[slot]
        if current is None or value < current:
            best[slot] = value
    return tuple(_densify(best))


def _densify(best: list[int | None]) -> list[int]:
    bins = len(best)
    filled: list[int] = []
    for slot in range(bins):
        step = 0
        while best[(slot + step) % bins] is None:
            step += 1
        filled.append(int(best[(slot + step) % bins]) + step * _EMPTY_BIN_OFFSET)  # type: ignore[arg-type]
    return filled


def band_keys(signature: tuple[int, ...], bands: int, rows: int) -> tuple[str, ...]:
    """One key per band: the band number and a digest of its rows."""
    keys = []
    for band in range(min(bands, len(signature) // rows)):
        chunk = signature[band * rows : (band + 1) * rows]
        digest = hashlib.blake2b(repr(chunk).encode("ascii"), digest_size=12).hexdigest()
        keys.append(f"{band}:{digest}")
    return tuple(keys)


def similarity(left: tuple[int, ...] | list[int], right: tuple[int, ...] | list[int]) -> float:
    """Estimated Jaccard similarity: the share of equal signature positions."""
    if not left or not right or len(left) != len(right):
        return 0.0
    return sum(1 for a, b in zip(left, right, strict=True) if a == b) / len(left)


def containment(jaccard: float, size_a: int, size_b: int) -> float:
    """Estimated share of the smaller set inside the larger: |A∩B| / min(|A|, |B|).

    From J = |A∩B| / |A∪B| and the set sizes: |A∩B| = J (|A| + |B|) / (1 + J). A copy that an
    outlet cut to the first half of the wire story has J ≈ 0.5 but containment ≈ 1.
    """
    if jaccard <= 0 or min(size_a, size_b) <= 0:
        return 0.0
    return min(1.0, jaccard * (size_a + size_b) / ((1 + jaccard) * min(size_a, size_b)))


def fingerprint(headline: str | None, body: str, *, shingle_words: int, bands: int, rows: int) -> Fingerprint:
    items = shingles(headline, body, shingle_words)
    signature = minhash(items, bands * rows)
    return Fingerprint(signature, band_keys(signature, bands, rows), len(items))
