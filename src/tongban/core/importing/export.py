"""Exports: the filtered, scoped rows of a list, masked unless the user may reveal them,
as .csv or .xlsx, with one ``ExportRecord`` per export. The list pages and
``tongban export`` both come here; so does the import template.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import models
from django.http import QueryDict
from django.utils.translation import gettext as _

from tongban.core.importing.kinds import ImportKind
from tongban.core.models import ExportRecord, Person
from tongban.core.permissions import is_platform_admin

FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class ExportColumn:
    title: str
    value: Callable[[Any, bool], Any]  # (object, may reveal) -> cell
    reveal_path: str | None = None  # path to the person whose personal data the cell holds


def kind_columns(kind: ImportKind) -> list[ExportColumn]:
    """An import kind's columns: an export by an operator imports back unchanged."""

    def getter(column: Any) -> Callable[[Any, bool], Any]:
        return lambda obj, reveal: column.export_value(obj, reveal=reveal)

    return [
        ExportColumn(c.title, getter(c), c.reveal_path if c.mask else None) for c in kind.columns
    ]


def filtered(kind: ImportKind, user: Any, filters: QueryDict | dict[str, Any]) -> models.QuerySet:
    """The rows ``user`` may export, through the kind's FilterSet (as the list page)."""
    qs = kind.model.objects.restrict(user, "export")  # type: ignore[attr-defined]
    if kind.export_related:
        qs = qs.select_related(*kind.export_related)
    filterset_class = kind.get_filterset()
    if filters:
        known = set(filterset_class.base_filters) if filterset_class is not None else set()
        unknown = sorted(set(filters) - known)
        if unknown:
            from django.core.exceptions import ValidationError

            raise ValidationError(
                _("未知的筛选条件：%(names)s（可用：%(known)s）")
                % {"names": "、".join(unknown), "known": "、".join(sorted(known))}
            )
    if filterset_class is not None and filters:
        filterset = filterset_class(filters, queryset=qs)
        if not filterset.is_valid():
            from django.core.exceptions import ValidationError

            raise ValidationError(
                "；".join(
                    f"{filterset.form.fields[name].label}：{'；'.join(errors)}"
                    for name, errors in filterset.form.errors.items()
                    if name in filterset.form.fields
                )
            )
        qs = filterset.qs
    return qs.order_by("pk")


def _revealable(user: Any, columns: list[ExportColumn], objects: list[Any]) -> set[int]:
    """The persons (pks) among ``objects`` whose personal data ``user`` may reveal."""
    paths = {c.reveal_path for c in columns if c.reveal_path}
    if not paths or not objects:
        return set()
    person_pks = {getattr(obj, path) for obj in objects for path in paths}
    return set(
        Person.objects.restrict(user, "reveal")
        .filter(pk__in=person_pks)
        .values_list("pk", flat=True)
    )


def rows_of(
    queryset: models.QuerySet,
    columns: list[ExportColumn],
    user: Any,
    counter: list[int],
    *,
    reveal: bool = False,
) -> Iterator[list[Any]]:
    """Cells row by row, 2 000 objects at a time; ``counter[0]`` counts them. Personal data
    stays masked unless ``reveal`` is asked and the user may reveal that person's data."""
    admin = reveal and is_platform_admin(user)
    batch: list[Any] = []

    def flush() -> Iterator[list[Any]]:
        allowed = set() if admin or not reveal else _revealable(user, columns, batch)
        for obj in batch:
            yield [
                c.value(
                    obj,
                    admin or (c.reveal_path is not None and getattr(obj, c.reveal_path) in allowed),
                )
                for c in columns
            ]
        counter[0] += len(batch)
        batch.clear()

    for obj in queryset.iterator(chunk_size=2000):
        batch.append(obj)
        if len(batch) >= 2000:
            yield from flush()
    yield from flush()


