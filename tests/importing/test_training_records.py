"""Training records imported by class and person: the enrolment rules, credits exactly
once (as closing the class gives them), the round trip and the provider's scope."""

from __future__ import annotations

import csv
import datetime
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command

from tests.factories import make_person
from tests.importing.conftest import write_csv
from tests.skills import training_builders as tb
from tongban.core.importing.jobs import create_job, run_job
from tongban.skills import training
from tongban.skills.models import CreditEntry, Enrolment

HEADER = [
    "培训机构信用代码", "班次名称", "开班日期", "证件类型", "证件号码", "姓名", "报名日期",
    "培训结果", "核定学时",
]  # fmt: skip


@pytest.fixture
def setup(regions):
    org = tb.institution()
    teacher = tb.staff(org)
    prog = tb.programme(org, teacher, hours="8")
    closed = tb.training_class(prog, teacher, name="2026年第1期")
    training.close_class(closed, user=teacher, on=tb.DAY)
    open_class = tb.training_class(prog, teacher, name="2026年第2期")
    return org, teacher, closed, open_class


def run(path, user, mode="partial"):
    job = create_job("training", path, user=user, mode=mode, filename=path.name, channel="command")
    return run_job(job, user=user)


def report(job) -> list[list[str]]:
    if not job.error_report:
        return []
    with open(job.error_report, encoding="utf-8-sig", newline="") as handle:
        return [line[:4] for line in list(csv.reader(handle))[1:]]


def row(cls, person, result="结业", hours="8", name=None, enrolled="2026-12-01"):
    provider = cls.programme.provider.credit_code
    return [provider, cls.name, cls.starts_on.isoformat(), "", person.document_number,
            person.name if name is None else name, enrolled, result, hours]  # fmt: skip


def test_template_names_the_columns_and_says_credits_are_counted_once(tmp_path, db):
    target = tmp_path / "training.xlsx"
    call_command("import", "training", "--template", str(target))
    data, notes = openpyxl.load_workbook(target).worksheets
    assert [c.value for c in data[1]] == HEADER
    explained = {r[0].value: r[2].value for r in notes.iter_rows(min_row=2) if r[0].value}
    assert "同一记录只计一次" in explained["培训结果"]
    assert "开班日期" in explained["班次名称"]


def test_completed_training_earns_the_credits_closing_the_class_gives_exactly_once(tmp_path, setup):
    _org, teacher, closed, open_class = setup
    # the same training through the form: enrol, attend 8 hours, close
    by_form = make_person("表单学员")
    enrolment = training.enrol(open_class, by_form.document_number, user=teacher)[0]
    for start, end in ((8, 12), (13, 17)):
        session = tb.session(open_class, teacher, start, end)
        training.record_attendance(session, enrolment, user=teacher)
    training.close_class(open_class, user=teacher, on=tb.DAY)
    form_credit = CreditEntry.objects.get(source_id=enrolment.pk)

    imported = make_person("导入学员")
    path = write_csv(tmp_path / "t.csv", HEADER, [row(closed, imported)])
    job = run(path, teacher, mode="strict")
    assert (job.status, job.created_count) == ("done", 1)
    credit = CreditEntry.objects.get(person=imported)
    record = Enrolment.objects.get(person=imported)
    assert (credit.source, credit.source_id) == ("training", record.pk)
    assert (credit.credits, credit.title, credit.earned_on, credit.institution_id) == (
        form_credit.credits, form_credit.title, form_credit.earned_on, form_credit.institution_id
    )  # fmt: skip

    job = run(path, teacher)  # the same file again
    assert (job.created_count, job.updated_count) == (0, 1)
    assert CreditEntry.objects.filter(person=imported).count() == 1
    assert Enrolment.objects.filter(person=imported).count() == 1

    # a corrected result withdraws the credits
    job = run(write_csv(path, HEADER, [row(closed, imported, result="未结业", hours="4")]), teacher)
    assert job.updated_count == 1
    assert not CreditEntry.objects.filter(person=imported).exists()
    assert CreditEntry.objects.filter(person=by_form).count() == 1


