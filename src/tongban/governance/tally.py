"""The dashboard's pre-aggregated counts (``EventTally``): what one event contributes, the
exact update in the transaction of every event write, the rebuild from the events, and
the sums the dashboard reads.

Every event counts once in its month (local time) and county along each dimension; a
write subtracts what the row contributed before and adds what it contributes now, as one
``INSERT … ON CONFLICT DO UPDATE`` statement. Writes that bypass ``Event.save``
(``bulk_create``, ``QuerySet.update``, raw SQL) must be followed by ``rebuild()``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone

from tongban.governance.models import Dimension, Event, EventTally

Key = tuple[datetime.date, str, str, str]  # month, county prefix, dimension, key
Sums = tuple[int, int, int, int, int]  # n, closed, on_time, days_n, days_sum
SUM_FIELDS = ("n", "closed", "on_time", "days_n", "days_sum")
# the event fields the counts depend on
TALLY_FIELDS = (
    "created_at",
    "region_id",
    "channel",
    "status",
    "category_id",
    "satisfaction",
    "on_time",
    "working_days_to_close",
)


def month_of(moment: datetime.datetime) -> datetime.date:
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return local.date().replace(day=1)


def contribution(values: Mapping[str, Any]) -> dict[Key, Sums]:
    """The tally rows one event (given by its ``TALLY_FIELDS``) adds to."""
    month = month_of(values["created_at"])
    county = str(values["region_id"])[:6]
    closed = values["on_time"] is not None
    days = values["working_days_to_close"] if closed else None
    rows: dict[Key, Sums] = {
        (month, county, Dimension.TOTAL, ""): (
            1,
            int(closed),
            int(values["on_time"] is True),
            int(days is not None),
            int(days or 0),
        )
    }
    one: Sums = (1, 0, 0, 0, 0)
    rows[(month, county, Dimension.CHANNEL, str(values["channel"]))] = one
    rows[(month, county, Dimension.STATUS, str(values["status"]))] = one
    rows[(month, county, Dimension.CATEGORY, str(values["category_id"]))] = one
    rows[(month, county, Dimension.VILLAGE, str(values["region_id"]))] = one
    if values["satisfaction"]:
        rows[(month, county, Dimension.SATISFACTION, str(values["satisfaction"]))] = one
    return rows


def values_of(event: Event) -> dict[str, Any]:
    return {name: getattr(event, name) for name in TALLY_FIELDS}


def stored_values(pk: Any) -> dict[str, Any] | None:
    return Event.objects.filter(pk=pk).values(*TALLY_FIELDS).first()


def difference(before: Mapping[Key, Sums], after: Mapping[Key, Sums]) -> dict[Key, Sums]:
    delta: dict[Key, Sums] = {}
    for key in set(before) | set(after):
        old = before.get(key, (0, 0, 0, 0, 0))
        new = after.get(key, (0, 0, 0, 0, 0))
        change = tuple(b - a for a, b in zip(old, new, strict=True))
        if any(change):
            delta[key] = change  # type: ignore[assignment]
    return delta


def apply(delta: Mapping[Key, Sums]) -> None:
    """Add ``delta`` to the tally in one statement (the caller holds the transaction)."""
    if not delta:
        return
    table = connection.ops.quote_name(EventTally._meta.db_table)
    q = connection.ops.quote_name
    columns = ["month", "county", "dimension", "key", *SUM_FIELDS]
    params: list[Any] = []
    for (month, county, dimension, key), sums in sorted(delta.items()):
        params += [connection.ops.adapt_datefield_value(month), county, str(dimension), key]
        params += list(sums)
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    updates = ", ".join(f"{q(c)} = {table}.{q(c)} + excluded.{q(c)}" for c in SUM_FIELDS)
    # identifiers come from the model's metadata; every value is a parameter
    sql = (
        f"INSERT INTO {table} ({', '.join(q(c) for c in columns)}) "  # noqa: S608
        f"VALUES {', '.join([row] * len(delta))} "
        f"ON CONFLICT ({', '.join(q(c) for c in columns[:4])}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def record(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> None:
    """Move one event's counts from its old values to its new ones (None: absent)."""
    apply(difference(contribution(before) if before else {}, contribution(after) if after else {}))