def record(
    user: Any,
    kind: str,
    filters: QueryDict | dict[str, Any],
    file_format: str,
    channel: str,
    rows: int,
    revealed: bool,
) -> ExportRecord:
    plain: dict[str, Any]
    if isinstance(filters, QueryDict):
        plain = {k: v if len(v) > 1 else v[0] for k, v in filters.lists()}
    else:
        plain = dict(filters.items())
    return ExportRecord.objects.create(
        user=user if getattr(user, "pk", None) else None,
        kind=kind,
        filters=plain,
        file_format=file_format,
        channel=channel,
        row_count=rows,
        revealed=revealed,
    )


class Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(
    header: list[str], rows: Iterable[list[Any]], after: Callable[[], None]
) -> Iterator[str]:
    """CSV text piece by piece (UTF-8 with BOM so Excel reads Chinese); ``after`` runs at the end."""
    writer = csv.writer(Echo())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow(["" if v is None else str(v) for v in row])
    after()


def write_xlsx(target: Any, header: list[str], rows: Iterable[list[Any]], title: str) -> None:
    """A write-only workbook: memory stays flat whatever the number of rows."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title[:31] or "Sheet1")
    sheet.append(header)
    for row in rows:
        sheet.append(["" if v is None else str(v) for v in row])
    book.save(target)


def export_to_file(
    target: Path,
    queryset: models.QuerySet,
    columns: list[ExportColumn],
    *,
    user: Any,
    kind: str,
    filters: QueryDict | dict[str, Any],
    channel: str,
    title: str = "",
    reveal: bool = False,
) -> ExportRecord:
    """Write the export to ``target`` (.csv or .xlsx) and record it."""
    file_format = target.suffix.lower().lstrip(".")
    if file_format not in FORMATS:
        from django.core.exceptions import ValidationError

        raise ValidationError(_("导出文件应为.xlsx或.csv"))
    counter = [0]
    header = [c.title for c in columns]
    rows = rows_of(queryset, columns, user, counter, reveal=reveal)
    if file_format == "xlsx":
        write_xlsx(target, header, rows, title or kind)
    else:
        with target.open("w", encoding="utf-8", newline="") as handle:
            for piece in csv_stream(header, rows, lambda: None):
                handle.write(piece)
    return record(
        user, kind, filters, file_format, channel, counter[0], reveals(user, columns, reveal)
    )


def reveals(user: Any, columns: list[ExportColumn], reveal: bool) -> bool:
    """Whether an export asked to ``reveal`` leaves any personal data unmasked."""
    if not reveal or not any(c.reveal_path for c in columns):
        return False
    return is_platform_admin(user) or Person.objects.restrict(user, "reveal").exists()


def spool_xlsx(
    queryset: models.QuerySet,
    columns: list[ExportColumn],
    *,
    user: Any,
    kind: str,
    filters: QueryDict | dict[str, Any],
    channel: str,
    title: str = "",
    reveal: bool = False,
) -> Any:
    """The .xlsx export in a temporary file (deleted when closed), ready to stream."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115  (returned open)
    counter = [0]
    rows = rows_of(queryset, columns, user, counter, reveal=reveal)
    write_xlsx(handle, [c.title for c in columns], rows, title)
    handle.seek(0)
    record(user, kind, filters, "xlsx", channel, counter[0], reveals(user, columns, reveal))
    return handle


def write_template(kind: ImportKind, target: Any) -> None:
    """The import template: Chinese headers (required ones marked *), a sample row,
    and a second sheet with a note on each column."""
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = _("数据")
    sheet.append([c.title for c in kind.columns])
    sheet.append([c.sample for c in kind.columns])
    for index, column in enumerate(kind.columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True, color="C00000" if column.required else "000000")
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = max(12, len(column.title) * 2 + 4)
        for row in (1, 2):
            sheet.cell(row=row, column=index).number_format = "@"  # text: keeps long numbers
    notes = book.create_sheet(_("填写说明"))
    notes.append([_("列"), _("是否必填"), _("说明")])
    for column in kind.columns:
        notes.append([column.title, _("必填") if column.required else _("可空"), str(column.note)])
    notes.append([])
    notes.append([_("第2行是示例，导入前请删除或改为真实数据。")])
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["C"].width = 90
    book.save(target)
