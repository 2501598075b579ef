"""Per-row validation with the model's own rules, and the checks that span rows.

A row is parsed column by column, its references are resolved (per chunk, in one
query per reference), then a model instance runs ``clean_fields()`` and
``clean()``: the same code the forms and the API call. Errors come back as
``RowError(row, column, value, reason)``.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from tongban.core.importing.kinds import ImportKind
from tongban.core.importing.readers import FORMULA, MAX_CELL, PRECISION_LOST, FileProblem


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    reason: str


def shown(value: str) -> str:
    """The value as the error report shows it (a huge cell is cut short)."""
    if value in (FORMULA, PRECISION_LOST):
        return ""
    return value if len(value) <= 100 else value[:100] + "…"


def map_headers(kind: ImportKind, header: Sequence[str]) -> list[int]:
    """Index in the file of each of the kind's columns; refuses unknown, missing or
    repeated headers (all of them named in one message)."""
    known = {c.title: i for i, c in enumerate(kind.columns)}
    positions: dict[str, int] = {}
    unknown, repeated = [], []
    for index, raw in enumerate(header):
        name = (raw or "").strip().lstrip("\ufeff").rstrip("*").strip()
        if not name:
            continue
        if name not in known:
            unknown.append(name)
        elif name in positions:
            repeated.append(name)
        else:
            positions[name] = index
    missing = [c.title for c in kind.columns if c.title not in positions]
    problems = []
    if not header:
        raise FileProblem(_("文件为空：第1行应为列标题"))
    if unknown:
        problems.append(_("未知的列：%(names)s") % {"names": "、".join(unknown)})
    if repeated:
        problems.append(_("重复的列：%(names)s") % {"names": "、".join(repeated)})
    if missing:
        problems.append(_("缺少列：%(names)s") % {"names": "、".join(missing)})
    if problems:
        problems.append(_("请使用该类别的导入模板"))
        raise FileProblem("；".join(problems))
    return [positions[c.title] for c in kind.columns]


@dataclass
class ParsedRow:
    row: int
    values: dict[str, Any]
    raw: dict[str, str]
    instance: Any = None
    key: tuple[Any, ...] = ()
    pending: list[Any] = field(default_factory=list)  # self-references to rows of this file


def parse_row(
    kind: ImportKind, number: int, cells: list[str], positions: list[int]
) -> ParsedRow | list[RowError]:
    """Parse the cells of one row into values; cell-level errors (formula, size, format)."""
    values: dict[str, Any] = {}
    raw: dict[str, str] = {}
    errors: list[RowError] = []
    for column, index in zip(kind.columns, positions, strict=True):
        value = cells[index] if index < len(cells) else ""
        raw[column.attr] = value
        if value == FORMULA:
            reason = _("单元格含公式；请复制后“选择性粘贴为数值”再导入")
        elif value == PRECISION_LOST:
            reason = _("长数字被Excel存成了数值，末几位已丢失；请将该列设置为文本格式后重新填写")
        elif len(value) > MAX_CELL:
            reason = _("单元格内容过长（%(n)s个字符，上限%(max)s）") % {
                "n": len(value),
                "max": MAX_CELL,
            }
        elif column.required and not value:
            reason = _("必填")
        else:
            try:
                values[column.attr] = column.parse(value)
            except ValidationError as exc:
                reason = "；".join(exc.messages)
            else:
                continue
        errors.append(RowError(number, column.title, shown(value), reason))
    if errors:
        return errors
    return ParsedRow(number, values, raw)


def build_instances(
    kind: ImportKind,
    rows: list[ParsedRow],
    user: Any,
    in_file: Callable[[tuple[Any, ...]], bool] | None = None,
) -> tuple[list[ParsedRow], list[RowError]]:
    """Resolve references for a chunk, then validate each row with the model's rules
    (and the kind's ``check`` of the rules that span rows or read other records).

    A reference to a row of the same kind that is not stored yet but appears in the file
    (``in_file``), e.g. a parent organisation listed above, is left pending: the loader
    fills it once that row is written."""
    resolved = []
    for ref in kind.refs:
        keys = [tuple(r.values.get(c) for c in ref.columns) for r in rows]
        resolved.append(ref.resolve(keys, user))
    good: list[ParsedRow] = []
    errors: list[RowError] = []
    insert_only = {attr: make(user) for attr, make in kind.insert_only.items()}
    direct = [c.attr for c in kind.columns if not c.virtual]
    # as a form does, check the fields the file fills (references are checked by resolving
    # them; fields the file does not name keep their defaults)
    unchecked = [
        f.name
        for f in kind.model._meta.concrete_fields
        if f.attname not in direct and f.name not in direct
    ]
    texts = {attr for attr in direct if _is_text(kind, attr)}
    for parsed in rows:
        attrs = {}
        for attr in direct:
            value = parsed.values.get(attr)
            attrs[attr] = "" if value is None and attr in texts else value
        row_errors: list[RowError] = []
        failed: set[str] = set()  # columns of references not found (said once)
        for ref, found in zip(kind.refs, resolved, strict=True):
            key = tuple(parsed.values.get(c) for c in ref.columns)
            if all(v in (None, "") for v in key):
                attrs[ref.attr] = None
                if not getattr(
                    kind.model._meta.get_field(ref.attr.removesuffix("_id")), "null", True
                ):
                    column = kind.column(ref.blamed)
                    row_errors.append(RowError(parsed.row, column.title, "", _("必填")))
                continue
            pk = found.get(key)
            if pk is None and ref.model is kind.model and in_file is not None and in_file(key):
                parsed.pending.append(ref)
            elif pk is None and failed & set(ref.columns):
                pass  # a reference built on columns already reported (a contest's entry)
            elif pk is None:
                failed.update(ref.columns)
                column = kind.column(ref.blamed)
                row_errors.append(
                    RowError(
                        parsed.row, column.title, shown(parsed.raw[ref.blamed]), str(ref.missing)
                    )
                )
            attrs[ref.attr] = pk
        if row_errors:
            errors.extend(row_errors)
            continue
        instance = kind.model(**attrs, **insert_only)
        try:
            instance.clean_fields(exclude=unchecked)
            instance.clean()
        except ValidationError as exc:
            errors.extend(_errors_of(kind, parsed, exc))
            continue
        if kind.prepare is not None:
            kind.prepare(instance)
        parsed.instance = instance
        parsed.key = tuple(getattr(instance, name) for name in kind.natural_key)
        good.append(parsed)
    if kind.check is not None and good:
        refused: set[int] = set()
        for parsed, refusal in kind.check(good, user):
            refused.add(parsed.row)
            errors.extend(_errors_of(kind, parsed, refusal))
        good = [r for r in good if r.row not in refused]
    return good, errors


def _is_text(kind: ImportKind, attr: str) -> bool:
    field = kind.model._meta.get_field(attr)
    if not isinstance(field, models.Field):
        return False
    return not field.null and field.get_internal_type() in ("CharField", "TextField")


def _errors_of(kind: ImportKind, parsed: ParsedRow, exc: ValidationError) -> list[RowError]:
    result: list[RowError] = []
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            header = kind.header_of(name) or ""
            attr = _attr_of_header(kind, header)
            value = shown(parsed.raw.get(attr, "")) if attr else ""
            for error in errors:
                result.extend(RowError(parsed.row, header, value, m) for m in error.messages)
    else:
        result.extend(RowError(parsed.row, "", "", m) for m in exc.messages)
    return result


def _attr_of_header(kind: ImportKind, header: str) -> str | None:
    for c in kind.columns:
        if c.title == header:
            return c.attr
    return None


class SeenKeys:
    """The keys met so far in a file, on disk so that memory does not grow with the file:
    8-byte digests with the row each was first met on, in a private temporary SQLite
    database (deleted by SQLite when closed, and unlinked from the start, so a killed run
    leaves nothing behind) with a small page cache. Asked a chunk at a time."""

    CACHE_KIB = 8192

    def __init__(self) -> None:
        self.db = sqlite3.connect("", isolation_level=None)
        self.db.execute(f"PRAGMA cache_size = -{self.CACHE_KIB}")
        self.db.execute(
            "CREATE TABLE seen (digest INTEGER PRIMARY KEY, row INTEGER NOT NULL) WITHOUT ROWID"
        )
        self.count = 0

    @staticmethod
    def digest(key: tuple[Any, ...]) -> int:
        raw = "\x1f".join("" if v is None else str(v) for v in key).encode()
        return int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(), "little", signed=True)

    def _held(self, digests: Iterable[int]) -> dict[int, int]:
        return dict(
            self.db.execute(
                "SELECT digest, row FROM seen WHERE digest IN (SELECT value FROM json_each(?))",
                [json.dumps(list(set(digests)))],
            )
        )

    def __contains__(self, key: tuple[Any, ...]) -> bool:
        return bool(self._held([self.digest(key)]))

    def add_many(self, items: Sequence[tuple[tuple[Any, ...], int]]) -> list[int | None]:
        """Remember each (key, row) in order; for each, the row the key was first met on
        if it was met before (earlier in the file or earlier in ``items``), else None."""
        digests = [self.digest(key) for key, _ in items]
        held = self._held(digests)
        firsts: list[int | None] = []
        new = []
        for digest, (_key, row) in zip(digests, items, strict=True):
            first = held.get(digest)
            if first is None:
                held[digest] = row
                new.append((digest, row))
            firsts.append(first)
        if new:
            self.db.execute("BEGIN")
            self.db.executemany("INSERT INTO seen (digest, row) VALUES (?, ?)", new)
            self.db.execute("COMMIT")
            self.count += len(new)
        return firsts

    def add(self, key: tuple[Any, ...], row: int) -> int | None:
        return self.add_many([(key, row)])[0]

    def close(self) -> None:
        self.db.close()
