"""Near-duplicate fingerprints: MinHash signatures over word shingles, cut into LSH bands.

Hand-written because the libraries that do this (datasketch) pull numpy and scipy into every
Airflow worker for some twenty lines of arithmetic. Hashes are keyed BLAKE2b, never Python's
``hash()``, so signatures are identical across processes and machines.

Two texts whose shingle sets have Jaccard similarity J share any one band with probability
``1 - (1 - J**rows) ** bands``; the store looks candidates up by band key (an index probe per
band, so the cost does not grow with the database) and then confirms them by signature agreement.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass
from functools import lru_cache

_MERSENNE = (1 << 61) - 1
_WORD = re.compile(r"\w+", re.UNICODE)
# A fixed seed: the permutations are part of the stored data's meaning, never change it.
_PERMUTATION_SEED = 0x6E657773


@dataclass(frozen=True)
class Fingerprint:
    signature: tuple[int, ...]
    band_keys: tuple[str, ...]


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


@lru_cache(maxsize=8)
def _permutations(count: int) -> tuple[tuple[int, int], ...]:
    rng = random.Random(_PERMUTATION_SEED)
    return tuple((rng.randrange(1, _MERSENNE), rng.randrange(0, _MERSENNE)) for _ in range(count))


def minhash(items: set[str], permutations: int) -> tuple[int, ...]:
    """The MinHash signature of a set (empty set → empty signature)."""
    if not items:
        return ()
    hashes = [_hash64(item) for item in items]
    return tuple(min((a * h + b) % _MERSENNE for h in hashes) for a, b in _permutations(permutations))


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


def fingerprint(headline: str | None, body: str, *, shingle_words: int, bands: int, rows: int) -> Fingerprint:
    signature = minhash(shingles(headline, body, shingle_words), bands * rows)
    return Fingerprint(signature, band_keys(signature, bands, rows))
