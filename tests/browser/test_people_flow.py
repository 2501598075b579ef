"""A county HR officer's day in a real Chromium: find a person, reveal the ID, log out;
and a wrong ID number refused in Chinese with nothing saved."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories import WUXING, make_org, make_person, make_user, resident_id, village_of
from tongban.core.models import Employment, Person, PersonalDataAccess
from tongban.core.permissions import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "county-officer-pass"


@pytest.fixture
def officer(regions):
    return make_user("hr_wuxing", Role.HR_OFFICER, region=WUXING, password=PASSWORD)


def log_in(page, username: str) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("您好")


def test_county_officer_finds_a_person_reveals_the_id_and_logs_out(page, officer, shot):
    person = make_person("钱学勤", mobile="13812345678")
    make_person("钱多多", county6="330503", region=village_of("330503000000").code)
    Employment.objects.create(
        person=person, organization=make_org("湖州精工机械制造有限公司"), start_date="2018-03-01"
    )
    log_in(page, "hr_wuxing")
    shot("home")

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="人员").click()
    page.get_by_label("姓名、拼音或完整证件号码").fill("钱")
    page.get_by_role("button", name="查询").click()
    results = page.locator("#results")
    expect(results.get_by_role("link", name="钱学勤")).to_be_visible()
    expect(results).not_to_contain_text("钱多多")  # lives in another county
    expect(results).to_contain_text("138****5678")
    shot("people")

    results.get_by_role("link", name="钱学勤").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("钱学勤")
    masked = person.document_number[:6] + "********" + person.document_number[-4:]
    expect(page.locator("#personal-data .document-number")).to_have_text(masked)
    page.get_by_placeholder("查看事由（选填）").fill("核对参保信息")
    page.get_by_role("button", name="显示完整信息").click()
    expect(page.locator("#personal-data .document-number")).to_have_text(person.document_number)
    expect(page.locator("#personal-data")).to_contain_text("已记录本次查看")
    shot("person")
    access = PersonalDataAccess.objects.get()
    assert (access.user_id, access.person_id, access.purpose) == (
        officer.pk,
        person.pk,
        "核对参保信息",
    )

    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.goto(f"/people/{person.pk}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_wrong_id_number_is_refused_in_chinese_and_nothing_is_saved(page, officer, shot):
    log_in(page, "hr_wuxing")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="人员").click()
    page.get_by_role("link", name="新增").click()
    good = resident_id("330502")
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    page.get_by_label("姓名").fill("孙小明")
    page.get_by_label("证件号码").fill(wrong)
    page.get_by_label("常住地区").fill(village_of(WUXING).code)
    page.get_by_label("手机号码").fill("13912345678")
    page.get_by_role("button", name="保存").click()
    error = page.locator('p.error[data-field="document_number"]')
    expect(error).to_contain_text("居民身份证号码校验位错误")
    expect(error).to_contain_text(f"应为{good[-1]}")
    expect(page.get_by_label("姓名")).to_have_value("孙小明")  # what was typed is kept
    shot("person-error")
    assert not Person.objects.exists()

    page.get_by_label("证件号码").fill(good)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("孙小明")
    assert Person.objects.get().document_number == good


def test_english_switch(page, officer):
    log_in(page, "hr_wuxing")
    page.get_by_label("语言").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
