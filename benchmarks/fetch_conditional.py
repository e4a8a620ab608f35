"""Second cycle over unchanged sources: bytes transferred against the first cycle.

Usage: .venv/bin/python benchmarks/fetch_conditional.py [--sources 5] [--articles 50] [--kb 20]

Builds ``--sources`` sources on the fixture server, each with an RSS feed of ``--articles``
article pages of about ``--kb`` KiB, and runs the pipeline's discovery/fetch/remember steps
(``discover`` → ``fetch`` with stored validators → ``record_fetch_result`` → ``remember_listing``)
in a fresh Fetcher per cycle, as separate Airflow runs would. Body bytes on the wire are summed
per cycle, robots.txt included. Three situations:
- validators: the server sends ETag/Last-Modified and answers 304 (most news sites);
- no validators: the feeds come back in full every time (the same-body hash and the seen-URL
  memory must then keep the article pages from being fetched again);
- feeds re-dated: every entry's date changes between cycles but no page does, so every page is
  due again and is asked for with If-None-Match (each answer a 304).
The second cycle reads each listing in full once more (a pass that yielded URLs leaves its
listing "backlog" until a pass finds nothing left, so a killed run loses nothing); from the third
cycle on, listings are conditional too. Baseline in the same run: a cycle with no URL memory
(what the second cycle would cost without it) is the first-cycle figure, 100 %.
Target: second cycle <= 5 % of the first; exits 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "support"))

from hostile_server import start_server  # noqa: E402
from newswatch.fetch import Fetcher, FetchResult  # noqa: E402
from newswatch.settings import Settings, load_settings  # noqa: E402
from newswatch.sources.config import DiscoveryMethod, Source  # noqa: E402
from newswatch.sources.discover import discover, listing_marker  # noqa: E402
from newswatch.store.engine import make_engine  # noqa: E402
from newswatch.store.migrate import upgrade  # noqa: E402
from newswatch.store.url_state import UrlStateStore  # noqa: E402

TARGET = 0.05
FILLER = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. "


def build_site(root: Path, sources: int, articles: int, kb: int, files_url: str, day: int = 1) -> None:
    for s in range(sources):
        folder = root / f"s{s}"
        folder.mkdir(exist_ok=True)
        items = []
        for a in range(articles):
            body = f"<html><head><title>S{s} A{a}</title></head><body><article><h1>Story {a}</h1>"
            body += f"<p>{FILLER * (kb * 1024 // len(FILLER))}</p></article></body></html>"
            page = folder / f"a{a}.html"
            if not page.exists():
                page.write_text(body)
            items.append(
                f"<item><title>Story {a}</title><link>{files_url}/s{s}/a{a}.html</link>"
                f"<pubDate>{day:02d} Jun 2025 {a // 60:02d}:{a % 60:02d}:00 GMT</pubDate></item>"
            )
        (folder / "feed.xml").write_text(
            f"<rss version='2.0'><channel><title>S{s}</title>{''.join(items)}</channel></rss>"
        )


def wire(result: FetchResult) -> int:
    return result.total_wire_bytes


def cycle(settings: Settings, sources: list[Source], seen: UrlStateStore | None) -> tuple[int, int]:
    """One ingest cycle over all sources: (body bytes on the wire, pages fetched)."""
    total, pages = 0, 0
    with Fetcher(settings) as fetcher:
        for source in sources:
            found = discover(source, fetcher, seen)
            total += sum(wire(f) for f in found.listing_fetches)
            for item in found.urls:
                result = fetcher.fetch(item.url, validators=seen.validators(item.url) if seen else None)
                total += wire(result)
                pages += 1
                if seen is not None and result.ok:
                    seen.record_fetch_result(result, source.name)
                    seen.remember_listing(item.url, source.name, listing_marker(item))
    return total, pages


def run(
    settings: Settings, base: str, endpoint: str, n_sources: int, db_url: str, between: Callable[[], None]
) -> tuple[int, int, int, int, int]:
    upgrade(db_url)
    engine = make_engine(db_url)
    seen = UrlStateStore(engine)
    sources = [
        Source(f"s{s}", (DiscoveryMethod("feed", f"{base}/{endpoint}/s{s}/feed.xml"),))
        for s in range(n_sources)
    ]
    first, first_pages = cycle(settings, sources, seen)
    between()
    second, second_pages = cycle(settings, sources, seen)
    third, _ = cycle(settings, sources, seen)
    engine.dispose()
    return first, first_pages, second, second_pages, third


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=5)
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--kb", type=int, default=20)
    args = parser.parse_args()
    settings = load_settings(
        environ={"NEWSWATCH_ALLOWED_NETWORKS": "127.0.0.0/8", "NEWSWATCH_PER_DOMAIN_DELAY": "0"}
    )
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        site.mkdir()
        with start_server("--root", str(site)) as info:
            base = str(info["url"])
            build_site(site, args.sources, args.articles, args.kb, base + "/files")
            naive, naive_pages = cycle(
                settings,
                [
                    Source(f"s{s}", (DiscoveryMethod("feed", f"{base}/files/s{s}/feed.xml"),))
                    for s in range(args.sources)
                ],
                None,
            )
            print(f"sources={args.sources} articles/source={args.articles} page≈{args.kb} KiB")
            print(f"baseline, cycle without URL memory : {naive:>10,} bytes  {naive_pages} pages  (100 %)")

            def redate() -> None:  # every feed entry gets a new date; the pages stay the same
                build_site(site, args.sources, args.articles, args.kb, base + "/files", day=2)

            variants = (
                ("validators (304)", "files", lambda: None),
                ("no validators", "files-plain", lambda: None),
                ("feeds re-dated", "files", redate),
            )
            for n, (label, endpoint, between) in enumerate(variants):
                db = f"sqlite:///{tmp}/{n}.db"
                first, first_pages, second, second_pages, third = run(
                    settings, base, endpoint, args.sources, db, between
                )
                ratio = second / first
                ok &= ratio <= TARGET
                print(f"{label:18} first cycle : {first:>10,} bytes  {first_pages} pages")
                print(
                    f"{label:18} second cycle: {second:>10,} bytes  {second_pages} pages  "
                    f"({ratio:.2%} of first; target <= {TARGET:.0%})"
                )
                print(f"{label:18} third cycle : {third:>10,} bytes  ({third / first:.2%} of first)")
    print("RESULT:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
