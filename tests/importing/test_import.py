"""Bulk import: modes, bad input, idempotence, scope, audit, templates, and the round trip."""

from __future__ import annotations

import csv
import datetime
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from tests.factories import (
    NANXUN,
    WUXING,
    make_org,
    make_person,
    resident_id,
    village_of,
    with_wrong_check_digit,
)
from tests.importing.conftest import PEOPLE_HEADER, person_row, write_csv, write_xlsx
from tongban.core.importing.jobs import create_job, run_job
from tongban.core.importing.kinds import REGISTRY
from tongban.core.models import (
    Employment,
    ExportRecord,
    ImportBatch,
    ImportJob,
    Organization,
    Person,
)

pytestmark = pytest.mark.django_db


def run(path: Path, user, kind: str = "people", mode: str = "strict", chunk_size: int = 2000):
    job = create_job(kind, path, user=user, mode=mode, filename=path.name, channel="command")
    return run_job(job, user=user, chunk_size=chunk_size)


def report(job: ImportJob) -> list[list[str]]:
    with open(job.error_report, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))[1:]


# -- modes -------------------------------------------------------------------------------
def test_strict_mode_writes_nothing_when_one_row_is_wrong(tmp_path, operator):
    wrong = with_wrong_check_digit(resident_id("330502"))
    rows = [person_row("甲"), person_row("乙", number=wrong), person_row("丙")]
    job = run(write_csv(tmp_path / "people.csv", PEOPLE_HEADER, rows), operator)
    assert job.status == "failed"
    assert not Person.objects.filter(name__in=["甲", "丙"]).exists()
    assert report(job)[0][:3] == ["3", "证件号码", wrong]
    assert "校验位错误" in report(job)[0][3]
    assert "未导入任何数据" in job.message


def test_partial_mode_imports_the_valid_rows_and_reports_the_rest(tmp_path, operator):
    rows = [
        person_row("甲"),
        person_row("乙", number="12345"),
        person_row("丙", 手机号码="12345"),
        person_row("丁", 常住地区代码="999999999999"),
        person_row("戊"),
    ]
    job = run(write_csv(tmp_path / "people.csv", PEOPLE_HEADER, rows), operator, mode="partial")
    assert job.status == "done"
    assert set(Person.objects.values_list("name", flat=True)) == {"甲", "戊"}
    assert (job.created_count, job.error_count, job.rows_read) == (2, 3, 5)
    lines = report(job)
    assert [line[:3] for line in lines] == [
        ["3", "证件号码", "12345"],
        ["4", "手机号码", "12345"],
        ["5", "常住地区代码", "999999999999"],
    ]
    assert lines[2][3] == "未找到该行政区划代码"


def test_row_errors_are_the_forms_own_messages(tmp_path, operator):
    """One validator: the import reports exactly what ``Person.clean()`` says to the form."""
    bad = with_wrong_check_digit(resident_id("330502"))
    person = Person(name="甲", document_number=bad, residence_region_id=village_of(WUXING).code)
    with pytest.raises(ValidationError) as form_error:
        person.clean()
    job = run(
        write_csv(tmp_path / "p.csv", PEOPLE_HEADER, [person_row("甲", number=bad)]),
        operator,
        mode="partial",
    )
    assert report(job)[0][3] == form_error.value.message_dict["document_number"][0]


def test_birth_date_contradicting_the_id_number_is_refused_by_the_model_rule(tmp_path, operator):
    number = resident_id("330502", born=datetime.date(1990, 3, 7))
    job = run(
        write_csv(
            tmp_path / "p.csv",
            PEOPLE_HEADER,
            [person_row("甲", number=number, 出生日期="1991-01-01")],
        ),
        operator,
        mode="partial",
    )
    assert report(job)[0][1:3] == ["出生日期", "1991-01-01"]
    assert "出生日期与证件号码不符" in report(job)[0][3]


# -- idempotence and audit -----------------------------------------------------------------------
def test_rerun_updates_by_document_number_instead_of_duplicating(tmp_path, operator):
    number = resident_id("330502")
    path = write_csv(tmp_path / "p.csv", PEOPLE_HEADER, [person_row("甲", number=number)])
    run(path, operator)
    write_csv(path, PEOPLE_HEADER, [person_row("甲改", number=number, 手机号码="13900001111")])
    job = run(path, operator)
    person = Person.objects.get(document_number=number)
    assert (job.created_count, job.updated_count) == (0, 1)
    assert (person.name, person.mobile, person.name_pinyin) == ("甲改", "13900001111", "jiagai")
    assert Person.objects.filter(document_number=number).count() == 1


