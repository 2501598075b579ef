"""Default reference data of the governance app, loaded by ``tongban load_categories``.

``data/categories.csv`` holds a starting category tree: the 数字城管 部件 and 事件
classes (GB/T 30428.2, codes prefixed ``C-`` and ``I-`` so both trees fit one
code space), disputes, safety hazards, consultations (3 working days),
complaints and suggestions (13 working days). Loading is idempotent: missing
categories are created; existing ones keep the limits an operator set.
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from tongban.governance.models import Category

CATEGORY_FILE = Path(__file__).parent / "data" / "categories.csv"


@transaction.atomic
def load_categories(path: Path = CATEGORY_FILE) -> tuple[int, int]:
    """Create the categories of ``path`` that are missing; returns (created, kept)."""
    created = kept = 0
    by_code = {c.code: c for c in Category.objects.all()}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["code"] in by_code:
                kept += 1
                continue
            category = Category(
                code=row["code"],
                name=row["name"],
                kind=row["kind"],
                parent=by_code.get(row["parent"]) if row["parent"] else None,
                limit_normal=int(row["limit_normal"]),
                limit_urgent=int(row["limit_urgent"]),
                keywords=row["keywords"],
            )
            category.full_clean()
            category.save()
            by_code[category.code] = category
            created += 1
    return created, kept