def rebuild(event_model: Any = Event, tally_model: Any = EventTally) -> int:
    """Recount the whole tally from the events, atomically; returns the number of rows.

    (The models are parameters so that the migration can run it on its historical models.)
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # writers wait until the recount is in place, so none is lost
            with connection.cursor() as cursor:
                table = connection.ops.quote_name(event_model._meta.db_table)
                cursor.execute(f"LOCK TABLE {table} IN SHARE MODE")
        return _recount(event_model, tally_model)


def _recount(event_model: Any, tally_model: Any) -> int:
    base = (
        event_model.objects.order_by()
        .annotate(m=TruncMonth("created_at"), c=Substr("region_id", 1, 6))
        .values("m", "c")
    )
    rows: dict[Key, list[int]] = {}

    def add(month: Any, county: str, dimension: str, key: str, sums: Iterable[int]) -> None:
        if isinstance(month, datetime.datetime):
            month = month_of(month)
        rows[(month, county, dimension, key)] = list(sums)

    closed = Q(on_time__isnull=False)
    for r in base.annotate(
        n=Count("pk"),
        closed=Count("pk", filter=closed),
        ontime=Count("pk", filter=Q(on_time=True)),
        days_n=Count("working_days_to_close", filter=closed),
        days_sum=Sum("working_days_to_close", filter=closed),
    ):
        add(
            r["m"],
            r["c"],
            Dimension.TOTAL,
            "",
            (r["n"], r["closed"], r["ontime"], r["days_n"], r["days_sum"] or 0),
        )
    for dimension, column in (
        (Dimension.CHANNEL, "channel"),
        (Dimension.STATUS, "status"),
        (Dimension.CATEGORY, "category_id"),
        (Dimension.VILLAGE, "region_id"),
        (Dimension.SATISFACTION, "satisfaction"),
    ):
        for r in base.values("m", "c", column).annotate(n=Count("pk")):
            if dimension == Dimension.SATISFACTION and not r[column]:
                continue
            add(r["m"], r["c"], dimension, str(r[column]), (r["n"], 0, 0, 0, 0))
    tally_model.objects.all().delete()
    tally_model.objects.bulk_create(
        (
            tally_model(
                month=month,
                county=county,
                dimension=dimension,
                key=key,
                **dict(zip(SUM_FIELDS, sums, strict=True)),
            )
            for (month, county, dimension, key), sums in rows.items()
        ),
        batch_size=2000,
    )
    return len(rows)


@dataclass
class Counts:
    """Figures of a set of events, additive so that tally and live parts can be summed."""

    by: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    total: int = 0
    closed: int = 0
    on_time: int = 0
    days_n: int = 0
    days_sum: int = 0

    def add(self, dimension: str, key: str, n: int) -> None:
        bucket = self.by[dimension]
        bucket[key] = bucket.get(key, 0) + n

    def merge(self, other: Counts) -> None:
        for dimension, values in other.by.items():
            for key, n in values.items():
                self.add(dimension, key, n)
        self.total += other.total
        self.closed += other.closed
        self.on_time += other.on_time
        self.days_n += other.days_n
        self.days_sum += other.days_sum


def read(months: list[datetime.date], prefixes: list[str]) -> Counts:
    """The tally's sums over whole ``months`` for the counties under ``prefixes``."""
    counts = Counts()
    if not months or not prefixes:
        return counts
    qs = EventTally.objects.filter(month__in=months).order_by()
    if "" not in prefixes:
        where = Q()
        for prefix in prefixes:
            where |= Q(county__startswith=prefix)
        qs = qs.filter(where)
    totals = qs.filter(dimension=Dimension.TOTAL).aggregate(
        n=Sum("n"),
        closed=Sum("closed"),
        on_time=Sum("on_time"),
        days_n=Sum("days_n"),
        days_sum=Sum("days_sum"),
    )
    counts.total = totals["n"] or 0
    counts.closed = totals["closed"] or 0
    counts.on_time = totals["on_time"] or 0
    counts.days_n = totals["days_n"] or 0
    counts.days_sum = totals["days_sum"] or 0
    for dimension, key, n in (
        qs.exclude(dimension=Dimension.TOTAL).values_list("dimension", "key").annotate(s=Sum("n"))
    ):
        if n:
            counts.add(dimension, key, n)
    return counts