def test_each_committed_chunk_leaves_one_audit_batch_with_its_counts(tmp_path, operator):
    rows = [person_row(f"人{i}") for i in range(7)] + [person_row("坏", number="1")]
    job = run(
        write_csv(tmp_path / "p.csv", PEOPLE_HEADER, rows), operator, mode="partial", chunk_size=3
    )
    batches = list(ImportBatch.objects.filter(job=job).order_by("number"))
    assert [(b.first_row, b.last_row) for b in batches] == [(2, 4), (5, 7), (8, 9)]
    assert sum(b.created_count for b in batches) == 7
    assert sum(b.error_count for b in batches) == 1
    assert job.user == operator


# -- bad input: each a clear error, nothing written ----------------------------------------------
def test_xlsx_that_is_not_a_workbook_is_refused(tmp_path, operator):
    path = tmp_path / "people.xlsx"
    path.write_text("姓名,证件号码\n张三,1\n", encoding="utf-8")
    job = run(path, operator, mode="partial")
    assert job.status == "failed"
    assert "不是Excel工作簿" in job.message
    assert Person.objects.count() == 0


def test_csv_that_is_a_workbook_is_refused(tmp_path, operator):
    path = write_xlsx(tmp_path / "p.xlsx", PEOPLE_HEADER, [person_row()])
    renamed = path.rename(tmp_path / "people.csv")
    job = run(renamed, operator, mode="partial")
    assert "内容是Excel工作簿" in job.message
    assert Person.objects.count() == 0


def test_missing_column_is_refused_with_its_name(tmp_path, operator):
    header = [h for h in PEOPLE_HEADER if h != "常住地区代码"]
    rows = [[v for h, v in zip(PEOPLE_HEADER, person_row(), strict=True) if h != "常住地区代码"]]
    job = run(write_csv(tmp_path / "p.csv", header, rows), operator, mode="partial")
    assert job.status == "failed"
    assert "缺少列：常住地区代码" in job.message
    assert Person.objects.count() == 0


def test_unknown_header_is_refused_with_its_name(tmp_path, operator):
    header = [*PEOPLE_HEADER, "备注"]
    job = run(
        write_csv(tmp_path / "p.csv", header, [[*person_row(), "x"]]), operator, mode="partial"
    )
    assert "未知的列：备注" in job.message
    assert Person.objects.count() == 0


def test_encoding_that_does_not_decode_is_refused(tmp_path, operator):
    path = tmp_path / "p.csv"
    path.write_bytes(",".join(PEOPLE_HEADER).encode("utf-8") + b"\n\xff\xfe\xfa,\x80\n")
    job = run(path, operator, mode="partial")
    assert "既不是UTF-8也不是GB18030" in job.message
    assert Person.objects.count() == 0


def test_gb18030_csv_is_read(tmp_path, operator):
    path = write_csv(
        tmp_path / "p.csv", PEOPLE_HEADER, [person_row("欧阳䶮"), person_row("张三")], "gb18030"
    )
    job = run(path, operator)
    assert job.status == "done", job.message
    assert set(Person.objects.values_list("name", flat=True)) == {"欧阳䶮", "张三"}


