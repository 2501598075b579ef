"""Credit bank: rules as data, credits traced to sources, recognition, framework level."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_org, make_person
from tests.skills import builders
from tests.skills import training_builders as tb
from tongban.skills import credits, services, training
from tongban.skills.models import (
    CreditEntry,
    CreditRule,
    CreditSource,
    EducationRecord,
    QualificationLevel,
    XCertificate,
)
from tongban.skills.models.occupation import level

pytestmark = pytest.mark.django_db


def test_training_hours_convert_to_credits_by_the_rule():
    rule = CreditRule(source=CreditSource.TRAINING, per_hours=Decimal("16"), credits=Decimal("1"))
    assert credits.training_credits(Decimal("40"), rule) == Decimal("2.50")
    assert credits.training_credits(Decimal("10"), rule) == Decimal("0.62")  # rounded down
    rule.per_hours = Decimal("8")
    assert credits.training_credits(Decimal("40"), rule) == Decimal("5.00")


def test_a_rule_must_name_what_it_values():
    with pytest.raises(ValidationError) as exc:
        CreditRule(source=CreditSource.CERTIFICATE, credits=Decimal("3")).full_clean()
    assert "证书规则须选择技能等级" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        CreditRule(source=CreditSource.TRAINING, credits=Decimal("1")).full_clean()
    assert "培训学时规则须填写“每多少学时”" in str(exc.value)


@pytest.fixture
def person_with_records(catalogue, regions):
    """One person with a certificate, a graduated education record, a 1+X certificate and
    a completed training class."""
    person = make_person("王技能")
    evaluator = builders.social_evaluator()
    certificate = builders.give_certificate(person, evaluator, "level4", datetime.date(2024, 6, 1))
    school = make_org("湖州交通技师学院", kind="vocational_school")
    EducationRecord.objects.create(
        person=person,
        school=school,
        education="secondary_vocational",
        major="数控技术应用",
        enrolled_on=datetime.date(2019, 9, 1),
        graduated_on=datetime.date(2022, 6, 30),
    )
    XCertificate.objects.create(
        person=person,
        school=school,
        issuer=make_org("某培训评价组织", kind="evaluation_organization"),
        title="数控车铣加工",
        level="intermediate",
        number="X2022000001",
        issued_on=datetime.date(2022, 5, 1),
    )
    org = tb.institution()
    teacher = tb.staff(org)
    cls = tb.training_class(tb.programme(org, teacher, hours="16"), teacher)
    enrolment = training.enrol(cls, person.document_number, user=teacher)[0]
    for start, end in ((8, 12), (13, 17)):
        training.record_attendance(tb.session(cls, teacher, start, end), enrolment, user=teacher)
    tb.session(cls, teacher, 18, 20)  # a session the person missed: 8 of 10 hours = 80 %
    cls.programme.hours = Decimal("10")
    cls.programme.save()
    training.close_class(cls, user=teacher, on=tb.DAY)
    return person, certificate, enrolment


def test_every_credit_is_traced_to_its_source_and_rule(person_with_records):
    person, certificate, enrolment = person_with_records
    entries = {e.source: e for e in credits.accrue(person)}
    assert set(entries) == {"training", "certificate", "education", "x_certificate"}
    assert entries["certificate"].source_id == certificate.pk
    assert entries["certificate"].credits == Decimal("8")  # 四级 by the example rules
    assert entries["certificate"].rule.skill_level == level("level4")
    assert entries["training"].source_id == enrolment.pk
    assert entries["training"].credits == Decimal("0.50")
    assert entries["education"].credits == Decimal("60")
    assert entries["x_certificate"].credits == Decimal("6")
    assert credits.standing(person).total == Decimal("74.50")


def test_accrual_is_idempotent_and_withdraws_a_revoked_certificates_credits(person_with_records):
    person, certificate, _enrolment = person_with_records
    credits.accrue(person)
    credits.accrue(person)
    assert CreditEntry.objects.filter(person=person).count() == 4
    services.revoke_certificate(certificate, user=builders.hr_officer("hr_revoke"), reason="舞弊")
    credits.accrue(person)
    assert not CreditEntry.objects.filter(source="certificate").exists()


def test_changing_a_rule_changes_what_new_sources_earn(person_with_records):
    person, _certificate, _enrolment = person_with_records
    earlier = CreditEntry.objects.get(person=person, source="education")
    CreditRule.objects.filter(source="education", education="secondary_vocational").update(
        credits=Decimal("80")
    )
    record = EducationRecord.objects.create(
        person=person,
        school=earlier.institution,
        education="secondary_vocational",
        major="模具制造技术",
        enrolled_on=datetime.date(2022, 9, 1),
        graduated_on=datetime.date(2025, 6, 30),
    )
    new = CreditEntry.objects.get(source="education", source_id=record.pk)
    assert (new.credits, CreditEntry.objects.get(pk=earlier.pk).credits) == (
        Decimal("80"),
        Decimal("60"),
    )


def test_records_earn_their_credits_when_saved_without_a_manual_accrual(person_with_records):
    person, certificate, _enrolment = person_with_records
    earned = dict(CreditEntry.objects.filter(person=person).values_list("source", "credits"))
    assert earned == {
        "training": Decimal("0.50"),
        "certificate": Decimal("8"),
        "education": Decimal("60"),
        "x_certificate": Decimal("6"),
    }
    services.revoke_certificate(certificate, user=builders.hr_officer("hr_auto"), reason="舞弊")
    assert not CreditEntry.objects.filter(source="certificate", source_id=certificate.pk).exists()


def test_recognition_of_credits_from_another_institution(regions):
    org = tb.institution()
    teacher = tb.staff(org)
    person = make_person("赵外校", registered_by=org)
    with pytest.raises(ValidationError) as exc:
        credits.recognise(
            person,
            user=teacher,
            credits=Decimal("3"),
            title="机械制图",
            other_institution="",
            evidence="",
            earned_on=datetime.date(2025, 1, 10),
        )
    assert "外机构学分认定须填写原发放机构" in str(exc.value)
    assert "须填写认定依据" in str(exc.value)
    entry = credits.recognise(
        person,
        user=teacher,
        credits=Decimal("3"),
        title="机械制图",
        other_institution="浙江开放大学",
        evidence="成绩单 ZJOU-2025-001",
        earned_on=datetime.date(2025, 1, 10),
    )
    assert (entry.source, entry.institution, entry.other_institution) == (
        "recognised",
        org,
        "浙江开放大学",
    )
    assert credits.standing(person).total == Decimal("3")


def test_the_framework_level_follows_credits_and_skill_level_and_is_configurable(
    person_with_records,
):
    person, _certificate, _enrolment = person_with_records
    credits.accrue(person)
    # 74.5 credits and 四级: level 3 needs 60 and 五级; level 4 needs 90
    standing = credits.standing(person)
    assert standing.level.name == "资历框架三级"
    assert standing.next_level.name == "资历框架四级"
    QualificationLevel.objects.filter(rank=4).update(min_credits=Decimal("70"))
    assert credits.standing(person).level.name == "资历框架四级"
    # 五级 needs 三级 (高级工) as well as credits: 四级 holders stop below it
    QualificationLevel.objects.filter(rank=5).update(min_credits=Decimal("10"))
    assert credits.standing(person).level.name == "资历框架四级"


def test_the_rules_page_shows_the_credit_rules_and_framework_levels(client, regions):
    from tests.factories import make_user
    from tongban.core.permissions import Role

    client.force_login(make_user("hr_rules", Role.HR_OFFICER, region="330500000000"))
    page = client.get("/skills/credit-rules/").content.decode()
    assert "资历框架三级" in page and "四级/中级工" in page
