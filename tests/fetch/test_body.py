"""The capped decoder: exact round trips under the cap, refusal above it, whatever the chunking."""

from __future__ import annotations

import gzip
import zlib

import brotli
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from newswatch.fetch.body import CappedDecoder, parse_encodings, read_capped
from newswatch.fetch.errors import FetchError

ENCODERS = {
    "gzip": gzip.compress,
    "deflate": zlib.compress,
    "raw-deflate": lambda b: (
        zlib.compressobj(wbits=-zlib.MAX_WBITS).compress(b) + zlib.compressobj(wbits=-zlib.MAX_WBITS).flush()
    ),
    "br": brotli.compress,
}


def encode(data: bytes, chain: list[str]) -> bytes:
    for name in chain:
        if name == "raw-deflate":
            obj = zlib.compressobj(wbits=-zlib.MAX_WBITS)
            data = obj.compress(data) + obj.flush()
        else:
            data = ENCODERS[name](data)
    return data


def header(chain: list[str]) -> str:
    return ", ".join("deflate" if n == "raw-deflate" else n for n in chain)


def chunks(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)] or [b""]


@settings(max_examples=60, deadline=None)
@given(
    data=st.binary(max_size=4000) | st.text(max_size=2000).map(str.encode),
    chain=st.lists(st.sampled_from(["gzip", "deflate", "raw-deflate", "br"]), max_size=2),
    size=st.integers(min_value=1, max_value=700),
)
def test_round_trip_under_the_cap(data: bytes, chain: list[str], size: int) -> None:
    wire = encode(data, chain)
    decoder = CappedDecoder(parse_encodings(header(chain), 2), cap=len(data) + 1)
    read_capped(chunks(wire, size), decoder, wire_cap=len(wire) + 1)
    assert decoder.finish() == data
    assert decoder.wire == len(wire)


@settings(max_examples=30, deadline=None)
@given(
    size=st.integers(min_value=1, max_value=5000),
    chain=st.lists(st.sampled_from(["gzip", "deflate", "br"]), min_size=1, max_size=2),
)
def test_one_byte_over_the_cap_is_refused(size: int, chain: list[str]) -> None:
    data = b"a" * size
    decoder = CappedDecoder(parse_encodings(header(chain), 2), cap=size - 1)
    with pytest.raises(FetchError) as caught:
        read_capped([encode(data, chain)], decoder, wire_cap=10**9)
    assert caught.value.kind == "too_large"
    assert decoder.size <= size - 1


def test_bomb_stops_near_the_cap() -> None:
    bomb = gzip.compress(bytes(50 * 1024 * 1024))
    decoder = CappedDecoder(["gzip"], cap=1024 * 1024)
    with pytest.raises(FetchError, match=r"after decompression|exceeds"):
        read_capped(chunks(bomb, 65536), decoder, wire_cap=10**9)
    assert decoder.size <= 1024 * 1024
    assert decoder.wire <= 65536  # stopped within the first network chunk


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, []),
        ("", []),
        ("identity", []),
        ("gzip", ["gzip"]),
        ("gzip, br", ["br", "gzip"]),
        ("GZIP , Identity", ["gzip"]),
    ],
)
def test_encodings_are_undone_last_applied_first(value: str | None, expected: list[str]) -> None:
    assert parse_encodings(value, 2) == expected


def test_too_many_or_unknown_encodings_are_decoding_errors() -> None:
    with pytest.raises(FetchError, match="stacked"):
        parse_encodings("gzip, gzip, gzip", 2)
    with pytest.raises(FetchError) as caught:
        CappedDecoder(parse_encodings("compress", 2), cap=10)
    assert caught.value.kind == "decoding"


def test_truncated_stream_is_truncated() -> None:
    decoder = CappedDecoder(["gzip"], cap=10**6)
    read_capped([gzip.compress(b"x" * 5000)[:-8]], decoder, wire_cap=10**6)
    with pytest.raises(FetchError) as caught:
        decoder.finish()
    assert caught.value.kind == "truncated"
