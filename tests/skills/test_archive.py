"""The lifelong e-archive: one timeline of every kind of record, other parts' sources,
signed JSON and PDF exports checked offline, and who sees which archive."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import make_org, make_person, make_user
from tests.skills import builders
from tests.skills import training_builders as tb
from tongban.core.models import Employment
from tongban.core.permissions import Role
from tongban.skills import archive, archive_export, credits, signing, training
from tongban.skills.archive import ArchiveEntry, archive_for, register_archive_source
from tongban.skills.models import (
    Apprenticeship,
    EducationRecord,
    SchoolRecord,
    XCertificate,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def competition_source():
    """Another part's source (competitions, awards), registered the way that part will."""

    def competitions(person):
        yield ArchiveEntry(
            on=datetime.date(2025, 10, 20),
            kind="competition",
            title="湖州市职业技能大赛 车工 二等奖",
            source="competitions.result:1",
        )

    register_archive_source(competitions)
    register_archive_source(competitions)  # twice counts once
    yield competitions
    archive._SOURCES.remove(competitions)


@pytest.fixture
def full_archive(catalogue, regions, competition_source):
    person = make_person("周全档", social_security_card_number="B98765432")
    evaluator = builders.social_evaluator()
    certificate = builders.give_certificate(person, evaluator, "level4", datetime.date(2024, 6, 1))
    school = make_org("湖州交通技师学院", kind="vocational_school")
    employer = make_org("湖州精工机械制造有限公司")
    Employment.objects.create(
        person=person, organization=employer, post="数控车工", start_date=datetime.date(2018, 3, 1)
    )
    SchoolRecord.objects.create(
        person=person,
        school=school,
        school_class="technical_school",
        graduated_on=datetime.date(2017, 6, 30),
    )
    Apprenticeship.objects.create(
        person=person,
        employer=employer,
        occupation=builders.occupation(),
        started_on=datetime.date(2017, 7, 1),
        completed_on=datetime.date(2018, 2, 28),
    )
    EducationRecord.objects.create(
        person=person,
        school=school,
        education="junior_college",
        major="机械制造与自动化",
        enrolled_on=datetime.date(2019, 9, 1),
        graduated_on=datetime.date(2022, 6, 30),
    )
    XCertificate.objects.create(
        person=person,
        school=school,
        issuer=make_org("某培训评价组织", kind="evaluation_organization"),
        title="数控车铣加工",
        level="senior",
        number="X2022000002",
        issued_on=datetime.date(2022, 5, 1),
    )
    org = tb.institution()
    teacher = tb.staff(org)
    cls = tb.training_class(tb.programme(org, teacher, hours="4"), teacher)
    enrolment = training.enrol(cls, person.document_number, user=teacher)[0]
    training.record_attendance(tb.session(cls, teacher, 8, 12), enrolment, user=teacher)
    training.close_class(cls, user=teacher, on=tb.DAY)
    credits.accrue(person)
    return person, certificate


def test_the_archive_is_one_sorted_timeline_with_every_kind_of_record(full_archive):
    person, certificate = full_archive
    entries = archive_for(person)
    kinds = {e.kind for e in entries}
    assert kinds == {
        "training",
        "certificate",
        "x_certificate",
        "education",
        "school",
        "apprenticeship",
        "employment",
        "credit",
        "competition",
    }
    assert [e.on for e in entries] == sorted(e.on for e in entries)
    cert = next(e for e in entries if e.kind == "certificate")
    assert cert.url == f"/skills/certificates/{certificate.pk}/"
    assert certificate.number in cert.detail
    trained = next(e for e in entries if e.kind == "training")
    assert "核定4.00学时" in trained.detail and "结业" in trained.detail
    assert sum(1 for e in entries if e.kind == "competition") == 1
    assert entries[0].kind == "school"  # 2017-06-30, the oldest


def test_the_signed_json_verifies_and_a_changed_entry_is_tampered(full_archive, settings):
    person, _certificate = full_archive
    document = json.loads(archive_export.signed_json(person))
    assert document["content"]["person"]["document_number"] != person.document_number
    assert document["content"]["person"]["document_number"].endswith(person.document_number[-4:])
    assert archive_export.verify_document(document).status == "valid"
    document["content"]["entries"][0]["title"] = "伪造的记录"
    assert archive_export.verify_document(document).status == "tampered"
    assert archive_export.verify_document({"format": "x"}).status == "malformed"