def test_bad_rows_are_refused_on_their_column_with_the_reason(tmp_path, setup):
    _org, teacher, closed, open_class = setup
    people = [make_person(f"学员{i}") for i in range(6)]
    rows = [
        row(open_class, people[0], result="结业"),
        row(closed, people[1], result="在训", hours=""),
        row(closed, people[2], hours="0"),
        row(closed, people[3], name="别人"),
        row(closed, people[4], hours="八"),
        [
            closed.programme.provider.credit_code,
            "没有这期",
            "2026-12-07",
            "",
            people[5].document_number,
            "",
            "2026-12-01",
            "",
            "",
        ],  # fmt: skip
        row(closed, people[5]),
    ]
    job = run(write_csv(tmp_path / "t.csv", HEADER, rows), teacher)
    assert report(job) == [
        ["2", "培训结果", "结业", "培训班尚未结班，培训结果应为“在训”"],
        ["3", "培训结果", "在训", "培训班已结班，培训结果应为“结业”或“未结业”"],
        ["4", "核定学时", "0", "结业的学员核定学时应大于0"],
        ["5", "姓名", "别人", "姓名与该证件号码登记的姓名不符"],
        ["6", "核定学时", "八", "应为数字，如40或7.5"],
        ["7", "班次名称", "没有这期",
         "未找到该培训班（培训机构信用代码、班次名称、开班日期须与平台一致），或您无权管理该培训班"],
    ]  # fmt: skip
    assert list(Enrolment.objects.values_list("person__name", flat=True)) == ["学员5"]


def test_an_open_class_takes_trainees_in_bulk_without_results(tmp_path, setup):
    _org, teacher, _closed, open_class = setup
    people = [make_person(f"新学员{i}") for i in range(3)]
    rows = [row(open_class, p, result="", hours="") for p in people]
    job = run(write_csv(tmp_path / "t.csv", HEADER, rows), teacher, mode="strict")
    assert (job.status, job.created_count) == ("done", 3)
    assert set(Enrolment.objects.values_list("result", "hours_completed")) == {
        ("enrolled", Decimal("0"))
    }
    assert not CreditEntry.objects.exists()


def test_staff_of_another_institution_cannot_import_into_the_class(tmp_path, setup):
    _org, _teacher, closed, _open = setup
    other = tb.staff(tb.institution("南浔区职业技能培训学校"), username="other-teacher")
    person = make_person("学员")
    job = run(write_csv(tmp_path / "t.csv", HEADER, [row(closed, person)]), other)
    assert report(job)[0][:2] == ["2", "班次名称"]
    assert "您无权管理该培训班" in report(job)[0][3]
    assert not Enrolment.objects.exists() and not CreditEntry.objects.exists()


def test_round_trip_export_import_gives_identical_data(tmp_path, setup):
    _org, teacher, closed, open_class = setup
    rows = [row(closed, make_person(f"甲{i}"), hours=str(4 + i)) for i in range(3)]
    rows.append(row(closed, make_person("乙"), result="未结业", hours="2.5"))
    rows.append(row(open_class, make_person("丙"), result="", hours="", enrolled="2026-11-30"))
    assert run(write_csv(tmp_path / "in.csv", HEADER, rows), teacher).error_count == 0

    def snapshot():
        return sorted(
            Enrolment.objects.values_list(
                "training_class_id", "person_id", "enrolled_on", "result", "hours_completed"
            )
        )

    before = snapshot()
    credits_before = sorted(CreditEntry.objects.values_list("person_id", "credits"))
    assert len(credits_before) == 3
    for fmt in ("xlsx", "csv"):
        target = tmp_path / f"training.{fmt}"
        call_command("export", "training", str(target))
        CreditEntry.objects.all().delete()
        Enrolment.objects.all().delete()
        call_command("import", "training", str(target), "--as", "teacher")
        assert snapshot() == before
        assert sorted(CreditEntry.objects.values_list("person_id", "credits")) == credits_before
    assert Enrolment.objects.get(person__name="乙").enrolled_on == datetime.date(2026, 12, 1)
