from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.factories import WUXING, make_org, make_user, resident_id, village_of

PEOPLE_HEADER = [
    "姓名", "证件类型", "证件号码", "性别", "出生日期", "社会保障卡号", "手机号码",
    "常住地区代码", "最高学历",
]  # fmt: skip


def person_row(name: str = "李四", number: str | None = None, region: str | None = None, **kw):
    row = {
        "姓名": name,
        "证件类型": "居民身份证",
        "证件号码": number or resident_id("330502"),
        "性别": "",
        "出生日期": "",
        "社会保障卡号": "",
        "手机号码": "13812345678",
        "常住地区代码": region or village_of(WUXING).code,
        "最高学历": "本科",
    }
    row.update(kw)
    return [row[h] for h in PEOPLE_HEADER]


def write_csv(
    path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8"
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def operator(db):
    from tongban.core.importing.commands import acting_user

    return acting_user(None)


@pytest.fixture
def hr_officer(db):
    return make_user("hr-wuxing", "hr_officer", region=WUXING)


@pytest.fixture
def employer(db):
    return make_org("湖州导入测试机械有限公司")


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploads and error reports of the test go to its own directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
