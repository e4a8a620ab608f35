"""Write the extractor's month names of many languages from CLDR (Babel) into months.json.

Usage: .venv/bin/python benchmarks/extraction_months.py [--verify]

``--verify`` writes nothing and says whether the packaged file is what Babel's data gives now
(a Babel upgrade may add or change names). See :mod:`newswatch.extract.dates.months` for which
names are kept.
"""

from __future__ import annotations

import argparse
import json
import sys

from newswatch.extract.dates.months import LOCALES, MONTHS_FILE, from_cldr, packaged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verify", action="store_true", help="compare with the packaged file, write nothing")
    args = parser.parse_args(argv)
    months = from_cldr()
    if args.verify:
        same = months == packaged()
        print("packaged month names match CLDR" if same else "packaged month names differ from CLDR")
        return 0 if same else 1
    document = {
        "about": "month names from CLDR; written by benchmarks/extraction_months.py",
        "locales": LOCALES,
        "months": months,
    }
    MONTHS_FILE.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(months)} names from {len(LOCALES)} locales written to {MONTHS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
