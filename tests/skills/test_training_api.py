"""Training, 1+X and credits through the API and the pages: the same rules, the same
messages, scoped by role."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_org, make_person, make_user
from tests.skills import training_builders as tb
from tongban.core.permissions import Role
from tongban.skills.models import Attendance, Enrolment, TrainingClass, XCertificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(regions, client):
    org = tb.institution()
    teacher = tb.staff(org)
    cls = tb.training_class(tb.programme(org, teacher, hours="4"), teacher)
    client.force_login(teacher)
    return org, teacher, cls


def test_enrol_attend_and_close_through_the_api(setup, client):
    _org, teacher, cls = setup
    zhang = make_person("张三")
    base = f"/api/skills/training-classes/{cls.pk}"
    response = client.post(
        f"{base}/enrol/", {"numbers": [zhang.document_number]}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    enrolment = response.json()[0]["id"]
    response = client.post(
        f"{base}/enrol/", {"numbers": "330502199001019999"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "未找到该证件号码或社会保障卡号对应的登记人员" in response.json()["numbers"][0]
    response = client.post(
        f"{base}/sessions/",
        {"starts_at": "2026-12-07T08:00:00+08:00", "ends_at": "2026-12-07T12:00:00+08:00"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    session = response.json()["id"]
    response = client.post(
        f"{base}/attendance/",
        {"session": session, "enrolment": enrolment, "arrived_at": "2026-12-07T06:00:00+08:00"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "不在本课次时间" in response.json()["arrived_at"][0]
    response = client.post(
        f"{base}/attendance/",
        {"session": session, "enrolment": enrolment},
        content_type="application/json",
    )
    assert response.status_code == 201
    transitions = client.get(f"{base}/transitions/").json()
    assert {t["name"] for t in transitions} == {"close", "cancel"}
    response = client.post(f"{base}/transitions/close/", {}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "closed"
    assert Enrolment.objects.get().result == "completed"
    assert Attendance.objects.count() == 1


def test_other_institutions_and_workers_get_404(setup, client):
    _org, _teacher, cls = setup
    client.force_login(tb.staff(tb.institution("别的培训学校"), "other"))
    assert client.get(f"/api/skills/training-classes/{cls.pk}/").status_code == 404
    assert client.get(f"/skills/training-classes/{cls.pk}/").status_code == 404
    response = client.post(
        f"/api/skills/training-classes/{cls.pk}/enrol/",
        {"numbers": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_the_class_page_enrols_by_id_numbers_and_explains_refusals(setup, client):
    _org, _teacher, cls = setup
    zhang = make_person("张三")
    url = f"/skills/training-classes/{cls.pk}/"
    response = client.post(f"{url}enrol/", {"numbers": f"{zhang.document_number}\n123"})
    page = client.get(response.url).content.decode()
    assert "未找到该证件号码或社会保障卡号对应的登记人员" in page
    assert not Enrolment.objects.exists()
    client.post(f"{url}enrol/", {"numbers": zhang.document_number})
    client.post(f"{url}sessions/", {"day": "2026-12-07", "starts": "08:00", "ends": "12:00"})
    session = cls.sessions.get()
    response = client.post(
        f"{url}attendance/",
        {"session": session.pk, "enrolment": Enrolment.objects.get().pk, "arrived": "07:00"},
    )
    assert "签到时间2026-12-07 07:00不在本课次时间" in client.get(response.url).content.decode()
    client.post(
        f"{url}attendance/", {"session": session.pk, "enrolment": Enrolment.objects.get().pk}
    )
    assert Attendance.objects.count() == 1
    client.post(f"{url}transitions/close/")
    page = client.get(url).content.decode()
    assert "已结班" in page and "结业" in page
    assert f"{url}edit/" not in page
    response = client.post(f"{url}edit/", {"name": "改名", "programme": cls.programme_id})
    assert "已结班，不能再修改" in client.get(response.url).content.decode()
    assert TrainingClass.objects.get(pk=cls.pk).name == "2026年第1期"


def test_x_certificates_are_issued_by_evaluation_organisations_and_listed_per_school(
    regions, client
):
    school = make_org("湖州交通技师学院", kind="vocational_school")
    other_school = make_org("德清职业中专", kind="vocational_school")
    staff = make_user("school_staff", Role.TRAINING_STAFF, organization=school)
    student = make_person("钱学生", registered_by=school)
    evaluator = make_org("某培训评价组织", kind="evaluation_organization")
    client.force_login(staff)
    form = {
        "document_number": student.document_number,
        "name": "钱学生",
        "school": school.pk,
        "issuer": school.pk,
        "title": "工业机器人操作与运维",
        "level": "junior",
        "number": "X2025000001",
        "issued_on": "2025-06-01",
    }
    response = client.post("/skills/x-certificates/add/", form)
    assert response.status_code == 200  # refused: the school is not an evaluation organisation
    assert response.context["form"].errors["issuer"]
    with pytest.raises(ValidationError) as exc:
        XCertificate(
            person=student,
            school=school,
            issuer=school,
            title="工业机器人操作与运维",
            level="junior",
            number="X2025000009",
            issued_on=datetime.date(2025, 6, 1),
        ).full_clean()
    assert exc.value.message_dict["issuer"] == ["1+X证书应由培训评价组织颁发"]
    form["issuer"] = evaluator.pk
    response = client.post("/skills/x-certificates/add/", form)
    assert response.status_code == 302, response.content.decode()
    XCertificate.objects.create(
        person=make_person("孙他校"),
        school=other_school,
        issuer=evaluator,
        title="智能制造",
        level="senior",
        number="X2025000002",
        issued_on=datetime.date(2025, 6, 1),
    )
    listed = client.get(f"/api/skills/x-certificates/?school={school.pk}").json()
    assert [x["person_name"] for x in listed["results"]] == ["钱学生"]
    admin = make_user("admin", Role.PLATFORM_ADMIN)
    client.force_login(admin)
    page = client.get(f"/skills/x-certificates/?school={other_school.pk}").content.decode()
    assert "孙他校" in page and "钱学生" not in page


def test_the_schema_lists_the_new_endpoints(client, regions):
    client.force_login(make_user("admin", Role.PLATFORM_ADMIN))
    schema = client.get("/api/schema/").content.decode()
    for path in (
        "/api/skills/training-classes/{id}/enrol/",
        "/api/skills/training-classes/{id}/attendance/",
        "/api/skills/credits/",
        "/api/skills/x-certificates/",
        "/api/skills/education-fund-reports/{id}/ledger/",
        "/api/skills/archive/{person}/",
    ):
        assert path in schema, path
