"""An HR officer imports a people file with some bad rows through the page, in partial
mode: the template downloads, progress runs to the end, and the error report downloaded
from the page names each bad row, column and reason."""

from __future__ import annotations

import csv
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.factories import NANXUN, WUXING, make_user, village_of
from tests.importing.conftest import PEOPLE_HEADER, person_row, write_xlsx
from tongban.core.models import ImportBatch, ImportJob, Person
from tongban.core.permissions import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "county-officer-pass"


@pytest.fixture
def officer(regions, settings, tmp_path):
    # the test database lives in this process: run the job in a thread instead of a process
    settings.IMPORT_JOBS_IN_PROCESS = True
    settings.MEDIA_ROOT = tmp_path / "media"
    return make_user("hr_wuxing", Role.HR_OFFICER, region=WUXING, password=PASSWORD)


def test_officer_uploads_people_with_bad_rows_and_reads_the_error_report(
    page, officer, tmp_path, shot
):
    rows = [person_row(f"导入{i}") for i in range(30)]
    rows[4] = person_row("坏号码", number="33050219900307001")
    rows[9] = person_row("外县人", region=village_of(NANXUN).code)
    rows[14] = person_row("坏手机", 手机号码="1234")
    source = write_xlsx(tmp_path / "people.xlsx", PEOPLE_HEADER, rows)

    page.goto("/")
    page.get_by_label("用户名").fill("hr_wuxing")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="人员").click()
    page.get_by_role("link", name="批量导入").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("导入人员")

    with page.expect_download() as template:
        page.locator("#template-link").click()
    template_path = tmp_path / "template.xlsx"
    template.value.save_as(template_path)
    header = [c.value for c in openpyxl.load_workbook(template_path).worksheets[0][1]]
    assert header == PEOPLE_HEADER

    page.get_by_label("文件").set_input_files(str(source))
    page.get_by_label("导入模式").select_option("partial")
    shot("import-upload")
    page.get_by_role("button", name="开始导入").click()
    expect(page).to_have_url(re.compile(r"/imports/jobs/\d+/$"))
    expect(page.locator("#progress")).to_have_attribute("data-status", "done", timeout=60000)
    expect(page.locator("#progress .created")).to_have_text("27")
    expect(page.locator("#progress .errors")).to_have_text("3")
    shot("import-done")

    with page.expect_download() as download:
        page.locator("#errors-xlsx").click()
    report_path = tmp_path / "errors.xlsx"
    download.value.save_as(report_path)
    sheet = openpyxl.load_workbook(report_path).worksheets[0]
    lines = [[c.value for c in row] for row in sheet.iter_rows()]
    assert lines[0] == ["行号", "列", "值", "错误原因"]
    assert [line[:2] for line in lines[1:]] == [
        [6, "证件号码"],
        [11, "常住地区代码"],
        [16, "手机号码"],
    ]
    assert "居民身份证号码应为18位" in lines[1][3]
    assert lines[2][3] == "保存后的记录将超出您的管辖范围，未予保存"

    with page.expect_download() as download_csv:
        page.locator("#errors-csv").click()
    csv_path = tmp_path / "errors.csv"
    download_csv.value.save_as(csv_path)
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        assert len(list(csv.reader(handle))) == 4

    assert Person.objects.count() == 27
    job = ImportJob.objects.get()
    assert (job.user, job.channel) == (officer, "web")
    assert ImportBatch.objects.filter(job=job).count() == 1
