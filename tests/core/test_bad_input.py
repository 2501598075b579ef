"""Bad input is refused with a message naming the field, in Chinese, and nothing is saved."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import (
    NANXUN,
    WUXING,
    credit_code,
    make_person,
    make_user,
    resident_id,
    village_of,
    with_wrong_check_digit,
)
from tongban.core.models import Organization, Person
from tongban.core.permissions import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(regions):
    return make_user("hr_a", Role.HR_OFFICER, region=WUXING)


@pytest.fixture
def api(officer):
    client = APIClient()
    client.force_authenticate(officer)
    return client


def person_data(**overrides):
    data = {
        "name": "王五",
        "document_type": "resident_id",
        "document_number": resident_id("330502"),
        "residence_region": village_of(WUXING).code,
        "mobile": "13812345678",
    }
    data.update(overrides)
    return data


def refused(response, field, *words):
    assert response.status_code == 400, response.content
    messages = " ".join(response.json()[field])
    for word in words:
        assert word in messages, messages
    return messages


def test_wrong_id_checksum_refused(api):
    number = with_wrong_check_digit(resident_id("330502"))
    refused(
        api.post("/api/people/", person_data(document_number=number)), "document_number", "校验位"
    )
    assert not Person.objects.exists()


def test_impossible_birth_date_refused(api):
    refused(
        api.post("/api/people/", person_data(document_number="330502199002301234")),
        "document_number",
        "出生日期",
    )
    assert not Person.objects.exists()


def test_unknown_region_code_refused(api):
    refused(
        api.post("/api/people/", person_data(residence_region="339999999999")),
        "residence_region",
        "未知的行政区划代码",
    )
    assert not Person.objects.exists()


def test_phone_that_is_not_a_phone_refused(api):
    refused(api.post("/api/people/", person_data(mobile="12345")), "mobile", "不是")
    assert not Person.objects.exists()


def test_gender_contradicting_the_id_refused(api):
    number = resident_id("330502", male=True)
    refused(
        api.post("/api/people/", person_data(document_number=number, gender="female")),
        "gender",
        "与证件号码不符",
    )
    assert not Person.objects.exists()


def test_birth_date_derived_from_the_id(api):
    import datetime

    number = resident_id("330502", born=datetime.date(1979, 8, 15), male=False)
    response = api.post("/api/people/", person_data(document_number=number))
    assert response.status_code == 201
    assert response.json()["birth_date"] == "1979-08-15"
    assert response.json()["gender"] == "female"


def test_duplicate_document_in_scope_points_to_the_existing_record(api):
    existing = make_person("王五")
    messages = refused(
        api.post("/api/people/", person_data(document_number=existing.document_number)),
        "document_number",
        "已登记",
    )
    assert f"#{existing.pk}" in messages
    assert Person.objects.count() == 1


def test_duplicate_document_out_of_scope_says_only_that_it_exists(api):
    elsewhere = make_person("赵六", county6="330503", region=village_of(NANXUN).code)
    messages = refused(
        api.post("/api/people/", person_data(document_number=elsewhere.document_number)),
        "document_number",
        "已在平台登记",
    )
    assert f"#{elsewhere.pk}" not in messages and "赵六" not in messages
    assert Person.objects.count() == 1


def test_person_outside_the_officers_region_refused(api):
    refused(
        api.post("/api/people/", person_data(residence_region=village_of(NANXUN).code)),
        "residence_region",
        "管辖范围",
    )
    assert not Person.objects.exists()


def test_bad_credit_code_refused(api):
    good = credit_code()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = api.post(
        "/api/organizations/",
        {"name": "某公司", "kind": "enterprise", "region": WUXING, "credit_code": bad},
    )
    refused(response, "credit_code", "统一社会信用代码", "校验位")
    assert not Organization.objects.exists()


def test_page_form_shows_chinese_field_error_and_saves_nothing(officer, client):
    client.force_login(officer)
    data = person_data(document_number=with_wrong_check_digit(resident_id("330502")))
    data["residence_region"] = data["residence_region"]
    response = client.post("/people/add/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-field="document_number"' in html and "居民身份证号码校验位错误" in html
    assert not Person.objects.exists()


def test_page_form_good_input_saves_and_redirects(officer, client):
    client.force_login(officer)
    response = client.post("/people/add/", person_data())
    assert response.status_code == 302
    person = Person.objects.get()
    assert response["Location"] == f"/people/{person.pk}/"
    assert person.registered_by is None and person.name_pinyin == "wangwu"


def test_employment_end_before_start_refused(api):
    from tests.factories import make_org

    person = make_person()
    org = make_org()
    response = api.post(
        "/api/employments/",
        {
            "person": person.pk,
            "organization": org.pk,
            "start_date": "2020-05-01",
            "end_date": "2019-01-01",
        },
    )
    refused(response, "end_date", "离职日期不能早于入职日期")


def test_bad_occupation_code_refused(api):
    from tests.factories import make_org

    response = api.post(
        "/api/employments/",
        {
            "person": make_person().pk,
            "organization": make_org().pk,
            "start_date": "2020-05-01",
            "occupation_code": "618-01",
        },
    )
    refused(response, "occupation_code", "职业代码")
