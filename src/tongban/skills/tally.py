"""The statistics' pre-aggregated counts (``SkillTally``): what one person contributes,
the exact update on every certificate, employment and residence change, the set-based
rebuild, and the rules both share.

The rules (one person, at the end of year ``y``):

- **employed** when an employment started in or before ``y`` and did not end in or
  before ``y`` (no end date, or ending in a later year); with several, the one started
  last (then the higher id) gives the occupation category.
- **skilled** when a valid certificate at 五级/初级工 or above was issued in or before
  ``y``; the highest level held (then the earliest issued, then the lower id) gives the
  category, and **high-skilled** when that level has the 高技能 flag.
- counted in the township (9-digit prefix) of the current residence, and in its county,
  city and province.
- category: the 大类 digit of the occupation code (empty when the employment names none).

A person's state only changes in the years an employment starts or ends or a certificate
is issued, so the tally stores, per year, how many people entered minus how many left
each (region, category, measure); the year-end count is the running sum. A change of one
person moves the difference of their contribution before and after, in the same
transaction (``INSERT … ON CONFLICT DO UPDATE``). Writes that bypass ``Model.save`` /
``delete`` (``bulk_create``, ``QuerySet.update``, raw SQL) must be followed by
``rebuild()`` (``tongban rebuild_skill_tally``).
"""

from __future__ import annotations

import contextlib
import datetime
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction

from tongban.skills.models.statistics import DEPTHS, Measure, SkillTally, parent_prefix

Key = tuple[int, str, str, str]  # year, region prefix, category, measure


@dataclass(frozen=True)
class Job:
    id: int
    start: datetime.date
    end: datetime.date | None
    code: str


@dataclass(frozen=True)
class Held:
    id: int
    issued: datetime.date
    rank: int
    high: bool
    code: str


@dataclass
class Facts:
    """What the counts of one person depend on."""

    residence: str
    jobs: list[Job] = field(default_factory=list)
    held: list[Held] = field(default_factory=list)


def regions_of(residence: str) -> list[str]:
    """The prefixes a residence counts in: its province, city, county and township, but
    not a level its code leaves unspecified (zeros, e.g. a residence recorded only to the
    county is counted in no township)."""
    found = []
    above = 0
    for depth in DEPTHS:
        if depth == DEPTHS[0] or residence[above:depth].strip("0"):
            found.append(residence[:depth])
        above = depth
    return found


def category_of(code: str | None) -> str:
    return (code or "")[:1]


def employed_category(jobs: Iterable[Job], year: int) -> str | None:
    active = [j for j in jobs if j.start.year <= year and (j.end is None or j.end.year > year)]
    if not active:
        return None
    latest = max(active, key=lambda j: (j.start, j.id))
    return category_of(latest.code)


def best_certificate(held: Iterable[Held], year: int) -> Held | None:
    by_then = [h for h in held if h.issued.year <= year]
    if not by_then:
        return None
    return min(by_then, key=lambda h: (-h.rank, h.issued, h.id))


def _changes(states: list[tuple[int, str | None]]) -> Iterable[tuple[int, str, int]]:
    """(year, category, ±1) for a sequence of (year, state) in year order."""
    previous: str | None = None
    for year, state in states:
        if state == previous:
            continue
        if previous is not None:
            yield year, previous, -1
        if state is not None:
            yield year, state, 1
        previous = state


def contribution(facts: Facts | None) -> dict[Key, int]:
    """The tally rows one person adds to (at every depth)."""
    if facts is None:
        return {}
    per_measure: list[tuple[str, list[tuple[int, str | None]]]] = []
    job_years = sorted(
        {j.start.year for j in facts.jobs} | {j.end.year for j in facts.jobs if j.end}
    )
    per_measure.append(
        (Measure.EMPLOYED, [(y, employed_category(facts.jobs, y)) for y in job_years])
    )
    skilled: list[tuple[int, str | None]] = []
    high: list[tuple[int, str | None]] = []
    for y in sorted({h.issued.year for h in facts.held}):
        best = best_certificate(facts.held, y)
        assert best is not None  # noqa: S101 - a certificate was issued in year y
        skilled.append((y, category_of(best.code)))
        high.append((y, category_of(best.code) if best.high else None))
    per_measure += [(Measure.SKILLED, skilled), (Measure.HIGH_SKILLED, high)]
    rows: dict[Key, int] = defaultdict(int)
    regions = regions_of(facts.residence)
    for measure, states in per_measure:
        for year, category, n in _changes(states):
            for region in regions:
                rows[(year, region, category, str(measure))] += n
    return {k: v for k, v in rows.items() if v}


