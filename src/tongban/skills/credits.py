"""Credit bank rules and services.

Credits are deposits (``CreditEntry`` rows), each traced to its source and the rule
that valued it: completed training (hours → credits), certificates by level, completed
education (学历), 1+X certificates, and credits recognised from another institution.
``accrue`` deposits what a person's records earn and is idempotent; a revoked
certificate's credits are withdrawn. The person's level in the qualifications
framework follows from their credits and skill level, both judged against data.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.core.models import Person
from tongban.core.permissions import assignments
from tongban.core.services import get_scoped, save_record
from tongban.skills.models import (
    Certificate,
    CertificateStatus,
    CreditEntry,
    CreditRule,
    CreditSource,
    EducationRecord,
    Enrolment,
    EnrolmentResult,
    QualificationLevel,
    SkillLevel,
    XCertificate,
)

CENT = Decimal("0.01")

# Example values loaded when the tables are empty; the operator edits them (admin).
DEFAULT_RULES: list[dict[str, Any]] = [
    {"source": CreditSource.TRAINING, "per_hours": Decimal("16"), "credits": Decimal("1")},
    *(
        {"source": CreditSource.CERTIFICATE, "level": key, "credits": Decimal(c)}
        for key, c in (
            ("level5", 4),
            ("level4", 8),
            ("level3", 12),
            ("level2", 16),
            ("level1", 20),
        )
    ),
    *(
        {"source": CreditSource.EDUCATION, "education": key, "credits": Decimal(c)}
        for key, c in (
            ("secondary_vocational", 60),
            ("junior_college", 120),
            ("bachelor", 160),
        )
    ),
    *(
        {"source": CreditSource.X_CERTIFICATE, "x_level": key, "credits": Decimal(c)}
        for key, c in (("junior", 4), ("intermediate", 6), ("senior", 8))
    ),
]
DEFAULT_FRAMEWORK: list[tuple[int, str, int, str | None]] = [
    (1, "资历框架一级", 10, None),
    (2, "资历框架二级", 30, None),
    (3, "资历框架三级", 60, "level5"),
    (4, "资历框架四级", 90, "level4"),
    (5, "资历框架五级", 120, "level3"),
    (6, "资历框架六级", 160, "level2"),
    (7, "资历框架七级", 200, "level1"),
]


def ensure_credit_rules() -> None:
    """Load the example rules and framework levels if the tables are empty."""
    from tongban.skills.models.occupation import level

    if not CreditRule.objects.exists():
        for spec in DEFAULT_RULES:
            values = dict(spec)
            key = values.pop("level", None)
            CreditRule.objects.create(skill_level=level(key) if key else None, **values)
    if not QualificationLevel.objects.exists():
        for rank, name, credits, key in DEFAULT_FRAMEWORK:
            QualificationLevel.objects.create(
                rank=rank,
                name=name,
                min_credits=Decimal(credits),
                min_skill_level=level(key) if key else None,
            )


# --- valuing one source ------------------------------------------------------------------------


def training_credits(hours: Decimal, rule: CreditRule) -> Decimal:
    """``credits`` for every ``per_hours`` hours, pro rata, rounded down to 0.01."""
    assert rule.per_hours  # noqa: S101  (the rule's clean() requires it)
    return (hours / rule.per_hours * rule.credits).quantize(CENT, rounding=ROUND_DOWN)


def _rule(source: str, **key: Any) -> CreditRule | None:
    return CreditRule.objects.filter(source=source, active=True, **key).order_by("pk").first()


def _deposit(
    person: Person,
    source: str,
    source_id: int,
    *,
    rule: CreditRule,
    credits: Decimal,
    title: str,
    earned_on: datetime.date,
    institution_id: int | None,
) -> CreditEntry | None:
    if credits <= 0:
        return None
    entry, _created = CreditEntry.objects.get_or_create(
        source=source,
        source_id=source_id,
        defaults={
            "person": person,
            "rule": rule,
            "credits": credits,
            "title": title[:200],
            "earned_on": earned_on,
            "institution_id": institution_id,
        },
    )
    return entry


def credit_training(enrolment: Enrolment) -> CreditEntry | None:
    rule = _rule(CreditSource.TRAINING)
    if rule is None or enrolment.result != EnrolmentResult.COMPLETED:
        return None
    training_class = enrolment.training_class
    return _deposit(
        enrolment.person,
        CreditSource.TRAINING,
        enrolment.pk,
        rule=rule,
        credits=training_credits(enrolment.hours_completed, rule),
        title=_("%(programme)s（%(hours)s学时）")
        % {"programme": training_class.programme.name, "hours": enrolment.hours_completed},
        earned_on=training_class.closed_on or training_class.ends_on,
        institution_id=training_class.programme.provider_id,
    )


def _settle(
    source: str,
    records: list[Any],
    earns: Callable[[Any], bool],
    credit: Callable[[Any], CreditEntry | None],
) -> None:
    """Deposit once what each record that ``earns`` is worth and withdraw the credits of
    the others: what saving these records through their forms does, for bulk writes that
    send no signals. Idempotent (a source counts once)."""
    CreditEntry.objects.filter(
        source=source, source_id__in=[r.pk for r in records if not earns(r)]
    ).delete()
    for record in records:
        if earns(record):
            credit(record)


def settle_training(enrolment_ids: list[int]) -> None:
    """The training credits of these enrolments as closing their class gives them (an
    import of training records): for a completed enrolment, none for one whose result is
    no longer 结业."""
    enrolments = Enrolment.objects.filter(pk__in=enrolment_ids).select_related(
        "person", "training_class__programme"
    )
    _settle(
        CreditSource.TRAINING,
        list(enrolments),
        lambda e: e.result == EnrolmentResult.COMPLETED,
        credit_training,
    )


def credit_certificate(certificate: Certificate) -> CreditEntry | None:
    rule = _rule(CreditSource.CERTIFICATE, skill_level=certificate.level_id)
    if rule is None or certificate.status != CertificateStatus.VALID:
        return None
    return _deposit(
        certificate.person,
        CreditSource.CERTIFICATE,
        certificate.pk,
        rule=rule,
        credits=rule.credits,
        title=f"{certificate.occupation.name} {certificate.level}（{certificate.number}）",
        earned_on=certificate.issued_on,
        institution_id=certificate.issuer.organization_id,
    )


def settle_certificates(certificate_ids: list[int]) -> None:
    """The credits of these certificates as saving them gives (an import of historical
    certificates): for a valid certificate, none for one that is not."""
    certificates = Certificate.objects.filter(pk__in=certificate_ids).select_related(
        "person", "occupation", "level", "issuer"
    )
    _settle(
        CreditSource.CERTIFICATE,
        list(certificates),
        lambda c: c.status == CertificateStatus.VALID,
        credit_certificate,
    )


def credit_education(record: EducationRecord) -> CreditEntry | None:
    rule = _rule(CreditSource.EDUCATION, education=record.education)
    if rule is None or record.graduated_on is None:
        return None
    return _deposit(
        record.person,
        CreditSource.EDUCATION,
        record.pk,
        rule=rule,
        credits=rule.credits,
        title=f"{record.school} {record.major}（{record.get_education_display()}）",
        earned_on=record.graduated_on,
        institution_id=record.school_id,
    )


def credit_x_certificate(certificate: XCertificate) -> CreditEntry | None:
    rule = _rule(CreditSource.X_CERTIFICATE, x_level=certificate.level)
    if rule is None:
        return None
    return _deposit(
        certificate.person,
        CreditSource.X_CERTIFICATE,
        certificate.pk,
        rule=rule,
        credits=rule.credits,
        title=f"{certificate}（{certificate.number}）",
        earned_on=certificate.issued_on,
        institution_id=certificate.issuer_id,
    )


@transaction.atomic
def accrue(person: Person) -> list[CreditEntry]:
    """Deposit the credits the person's records earn (idempotent); withdraw those of
    revoked certificates. Returns the person's entries."""
    revoked = Certificate.objects.filter(person=person, status=CertificateStatus.REVOKED)
    CreditEntry.objects.filter(
        person=person, source=CreditSource.CERTIFICATE, source_id__in=revoked.values("pk")
    ).delete()
    for enrolment in Enrolment.objects.filter(
        person=person, result=EnrolmentResult.COMPLETED
    ).select_related("training_class__programme"):
        credit_training(enrolment)
    for certificate in Certificate.objects.filter(
        person=person, status=CertificateStatus.VALID
    ).select_related("occupation", "level", "issuer"):
        credit_certificate(certificate)
    for record in EducationRecord.objects.filter(person=person, graduated_on__isnull=False):
        credit_education(record)
    for x in XCertificate.objects.filter(person=person):
        credit_x_certificate(x)
    return list(CreditEntry.objects.filter(person=person))


