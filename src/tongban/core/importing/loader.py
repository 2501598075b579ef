"""The one importer: stream a file, validate each row with the model's rules, load in
chunked transactions with a natural-key upsert.

* PostgreSQL: each chunk is COPied into a temporary staging table and merged with one
  ``INSERT … SELECT … ON CONFLICT (natural key) DO UPDATE``.
* SQLite: one ``executemany`` of ``INSERT … ON CONFLICT (natural key) DO UPDATE``.
* A kind whose rows are not one table's rows writes each chunk through its own
  ``write`` (e.g. competition results, written onto the entries); a kind whose records
  have a side effect when saved through their form (credits for completed training)
  has it done by its ``after_write``, in the same transaction as the chunk.

Every chunk commits on its own with its audit row (``ImportBatch``), so a run killed
at any moment leaves whole rows only, and a re-run updates what is there and adds the
rest: the final data is the same as after one uninterrupted run.

Modes: ``strict`` checks the whole file first and writes nothing if any row is wrong;
``partial`` writes the valid rows and reports the others.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.core.importing.kinds import ImportKind, among, key_filter
from tongban.core.importing.readers import FileProblem, open_table
from tongban.core.importing.report import ErrorSink
from tongban.core.importing.validation import ParsedRow, RowError, SeenKeys, map_headers
from tongban.core.importing.workers import Ahead, Validated, validate_chunk, worker_count
from tongban.core.models import ImportBatch, ImportJob
from tongban.core.permissions import Scope, is_platform_admin

CHUNK = 2000


@dataclass
class Counts:
    rows: int = 0
    created: int = 0
    updated: int = 0
    error_rows: int = 0
    started: float = 0.0

    @property
    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.rows / elapsed if elapsed > 0 else 0.0


Progress = Callable[[str, Counts], None]


def chunks(
    rows: Iterator[tuple[int, list[str]]], size: int
) -> Iterator[list[tuple[int, list[str]]]]:
    while batch := list(islice(rows, size)):
        yield batch


def existing_keys(kind: ImportKind, keys: list[tuple[Any, ...]]) -> dict[tuple[Any, ...], int]:
    """The pks of the rows already stored under these natural keys."""
    if not keys:
        return {}
    wanted = set(keys)
    found = {}
    rows = (
        kind.model._default_manager.filter(**key_filter(kind.model, kind.natural_key, keys))
        .order_by()
        .values_list(*kind.natural_key, "pk")
    )
    for values in rows:
        key = tuple(values[:-1])
        if key in wanted:
            found[key] = values[-1]
    return found


def unique_conditions(kind: ImportKind) -> dict[str, Q | None]:
    """Each single-column unique rule besides the natural key among the written fields,
    with the condition of a partial unique constraint (None for a plain unique column).

    The look-up of values already held repeats the condition, so the database can use the
    constraint's partial index instead of reading the whole table for every chunk."""
    written = {f.attname for f in kind.update_fields()}
    found: dict[str, Q | None] = {
        f.attname: None
        for f in kind.model._meta.concrete_fields
        if f.unique and not f.primary_key and f.attname in written
    }
    for constraint in kind.model._meta.constraints:
        fields: tuple[str, ...] = tuple(getattr(constraint, "fields", ()))
        if len(fields) == 1 and fields[0] in written and fields[0] not in kind.natural_key:
            found.setdefault(fields[0], getattr(constraint, "condition", None))
    return {n: c for n, c in found.items() if n not in kind.natural_key}


