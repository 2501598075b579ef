"""Figures against the national targets （二） for a region and occupation category, read
from the pre-aggregated tally (``skills.tally``): year-end counts by year, the two ratios
and their targets, the next level of regions, chart geometry and the CSV export.

A page reads a few hundred tally rows (the region's own series, and its children for one
year), whatever the number of people and certificates."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from tongban.core.models import Region
from tongban.core.permissions import assignments, grants, is_platform_admin
from tongban.skills.models import Measure, OfficialEmployment, SkillTally, SkillTarget
from tongban.skills.models.statistics import DEPTHS

LEVEL_NAMES = {0: "全国", 2: "省级", 4: "地级", 6: "县级", 9: "乡级"}


class Source:
    REGISTRY = "registry"
    OFFICIAL = "official"


def child_depth(prefix: str) -> int | None:
    if not prefix:
        return DEPTHS[0]
    following = [d for d in DEPTHS if d > len(prefix)]
    return following[0] if following else None


def prefix_of(code: str) -> str:
    """The tally prefix of a 12-digit region code (township and above), or '' for all."""
    if not code:
        return ""
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise LookupError(code)
    return region.prefix[:9]


def region_code(prefix: str) -> str:
    return prefix.ljust(12, "0") if prefix else ""


@dataclass(frozen=True)
class Target:
    name: str
    skilled_share: Decimal
    high_skilled_share: Decimal

    @property
    def skilled_pct(self) -> str:
        return percent(float(self.skilled_share))

    @property
    def high_skilled_pct(self) -> str:
        return percent(float(self.high_skilled_share))


def target_for(prefix: str) -> Target:
    """The target row listing the region's province, else the national default."""
    rows = list(SkillTarget.objects.all())
    province = prefix[:2]
    chosen = next((t for t in rows if province and province in (t.provinces or [])), None)
    chosen = chosen or next((t for t in rows if t.is_default), None)
    if chosen is None:
        return Target(_("全国目标"), Decimal("0.3000"), Decimal("0.3333"))
    return Target(str(chosen.name), chosen.skilled_share, chosen.high_skilled_share)


def share(part: int | None, whole: int | None) -> float | None:
    if part is None or not whole:
        return None
    return part / whole


@dataclass
class YearFigures:
    year: int
    employed: int | None
    skilled: int
    high_skilled: int

    @property
    def skilled_share(self) -> float | None:
        return share(self.skilled, self.employed)

    @property
    def high_skilled_share(self) -> float | None:
        return share(self.high_skilled, self.skilled)

    @property
    def skilled_pct(self) -> str:
        return percent(self.skilled_share)

    @property
    def high_skilled_pct(self) -> str:
        return percent(self.high_skilled_share)


@dataclass
class ChildFigures:
    prefix: str
    name: str
    figures: YearFigures

    @property
    def code(self) -> str:
        return region_code(self.prefix)


@dataclass
class Board:
    prefix: str
    name: str
    category: str
    source: str
    year: int
    target: Target
    years: list[YearFigures] = field(default_factory=list)
    children: list[ChildFigures] = field(default_factory=list)

    @property
    def code(self) -> str:
        return region_code(self.prefix)

    @property
    def current(self) -> YearFigures:
        return next(
            (f for f in self.years if f.year == self.year),
            YearFigures(self.year, 0 if self.source == Source.REGISTRY else None, 0, 0),
        )

    @property
    def skilled_met(self) -> bool | None:
        value = self.current.skilled_share
        return None if value is None else value >= float(self.target.skilled_share)

    @property
    def high_skilled_met(self) -> bool | None:
        value = self.current.high_skilled_share
        return None if value is None else value >= float(self.target.high_skilled_share)


def _rows(prefix: str, category: str | None) -> Any:
    qs = SkillTally.objects.order_by()
    qs = qs.filter(region=prefix) if prefix else qs.filter(parent="")
    if category is not None:
        qs = qs.filter(category=category)
    return qs