def recognise(
    person: Person,
    *,
    user: Any,
    credits: Decimal,
    title: str,
    other_institution: str,
    evidence: str,
    earned_on: datetime.date,
) -> CreditEntry:
    """Recognise credits a person earned at another institution (学分认定), recorded by
    the acting user's organisation."""
    person = get_scoped(Person.objects.all(), user, "view", pk=person.pk)
    institution_id = next((a.organization_id for a in assignments(user) if a.organization_id), None)
    if earned_on > timezone.localdate():
        raise ValidationError({"earned_on": _("取得日期不能晚于今天")}, code="future")
    entry = CreditEntry(
        person=person,
        source=CreditSource.RECOGNISED,
        title=title,
        credits=credits,
        earned_on=earned_on,
        institution_id=institution_id,
        other_institution=other_institution,
        evidence=evidence,
    )
    return save_record(entry, user=user, action="add")


# --- the person's standing ---------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    total: Decimal
    skill_level: SkillLevel | None
    level: QualificationLevel | None
    next_level: QualificationLevel | None


def top_skill_level(person: Person) -> SkillLevel | None:
    certificate = (
        Certificate.objects.filter(person=person, status=CertificateStatus.VALID)
        .select_related("level")
        .order_by("-level__rank")
        .first()
    )
    return certificate.level if certificate else None


