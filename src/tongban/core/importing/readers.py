"""Streaming readers for .xlsx (openpyxl read-only) and .csv (UTF-8 or GB18030, sniffed).

Each yields ``(row_number, cells)`` where the cells are texts, after checking that
the file is what its extension says and that its encoding decodes. Memory does not
grow with the file: rows are produced one at a time.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

MAX_CELL = 2000  # characters; no imported field is longer
CSV_FIELD_LIMIT = 64 * 1024 * 1024
FORMULA = "\x00formula"  # marker of a formula cell
PRECISION_LOST = "\x00number"  # marker of a long number Excel stored as a float


class FileProblem(Exception):
    """The file as a whole cannot be read (wrong type, encoding, headers); nothing is written."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer():
            if abs(value) >= 1e15:
                return PRECISION_LOST
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    return str(value).strip()


class XlsxReader:
    def __init__(self, path: Path) -> None:
        self.path = path
        if not zipfile.is_zipfile(path):
            raise FileProblem(_("文件扩展名为.xlsx，但内容不是Excel工作簿（.xlsx）文件"))
        import openpyxl

        try:
            self.book = openpyxl.load_workbook(path, read_only=True, data_only=False)
        except Exception as exc:  # openpyxl raises many kinds on a damaged file
            raise FileProblem(
                _("无法读取Excel工作簿：%(reason)s") % {"reason": type(exc).__name__}
            ) from exc
        self.sheet = self.book.worksheets[0]

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        try:
            for number, row in enumerate(self.sheet.iter_rows(), start=1):
                cells = []
                for cell in row:
                    if getattr(cell, "data_type", None) == "f":
                        cells.append(FORMULA)
                    else:
                        cells.append(cell_text(cell.value))
                while cells and cells[-1] == "":
                    cells.pop()
                yield number, cells
        finally:
            self.book.close()


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) if the whole file decodes so, else GB18030; refuse
    anything else. Reads the file once in 1 MB pieces, so memory stays flat."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    if head.startswith(b"PK\x03\x04"):
        raise FileProblem(
            _("文件扩展名为.csv，但内容是Excel工作簿；请将扩展名改为.xlsx或另存为CSV")
        )
    if b"\x00" in head:
        raise FileProblem(_("文件扩展名为.csv，但内容不是文本表格"))
    failures = []
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        offset = 0
        try:
            with path.open("rb") as handle:
                while piece := handle.read(1 << 20):
                    decoder.decode(piece)
                    offset += len(piece)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            failures.append(offset + exc.start)
            continue
        return encoding
    raise FileProblem(
        _("文件编码无法识别：既不是UTF-8也不是GB18030（第%(byte)s字节处无法解码）")
        % {"byte": max(failures) + 1}
    )


class CsvReader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.encoding = detect_encoding(path)
        with path.open(encoding=self.encoding, newline="") as handle:
            sample = handle.read(64 * 1024)
        try:
            self.dialect: Any = csv.Sniffer().sniff(sample.split("\n", 1)[0], delimiters=",\t;|")
        except csv.Error:
            self.dialect = csv.excel

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        csv.field_size_limit(CSV_FIELD_LIMIT)
        with self.path.open(encoding=self.encoding, newline="") as handle:
            reader = csv.reader(handle, self.dialect)
            number = 0
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    raise FileProblem(
                        _("第%(row)s行无法按CSV格式读取：%(reason)s")
                        % {"row": reader.line_num, "reason": exc}
                    ) from exc
                number += 1
                cells = []
                for value in row:
                    value = value.strip()
                    cells.append(FORMULA if value.startswith("=") and len(value) > 1 else value)
                while cells and cells[-1] == "":
                    cells.pop()
                yield number, cells


def open_table(path: Path, name: str | None = None) -> XlsxReader | CsvReader:
    """The reader for ``path``; ``name`` is the uploaded file's name (its extension counts)."""
    suffix = Path(name or path.name).suffix.lower()
    if suffix == ".xlsx":
        return XlsxReader(path)
    if suffix == ".csv":
        return CsvReader(path)
    raise FileProblem(
        _("不支持的文件类型“%(suffix)s”：请使用.xlsx或.csv文件") % {"suffix": suffix or "无"}
    )
