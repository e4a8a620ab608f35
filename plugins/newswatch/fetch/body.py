"""Reading a response body under a byte cap that also holds after content decoding.

Hand-written because urllib3/requests decompress without an output limit: a few kilobytes of
gzip or brotli can expand to gigabytes. Here every decoder produces output in bounded steps and
the read stops as soon as the decoded size passes the cap, so memory stays near the cap.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

import brotli

from newswatch.fetch.errors import FetchError

_STEP = 64 * 1024  # decoder output per step; bounds the transient buffer, not the result
# Compressed data can be a little larger than its plain form (headers, stored blocks): wire bytes
# and intermediate layers may exceed the cap by this much, the decoded body never.
LAYER_SLACK = 64 * 1024


class _Zlib:
    def __init__(self, wbits: int) -> None:
        self._obj = zlib.decompressobj(wbits)

    def pieces(self, data: bytes) -> Iterator[bytes]:
        """Decompressed output of ``data`` in pieces of at most ``_STEP`` bytes."""
        while data:
            piece = self._obj.decompress(data, _STEP)
            if piece:
                yield piece
            data = self._obj.unconsumed_tail

    def finished(self) -> bool:
        return self._obj.eof


class _Deflate:
    """HTTP "deflate" is sent both zlib-wrapped (as specified) and raw; the first two bytes tell."""

    def __init__(self) -> None:
        self._head = b""
        self._inner: _Zlib | None = None

    def pieces(self, data: bytes) -> Iterator[bytes]:
        if self._inner is None:
            self._head += data
            if len(self._head) < 2:
                return
            data, self._head = self._head, b""
            cmf, flg = data[0], data[1]
            wrapped = cmf & 0x0F == 8 and (cmf * 256 + flg) % 31 == 0
            self._inner = _Zlib(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        yield from self._inner.pieces(data)

    def finished(self) -> bool:
        return self._inner is not None and self._inner.finished()


class _Brotli:
    def __init__(self) -> None:
        self._obj = brotli.Decompressor()

    def pieces(self, data: bytes) -> Iterator[bytes]:
        piece = self._obj.process(data, output_buffer_limit=_STEP)
        while True:
            if piece:
                yield piece
            if self._obj.can_accept_more_data():
                return
            piece = self._obj.process(b"", output_buffer_limit=_STEP)

    def finished(self) -> bool:
        return self._obj.is_finished()


class _Identity:
    def pieces(self, data: bytes) -> Iterator[bytes]:
        yield data

    def finished(self) -> bool:
        return True


def _decoder(name: str) -> _Zlib | _Deflate | _Brotli | _Identity:
    if name in ("gzip", "x-gzip"):
        return _Zlib(16 + zlib.MAX_WBITS)
    if name == "deflate":
        return _Deflate()
    if name == "br":
        return _Brotli()
    if name in ("identity", ""):
        return _Identity()
    raise FetchError("decoding", f"unsupported Content-Encoding {name!r}")


def parse_encodings(header: str | None, max_layers: int) -> list[str]:
    """The Content-Encoding layers in the order they must be undone (last applied first)."""
    names = [n.strip().lower() for n in (header or "").split(",") if n.strip()]
    names = [n for n in names if n != "identity"]
    if len(names) > max_layers:
        raise FetchError("decoding", f"{len(names)} stacked Content-Encodings (at most {max_layers})")
    return list(reversed(names))


class CappedDecoder:
    """Undo a chain of content encodings, refusing output beyond ``cap`` bytes at any layer.

    Output is kept as a list of chunks and joined once at the end, so a body that turns out too
    large never costs more than the cap (no growing buffer being copied on resize).
    """

    def __init__(self, encodings: list[str], cap: int) -> None:
        self._layers = [_decoder(name) for name in encodings]
        self._cap = cap
        self._sizes = [0] * len(self._layers)
        self._chunks: list[bytes] = []
        self.size = 0  # decoded bytes so far
        self.wire = 0  # bytes fed in (as received)

    def feed(self, data: bytes) -> None:
        self.wire += len(data)
        try:
            self._push(0, data)
        except (zlib.error, brotli.error) as exc:
            raise FetchError("decoding", f"corrupt compressed body: {exc}") from None

    def _push(self, layer: int, data: bytes) -> None:
        """Send ``data`` through layers ``layer…`` piece by piece; keep what comes out the end."""
        if layer == len(self._layers):
            if self.size + len(data) > self._cap:
                raise FetchError("too_large", f"body exceeds {self._cap} bytes")
            if data:
                self._chunks.append(data)
                self.size += len(data)
            return
        for piece in self._layers[layer].pieces(data):
            self._sizes[layer] += len(piece)
            if self._sizes[layer] > self._cap + LAYER_SLACK:
                raise FetchError("too_large", f"body exceeds {self._cap} bytes after decompression")
            self._push(layer + 1, piece)

    def finish(self) -> bytes:
        if not all(layer.finished() for layer in self._layers):
            raise FetchError("truncated", "compressed body ends before its end marker")
        body = b"".join(self._chunks)
        self._chunks = [body]
        return body


def read_capped(chunks: Iterable[bytes], decoder: CappedDecoder, wire_cap: int) -> None:
    """Feed ``chunks`` through ``decoder``, refusing more than ``wire_cap`` bytes off the wire."""
    for chunk in chunks:
        if decoder.wire + len(chunk) > wire_cap:
            raise FetchError("too_large", f"body exceeds {wire_cap} bytes on the wire")
        decoder.feed(chunk)