def framework_level(total: Decimal, skill: SkillLevel | None) -> QualificationLevel | None:
    """The highest framework level whose credits and skill level the person meets."""
    reached = None
    for level in QualificationLevel.objects.select_related("min_skill_level").order_by("rank"):
        if total < level.min_credits:
            continue
        if level.min_skill_level is not None and (
            skill is None or skill.rank < level.min_skill_level.rank
        ):
            continue
        reached = level
    return reached


def standing(person: Person) -> Standing:
    total = CreditEntry.objects.filter(person=person).aggregate(n=Sum("credits"))["n"] or Decimal(
        "0"
    )
    skill = top_skill_level(person)
    level = framework_level(total, skill)
    higher = QualificationLevel.objects.filter(rank__gt=level.rank if level else 0).order_by("rank")
    return Standing(total, skill, level, higher.first())


def connect_accrual() -> None:
    """Deposit credits as the records that earn them are saved, in the same transaction:
    a valid certificate, an education record with a graduation date, an X certificate; a
    revoked certificate's credits are withdrawn. (Training credits come from closing the
    class, or ``settle_training`` for imported training records; imported certificates by
    ``settle_certificates``; other bulk writes, which send no signals, by ``accrue``.)"""
    from django.db.models.signals import post_save

    def certificate_saved(sender: Any, instance: Certificate, **kwargs: Any) -> None:
        if instance.status == CertificateStatus.VALID:
            credit_certificate(instance)
        else:
            CreditEntry.objects.filter(
                source=CreditSource.CERTIFICATE, source_id=instance.pk
            ).delete()

    def education_saved(sender: Any, instance: EducationRecord, **kwargs: Any) -> None:
        credit_education(instance)

    def x_certificate_saved(sender: Any, instance: XCertificate, **kwargs: Any) -> None:
        credit_x_certificate(instance)

    for model, receiver in (
        (Certificate, certificate_saved),
        (EducationRecord, education_saved),
        (XCertificate, x_certificate_saved),
    ):
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"credits-{model}")
