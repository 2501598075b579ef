"""Historical certificates imported by number: references resolved, re-import updates."""

from __future__ import annotations

import csv
import datetime

import pytest
from django.core.management import call_command

from tests.factories import make_person
from tests.importing.conftest import write_csv
from tests.skills import builders
from tongban.core.importing.jobs import create_job, run_job
from tongban.skills.models import Certificate

HEADER = [
    "证书编号", "证件类型", "证件号码", "姓名", "职业代码", "技能等级", "评价机构代码", "发证日期",
    "取得途径",
]  # fmt: skip


@pytest.fixture
def catalogue(regions, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    builders.load_sample()


def run(path, user, mode="partial"):
    job = create_job(
        "certificates", path, user=user, mode=mode, filename=path.name, channel="command"
    )
    return run_job(job, user=user)


def test_certificates_import_by_number_and_update_on_rerun(tmp_path, catalogue, operator):
    evaluator = builders.social_evaluator()
    person = make_person("李师傅")
    row = ["S000011001202340001", "", person.document_number, "李师傅", builders.TURNER, "四级",
           evaluator.institution_code, "2023-06-30", "社会培训评价组织评价"]  # fmt: skip
    bad = ["S000011001202340002", "", person.document_number, "李师傅", "9-99-99-99", "九级",
           "9999", "2023-06-30", "企业自主评价"]  # fmt: skip
    path = write_csv(tmp_path / "c.csv", HEADER, [row, bad])
    job = run(path, operator)
    certificate = Certificate.objects.get()
    assert (certificate.number, certificate.person, certificate.level.name) == (
        "S000011001202340001", person, "中级工"
    )  # fmt: skip
    assert certificate.status == "valid"
    with open(job.error_report, encoding="utf-8-sig", newline="") as handle:
        reasons = {line[1]: line[3] for line in list(csv.reader(handle))[1:]}
    assert reasons == {
        "职业代码": "未找到该职业代码",
        "技能等级": "未知的技能等级",
        "评价机构代码": "未找到该评价机构代码，请先备案评价机构",
    }

    row[7] = "2023-07-01"
    job = run(write_csv(path, HEADER, [row]), operator)
    assert (job.created_count, job.updated_count) == (0, 1)
    assert Certificate.objects.get().issued_on == datetime.date(2023, 7, 1)

    call_command("export", "certificates", str(tmp_path / "out.csv"))
    exported = list(csv.reader((tmp_path / "out.csv").open(encoding="utf-8-sig")))
    assert exported[0] == HEADER
    assert exported[1][0] == "S000011001202340001" and exported[1][5] == "四级/中级工"


def test_imported_certificates_earn_their_credits_once_as_issued_ones_do(
    tmp_path, catalogue, operator
):
    from tongban.skills.credits import ensure_credit_rules
    from tongban.skills.models import CreditEntry, CreditRule

    ensure_credit_rules()
    evaluator = builders.social_evaluator()
    person = make_person("王师傅")
    row = ["S000011001202340003", "", person.document_number, "王师傅", builders.TURNER, "三级",
           evaluator.institution_code, "2022-12-30", "社会培训评价组织评价"]  # fmt: skip
    path = write_csv(tmp_path / "c.csv", HEADER, [row])
    run(path, operator)
    certificate = Certificate.objects.get()
    rule = CreditRule.objects.get(source="certificate", skill_level=certificate.level)
    (entry,) = CreditEntry.objects.filter(person=person)
    assert (entry.source, entry.source_id, entry.credits) == (
        "certificate", certificate.pk, rule.credits
    )  # fmt: skip
    assert entry.earned_on == datetime.date(2022, 12, 30)
    assert entry.institution_id == evaluator.organization_id
    run(path, operator)  # a re-run: no second deposit
    assert CreditEntry.objects.filter(person=person).count() == 1