def series(prefix: str, category: str | None, through: int) -> dict[int, dict[str, int]]:
    """Year-end counts per measure for every year with a change, up to ``through``."""
    changes: dict[int, dict[str, int]] = {}
    rows = (
        _rows(prefix, category)
        .filter(year__lte=through)
        .values_list("year", "measure")
        .annotate(s=Sum("n"))
    )
    for year, measure, n in rows:
        changes.setdefault(year, {})[measure] = n or 0
    running = dict.fromkeys(Measure.values, 0)
    out: dict[int, dict[str, int]] = {}
    for year in sorted(changes):
        for measure, n in changes[year].items():
            running[measure] += n
        out[year] = dict(running)
    return out


def official_counts(prefixes: list[str], years: list[int]) -> dict[tuple[str, int], int]:
    codes = {region_code(p): p for p in prefixes if p}
    found = OfficialEmployment.objects.filter(region_id__in=codes, year__in=years).values_list(
        "region_id", "year", "employed"
    )
    return {(codes[code], year): n for code, year, n in found}


def build(
    prefix: str,
    *,
    year: int,
    category: str | None = None,
    source: str = Source.REGISTRY,
    first_year: int | None = None,
) -> Board:
    """The figures of the region ``prefix`` ('' for the whole country) for ``year`` and
    the years before it (from ``first_year``, default ten years back)."""
    first_year = first_year or year - 9
    counts = series(prefix, category, year)
    years = list(range(first_year, year + 1))
    official = (
        official_counts([prefix], years) if source == Source.OFFICIAL and category is None else {}
    )
    figures = []
    running = dict.fromkeys(Measure.values, 0)
    for y in sorted(set(counts) | set(years)):
        running = counts.get(y, running)
        if y < first_year:
            continue
        employed: int | None = running[Measure.EMPLOYED]
        if source == Source.OFFICIAL:
            employed = official.get((prefix, y))
        figures.append(
            YearFigures(y, employed, running[Measure.SKILLED], running[Measure.HIGH_SKILLED])
        )
    name = (
        Region.objects.filter(code=region_code(prefix)).values_list("name", flat=True).first()
        if prefix
        else _("全国")
    )
    board = Board(
        prefix=prefix,
        name=str(name or prefix),
        category=category or "",
        source=source,
        year=year,
        target=target_for(prefix),
        years=figures,
    )
    board.children = children(prefix, year=year, category=category, source=source)
    return board


def children(prefix: str, *, year: int, category: str | None, source: str) -> list[ChildFigures]:
    """Year-end figures of the regions one level below ``prefix`` (one grouped query)."""
    depth = child_depth(prefix)
    if depth is None:
        return []
    qs = SkillTally.objects.order_by().filter(parent=prefix, year__lte=year)
    if category is not None:
        qs = qs.filter(category=category)
    totals: dict[str, dict[str, int]] = {}
    for region, measure, n in qs.values_list("region", "measure").annotate(s=Sum("n")):
        totals.setdefault(region, dict.fromkeys(Measure.values, 0))[measure] = n or 0
    codes = {region_code(p): p for p in totals}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    official = (
        official_counts(list(totals), [year])
        if source == Source.OFFICIAL and category is None
        else {}
    )
    rows = []
    for child in sorted(totals):
        counts = totals[child]
        employed: int | None = counts[Measure.EMPLOYED]
        if source == Source.OFFICIAL:
            employed = official.get((child, year))
        rows.append(
            ChildFigures(
                prefix=child,
                name=str(names.get(region_code(child), child)),
                figures=YearFigures(
                    year, employed, counts[Measure.SKILLED], counts[Measure.HIGH_SKILLED]
                ),
            )
        )
    return rows


# --- who sees what -----------------------------------------------------------------------


def viewable_prefixes(user: Any) -> list[str]:
    """Region prefixes whose statistics ``user`` may view ('' = the whole country)."""
    if is_platform_admin(user):
        return [""]
    found = []
    for a in assignments(user):
        if a.region is not None and grants(a.role, "skills.skilltally", "view"):
            found.append(a.region.prefix[:9])
    return sorted(set(found))


def may_view(user: Any, prefix: str) -> bool:
    return any(prefix.startswith(p) for p in viewable_prefixes(user))


