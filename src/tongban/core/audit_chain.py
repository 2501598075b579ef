"""Tamper-evident audit: a hash chain over every audit table.

Each audit row (django-auditlog ``LogEntry``, ``TransitionLog``,
``PersonalDataAccess`` and the tables other apps register with ``chain``) gets one
``AuditLink`` in the same transaction as the row itself:

* ``digests``: SHA-256 of each column of the row as read back from the database;
* ``content_hash``: SHA-256 of those digests (so the digests are covered too);
* ``hash``: SHA-256 of the previous link's hash, the table, the position, the row id
  and the content hash.

There is one chain per table, not one for the whole platform: a broken link names its
table, a table can be checked (and its head recorded) on its own, and a table added
later starts a chain of its own. Writers take one lock for all chains inside their
transaction before reading a head (``lock``: ``pg_advisory_xact_lock`` on PostgreSQL;
on SQLite every transaction already holds the database's write lock), so two of them
never link to the same head (the unique ``(table, seq)`` constraint would refuse it
anyway) and two transactions never wait for each other's chains.

``verify`` walks every chain and reports the first broken link of each table: a row
changed (naming the columns), a row deleted, a row without a link, a link altered or
missing. A chain only proves the rows agree with each other: someone who can write the
database and knows this code can rebuild it. ``heads`` gives the latest hash of each
table, to be written down outside the database (see docs/security.md); a later
``verify`` against a recorded head proves nothing before it was rewritten.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connections, models, router, transaction
from django.db.models.signals import post_save

from tongban.core.models import AuditLink

GENESIS = "0" * 64
BATCH = 1000

_chained: dict[str, type[models.Model]] = {}


def chain(model: type[models.Model]) -> None:
    """Keep a hash chain over ``model``'s rows from now on (call from ``AppConfig.ready``)."""
    table = model._meta.db_table
    if table in _chained:
        return
    _chained[table] = model
    post_save.connect(_link_created_row, sender=model, dispatch_uid=f"audit-chain-{table}")


def chained_models() -> dict[str, type[models.Model]]:
    return dict(_chained)


def register_core() -> None:
    from auditlog.models import LogEntry

    from tongban.core.models import PersonalDataAccess, TransitionLog
    from tongban.core.models.importing import ExportRecord, ImportBatch

    for model in (LogEntry, TransitionLog, PersonalDataAccess, ImportBatch, ExportRecord):
        chain(model)


# --- hashing --------------------------------------------------------------------------


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return value


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def column_digests(model: type[models.Model], values: dict[str, Any]) -> dict[str, str]:
    """One digest per column of a row given as ``{attname: value}``."""
    return {
        f.attname: _sha(
            json.dumps(_canonical(values[f.attname]), sort_keys=True, ensure_ascii=False)
        )
        for f in model._meta.concrete_fields
    }


def content_hash(digests: dict[str, str]) -> str:
    return _sha(json.dumps(digests, sort_keys=True))


def link_hash(prev_hash: str, table: str, seq: int, row_id: int, content: str) -> str:
    return _sha(f"{prev_hash}|{table}|{seq}|{row_id}|{content}")


def _attnames(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


# --- writing --------------------------------------------------------------------------


AUDIT_LOCK_KEY = int.from_bytes(hashlib.sha256(b"tongban.audit").digest()[:8], "big") - (1 << 63)


def lock(using: str = "default") -> None:
    """Take the audit chains' lock until the end of the current transaction.

    One lock for every chain: a transaction writing rows of several audit tables cannot
    then wait for another that took them in the other order. Code that takes row locks
    and then writes audit rows (``workflow.fire``, certificate numbering) takes this lock
    first, so the order is always: audit lock, then rows. On SQLite every transaction
    already holds the database's write lock.
    """
    connection = connections[using]
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_LOCK_KEY])


def _append(model: type[models.Model], pks: list[int], using: str) -> int:
    """Link the rows ``pks`` of ``model`` (in that order) after the chain's head."""
    table = model._meta.db_table
    with transaction.atomic(using=using):
        lock(using)
        head = AuditLink.objects.using(using).filter(table=table).order_by("-seq").first()
        seq, prev = (head.seq, head.hash) if head else (0, GENESIS)
        rows = {
            r["pk"]: r
            for r in model._default_manager.using(using)
            .filter(pk__in=pks)
            .values("pk", *_attnames(model))
        }
        links = []
        for pk in pks:
            if pk not in rows:
                continue
            seq += 1
            digests = column_digests(model, rows[pk])
            content = content_hash(digests)
            digest = link_hash(prev, table, seq, pk, content)
            links.append(
                AuditLink(
                    table=table,
                    seq=seq,
                    row_id=pk,
                    digests=digests,
                    content_hash=content,
                    prev_hash=prev,
                    hash=digest,
                )
            )
            prev = digest
        AuditLink.objects.using(using).bulk_create(links)
    return len(links)


