"""A training institution enrols a class by ID numbers, records attendance and closes it
in a real Chromium; the worker logs in, sees the training and their certificate in the
archive, and downloads the PDF."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.factories import make_person, make_user
from tests.skills import builders
from tests.skills import training_builders as tb
from tongban.core.permissions import Role
from tongban.core.services import link_person_account
from tongban.skills import archive_export
from tongban.skills.models import Enrolment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "training-flow-pass"


@pytest.fixture
def setting(regions, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    cache.clear()
    builders.load_sample()
    evaluator = builders.social_evaluator()
    worker_person = make_person("李建国", social_security_card_number="A20261207")
    certificate = builders.give_certificate(
        worker_person, evaluator, "level4", datetime.date(2025, 6, 1)
    )
    account = make_user("lijianguo", Role.WORKER, password=PASSWORD)
    link_person_account(worker_person, account, user=make_user("admin", Role.PLATFORM_ADMIN))
    classmate = make_person("钱卫东")
    org = tb.institution()
    teacher = tb.staff(org, "teacher", password=PASSWORD)
    prog = tb.programme(org, teacher, hours="4", name="数控车床操作技能提升")
    cls = tb.training_class(prog, teacher, "2026年第1期")
    return worker_person, classmate, certificate, cls


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("您好")


def log_out(page) -> None:
    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_institution_runs_a_class_and_the_worker_downloads_the_archive(page, setting, shot):
    worker_person, classmate, certificate, cls = setting

    # the institution enrols the class by ID numbers (one unknown number is refused first)
    log_in(page, "teacher")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="职业培训").click()
    page.get_by_role("link", name="2026年第1期").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2026年第1期")
    enrol = page.locator("#enrol-form")
    enrol.get_by_label("学员证件号码或社会保障卡号").fill(
        f"{worker_person.document_number}\n330502199001019999"
    )
    enrol.get_by_role("button", name="报名").click()
    expect(page.get_by_role("alert")).to_contain_text("“330502199001019999”：未找到")
    expect(page.locator("#enrolments")).to_contain_text("暂无学员")
    enrol = page.locator("#enrol-form")
    enrol.get_by_label("学员证件号码或社会保障卡号").fill(
        f"{worker_person.document_number} 李建国\n{classmate.document_number}"
    )
    enrol.get_by_role("button", name="报名").click()
    expect(page.locator('#enrolments tr[data-person="李建国"]')).to_be_visible()
    expect(page.locator('#enrolments tr[data-person="钱卫东"]')).to_be_visible()

    # a session, then attendance: one outside the session time is refused with the reason
    sessions = page.locator("#session-form")
    sessions.get_by_label("上课日期").fill("2026-12-07")
    sessions.get_by_label("开始时间").fill("08:00")
    sessions.get_by_label("结束时间").fill("12:00")
    sessions.get_by_label("课程内容").fill("数控车床编程与实操")
    sessions.get_by_role("button", name="新增课次").click()
    expect(page.locator("#sessions")).to_contain_text("数控车床编程与实操")
    attendance = page.locator("#attendance-form")
    attendance.get_by_label("学员").select_option(label="李建国")
    attendance.get_by_label("签到时间").fill("07:00")
    attendance.get_by_role("button", name="登记出勤").click()
    expect(page.get_by_role("alert")).to_contain_text("不在本课次时间")
    attendance = page.locator("#attendance-form")
    attendance.get_by_label("学员").select_option(label="李建国")
    attendance.get_by_role("button", name="登记出勤").click()
    expect(page.locator("#sessions")).to_contain_text("李建国")

    # closing the class sets the hours and results
    page.get_by_role("button", name="结班（核定学时与结业）").click()
    expect(page.locator("dl.fields")).to_contain_text("已结班")
    expect(page.locator('#enrolments tr[data-person="李建国"]')).to_contain_text("结业")
    expect(page.locator('#enrolments tr[data-person="钱卫东"]')).to_contain_text("未结业")
    shot("training-class")
    assert Enrolment.objects.get(person=worker_person).result == "completed"
    log_out(page)

    # the worker sees the training and the certificate in their archive and downloads it
    log_in(page, "lijianguo")
    page.get_by_role("link", name="我的档案").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的档案")
    timeline = page.locator("#archive")
    expect(timeline.locator('tr[data-kind="training"]')).to_contain_text("数控车床操作技能提升")
    expect(timeline.locator('tr[data-kind="training"]')).to_contain_text("结业")
    expect(timeline.locator('tr[data-kind="certificate"]')).to_contain_text("四级/中级工")
    expect(timeline.locator('tr[data-kind="certificate"]')).to_contain_text(certificate.number)
    expect(page.locator("body")).not_to_contain_text(worker_person.document_number)
    shot("training-archive")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载PDF").click()
    path = download_info.value.path()
    data = Path(path).read_bytes()
    assert data.startswith(b"%PDF")
    document = archive_export.document_from_bytes(data)
    assert archive_export.verify_document(document).status == "valid"
    assert document["content"]["person"]["name"] == "李建国"
    assert {e["kind"] for e in document["content"]["entries"]} >= {"training", "certificate"}