def breadcrumbs(prefix: str, user: Any) -> list[tuple[str, str]]:
    """(region code or '', name) from the widest region the user sees down to ``prefix``."""
    allowed = viewable_prefixes(user)
    steps = [""] + [prefix[:d] for d in DEPTHS if d <= len(prefix)]
    names = dict(
        Region.objects.filter(code__in=[region_code(s) for s in steps if s]).values_list(
            "code", "name"
        )
    )
    return [
        (region_code(s), str(names.get(region_code(s), _("全国")) if s else _("全国")))
        for s in steps
        if any(s.startswith(a) for a in allowed)
    ]


def categories() -> list[tuple[str, str]]:
    """(大类 digit, name) of the occupation catalogue's major categories."""
    from tongban.skills.models import Occupation

    return [
        (code[:1], str(name))
        for code, name in Occupation.objects.filter(kind="major")
        .order_by("code")
        .values_list("code", "name")
    ]


# --- charts and export ---------------------------------------------------------------------


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def trend_chart(board: Board, width: int = 640, height: int = 220) -> dict[str, Any]:
    """Geometry of the two ratios by year with their targets, drawn as SVG by the template."""
    left, right, top, bottom = 48, 16, 12, 28
    span_x, span_y = width - left - right, height - top - bottom
    values = [
        v for f in board.years for v in (f.skilled_share, f.high_skilled_share) if v is not None
    ]
    targets = [float(board.target.skilled_share), float(board.target.high_skilled_share)]
    top_value = max([*values, *targets, 0.1])
    top_value = min(1.0, (int(top_value * 10) + 1) / 10)
    n = max(1, len(board.years) - 1)

    def x(i: int) -> float:
        return round(left + span_x * i / n, 1)

    def y(v: float) -> float:
        return round(top + span_y * (1 - v / top_value), 1)

    def line(attr: str) -> str:
        points = [
            f"{x(i)},{y(getattr(f, attr))}"
            for i, f in enumerate(board.years)
            if getattr(f, attr) is not None
        ]
        return " ".join(points)

    ticks = [
        {"y": y(top_value * k / 4), "label": f"{top_value * k / 4 * 100:.0f}%"} for k in range(5)
    ]
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "bottom": height - bottom,
        "skilled": line("skilled_share"),
        "high": line("high_skilled_share"),
        "skilled_target": y(targets[0]),
        "high_target": y(targets[1]),
        "ticks": ticks,
        "years": [
            {"x": x(i), "label": f.year}
            for i, f in enumerate(board.years)
            if len(board.years) <= 12 or i % 2 == 0
        ],
        "label_y": height - 8,
    }


def children_chart(board: Board, width: int = 640, bar: int = 18) -> dict[str, Any]:
    """Horizontal bars: each child region's skilled share, with the target line."""
    label_width, pad = 140, 60
    span = width - label_width - pad
    rows = [(c.name, c.figures.skilled_share) for c in board.children][:40]
    target = float(board.target.skilled_share)
    top = max([v for _n, v in rows if v is not None] + [target, 0.1])
    bars = [
        {
            "label": name,
            "text": percent(value),
            "y": i * (bar + 6),
            "w": 0 if value is None else max(1, round(value / top * span)),
            "text_y": i * (bar + 6) + bar * 0.75,
        }
        for i, (name, value) in enumerate(rows)
    ]
    return {
        "width": width,
        "height": max(1, len(rows)) * (bar + 6),
        "bar": bar,
        "x": label_width,
        "target_x": label_width + round(target / top * span),
        "bars": bars,
    }


def as_csv(board: Board) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("地区"),
            _("年份"),
            _("就业人员"),
            _("技能人才"),
            _("高技能人才"),
            _("技能人才占就业人员比例"),
            _("高技能人才占技能人才比例"),
        ]
    )

    def row(name: str, f: YearFigures) -> list[Any]:
        return [
            name,
            f.year,
            "" if f.employed is None else f.employed,
            f.skilled,
            f.high_skilled,
            percent(f.skilled_share),
            percent(f.high_skilled_share),
        ]

    for f in board.years:
        writer.writerow(row(board.name, f))
    for child in board.children:
        writer.writerow(row(child.name, child.figures))
    writer.writerow([])
    writer.writerow(
        [
            _("目标"),
            board.target.name,
            "",
            "",
            "",
            percent(float(board.target.skilled_share)),
            percent(float(board.target.high_skilled_share)),
        ]
    )
    return "\ufeff" + out.getvalue()