def test_semicolon_separated_csv_is_sniffed(tmp_path, operator):
    path = tmp_path / "p.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(PEOPLE_HEADER)
        writer.writerow(person_row("张三"))
    assert run(path, operator).created_count == 1


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_ten_megabyte_cell_is_refused(tmp_path, operator, suffix):
    huge = "名" * (10 * 1024 * 1024 // 3)
    rows = [person_row("甲"), person_row(huge)]
    writer = write_csv if suffix == "csv" else write_xlsx
    path = writer(tmp_path / f"p.{suffix}", PEOPLE_HEADER, rows)
    job = run(path, operator)
    assert job.status == "failed"
    line = report(job)[0]
    assert line[:2] == ["3", "姓名"] and "单元格内容过长" in line[3]
    assert len(line[2]) < 200
    assert Person.objects.count() == 0


def test_formula_cell_is_refused(tmp_path, operator):
    rows = [person_row("甲"), person_row("乙", 手机号码="=1+1")]
    path = write_xlsx(tmp_path / "p.xlsx", PEOPLE_HEADER, rows)
    job = run(path, operator)
    assert job.status == "failed"
    assert report(job)[0][:2] == ["3", "手机号码"]
    assert "公式" in report(job)[0][3]
    assert Person.objects.count() == 0


def test_id_number_excel_turned_into_a_number_is_refused(tmp_path, operator):
    rows = [person_row("甲")]
    rows[0][2] = float(rows[0][2][:17] + "1") if rows[0][2][-1] != "X" else 3.305e17
    job = run(write_xlsx(tmp_path / "p.xlsx", PEOPLE_HEADER, rows), operator)
    assert "文本格式" in report(job)[0][3]


def test_duplicate_key_inside_one_file_is_refused(tmp_path, operator):
    number = resident_id("330502")
    rows = [person_row("甲", number=number), person_row("乙"), person_row("甲2", number=number)]
    job = run(write_csv(tmp_path / "p.csv", PEOPLE_HEADER, rows), operator)
    assert job.status == "failed"
    assert report(job) == [["4", "证件号码", number, "与文件第2行重复（同一记录在文件中出现两次）"]]
    assert Person.objects.count() == 0


def test_social_security_card_already_held_by_another_person_is_refused(tmp_path, operator):
    make_person("甲", social_security_card_number="A12345678")
    job = run(
        write_csv(tmp_path / "p.csv", PEOPLE_HEADER, [person_row("乙", 社会保障卡号="A12345678")]),
        operator,
        mode="partial",
    )
    assert report(job)[0][1] == "社会保障卡号"
    assert Person.objects.filter(name="乙").count() == 0


def test_empty_file_and_unsupported_extension_are_refused(tmp_path, operator):
    empty = tmp_path / "p.csv"
    empty.write_text("", encoding="utf-8")
    assert "文件为空" in run(empty, operator).message
    other = tmp_path / "p.xls"
    other.write_bytes(b"\xd0\xcf\x11\xe0")
    assert "请使用.xlsx或.csv文件" in run(other, operator).message


# -- scope -------------------------------------------------------------------------------------
def test_officer_cannot_import_people_outside_their_county(tmp_path, hr_officer):
    rows = [person_row("吴兴人"), person_row("南浔人", region=village_of(NANXUN).code)]
    job = run(write_csv(tmp_path / "p.csv", PEOPLE_HEADER, rows), hr_officer, mode="partial")
    assert list(Person.objects.values_list("name", flat=True)) == ["吴兴人"]
    assert report(job) == [["3", "常住地区代码", "", "保存后的记录将超出您的管辖范围，未予保存"]]


def test_officer_cannot_change_a_person_outside_their_county(tmp_path, hr_officer):
    theirs = make_person("南浔人", county6="330503")
    rows = [person_row("改名", number=theirs.document_number)]
    job = run(write_csv(tmp_path / "p.csv", PEOPLE_HEADER, rows), hr_officer, mode="partial")
    theirs.refresh_from_db()
    assert theirs.name == "南浔人"
    assert "不在您的管辖范围内" in report(job)[0][3]


def test_command_refuses_a_user_who_may_not_import(tmp_path, db):
    from tests.factories import make_user

    make_user("grid1", "grid_worker", region=WUXING)
    path = write_csv(tmp_path / "p.csv", PEOPLE_HEADER, [person_row()])
    with pytest.raises(CommandError):
        call_command("import", "people", str(path), "--as", "grid1")


# -- other kinds -----------------------------------------------------------------------------
def test_organizations_then_employment_import_by_natural_keys(tmp_path, operator):
    from tests.factories import credit_code

    code, parent_code = credit_code(), credit_code()
    header = ["单位名称", "统一社会信用代码", "单位类型", "所在地区代码", "上级单位信用代码"]
    orgs = [
        ["湖州总公司", parent_code, "企业", WUXING, ""],
        ["湖州分公司", code, "企业", WUXING, parent_code],
    ]
    assert (
        run(write_csv(tmp_path / "o.csv", header, orgs), operator, kind="organizations").status
        == "done"
    )
    child = Organization.objects.get(credit_code=code)
    assert child.parent.credit_code == parent_code
    person = make_person("甲")
    header = [
        "证件类型",
        "证件号码",
        "用人单位信用代码",
        "岗位",
        "职业代码",
        "入职日期",
        "离职日期",
        "一线岗位",
    ]
    rows = [["", person.document_number, code, "车工", "6-18-01-01", "2015/7/1", "", "是"]]
    path = write_csv(tmp_path / "e.csv", header, rows)
    assert run(path, operator, kind="employment").created_count == 1
    rows[0][6] = "2014-01-01"  # ends before it starts: the model's rule
    job = run(write_csv(path, header, rows), operator, kind="employment", mode="partial")
    assert report(job)[0][1:] == ["离职日期", "2014-01-01", "离职日期不能早于入职日期"]
    rows[0][6] = "2020-12-31"
    job = run(write_csv(path, header, rows), operator, kind="employment")
    assert (job.created_count, job.updated_count) == (0, 1)
    assert Employment.objects.get().end_date == datetime.date(2020, 12, 31)


def test_every_kind_has_a_template_with_headers_sample_and_notes(tmp_path, db):
    assert {"people", "organizations", "employment", "certificates"} <= set(REGISTRY)
    for name, kind in REGISTRY.items():
        target = tmp_path / f"{name}.xlsx"
        call_command("import", name, "--template", str(target))
        book = openpyxl.load_workbook(target)
        data, notes = book.worksheets
        assert [c.value for c in data[1]] == [c.title for c in kind.columns]
        assert [c.value or "" for c in data[2]] == [c.sample for c in kind.columns]
        assert notes.max_row >= len(kind.columns) + 1


# -- export and round trip ---------------------------------------------------------------------
def snapshot() -> list[tuple]:
    return sorted(
        Person.objects.values_list(
            "name", "document_type", "document_number", "gender", "birth_date",
            "social_security_card_number", "mobile", "residence_region_id", "education",
        )
    )  # fmt: skip


def test_round_trip_export_import_gives_identical_data(tmp_path, operator):
    rows = [person_row(f"人{i}", 社会保障卡号=f"A1234567{i}") for i in range(5)]
    rows.append(
        person_row("港澳", 证件类型="护照", number="E12345678", 性别="女", 出生日期="1980-02-29")
    )
    run(write_csv(tmp_path / "in.csv", PEOPLE_HEADER, rows), operator)
    org = make_org("往返测试有限公司")
    Employment.objects.create(
        person=Person.objects.first(), organization=org, start_date=datetime.date(2020, 1, 2)
    )
    before = snapshot()
    employment_before = list(Employment.objects.values_list("post", "start_date", "frontline"))
    for fmt in ("xlsx", "csv"):
        call_command("export", "people", str(tmp_path / f"people.{fmt}"))
        call_command("export", "employment", str(tmp_path / f"employment.{fmt}"))
        Employment.objects.all().delete()
        Person.objects.all().delete()
        call_command("import", "people", str(tmp_path / f"people.{fmt}"))
        call_command("import", "employment", str(tmp_path / f"employment.{fmt}"))
        assert snapshot() == before
        assert (
            list(Employment.objects.values_list("post", "start_date", "frontline"))
            == employment_before
        )
    assert ExportRecord.objects.filter(kind="people", channel="command", row_count=6).count() == 2


def test_export_as_officer_is_scoped_masked_and_audited(tmp_path, hr_officer):
    make_person("吴兴人", mobile="13812345678")
    make_person("南浔人", county6="330503")
    target = tmp_path / "out.csv"
    call_command(
        "export", "people", str(target), "--as", "hr-wuxing", "--masked", "--filter", "q=吴兴"
    )
    text = target.read_text(encoding="utf-8-sig")
    assert "吴兴人" in text and "南浔人" not in text
    assert "138****5678" in text and "13812345678" not in text
    record = ExportRecord.objects.get()
    assert (record.user, record.row_count, record.filters, record.revealed) == (
        hr_officer, 1, {"q": "吴兴"}, False
    )  # fmt: skip


def test_list_page_exports_xlsx_of_the_filtered_scoped_rows_and_records_it(client, hr_officer):
    make_person("吴兴甲")
    make_person("吴兴乙")
    make_person("南浔人", county6="330503")
    client.force_login(hr_officer)
    response = client.get("/people/", {"q": "吴兴甲", "_export": "xlsx"})
    path = Path(client_tmp := __import__("tempfile").mkdtemp()) / "x.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    sheet = openpyxl.load_workbook(path).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "姓名", values
    assert [r[0] for r in values[1:]] == ["吴兴甲"], values
    assert "*" in values[1][2]  # masked document number
    record = ExportRecord.objects.get()
    assert (record.channel, record.file_format, record.row_count) == ("web", "xlsx", 1)
    assert client_tmp


def test_csv_export_on_a_page_without_an_import_kind_still_records_it(client, db):
    from tests.factories import make_user

    admin = make_user("admin1", "platform_admin")
    client.force_login(admin)
    body = b"".join(client.get("/regions/", {"_export": "csv", "code": "3305"}).streaming_content)
    assert body.decode("utf-8-sig").startswith("区划代码")
    assert ExportRecord.objects.get().kind == "core.region"


def test_export_refuses_an_unknown_filter(tmp_path, operator):
    with pytest.raises(CommandError, match="未知的筛选条件"):
        call_command("export", "people", str(tmp_path / "x.csv"), "--filter", "nme=张")


def test_error_report_downloads_as_xlsx(tmp_path, operator):
    job = run(write_csv(tmp_path / "p.csv", PEOPLE_HEADER, [person_row(number="1")]), operator)
    target = tmp_path / "errors.xlsx"
    with pytest.raises(CommandError):
        call_command("import", "people", str(tmp_path / "p.csv"), "--errors", str(target))
    assert job.error_count == 1
    assert zipfile.is_zipfile(target)
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(target).worksheets[0].iter_rows()]
    assert rows[0] == ["行号", "列", "值", "错误原因"]
    assert rows[1][:3] == [2, "证件号码", "1"]


