"""Fuzz the capped content decoder (gzip, deflate, brotli, stacked): the one place where a few
hostile bytes can turn into gigabytes.

Contract: ``parse_encodings``/``CappedDecoder`` either give the body or raise ``FetchError``
(decoding, too_large, truncated); the output never exceeds the cap, whatever the chunking; a
well-formed body within the cap round-trips exactly.
"""

from __future__ import annotations

import gzip
import itertools
import zlib

import brotli
from fuzzing import budget, tried
from hypothesis import example, given
from hypothesis import strategies as st
from newswatch.fetch.body import CappedDecoder, parse_encodings
from newswatch.fetch.errors import FetchError

CAP = 4096
NAMES = st.sampled_from(["gzip", "x-gzip", "deflate", "br", "identity", "compress", "zstd", "GZIP", ""])
COMPRESS = {
    "gzip": gzip.compress,
    "deflate": zlib.compress,
    "br": brotli.compress,
}


def _chunks(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts} | {0, len(data)})
    return [data[a:b] for a, b in itertools.pairwise(points)]


def _decode(header: str, data: bytes, cuts: list[int]) -> bytes | None:
    def run() -> bytes | None:
        try:
            decoder = CappedDecoder(parse_encodings(header, 3), CAP)
            for chunk in _chunks(data, cuts):
                decoder.feed(chunk)
            return decoder.finish()
        except FetchError as exc:
            assert exc.kind in ("decoding", "too_large", "truncated"), exc.kind
            return None

    body = tried("fetch.capped_decoder", run)
    assert body is None or len(body) <= CAP
    return body


@budget(500)
@given(names=st.lists(NAMES, max_size=4), data=st.binary(max_size=2000), cuts=st.lists(st.integers(0, 4000)))
@example(names=["gzip"], data=gzip.compress(b"\0" * 10_000_000), cuts=[])  # a bomb far over the cap
@example(names=["br", "gzip"], data=gzip.compress(brotli.compress(b"\0" * 1_000_000)), cuts=[7, 100])
def test_any_bytes_under_any_encoding_header(names: list[str], data: bytes, cuts: list[int]) -> None:
    _decode(", ".join(names), data, cuts)


@budget(500)
@given(
    names=st.lists(st.sampled_from(sorted(COMPRESS)), min_size=1, max_size=3),
    text=st.binary(max_size=6000) | st.integers(0, 20000).map(lambda n: b"a" * n),
    cuts=st.lists(st.integers(0, 10_000)),
    damage=st.none() | st.integers(0, 10_000),
)
def test_real_compressed_bodies_round_trip_or_fail_cleanly(
    names: list[str], text: bytes, cuts: list[int], damage: int | None
) -> None:
    data = text
    for name in names:
        data = COMPRESS[name](data)
    if damage is not None:  # truncate the body, as a server that hangs up would
        data = data[: damage % (len(data) + 1)]
    header = ", ".join(names)  # the header lists encodings in the order they were applied
    body = _decode(header, data, cuts)
    if damage is None and len(text) <= CAP and len(names) <= 3:
        assert body == text
