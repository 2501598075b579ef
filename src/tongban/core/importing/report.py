"""The error report: one line per problem (row, column, value, reason in Chinese).

Errors stream into a CSV file while the import runs (memory stays flat however many
there are); ``save_as`` writes the downloadable copy as .csv (UTF-8 with BOM, so
Excel reads it) or .xlsx (openpyxl write-only).
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from tongban.core.importing.validation import RowError


def headers() -> list[str]:
    return [_("行号"), _("列"), _("值"), _("错误原因")]


class ErrorSink:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = path.open("w", encoding="utf-8-sig", newline="")
        self.writer = csv.writer(self.handle)
        self.writer.writerow(headers())
        self.count = 0
        self.rows: set[int] = set()  # rows with an error in the current chunk only
        self.row_count = 0

    def add(self, errors: Iterable[RowError]) -> None:
        for error in errors:
            self.writer.writerow([error.row or "", error.column, error.value, error.reason])
            self.count += 1
            if error.row not in self.rows:
                self.rows.add(error.row)
                self.row_count += 1

    def end_chunk(self) -> None:
        self.rows.clear()

    def close(self) -> None:
        if not self.handle.closed:
            self.handle.close()

    def save_as(self, target: Path) -> Path:
        self.close()
        return save_report(self.path, target)


def report_lines(source: Path) -> Iterator[list[str]]:
    with source.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        yield from reader


def save_report(source: Path, target: Any, fmt: str | None = None) -> Any:
    """Copy the report at ``source`` (CSV) to ``target``, a path or a binary file object,
    as ``fmt`` (``xlsx`` or ``csv``; by default the target's extension)."""
    fmt = fmt or Path(str(target)).suffix.lower().lstrip(".")
    if fmt == "xlsx":
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet(_("错误报告"))
        sheet.append(headers())
        for line in report_lines(source):
            sheet.append([int(line[0]) if line[0].isdigit() else line[0], *line[1:]])
        book.save(target)
    elif isinstance(target, str | Path):
        if Path(target).resolve() != source.resolve():
            shutil.copyfile(source, target)
    else:
        with source.open("rb") as handle:
            shutil.copyfileobj(handle, target)
    return target
