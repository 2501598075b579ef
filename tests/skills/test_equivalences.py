"""Equivalences （十一） as data, shown on the person page with the date they apply from."""

from __future__ import annotations

import datetime

import pytest

from tests.factories import make_org, make_person, make_user
from tests.skills import builders
from tongban.core.permissions import Role
from tongban.skills.equivalences import entitlements
from tongban.skills.models import EducationEquivalence, SchoolRecord, TitleEquivalence

pytestmark = pytest.mark.django_db


def test_equivalences_are_data_with_the_national_defaults(catalogue):
    assert TitleEquivalence.objects.get(level__key="level2").years == 3
    assert TitleEquivalence.objects.get(level__key="special").title_level == "正高级职称待遇"
    assert (
        EducationEquivalence.objects.get(school_class="preparatory_technician").education == "本科"
    )


def test_a_certificate_plus_years_leads_to_a_title_level_from_a_date(catalogue):
    person = make_person("郭技师")
    builders.give_certificate(
        person, builders.social_evaluator(), "level2", datetime.date(2024, 5, 6)
    )
    (entitlement,) = entitlements(person)
    assert entitlement.becomes == "可申报中级职称（如工程师）"
    assert entitlement.from_date == datetime.date(2027, 5, 6)


def test_an_edited_equivalence_changes_the_answer(catalogue):
    person = make_person("郭技师")
    builders.give_certificate(
        person, builders.social_evaluator(), "level2", datetime.date(2024, 5, 6)
    )
    TitleEquivalence.objects.filter(level__key="level2").update(years=2)
    assert entitlements(person)[0].from_date == datetime.date(2026, 5, 6)


def test_a_technician_college_class_counts_as_an_education_level(catalogue):
    person = make_person("学员")
    SchoolRecord.objects.create(
        person=person,
        school=make_org("湖州技师学院", kind="vocational_school"),
        school_class="preparatory_technician",
        graduated_on=datetime.date(2025, 7, 1),
    )
    assert [e.becomes for e in entitlements(person)] == ["比照本科学历"]


def test_the_person_page_shows_certificates_and_what_they_lead_to(client, catalogue):
    person = make_person("郭技师")
    cert = builders.give_certificate(
        person, builders.social_evaluator(), "level3", datetime.date(2025, 3, 1)
    )
    client.force_login(make_user("hr", Role.HR_OFFICER, region="330500000000"))
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert cert.number in page
    assert "可申报助理级职称（如助理工程师）" in page and "2027-03-01" in page
