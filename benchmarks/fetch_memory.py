"""Peak memory while fetching a 200 MiB gzip (and brotli) bomb, against fetching a small page.

Usage: .venv/bin/python benchmarks/fetch_memory.py [--mb 200]

Each measurement runs in a fresh child process (so peaks do not mix) that imports the fetcher,
fetches its URL from the fixture server and reports its own peak RSS (``ru_maxrss``):
- baseline: a small normal page;
- bomb/page: the gzip bomb with the page cap (``max_page_bytes``);
- bomb/listing: the gzip bomb fetched as a listing (the larger ``max_listing_bytes`` cap);
- brotli/page: the brotli bomb with the page cap.
Every bomb must end as ``too_large`` with peak RSS under 100 MB; exits 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "support"))

from hostile_server import start_server  # noqa: E402

LIMIT_MB = 100.0
CHILD = """
import json, resource, sys
from newswatch.fetch import Fetcher
from newswatch.settings import load_settings
env = {"NEWSWATCH_ALLOWED_NETWORKS": "127.0.0.0/8", "NEWSWATCH_TOTAL_DEADLINE": "120"}
settings = load_settings(environ=env)
with Fetcher(settings) as fetcher:
    result = fetcher.fetch(sys.argv[1], listing=sys.argv[2] == "listing")
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"kind": result.error_kind, "wire": result.wire_bytes, "peak_mb": peak_mb}))
"""


def measure(url: str, mode: str) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, url, mode], capture_output=True, text=True, check=True, timeout=600
    )
    return json.loads(out.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200)
    args = parser.parse_args()
    with start_server() as info:
        base = str(info["url"])
        measure(f"{base}/gzip-bomb?mb={args.mb}", "page")  # warm the server's bomb cache
        runs = {
            "baseline (small page)": (measure(f"{base}/page/small", "page"), None),
            f"gzip bomb {args.mb} MiB, page cap": (
                measure(f"{base}/gzip-bomb?mb={args.mb}", "page"),
                "too_large",
            ),
            f"gzip bomb {args.mb} MiB, listing cap": (
                measure(f"{base}/gzip-bomb?mb={args.mb}", "listing"),
                "too_large",
            ),
            f"brotli bomb {args.mb} MiB, page cap": (
                measure(f"{base}/brotli-bomb?mb={args.mb}", "page"),
                "too_large",
            ),
        }
    baseline = float(runs["baseline (small page)"][0]["peak_mb"])  # type: ignore[arg-type]
    ok = True
    for name, (data, expected) in runs.items():
        peak = float(data["peak_mb"])  # type: ignore[arg-type]
        good = data["kind"] == expected and peak < LIMIT_MB
        ok &= good
        print(
            f"{name:34} peak {peak:6.1f} MB  ({peak / baseline:4.2f}x baseline)  "
            f"outcome={data['kind']} wire={data['wire']} bytes  {'ok' if good else 'FAIL'}"
        )
    print(f"limit: peak < {LIMIT_MB:.0f} MB;", "RESULT:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
