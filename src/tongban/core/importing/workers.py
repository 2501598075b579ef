"""Validation ahead of the writing, in worker processes.

Parsing a row and running the model's rules on it is pure Python and takes most of an
import's time; the writing is the database's. For a large file the loader therefore hands
chunks to a few forked processes that parse and validate them (``validate_chunk``, the
very function the loader calls itself for a small file) while it writes the chunks they
have already returned, in file order. Only a few chunks are in flight at a time, so memory
stays flat.

What stays in the loader's process: reading the file, the repeats inside the file, the
look-ups of values held by other records (they must see the chunks just written), the
writing and the audit. A kind whose validation reads what the same file writes (a row
referring to another row of the file, a rank another row holds, a custom ``write``) is
validated in the loader's process, in order, as before.

The workers share nothing with the loader's database connection: the loader closes its
connections before starting them (it is between chunks, outside any transaction) and each
side opens its own. On Linux a worker is killed when the loader dies, so a run killed with
SIGKILL leaves no process behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.utils import translation

from tongban.core.importing.kinds import ImportKind
from tongban.core.importing.validation import ParsedRow, RowError, build_instances, parse_row

Chunk = list[tuple[int, list[str]]]
Validated = tuple[int, list[ParsedRow], list[RowError]]  # rows read, good rows, errors


def validate_chunk(
    kind: ImportKind,
    user: Any,
    chunk: Chunk,
    positions: list[int],
    seen: Callable[[tuple[Any, ...]], bool] | None = None,
) -> Validated:
    """Parse and validate the rows of one chunk (blank rows skipped). ``seen`` tells
    whether a natural key was met above this chunk, for a reference to a row of the file
    not written yet."""
    parsed: list[ParsedRow] = []
    errors: list[RowError] = []
    read = 0
    for number, cells in chunk:
        if not any(cells):
            continue
        read += 1
        result = parse_row(kind, number, cells, positions)
        if isinstance(result, list):
            errors.extend(result)
        else:
            parsed.append(result)
    in_file = None
    if seen is not None:
        in_chunk = natural_keys(kind, parsed)
        in_file = lambda key: key in in_chunk or seen(key)  # noqa: E731
    good, more = build_instances(kind, parsed, user, in_file)
    errors.extend(more)
    return read, good, errors


def natural_keys(kind: ImportKind, rows: list[ParsedRow]) -> set[tuple[Any, ...]]:
    """Natural keys of the rows as written in the file (for references to rows above)."""
    columns = {c.attr for c in kind.columns if not c.virtual}
    if not set(kind.natural_key) <= columns:
        return set()
    return {tuple(r.values.get(k) for k in kind.natural_key) for r in rows}


def validates_apart(kind: ImportKind) -> bool:
    """Whether a chunk of this kind can be validated before the chunks above it are written."""
    if kind.in_order or kind.write is not None:
        return False
    return all(ref.model is not kind.model for ref in kind.refs)


def worker_count(path: Path, kind: ImportKind) -> int:
    """How many workers to validate with: none for a small file, inside a transaction
    (the workers could not see its rows), on an in-memory database, or when turned off."""
    wanted = int(getattr(settings, "TONGBAN_IMPORT_WORKERS", 0) or 0)
    if wanted <= 0 or not validates_apart(kind) or connection.in_atomic_block:
        return 0
    if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
        return 0
    try:
        size = path.stat().st_size
    except OSError:
        return 0
    return wanted if size >= int(settings.TONGBAN_IMPORT_WORKERS_FROM_BYTES) else 0


# what the workers work for, set before they are forked
_JOB: dict[str, Any] = {}


def _die_with_parent() -> None:
    """Ask Linux to kill this process when the loader's process dies (prctl
    PR_SET_PDEATHSIG); elsewhere the worker ends when its task pipe closes."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != _JOB.get("parent"):
        os._exit(1)  # the loader died before this worker got going


def _start() -> None:
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the loader's to handle


Sent = tuple[int, list[tuple[int, tuple[Any, ...], dict[str, Any]]], list[RowError]]


def _work(chunk: Chunk) -> Sent:
    """Validate in a worker; send back only what the writing needs (the row number, the
    natural key and the field values), which is cheaper to pass than model instances."""
    with translation.override(_JOB["language"]):
        read, good, errors = validate_chunk(_JOB["kind"], _JOB["user"], chunk, _JOB["positions"])
    sent = []
    for row in good:
        values = dict(row.instance.__dict__)
        values.pop("_state", None)
        sent.append((row.row, row.key, values))
    return read, sent, errors


def _received(sent: Sent) -> Validated:
    read, good, errors = sent
    return read, [ParsedRow(n, {}, {}, SimpleNamespace(**v), k) for n, k, v in good], errors


class Ahead:
    """Validate chunks in ``workers`` processes, a few ahead of the caller."""

    def __init__(self, workers: int, kind: ImportKind, user: Any, positions: list[int]) -> None:
        connections.close_all()  # each side opens its own after the fork
        _JOB.update(
            kind=kind,
            user=user,
            positions=positions,
            language=translation.get_language(),
            parent=os.getpid(),
        )
        self.depth = 2 * workers
        self.pool = multiprocessing.get_context("fork").Pool(workers, initializer=_start)

    def map(self, chunks: Iterable[Chunk]) -> Iterator[tuple[Chunk, Validated]]:
        pending: deque[tuple[Chunk, Any]] = deque()
        for chunk in chunks:
            pending.append((chunk, self.pool.apply_async(_work, (chunk,))))
            if len(pending) >= self.depth:
                done, result = pending.popleft()
                yield done, _received(result.get())
        while pending:
            done, result = pending.popleft()
            yield done, _received(result.get())

    def close(self) -> None:
        self.pool.terminate()
        self.pool.join()
        _JOB.clear()