def facts_of(person_id: Any) -> Facts | None:
    """The stored facts of one person (three indexed queries), or None if absent."""
    from tongban.core.models import Employment, Person
    from tongban.skills.models import Certificate, CertificateStatus

    residence = (
        Person.objects.filter(pk=person_id).values_list("residence_region_id", flat=True).first()
    )
    if residence is None:
        return None
    jobs = [
        Job(pk, start, end, code or "")
        for pk, start, end, code in Employment.objects.filter(person_id=person_id)
        .order_by()
        .values_list("pk", "start_date", "end_date", "occupation_code")
    ]
    held = [
        Held(pk, issued, rank, high, code)
        for pk, issued, rank, high, code in Certificate.objects.filter(
            person_id=person_id, status=CertificateStatus.VALID, level__rank__gte=1
        )
        .order_by()
        .values_list("pk", "issued_on", "level__rank", "level__high_skill", "occupation__code")
    ]
    return Facts(str(residence), jobs, held)


def difference(before: Mapping[Key, int], after: Mapping[Key, int]) -> dict[Key, int]:
    delta = {k: after.get(k, 0) - before.get(k, 0) for k in set(before) | set(after)}
    return {k: v for k, v in delta.items() if v}


def apply(delta: Mapping[Key, int]) -> None:
    """Add ``delta`` to the tally in one statement (the caller holds the transaction)."""
    if not delta:
        return
    q = connection.ops.quote_name
    table = q(SkillTally._meta.db_table)
    columns = ["year", "region", "depth", "parent", "category", "measure", "n"]
    params: list[Any] = []
    for (year, region, category, measure), n in sorted(delta.items()):
        params += [year, region, len(region), parent_prefix(region), category, measure, n]
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    # identifiers come from the model's metadata; every value is a parameter
    sql = (
        f"INSERT INTO {table} ({', '.join(q(c) for c in columns)}) "  # noqa: S608
        f"VALUES {', '.join([row] * len(delta))} "
        f"ON CONFLICT ({q('region')}, {q('measure')}, {q('category')}, {q('year')}) "
        f"DO UPDATE SET {q('n')} = {table}.{q('n')} + excluded.{q('n')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


# --- keeping the tally exact as records change -----------------------------------------------

Snapshot = dict[Any, dict[Key, int]]  # person id -> contribution
_deleting = threading.local()


def _people_being_deleted() -> set[Any]:
    if not hasattr(_deleting, "ids"):
        _deleting.ids = set()
    if not connection.in_atomic_block:
        # a deletion runs in a transaction: outside one, any leftover is from a failure
        _deleting.ids.clear()
    found: set[Any] = _deleting.ids
    return found


def snapshot(person_ids: Iterable[Any]) -> Snapshot:
    """The current contribution of people about to change (people whose deletion is
    under way are left to that deletion)."""
    skip = _people_being_deleted()
    return {
        pk: contribution(facts_of(pk))
        for pk in {p for p in person_ids if p is not None}
        if pk not in skip
    }


def settle(before: Snapshot) -> None:
    """Move each person's counts from the snapshot to what the records say now (except
    people whose deletion is under way: the deletion settles them once, at its end)."""
    skip = _people_being_deleted()
    before = {pk: old for pk, old in before.items() if pk not in skip}
    if not before:
        return
    with transaction.atomic():
        delta: dict[Key, int] = defaultdict(int)
        for pk, old in before.items():
            for key, n in difference(old, contribution(facts_of(pk))).items():
                delta[key] += n
        apply({k: v for k, v in delta.items() if v})


def connect_signals() -> None:
    """Keep the tally exact on every save and delete of the records it counts.

    The snapshot before a write rides on the instance, so a write that fails leaves
    nothing behind. Deleting a person deletes their employments too (all the pre-delete
    signals come first): the person's own handlers count that once, and the employments'
    handlers leave it to them.
    """
    from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

    from tongban.core.models import Employment, Person
    from tongban.skills.models import Certificate

    def certificate_before(sender: Any, instance: Any, **kwargs: Any) -> None:
        instance._tally_before = snapshot([instance.person_id])

    def employment_before(sender: Any, instance: Any, **kwargs: Any) -> None:
        ids = {instance.person_id}
        if instance.pk is not None:
            stored = Employment.objects.filter(pk=instance.pk).values_list("person_id", flat=True)
            ids.add(stored.first())
        instance._tally_before = snapshot(ids)

    def person_before_save(sender: Any, instance: Any, **kwargs: Any) -> None:
        instance._tally_before = {}
        if instance.pk is None or instance._state.adding:
            return
        stored = (
            Person.objects.filter(pk=instance.pk)
            .values_list("residence_region_id", flat=True)
            .first()
        )
        if stored is not None and stored != instance.residence_region_id:
            instance._tally_before = snapshot([instance.pk])

    def person_before_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
        instance._tally_before = snapshot([instance.pk])
        _people_being_deleted().add(instance.pk)

    def after(sender: Any, instance: Any, **kwargs: Any) -> None:
        before = getattr(instance, "_tally_before", {})
        instance._tally_before = {}
        settle(before)

    def person_after_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
        _people_being_deleted().discard(instance.pk)
        after(sender, instance)

    for model, before_save, before_delete, after_delete in (
        (Certificate, certificate_before, certificate_before, after),
        (Employment, employment_before, employment_before, after),
        (Person, person_before_save, person_before_delete, person_after_delete),
    ):
        uid = f"skill_tally_{model._meta.label_lower}"
        pre_save.connect(before_save, sender=model, weak=False, dispatch_uid=uid + "_pre_save")
        post_save.connect(after, sender=model, weak=False, dispatch_uid=uid + "_post_save")
        pre_delete.connect(before_delete, sender=model, weak=False, dispatch_uid=uid + "_pre_del")
        post_delete.connect(after_delete, sender=model, weak=False, dispatch_uid=uid + "_post_del")


# --- the rebuild ---------------------------------------------------------------------------


def year_of(column: str, vendor: str) -> str:
    if vendor == "sqlite":
        return f"CAST(strftime('%Y', {column}) AS INTEGER)"
    return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"


def _specified(depth: int, above: int) -> str:
    """SQL: the code's digits between ``above`` and ``depth`` are not all zeros."""
    if above == 0:
        return "1 = 1"
    return f"SUBSTR(region, {above + 1}, {depth - above}) <> '{'0' * (depth - above)}'"


def rebuild_sql(vendor: str, tables: Mapping[str, str] | None = None) -> str:
    """The SELECT giving every tally row (year, region, depth, category, measure, n) from
    the employments, certificates, levels, occupations and people, as one set-based
    statement (PostgreSQL, SQLite, and DuckDB for the benchmark: ``vendor`` picks the
    year function; ``tables`` renames the tables)."""
    t = {
        "employment": "core_employment",
        "person": "core_person",
        "certificate": "skills_certificate",
        "level": "skills_skilllevel",
        "occupation": "skills_occupation",
        **(tables or {}),
    }
    start, end = year_of("e.start_date", vendor), year_of("e.end_date", vendor)
    issued = year_of("c.issued_on", vendor)
    town = "SUBSTR(p.residence_region_id, 1, 9)"
    up = dict(zip(DEPTHS, (0, *DEPTHS[:-1]), strict=True))
    rollups = " UNION ALL ".join(
        # identifiers and digits from this module only; no value comes from outside
        f"SELECT y, region, {d} AS depth, SUBSTR(region, 1, {up[d]}) AS parent, cat, measure, n "  # noqa: S608
        f"FROM (SELECT y, SUBSTR(region, 1, {d}) AS region, cat, measure, SUM(n) AS n FROM town "
        f"WHERE {_specified(d, up[d])} "
        f"GROUP BY y, SUBSTR(region, 1, {d}), cat, measure HAVING SUM(n) <> 0) AS r{d}"
        for d in DEPTHS
    )
    return f"""
WITH e AS (
  SELECT e.id, e.person_id, e.start_date AS sd, {start} AS sy, {end} AS ey,
         SUBSTR(COALESCE(e.occupation_code, ''), 1, 1) AS cat
  FROM {t["employment"]} e
),
ecand AS (
  SELECT person_id, sy AS y FROM e
  UNION SELECT person_id, ey AS y FROM e WHERE ey IS NOT NULL
),
estate AS (
  SELECT k.person_id, k.y, e.id AS eid, e.cat,
         ROW_NUMBER() OVER (PARTITION BY k.person_id, k.y ORDER BY e.sd DESC, e.id DESC) AS rn
  FROM ecand k LEFT JOIN e
    ON e.person_id = k.person_id AND e.sy <= k.y AND (e.ey IS NULL OR e.ey > k.y)
),
c AS (
  SELECT c.id, c.person_id, c.issued_on AS d, {issued} AS y, l.rank AS rnk,
         l.high_skill AS high, SUBSTR(o.code, 1, 1) AS cat
  FROM {t["certificate"]} c
  JOIN {t["level"]} l ON l.id = c.level_id
  JOIN {t["occupation"]} o ON o.id = c.occupation_id
  WHERE c.status = 'valid' AND l.rank >= 1
),
ccand AS (SELECT DISTINCT person_id, y FROM c),
cstate AS (
  SELECT k.person_id, k.y, c.cat, c.high,
         ROW_NUMBER() OVER (PARTITION BY k.person_id, k.y ORDER BY c.rnk DESC, c.d, c.id) AS rn
  FROM ccand k JOIN c ON c.person_id = k.person_id AND c.y <= k.y
),
s AS (
  SELECT person_id, y, 'employed' AS measure, CASE WHEN eid IS NULL THEN NULL ELSE cat END AS st
  FROM estate WHERE rn = 1
  UNION ALL
  SELECT person_id, y, 'skilled' AS measure, cat AS st FROM cstate WHERE rn = 1
  UNION ALL
  SELECT person_id, y, 'high_skilled' AS measure, CASE WHEN high THEN cat ELSE NULL END AS st
  FROM cstate WHERE rn = 1
),
d AS (
  SELECT person_id, y, measure, st,
         LAG(st) OVER (PARTITION BY person_id, measure ORDER BY y) AS prev
  FROM s
),
moves AS (
  SELECT person_id, y, measure, st AS cat, 1 AS n FROM d
  WHERE st IS NOT NULL AND COALESCE(prev, '~') <> st
  UNION ALL
  SELECT person_id, y, measure, prev AS cat, -1 AS n FROM d
  WHERE prev IS NOT NULL AND COALESCE(st, '~') <> prev
),
town AS (
  SELECT m.y, {town} AS region, m.cat, m.measure, SUM(m.n) AS n
  FROM moves m JOIN {t["person"]} p ON p.id = m.person_id
  GROUP BY m.y, {town}, m.cat, m.measure
)
{rollups}
"""  # noqa: S608


def rebuild() -> int:
    """Recount the whole tally from the records, atomically; returns the number of rows."""
    q = connection.ops.quote_name
    table = q(SkillTally._meta.db_table)
    columns = ", ".join(
        q(c) for c in ("year", "region", "depth", "parent", "category", "measure", "n")
    )
    postgres = connection.vendor == "postgresql"
    with transaction.atomic(), connection.cursor() as cursor:
        if postgres:
            # writers wait until the recount is in place, so none is lost
            cursor.execute(
                "LOCK TABLE core_person, core_employment, skills_certificate IN SHARE MODE"
            )
            # one big statement: sorts and hashes in memory; no JIT compilation, which
            # cost more than it saved in the benchmark
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(f"TRUNCATE {table}")
        else:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        select = rebuild_sql(connection.vendor)
        if postgres:
            # stored in the order the dashboard reads them (a region's children together)
            select = f"SELECT * FROM ({select}) AS rows ORDER BY parent, region"  # noqa: S608
        with _indexes_rebuilt_after(postgres):
            cursor.execute(f"INSERT INTO {table} ({columns}) {select}")  # noqa: S608
        # fresh statistics, so that the dashboard's queries use the indexes at once
        cursor.execute(f"ANALYZE {table}")
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
        return int(cursor.fetchone()[0])


@contextlib.contextmanager
def _indexes_rebuilt_after(enabled: bool) -> Iterator[None]:
    """Drop the tally's secondary indexes for a bulk insert and build them again after
    (PostgreSQL, inside the rebuild's transaction): building an index once is much
    cheaper than maintaining it row by row."""
    if not enabled:
        yield
        return
    meta = SkillTally._meta
    with connection.schema_editor(atomic=False) as editor:
        for constraint in meta.constraints:
            editor.remove_constraint(SkillTally, constraint)
        for index in meta.indexes:
            editor.remove_index(SkillTally, index)
    yield
    with connection.schema_editor(atomic=False) as editor:
        for constraint in meta.constraints:
            editor.add_constraint(SkillTally, constraint)
        for index in meta.indexes:
            editor.add_index(SkillTally, index)


def current_rows() -> dict[tuple[Any, ...], int]:
    """The tally as stored (for checks and tests), keyed by every column but ``n``."""
    columns = ("year", "region", "depth", "parent", "category", "measure")
    return {
        tuple(row[:-1]): row[-1]
        for row in SkillTally.objects.order_by().values_list(*columns, "n")
        if row[-1]
    }