def test_seen_keys_finds_every_repeat_with_its_first_row():
    from tongban.core.importing.validation import SeenKeys

    seen = SeenKeys()
    assert seen.add_many([(("resident_id", str(i)), i + 2) for i in range(5000)]) == [None] * 5000
    # a repeat of an earlier chunk, a repeat inside the same chunk, and a new key
    assert seen.add_many(
        [(("resident_id", "1234"), 9999), (("x", "1"), 10000), (("x", "1"), 10001)]
    ) == [1236, None, 10000]
    assert ("resident_id", "4999") in seen and ("passport", "4999") not in seen
    assert seen.count == 5001
    seen.close()


def test_seen_keys_memory_does_not_grow_with_the_file():
    """The keys live in a temporary database file, not in the process: remembering a
    million keys moves the process's resident memory by a few megabytes at most."""
    from tongban.core.importing.validation import SeenKeys

    def resident_kib() -> int:  # now, not the peak (which an earlier test may have set)
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024

    seen = SeenKeys()
    seen.add_many([(("warm", str(i)), i) for i in range(20000)])
    before = resident_kib()
    for start in range(0, 1_000_000, 20000):
        seen.add_many([(("resident_id", str(i)), i) for i in range(start, start + 20000)])
    grown_kib = resident_kib() - before
    seen.close()
    # 1,000,000 keys in memory would take at least 20 MB (8-byte digest and 4-byte row in a
    # table kept three quarters full); on disk, the page cache is the bound
    assert grown_kib < (SeenKeys.CACHE_KIB + 8 * 1024)


def test_stored_keys_are_looked_up_by_every_part_of_the_key(operator):
    """The look-up of rows already stored names every part of the natural key, so the
    unique index over the whole key serves it (the document number alone is the index's
    second column: filtering on it alone reads the whole people table for every chunk)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tongban.core.importing.loader import existing_keys

    person = make_person()
    kind = REGISTRY["people"]
    keys = [(person.document_type, person.document_number), ("resident_id", resident_id("330502"))]
    with CaptureQueriesContext(connection) as queries:
        found = existing_keys(kind, keys)
    assert found == {(person.document_type, person.document_number): person.pk}
    (sql,) = [q["sql"] for q in queries.captured_queries]
    where = sql.split("WHERE", 1)[1]
    assert '"document_type"' in where and '"document_number"' in where
