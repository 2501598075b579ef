"""Audit: edits leave a change record, reveals an access record, plain reads neither."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from rest_framework.test import APIClient

from tests.factories import WUXING, make_person, make_user
from tongban.core.models import Person, PersonalDataAccess
from tongban.core.permissions import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_and_person(regions):
    return make_user("hr_a", Role.HR_OFFICER, region=WUXING), make_person("李四")


def test_edit_writes_a_change_record_with_actor_before_and_after(officer_and_person, client):
    officer, person = officer_and_person
    client.force_login(officer)
    form = {
        "name": "李思",
        "gender": person.gender,
        "birth_date": person.birth_date.isoformat(),
        "residence_region": person.residence_region_id,
        "education": "bachelor",
    }
    before = LogEntry.objects.get_for_object(person).count()
    response = client.post(f"/people/{person.pk}/edit/", form)
    assert response.status_code == 302
    entries = LogEntry.objects.get_for_object(person)
    assert entries.count() == before + 1
    entry = entries.first()
    assert entry.actor == officer
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.changes_dict["name"] == ["李四", "李思"]


def test_api_token_edit_records_the_token_user(officer_and_person):
    from rest_framework.authtoken.models import Token

    officer, person = officer_and_person
    token = Token.objects.create(user=officer)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.patch(f"/api/people/{person.pk}/", {"education": "master"}).status_code == 200
    assert LogEntry.objects.get_for_object(person).first().actor == officer


def test_change_record_masks_personal_data(officer_and_person):
    _officer, person = officer_and_person
    person.mobile = "13811112222"
    person.save()
    changes = str(LogEntry.objects.get_for_object(person).first().changes)
    assert "13811112222" not in changes


def test_reveal_writes_an_access_record(officer_and_person, client):
    officer, person = officer_and_person
    client.force_login(officer)
    response = client.post(f"/people/{person.pk}/reveal/", {"purpose": "核对身份"})
    assert person.document_number in response.content.decode()
    access = PersonalDataAccess.objects.get()
    assert (access.user, access.person, access.purpose, access.channel) == (
        officer,
        person,
        "核对身份",
        "web",
    )


def test_plain_list_and_detail_write_no_audit_rows(officer_and_person, client):
    officer, person = officer_and_person
    client.force_login(officer)
    logs, accesses = LogEntry.objects.count(), PersonalDataAccess.objects.count()
    page = (
        client.get("/people/").content.decode()
        + client.get(f"/people/{person.pk}/").content.decode()
    )
    assert person.document_number not in page  # masked
    assert LogEntry.objects.count() == logs
    assert PersonalDataAccess.objects.count() == accesses


def test_viewer_without_reveal_right_gets_404_and_no_access_row(officer_and_person):
    _officer, person = officer_and_person
    grid = make_user("grid", Role.GRID_WORKER, region=WUXING)
    api = APIClient()
    api.force_authenticate(grid)
    assert api.get(f"/api/people/{person.pk}/").json()["document_number"] != person.document_number
    assert api.post(f"/api/people/{person.pk}/reveal/").status_code == 404
    assert not PersonalDataAccess.objects.exists()
    assert Person.objects.restrict(grid, "reveal").count() == 0


def test_admin_pages_show_both_logs_and_link_a_worker_account(officer_and_person, client):
    from django.contrib.auth.models import User

    officer, person = officer_and_person
    admin_user = User.objects.create_superuser("root", password="root-pass-1")
    client.force_login(officer)
    client.post(f"/people/{person.pk}/reveal/")
    client.force_login(admin_user)
    assert "核对" not in client.get("/admin/core/personaldataaccess/").content.decode()
    access_page = client.get("/admin/core/personaldataaccess/").content.decode()
    assert "hr_a" in access_page
    assert client.get("/admin/auditlog/logentry/").status_code == 200

    worker = User.objects.create_user("w1", password="w1-pass-123")
    page = client.get(f"/admin/auth/user/{worker.pk}/change/")
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        {
            "username": "w1",
            "person_document_number": person.document_number,
            "date_joined_0": "2026-01-01",
            "date_joined_1": "08:00:00",
            "role_assignments-TOTAL_FORMS": "0",
            "role_assignments-INITIAL_FORMS": "0",
        }
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    data.pop("groups", None)
    data.pop("user_permissions", None)
    response = client.post(f"/admin/auth/user/{worker.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    person.refresh_from_db()
    assert person.user == worker
    assert list(Person.objects.restrict(worker).values_list("pk", flat=True)) == []  # no role yet
