"""The lifelong e-archive of a person （七）: one timeline of training, certificates,
school records and apprenticeships, 1+X, employment, credits, and whatever other parts
register (competitions, awards).

A part contributes entries by registering a source once (in its ``AppConfig.ready``)::

    register_archive_source(my_source)   # my_source(person) -> Iterable[ArchiveEntry]

``archive_for(person)`` gathers every source's entries into one sorted timeline.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongban.core.models import Employment, Person
from tongban.skills.models import (
    Apprenticeship,
    Certificate,
    CertificateStatus,
    CreditEntry,
    EducationRecord,
    Enrolment,
    SchoolRecord,
    XCertificate,
)


@dataclass(frozen=True)
class ArchiveEntry:
    on: datetime.date
    kind: str
    title: str
    detail: str = ""
    url: str | None = None
    source: str = ""


ArchiveSource = Callable[[Person], Iterable[ArchiveEntry]]
_SOURCES: list[ArchiveSource] = []

# Display names of the kinds this part writes; other parts' kinds show as given.
KIND_LABELS = {
    "training": gettext_lazy("职业培训"),
    "certificate": gettext_lazy("职业技能等级证书"),
    "x_certificate": gettext_lazy("1+X证书"),
    "education": gettext_lazy("学历教育"),
    "school": gettext_lazy("技工院校学习"),
    "apprenticeship": gettext_lazy("学徒培养"),
    "employment": gettext_lazy("从业经历"),
    "credit": gettext_lazy("学分"),
    "competition": gettext_lazy("职业技能竞赛"),
    "award": gettext_lazy("表彰奖励"),
}


def register_archive_source(fn: ArchiveSource) -> None:
    """Add a source of archive entries (idempotent: registering twice adds it once)."""
    if fn not in _SOURCES:
        _SOURCES.append(fn)


def archive_sources() -> list[ArchiveSource]:
    return list(_SOURCES)


def archive_for(person: Person) -> list[ArchiveEntry]:
    """The person's whole timeline, oldest first (ties: by kind, then title)."""
    entries: list[ArchiveEntry] = []
    for source in _SOURCES:
        entries.extend(source(person))
    return sorted(entries, key=lambda e: (e.on, e.kind, e.title))


def may_read_archives(user: Any) -> bool:
    """Roles that work with training records (HR, training staff, enterprise HR, the
    worker); others who may see a person (e.g. grid workers) do not see archives."""
    from tongban.core.permissions import has_any

    return has_any(user, "skills.enrolment", "view")


def kind_label(kind: str) -> str:
    label = KIND_LABELS.get(kind)
    return str(label) if label else kind


# --- this part's sources ---------------------------------------------------------------------


def training_entries(person: Person) -> Iterable[ArchiveEntry]:
    for e in Enrolment.objects.filter(person=person).select_related(
        "training_class__programme__provider"
    ):
        c = e.training_class
        p = c.programme
        yield ArchiveEntry(
            on=c.starts_on,
            kind="training",
            title=f"{p.name}（{c.name}）",
            detail=_(
                "%(provider)s；%(kind)s，%(delivery)s；%(start)s至%(end)s；计划%(planned)s学时，"
                "核定%(hours)s学时；%(result)s"
            )
            % {
                "provider": p.provider.name,
                "kind": p.get_kind_display(),
                "delivery": p.get_delivery_display(),
                "start": c.starts_on.isoformat(),
                "end": c.ends_on.isoformat(),
                "planned": p.hours,
                "hours": e.hours_completed,
                "result": e.get_result_display(),
            },
            source=f"skills.enrolment:{e.pk}",
        )


def certificate_entries(person: Person) -> Iterable[ArchiveEntry]:
    for c in Certificate.objects.filter(person=person).select_related(
        "occupation", "level", "issuer__organization"
    ):
        detail = _("证书编号%(number)s；%(issuer)s；%(route)s") % {
            "number": c.number,
            "issuer": c.issuer.organization.name,
            "route": c.get_route_display(),
        }
        if c.status == CertificateStatus.REVOKED:
            detail += _("；已撤销：%(reason)s") % {"reason": c.revoked_reason}
        yield ArchiveEntry(
            on=c.issued_on,
            kind="certificate",
            title=f"{c.occupation.name} {c.level}",
            detail=detail,
            url=reverse("skills:certificate_detail", args=[c.pk]),
            source=f"skills.certificate:{c.pk}",
        )