def _link_created_row(sender: type[models.Model], instance: Any, created: bool, **kw: Any) -> None:
    if not created or kw.get("raw"):
        return
    using = kw.get("using") or router.db_for_write(sender)
    _append(sender, [instance.pk], using)


def seal(using: str = "default") -> dict[str, int]:
    """Link every audit row that has no link yet (rows older than the chain), by id."""
    linked: dict[str, int] = {}
    for table, model in _chained.items():
        total = 0
        while True:
            pks = list(
                model._default_manager.using(using)
                .exclude(pk__in=AuditLink.objects.using(using).filter(table=table).values("row_id"))
                .order_by("pk")
                .values_list("pk", flat=True)[:BATCH]
            )
            if not pks:
                break
            total += _append(model, pks, using)
        linked[table] = total
    return linked


# --- checking -------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    table: str
    row_id: int | None
    seq: int | None
    problem: str

    def __str__(self) -> str:
        where = f"{self.table} 第{self.seq}环" if self.seq else self.table
        row = f"，记录 id={self.row_id}" if self.row_id is not None else ""
        return f"{where}{row}：{self.problem}"


def _links(table: str, using: str) -> Iterator[list[AuditLink]]:
    after = 0
    while True:
        batch = list(
            AuditLink.objects.using(using)
            .filter(table=table, seq__gt=after)
            .order_by("seq")[:BATCH]
        )
        if not batch:
            return
        yield batch
        after = batch[-1].seq


def verify_table(model: type[models.Model], using: str = "default") -> Break | None:
    """The first broken link of ``model``'s chain, or None."""
    table = model._meta.db_table
    expected_seq, prev = 1, GENESIS
    for batch in _links(table, using):
        rows = {
            r["pk"]: r
            for r in model._default_manager.using(using)
            .filter(pk__in=[link.row_id for link in batch])
            .values("pk", *_attnames(model))
        }
        for link in batch:
            if link.seq != expected_seq:
                return Break(table, None, expected_seq, f"缺少第{expected_seq}环（链环被删除）")
            if link.prev_hash != prev:
                return Break(table, link.row_id, link.seq, "前一环摘要与上一环不符（链环被改动）")
            if content_hash(link.digests) != link.content_hash:
                return Break(table, link.row_id, link.seq, "字段摘要与内容摘要不符（链环被改动）")
            if link_hash(prev, table, link.seq, link.row_id, link.content_hash) != link.hash:
                return Break(table, link.row_id, link.seq, "本环摘要不符（链环被改动）")
            row = rows.get(link.row_id)
            if row is None:
                return Break(table, link.row_id, link.seq, "记录已被删除")
            digests = column_digests(model, row)
            changed = sorted(
                set(digests) ^ set(link.digests)
                | {k for k in digests if link.digests.get(k) != digests[k]}
            )
            if changed:
                return Break(
                    table, link.row_id, link.seq, f"记录被改动，字段：{', '.join(changed)}"
                )
            prev = link.hash
            expected_seq += 1
    unlinked = (
        model._default_manager.using(using)
        .exclude(pk__in=AuditLink.objects.using(using).filter(table=table).values("row_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    if unlinked is not None:
        return Break(
            table,
            unlinked,
            None,
            "记录不在审计链中（链外插入、写入后进程中断或升级后未执行 tongban audit seal）",
        )
    return None


def verify(using: str = "default") -> list[Break]:
    """The first broken link of every chained table (empty: every chain holds)."""
    return [b for model in _chained.values() if (b := verify_table(model, using)) is not None]


def heads(using: str = "default") -> dict[str, tuple[int, str]]:
    """The latest (position, hash) of every chain, to be recorded outside the database."""
    result: dict[str, tuple[int, str]] = {}
    for table in _chained:
        head = AuditLink.objects.using(using).filter(table=table).order_by("-seq").first()
        result[table] = (head.seq, head.hash) if head else (0, GENESIS)
    return result