class Loader:
    def __init__(
        self,
        kind: ImportKind,
        *,
        user: Any,
        job: ImportJob,
        sink: ErrorSink,
        chunk_size: int = CHUNK,
        progress: Progress | None = None,
    ) -> None:
        self.kind = kind
        self.user = user
        self.job = job
        self.sink = sink
        self.chunk_size = chunk_size
        self.progress = progress
        self.admin = is_platform_admin(user)
        self.insert_fields = kind.insert_fields()
        self.update_fields = kind.update_fields()
        self.uniques = unique_conditions(kind)
        self.key_header = kind.header_of(kind.natural_key[-1]) or ""
        scope: Scope = getattr(kind.model, "scope", Scope())
        self.scope_header = kind.header_of(scope.error_field or "") or ""
        self.batches = 0
        self.last_report = 0.0

    # -- the passes -------------------------------------------------------------------
    def run(self, path: Path, filename: str, *, write: bool, phase: str) -> Counts:
        counts = Counts(started=time.monotonic())
        rows = open_table(path, filename).rows()
        first = next(rows, None)
        if first is None:
            raise FileProblem(_("文件为空：第1行应为列标题"))
        positions = map_headers(self.kind, first[1])
        self.path = path
        seen = SeenKeys()
        seen_unique = {name: SeenKeys() for name in self.uniques}
        try:
            self._passes(rows, positions, seen, seen_unique, counts, write=write, phase=phase)
        finally:
            for store in (seen, *seen_unique.values()):
                store.close()
        self._report(phase, counts, force=True)
        return counts

    def _passes(
        self,
        rows: Iterator[tuple[int, list[str]]],
        positions: list[int],
        seen: SeenKeys,
        seen_unique: dict[str, SeenKeys],
        counts: Counts,
        *,
        write: bool,
        phase: str,
    ) -> None:
        for chunk, (read, good, errors) in self._validated(rows, positions, seen):
            counts.rows += read
            good = self._unique_in_file(good, seen, seen_unique, errors)
            if write:
                self._write(good, errors, counts, chunk[0][0], chunk[-1][0])
            self.sink.add(sorted(errors, key=lambda e: e.row))
            self.sink.end_chunk()
            counts.error_rows = self.sink.row_count
            self._report(phase, counts)

    def _validated(
        self, rows: Iterator[tuple[int, list[str]]], positions: list[int], seen: SeenKeys
    ) -> Iterator[tuple[list[tuple[int, list[str]]], Validated]]:
        """Each chunk with its rows parsed and validated: here, or for a large file in
        worker processes a few chunks ahead of the writing (``workers.py``)."""
        workers = worker_count(self.path, self.kind)
        if not workers:
            for chunk in chunks(rows, self.chunk_size):
                yield (
                    chunk,
                    validate_chunk(self.kind, self.user, chunk, positions, seen.__contains__),
                )
            return
        ahead = Ahead(workers, self.kind, self.user, positions)
        try:
            yield from ahead.map(chunks(rows, self.chunk_size))
        finally:
            ahead.close()

    def _unique_in_file(
        self,
        rows: list[ParsedRow],
        seen: SeenKeys,
        seen_unique: dict[str, SeenKeys],
        errors: list[RowError],
    ) -> list[ParsedRow]:
        firsts = seen.add_many([(row.key, row.row) for row in rows])
        unique_rows = []
        for row, first in zip(rows, firsts, strict=True):
            if first is None:
                unique_rows.append(row)
                continue
            errors.append(
                RowError(
                    row.row,
                    self.key_header,
                    str(row.key[-1]),
                    _("与文件第%(row)s行重复（同一记录在文件中出现两次）") % {"row": first},
                )
            )
        clashed: set[int] = set()
        for name, keys in seen_unique.items():
            holders = [r for r in unique_rows if getattr(r.instance, name) not in (None, "")]
            held = keys.add_many([((getattr(r.instance, name),), r.row) for r in holders])
            for row, first in zip(holders, held, strict=True):
                if first is not None:
                    value = getattr(row.instance, name)
                    errors.append(
                        RowError(
                            row.row,
                            self.kind.header_of(name) or "",
                            str(value),
                            _("与文件第%(row)s行重复") % {"row": first},
                        )
                    )
                    clashed.add(row.row)
        return [r for r in unique_rows if r.row not in clashed]

    # -- writing one chunk ----------------------------------------------------------------
    def _write(
        self, rows: list[ParsedRow], errors: list[RowError], counts: Counts, first: int, last: int
    ) -> None:
        rows = self._unique_in_database(rows, errors)
        with transaction.atomic():
            existing = existing_keys(self.kind, [r.key for r in rows])
            rows = self._may_change(rows, existing, errors)
            if rows:
                savepoint = transaction.savepoint()
                rows = self._upsert_resolving(rows, errors)
                out = self._left_scope(rows, existing)
                if out:
                    transaction.savepoint_rollback(savepoint)
                    for row in out:
                        errors.append(
                            RowError(
                                row.row,
                                self.scope_header,
                                "",
                                _("保存后的记录将超出您的管辖范围，未予保存"),
                            )
                        )
                    rows = [r for r in rows if r not in out]
                    if rows:
                        rows = self._upsert_resolving(rows, errors)
                else:
                    transaction.savepoint_commit(savepoint)
            if rows and self.kind.after_write is not None:
                written = existing_keys(self.kind, [r.key for r in rows])
                self.kind.after_write([written[r.key] for r in rows])
            updated = sum(1 for r in rows if r.key in existing)
            created = len(rows) - updated
            error_rows = len({e.row for e in errors})
            self.batches += 1
            ImportBatch.objects.create(
                job=self.job,
                number=self.batches,
                first_row=first,
                last_row=last,
                created_count=created,
                updated_count=updated,
                error_count=error_rows,
            )
        counts.created += created
        counts.updated += updated

    def _unique_in_database(self, rows: list[ParsedRow], errors: list[RowError]) -> list[ParsedRow]:
        if not self.uniques or not rows:
            return rows
        bad: set[int] = set()
        manager = self.kind.model._default_manager
        for name, condition in self.uniques.items():
            values = {getattr(r.instance, name) for r in rows} - {None, ""}
            if not values:
                continue
            held = (manager.filter(condition) if condition is not None else manager).order_by()
            holders = {
                v[0]: tuple(v[1:])
                for v in held.filter(**among(self.kind.model, name, values)).values_list(
                    name, *self.kind.natural_key
                )
            }
            for row in rows:
                value = getattr(row.instance, name)
                holder = holders.get(value)
                if holder is not None and holder != row.key:
                    bad.add(row.row)
                    errors.append(
                        RowError(
                            row.row,
                            self.kind.header_of(name) or "",
                            str(value),
                            _("该%(label)s已登记给另一条记录")
                            % {"label": self.kind.header_of(name) or name},
                        )
                    )
        return [r for r in rows if r.row not in bad]

    def _may_change(
        self, rows: list[ParsedRow], existing: dict[tuple[Any, ...], int], errors: list[RowError]
    ) -> list[ParsedRow]:
        if self.admin or not existing:
            return rows
        allowed = set(
            self.kind.model.objects.restrict(self.user, "change")  # type: ignore[attr-defined]
            .filter(pk__in=list(existing.values()))
            .values_list("pk", flat=True)
        )
        kept = []
        for row in rows:
            pk = existing.get(row.key)
            if pk is not None and pk not in allowed:
                errors.append(
                    RowError(
                        row.row,
                        self.key_header,
                        "",
                        _("该记录已在平台登记，但不在您的管辖范围内，不能修改"),
                    )
                )
            else:
                kept.append(row)
        return kept

    def _left_scope(
        self, rows: list[ParsedRow], existing: dict[tuple[Any, ...], int]
    ) -> list[ParsedRow]:
        """Rows that, once written, the user could not see: read back through the scope."""
        if self.admin:
            return []
        written = existing_keys(self.kind, [r.key for r in rows])
        restrict = self.kind.model.objects.restrict  # type: ignore[attr-defined]
        allowed = set(
            restrict(self.user, "add")
            .filter(pk__in=[written[r.key] for r in rows if r.key not in existing])
            .values_list("pk", flat=True)
        ) | set(
            restrict(self.user, "change")
            .filter(pk__in=[written[r.key] for r in rows if r.key in existing])
            .values_list("pk", flat=True)
        )
        return [r for r in rows if written.get(r.key) not in allowed]

    def _upsert_resolving(self, rows: list[ParsedRow], errors: list[RowError]) -> list[ParsedRow]:
        """Write the rows; rows referring to rows of this file not yet stored go after them."""
        ready = [r for r in rows if not r.pending]
        waiting = [r for r in rows if r.pending]
        written = []
        while ready:
            self._upsert(ready)
            written.extend(ready)
            ready = []
            still: list[ParsedRow] = []
            for row in waiting:
                for ref in list(row.pending):
                    key = tuple(row.values.get(c) for c in ref.columns)
                    pk = ref.resolve([key], self.user).get(key)
                    if pk is not None:
                        setattr(row.instance, ref.attr, pk)
                        row.pending.remove(ref)
                (still if row.pending else ready).append(row)
            waiting = still
        for row in waiting:
            ref = row.pending[0]
            column = self.kind.column(ref.blamed)
            errors.append(RowError(row.row, column.title, row.raw[ref.blamed], str(ref.missing)))
        return written

    def _upsert(self, rows: list[ParsedRow]) -> None:
        if self.kind.write is not None:
            self.kind.write(rows, self.user)
            return
        fields = self.insert_fields
        now = timezone.now()
        stamps = {
            f.attname: f.get_db_prep_save(now, connection)
            for f in fields
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        }
        plain = [(f.attname, f, _plain_type(f), type(f) is models.DateField) for f in fields]
        adapt_date = connection.ops.adapt_datefield_value
        values = []
        for row in rows:
            instance = row.instance.__dict__
            record = []
            for attname, f, kind, is_date in plain:
                if attname in stamps:
                    record.append(stamps[attname])
                    continue
                value = instance[attname]
                # a value the database takes as it is skips the field's conversion chain
                if value is None or type(value) is kind:
                    record.append(value)
                elif is_date and type(value) is datetime.date:
                    record.append(adapt_date(value))
                else:
                    record.append(f.get_db_prep_save(value, connection))
            values.append(record)
        upsert_values(self.kind.model, fields, self.kind.natural_key, self.update_fields, values)

    def _report(self, phase: str, counts: Counts, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last_report < 0.5:
            return
        self.last_report = now
        ImportJob.objects.filter(pk=self.job.pk).update(
            rows_read=counts.rows,
            created_count=counts.created,
            updated_count=counts.updated,
            error_count=counts.error_rows,
            message=phase,
        )
        if self.progress is not None:
            self.progress(phase, counts)


# Django's own field classes (exactly these, not subclasses) whose conversion to the
# database leaves a value of this Python type unchanged on SQLite and PostgreSQL.
_PLAIN_TYPES: dict[type[models.Field], type] = {
    models.CharField: str,
    models.TextField: str,
    models.SlugField: str,
    models.BooleanField: bool,
    **dict.fromkeys(
        (
            models.AutoField, models.BigAutoField, models.SmallAutoField, models.IntegerField,
            models.BigIntegerField, models.SmallIntegerField, models.PositiveIntegerField,
            models.PositiveBigIntegerField, models.PositiveSmallIntegerField,
        ),
        int,
    ),
}  # fmt: skip


def _plain_type(field: models.Field) -> type | None:
    if isinstance(field, models.ForeignKey):
        return _plain_type(field.target_field)
    return _PLAIN_TYPES.get(type(field))


def upsert_values(
    model: type[models.Model],
    fields: list[models.Field],
    natural_key: tuple[str, ...],
    update_fields: list[models.Field],
    values: list[list[Any]],
) -> None:
    """Insert or update ``values`` (rows of database values in ``fields`` order) by the
    natural key: COPY + set-based merge on PostgreSQL, ``executemany`` on SQLite."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    key = ", ".join(quote(str(by_attname[name].column)) for name in natural_key)
    updates = ", ".join(f"{quote(f.column)} = EXCLUDED.{quote(f.column)}" for f in update_fields)
    conflict = f"ON CONFLICT ({key}) DO " + (f"UPDATE SET {updates}" if updates else "NOTHING")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            stage = quote(f"stage_{model._meta.db_table}")
            cursor.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {stage} AS "  # noqa: S608
                f"SELECT {columns} FROM {table} WITH NO DATA"
            )
            cursor.execute(f"TRUNCATE {stage}")
            with cursor.cursor.copy(f"COPY {stage} ({columns}) FROM STDIN") as copy:
                for record in values:
                    copy.write_row(record)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {stage} {conflict}"  # noqa: S608
            )
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks}) {conflict}",  # noqa: S608
                values,
            )