def test_an_archive_signed_before_a_key_rotation_still_verifies(full_archive):
    person, _certificate = full_archive
    document = archive_export.signed_document(person)
    signing.rotate_key()
    assert archive_export.verify_document(document).status == "valid"
    assert archive_export.signed_document(person)["key_id"] != document["key_id"]
    assert archive_export.verify_document(document, keys={}).status == "unknown_key"


def test_verify_archive_command_says_valid_or_tampered(full_archive, tmp_path):
    person, _certificate = full_archive
    path = tmp_path / "archive.json"
    path.write_bytes(archive_export.signed_json(person))
    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps({"keys": signing.published_keys()}))
    out = io.StringIO()
    call_command("verify_archive", str(path), keys=str(keys), stdout=out)
    assert out.getvalue().startswith("valid: ")
    assert "周全档" in out.getvalue()
    document = json.loads(path.read_text())
    document["content"]["entries"].pop()
    path.write_text(json.dumps(document, ensure_ascii=False))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_archive", str(path), stdout=out)
    assert out.getvalue().startswith("tampered")


def test_the_pdf_carries_the_signed_archive_and_verifies(full_archive, tmp_path):
    person, _certificate = full_archive
    data = archive_export.render_pdf(person)
    assert data.startswith(b"%PDF") and b"STSong-Light" in data
    document = archive_export.document_from_bytes(data)
    assert archive_export.verify_document(document).status == "valid"
    path = tmp_path / "archive.pdf"
    path.write_bytes(data)
    out = io.StringIO()
    call_command("verify_archive", str(path), stdout=out)
    assert out.getvalue().startswith("valid")


def test_the_cli_alias_names_the_command():
    from tongban.cli import ALIASES

    assert ALIASES["verify-archive"] == "verify_archive"


def test_a_worker_sees_only_their_own_archive(full_archive, client):
    person, _certificate = full_archive
    worker = make_user("worker_zhou", Role.WORKER)
    person.user = worker
    person.save()
    other = make_person("别人")
    client.force_login(worker)
    page = client.get("/skills/archive/mine/").content.decode()
    assert "周全档" in page and "数控车铣加工" in page and "湖州市职业技能大赛" in page
    assert person.document_number not in page
    assert "数控车铣加工" in client.get("/skills/archive/").content.decode()
    assert client.get(f"/skills/archive/{other.pk}/").status_code == 404
    assert client.get(f"/skills/archive/{other.pk}/pdf/").status_code == 404
    response = client.get("/skills/archive/mine/pdf/")
    assert response["Content-Type"] == "application/pdf"
    api = client.get("/api/skills/archive/mine/").json()
    assert api["name"] == "周全档" and len(api["entries"]) >= 9
    assert client.get(f"/api/skills/archive/{other.pk}/").status_code == 404
    signed = client.get("/api/skills/archive/mine/?signed=1").json()
    assert archive_export.verify_document(signed).status == "valid"


def test_staff_find_an_archive_by_document_or_social_security_card_number(full_archive, client):
    person, _certificate = full_archive
    client.force_login(make_user("hr_city", Role.HR_OFFICER, region="330500000000"))
    response = client.get("/skills/archive/", {"number": person.document_number})
    assert response.status_code == 302 and response.url == f"/skills/archive/{person.pk}/"
    response = client.get("/skills/archive/", {"number": "B98765432"})
    assert response.url == f"/skills/archive/{person.pk}/"
    page = client.get(response.url).content.decode()
    assert person.document_number not in page and person.document_number[-4:] in page
    client.force_login(make_user("hr_far", Role.HR_OFFICER, region="330503000000"))
    page = client.get("/skills/archive/", {"number": person.document_number}).content.decode()
    assert "该人员不在您的管辖范围内" in page
    assert client.get(f"/skills/archive/{person.pk}/").status_code == 404


def test_roles_without_training_records_do_not_see_archives(full_archive, client):
    person, _certificate = full_archive
    client.force_login(make_user("grid", Role.GRID_WORKER, region="330500000000"))
    assert client.get(f"/skills/archive/{person.pk}/").status_code == 404
    assert client.get("/skills/archive/").status_code == 404
    response = client.get(f"/people/{person.pk}/")
    assert response.status_code == 200 and "查看档案" not in response.content.decode()


def test_staff_linked_to_a_person_still_get_the_search(full_archive, client):
    person, _certificate = full_archive
    officer = make_user("hr_self", Role.HR_OFFICER, region="330500000000")
    person.user = officer
    person.save()
    client.force_login(officer)
    assert 'id="archive-search"' in client.get("/skills/archive/").content.decode()
    assert "周全档" in client.get("/skills/archive/mine/").content.decode()