def x_certificate_entries(person: Person) -> Iterable[ArchiveEntry]:
    for x in XCertificate.objects.filter(person=person).select_related("issuer", "school"):
        yield ArchiveEntry(
            on=x.issued_on,
            kind="x_certificate",
            title=str(x),
            detail=_("证书编号%(number)s；培训评价组织：%(issuer)s%(school)s")
            % {
                "number": x.number,
                "issuer": x.issuer.name,
                "school": f"；{_('就读学校')}：{x.school.name}" if x.school else "",
            },
            source=f"skills.xcertificate:{x.pk}",
        )


def education_entries(person: Person) -> Iterable[ArchiveEntry]:
    for r in EducationRecord.objects.filter(person=person).select_related("school"):
        yield ArchiveEntry(
            on=r.enrolled_on,
            kind="education",
            title=f"{r.school.name} {r.major}（{r.get_education_display()}）",
            detail=_("毕业日期：%(date)s") % {"date": r.graduated_on.isoformat()}
            if r.graduated_on
            else _("在读"),
            source=f"skills.educationrecord:{r.pk}",
        )
    for s in SchoolRecord.objects.filter(person=person).select_related("school", "occupation"):
        yield ArchiveEntry(
            on=s.graduated_on,
            kind="school",
            title=f"{s.school.name} {s.get_school_class_display()}",
            detail=s.occupation.name if s.occupation else "",
            url=reverse("skills:schoolrecord_detail", args=[s.pk]),
            source=f"skills.schoolrecord:{s.pk}",
        )
    for a in Apprenticeship.objects.filter(person=person).select_related("employer", "occupation"):
        yield ArchiveEntry(
            on=a.started_on,
            kind="apprenticeship",
            title=f"{a.employer.name} {a.occupation.name}",
            detail=_("期满日期：%(date)s") % {"date": a.completed_on.isoformat()}
            if a.completed_on
            else _("在培"),
            url=reverse("skills:apprenticeship_detail", args=[a.pk]),
            source=f"skills.apprenticeship:{a.pk}",
        )


def employment_entries(person: Person) -> Iterable[ArchiveEntry]:
    for e in Employment.objects.filter(person=person).select_related("organization"):
        yield ArchiveEntry(
            on=e.start_date,
            kind="employment",
            title=f"{e.organization.name} {e.post}".strip(),
            detail=(_("至%(date)s") % {"date": e.end_date.isoformat()} if e.end_date else _("在职"))
            + (f"；{_('一线岗位')}" if e.frontline else ""),
            source=f"core.employment:{e.pk}",
        )


def credit_entries(person: Person) -> Iterable[ArchiveEntry]:
    for c in CreditEntry.objects.filter(person=person).select_related("institution"):
        where = c.other_institution or (c.institution.name if c.institution else "")
        yield ArchiveEntry(
            on=c.earned_on,
            kind="credit",
            title=_("%(title)s：%(credits)s学分") % {"title": c.title, "credits": c.credits},
            detail=f"{c.get_source_display()}；{where}" + (f"；{c.evidence}" if c.evidence else ""),
            source=f"skills.creditentry:{c.pk}",
        )


def competition_entries(person: Person) -> list[ArchiveEntry]:
    """Competition results, honours and competition promotions (``skills.awards``)."""
    from tongban.skills import awards

    return [
        ArchiveEntry(
            on=row["on"],
            kind=row["kind"],
            title=row["title"],
            detail=row.get("detail", ""),
            url=row.get("url"),
            source="competitions",
        )
        for row in awards.archive_entries(person)
    ]


def register_own_sources() -> None:
    for source in (
        competition_entries,
        training_entries,
        certificate_entries,
        x_certificate_entries,
        education_entries,
        employment_entries,
        credit_entries,
    ):
        register_archive_source(source)
