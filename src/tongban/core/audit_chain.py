"""Tamper-evident audit: a hash chain over every audit table.

Each audit row (django-auditlog ``LogEntry``, ``TransitionLog``,
``PersonalDataAccess`` and the tables other apps register with ``chain``) gets one
``AuditLink``:

* ``digests``: SHA-256 of each column of the row as read back from the database;
* ``content_hash``: SHA-256 of those digests (so the digests are covered too);
* ``hash``: SHA-256 of the previous link's hash, the table, the position, the row id
  and the content hash.

There is one chain per table, not one for the whole platform: a broken link names its
table, a table can be checked (and its head recorded) on its own, and a table added
later starts a chain of its own.

Rows are linked in batches, right after the transaction that wrote them commits
(``seal_pending``, decision 15): the writing transaction itself takes no lock and reads
no head, so writers never queue behind one another for the chain. After a commit the
process tries the sealing lock without waiting; whoever holds it links every row
committed so far, in one transaction (one head read and one insert per table and
batch), and the others go on: their rows are linked by the sealer that follows. A row
committed while no more writes follow waits for the next write or for ``tongban audit
seal`` (run every minute by the scheduler, see docs/deploy.md); ``tongban audit verify``
links pending rows first, exactly as the next write would have.

``verify`` walks every chain and reports the first broken link of each table: a row
changed (naming the columns), a row deleted, a row without a link, a link altered or
missing. A chain only proves the rows agree with each other: someone who can write the
database and knows this code can rebuild it, and a row inserted behind the application's
back before the next sealing is linked like any other. ``heads`` gives the latest hash
of each table, to be written down outside the database (see docs/security.md); a later
``verify`` against a recorded head proves nothing before it was rewritten.
"""

from __future__ import annotations

import datetime
import decimal
import fcntl
import hashlib
import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
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

LOOKBACK = 200
"""How far below a table's highest linked id ``seal_pending`` looks for unlinked rows.

A row takes its id when it is written and is linked after its transaction commits, so a
transaction can commit rows with lower ids than rows already linked. The sealing after
that commit looks from the lowest id the transaction wrote; a sealing after another
commit looks ``LOOKBACK`` ids below the head, which catches rows whose own sealing found
the lock taken; anything older is linked by ``seal`` (every row, every minute)."""


def _seal_lock_path(using: str) -> str | None:
    connection = connections[using]
    name = str(connection.settings_dict["NAME"])
    if connection.vendor != "sqlite" or name == ":memory:" or name.startswith("file:"):
        return None
    return name + ".audit-seal-lock"


@contextmanager
def _sealing(using: str, wait: bool) -> Iterator[bool]:
    """A transaction holding the sealing lock; yields False (and no transaction) when
    another process holds the lock and ``wait`` is False.

    PostgreSQL: a transaction-level advisory lock. SQLite: an ``flock`` on a file beside
    the database, taken before the write transaction so that processes that would only
    find nothing left to link do not queue for the database's write lock.
    """
    connection = connections[using]
    if connection.vendor == "postgresql":
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                function = "pg_advisory_xact_lock" if wait else "pg_try_advisory_xact_lock"
                cursor.execute(f"SELECT {function}(%s)", [AUDIT_LOCK_KEY])
                row = cursor.fetchone()
                taken = wait or bool(row and row[0])
            yield taken
        return
    path = _seal_lock_path(using)
    if path is None:
        with transaction.atomic(using=using):
            yield True
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            taken = False
        else:
            taken = True
        if not taken:
            yield False
            return
        with transaction.atomic(using=using):
            yield True
    finally:
        os.close(fd)  # releases the lock


def _link_unlinked(
    model: type[models.Model], using: str, *, everything: bool, since: int | None = None
) -> int:
    """Link the rows of ``model`` that have no link yet, by id, after the chain's head.

    Runs inside ``_sealing``. ``everything`` looks at every row of the table; otherwise
    only at ids from ``since`` (the lowest id the committed transaction wrote) or above
    the head's row id less ``LOOKBACK``, whichever is lower (rows are linked in id order
    within a batch, so the head's row id is the highest linked id unless a late row was
    linked last, which only widens the window).
    """
    table = model._meta.db_table
    chain_links = AuditLink.objects.using(using).filter(table=table)
    head = chain_links.order_by("-seq").values_list("seq", "hash", "row_id").first()
    seq, prev, head_row = head if head else (0, GENESIS, 0)
    rows = model._default_manager.using(using)
    after: int | None = None
    if not everything:
        after = max(head_row - LOOKBACK, 0)
        if since is not None:
            after = min(after, since - 1)
        chain_links = chain_links.filter(row_id__gt=after)
    linked = 0
    while True:
        batch = list(
            (rows if after is None else rows.filter(pk__gt=after))
            .exclude(pk__in=chain_links.values("row_id"))
            .order_by("pk")
            .values("pk", *_attnames(model))[:BATCH]
        )
        links = []
        for row in batch:
            seq += 1
            digests = column_digests(model, row)
            content = content_hash(digests)
            digest = link_hash(prev, table, seq, row["pk"], content)
            links.append(
                AuditLink(
                    table=table,
                    seq=seq,
                    row_id=row["pk"],
                    digests=digests,
                    content_hash=content,
                    prev_hash=prev,
                    hash=digest,
                )
            )
            prev = digest
        if links:
            AuditLink.objects.using(using).bulk_create(links)
        linked += len(links)
        if len(batch) < BATCH:
            return linked
        after = batch[-1]["pk"]


def seal_pending(
    using: str = "default", *, wait: bool = False, written: dict[str, int] | None = None
) -> int:
    """Link the rows committed since the last sealing, unless another process is linking.

    Called after every commit that wrote an audit row, with ``written``: the lowest id
    that transaction wrote in each table (only those tables are sealed); returns how many
    rows it linked (0 as well when another process held the lock: that process, or the
    next one, links them). ``wait`` waits for the lock instead. Without ``written``,
    every table is sealed.
    """
    if written is None:
        written = dict.fromkeys(_chained, 0)
    with _sealing(using, wait) as taken:
        if not taken:
            return 0
        return sum(
            _link_unlinked(_chained[table], using, everything=False, since=since or None)
            for table, since in sorted(written.items())
            if table in _chained
        )


def seal(using: str = "default") -> dict[str, int]:
    """Link every audit row that has no link yet, however old (``tongban audit seal``)."""
    with _sealing(using, wait=True):
        return {
            table: _link_unlinked(model, using, everything=True)
            for table, model in _chained.items()
        }


class _SealAfterCommit:
    """The one ``on_commit`` callback of a transaction that wrote audit rows."""

    def __init__(self, using: str) -> None:
        self.using = using
        self.written: dict[str, int] = {}  # table → lowest id written

    def add(self, table: str, pk: int) -> None:
        self.written[table] = min(pk, self.written.get(table, pk))

    def __call__(self) -> None:
        seal_pending(self.using, written=self.written)


def _link_created_row(sender: type[models.Model], instance: Any, created: bool, **kw: Any) -> None:
    """Queue one sealing of the tables written, after the transaction commits."""
    if not created or kw.get("raw"):
        return
    using = kw.get("using") or router.db_for_write(sender)
    connection = connections[using]
    table = sender._meta.db_table
    if connection.in_atomic_block:
        for entry in connection.run_on_commit:
            if isinstance(entry[1], _SealAfterCommit):
                entry[1].add(table, instance.pk)
                return
    sealer = _SealAfterCommit(using)
    sealer.add(table, instance.pk)
    transaction.on_commit(sealer, using=using, robust=True)


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
