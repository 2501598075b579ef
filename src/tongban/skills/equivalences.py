"""双向比照认定: what each certificate makes its holder eligible for, and from when."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from tongban.skills.models import (
    Appointment,
    Certificate,
    CertificateStatus,
    EducationEquivalence,
    SchoolClass,
    SchoolRecord,
    TitleEquivalence,
)
from tongban.skills.models.occupation import level

DEFAULT_TITLES = [
    ("level3", 2, "助理级职称（如助理工程师）"),
    ("level2", 3, "中级职称（如工程师）"),
    ("level1", 4, "副高级职称（如高级工程师）"),
    ("special", 0, "正高级职称待遇"),
]
DEFAULT_EDUCATION = [
    (SchoolClass.TECHNICAL_SCHOOL, "中专"),
    (SchoolClass.SENIOR_TECHNICAL_SCHOOL, "大专"),
    (SchoolClass.TECHNICIAN_COLLEGE, "大专"),
    (SchoolClass.PREPARATORY_TECHNICIAN, "本科"),
]


def ensure_equivalences() -> None:
    """The national defaults, created once; operators edit them afterwards."""
    for key, years, title in DEFAULT_TITLES:
        TitleEquivalence.objects.get_or_create(
            level=level(key), defaults={"years": years, "title_level": title}
        )
    for school_class, education in DEFAULT_EDUCATION:
        EducationEquivalence.objects.get_or_create(
            school_class=school_class, defaults={"education": education}
        )


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass
class Entitlement:
    source: str
    becomes: str
    from_date: datetime.date | None
    status: str = ""


@dataclass
class PersonSkills:
    certificates: list[Certificate] = field(default_factory=list)
    appointments: list[Appointment] = field(default_factory=list)
    entitlements: list[Entitlement] = field(default_factory=list)


def entitlements(person: Any) -> list[Entitlement]:
    titles = {t.level_id: t for t in TitleEquivalence.objects.all()}
    out = []
    for cert in Certificate.objects.filter(
        person=person, status=CertificateStatus.VALID
    ).select_related("level", "occupation"):
        title = titles.get(cert.level_id)
        if title:
            out.append(
                Entitlement(
                    f"{cert.occupation.name} {cert.level}（{cert.number}）",
                    f"可申报{title.title_level}" if title.years else title.title_level,
                    add_years(cert.issued_on, title.years),
                )
            )
    for appointment in Appointment.objects.filter(
        person=person, status="registered"
    ).select_related("level"):
        title = titles.get(appointment.level_id)
        if title:
            out.append(
                Entitlement(str(appointment.level), title.title_level, appointment.appointed_on)
            )
    education = dict(EducationEquivalence.objects.values_list("school_class", "education"))
    for record in SchoolRecord.objects.filter(person=person):
        if record.school_class in education:
            out.append(
                Entitlement(
                    str(record.get_school_class_display()),
                    f"比照{education[record.school_class]}学历",
                    record.graduated_on,
                )
            )
    return out


def person_section(user: Any, person: Any) -> PersonSkills:
    """What the person page shows: certificates the user may see, and what they lead to."""
    visible = Certificate.objects.restrict(user, "view").filter(person=person)
    if (
        not visible.exists()
        and not Appointment.objects.restrict(user, "view").filter(person=person).exists()
    ):
        return PersonSkills()
    return PersonSkills(
        certificates=list(visible.select_related("occupation", "level", "issuer__organization")),
        appointments=list(
            Appointment.objects.restrict(user, "view")
            .filter(person=person)
            .select_related("level", "occupation")
        ),
        entitlements=entitlements(person),
    )
