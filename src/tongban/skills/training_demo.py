"""Demo data for training, the archive, credits, 1+X and the education fund, built
through the same services users go through. Idempotent: skipped once a programme exists."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from tongban.core.models import Organization, OrganizationKind, Person
from tongban.core.services import save_record
from tongban.skills import credits, training
from tongban.skills.models import (
    EducationFundReport,
    EducationRecord,
    Occupation,
    TrainingClass,
    TrainingProgramme,
    XCertificate,
)
from tongban.skills.models.occupation import level


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


@transaction.atomic
def load_training_demo() -> list[str]:
    teacher = User.objects.filter(username="training").first()
    admin = User.objects.filter(username="admin").first()
    institution = Organization.objects.filter(kind=OrganizationKind.TRAINING_INSTITUTION).first()
    if teacher is None or admin is None or institution is None:
        return []
    if TrainingProgramme.objects.exists():
        return [f"培训项目：{TrainingProgramme.objects.count()} 个"]
    worker = Person.objects.filter(user__username="worker").first()
    others = Person.objects.exclude(pk=worker.pk) if worker else Person.objects.all()
    people = list(others.order_by("pk")[:6])
    trainees = ([worker] if worker else []) + people[:4]
    turner = Occupation.objects.filter(code="6-18-01-01").first()
    programme = save_record(
        TrainingProgramme(
            provider=institution,
            name="数控车床操作技能提升培训",
            occupation=turner,
            level=level("level4") if turner else None,
            kind="upgrading",
            delivery="blended",
            hours=Decimal("8"),
        ),
        user=teacher,
    )
    day = datetime.date(2026, 11, 2)
    closed = save_record(
        TrainingClass(programme=programme, name="2026年第1期", starts_on=day, ends_on=day),
        user=teacher,
    )
    sessions = [
        training.add_session(
            closed, starts_at=_at(day, a), ends_at=_at(day, b), topic=topic, user=teacher
        )
        for a, b, topic in ((8, 12, "数控编程"), (13, 17, "实操训练"))
    ]
    numbers = "\n".join(p.document_number for p in trainees)
    enrolments = training.enrol(closed, numbers, user=teacher, on=day)
    for i, enrolment in enumerate(enrolments):
        for session in sessions[: 1 if i == len(enrolments) - 1 else 2]:
            training.record_attendance(session, enrolment, user=teacher)
    training.close_class(closed, user=teacher, on=day)
    later = datetime.date(2026, 12, 14)
    open_class = save_record(
        TrainingClass(
            programme=programme,
            name="2026年第2期",
            starts_on=later,
            ends_on=later + datetime.timedelta(days=2),
        ),
        user=teacher,
    )
    training.add_session(
        open_class, starts_at=_at(later, 8), ends_at=_at(later, 12), topic="数控编程", user=teacher
    )
    school = Organization.objects.filter(kind=OrganizationKind.VOCATIONAL_SCHOOL).first()
    evaluation = Organization.objects.filter(kind=OrganizationKind.EVALUATION_ORGANIZATION).first()
    if school and evaluation and len(people) > 5:
        student = people[5]
        EducationRecord.objects.create(
            person=student,
            school=school,
            education="junior_college",
            major="数控技术",
            enrolled_on=datetime.date(2023, 9, 1),
            graduated_on=datetime.date(2026, 6, 30),
        )
        XCertificate.objects.create(
            person=student,
            school=school,
            issuer=evaluation,
            title="数控车铣加工",
            level="intermediate",
            number="X2026330500001",
            issued_on=datetime.date(2026, 5, 20),
        )
        credits.accrue(student)
    for person in trainees:
        credits.accrue(person)
    reports = 0
    for org, frontline, integration in zip(
        Organization.objects.filter(kind=OrganizationKind.ENTERPRISE).order_by("pk")[:3],
        ("420000", "250000", "380000"),
        (True, False, False),
        strict=False,
    ):
        save_record(
            EducationFundReport(
                enterprise=org,
                year=2025,
                payroll=Decimal("12000000"),
                extracted=Decimal("960000"),
                used=Decimal("600000"),
                used_frontline=Decimal(frontline),
                integration_enterprise=integration,
                qualifying_investment=Decimal("2000000") if integration else Decimal("0"),
                surcharge_due=Decimal("360000"),
            ),
            user=admin,
        )
        reports += 1
    return [
        f"培训班：{TrainingClass.objects.count()} 个（学员 {len(enrolments)} 人）",
        f"职工教育经费报告：{reports} 份",
    ]
