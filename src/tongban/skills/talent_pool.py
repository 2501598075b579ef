"""The high-skilled talent pool （十九） and shortage-occupation lists （十）.

A person is in the pool with a valid certificate of 高级工 or above, or a registered
特级技师 / 首席技师 post. Every search starts from ``Person.objects.restrict`` so it
holds only people the officer may see; exports are audited (``record_export``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from tongban.core.models import Person, PersonalDataAccess
from tongban.skills.models import (
    Appointment,
    AppointmentStatus,
    Certificate,
    CertificateStatus,
    ShortageList,
    ShortageOccupation,
    TalentExport,
)


def today() -> datetime.date:
    return timezone.localdate()


def _valid_high_certificates() -> QuerySet:
    return Certificate.objects.filter(status=CertificateStatus.VALID, level__high_skill=True)


def pool(user: Any, action: str = "view") -> QuerySet:
    """The high-skilled people ``user`` may ``action``, annotated with their highest level
    (``top_rank``, ``top_level_name``, ``top_occupation_name``)."""
    certificates = _valid_high_certificates().filter(person=OuterRef("pk"))
    posts = Appointment.objects.filter(person=OuterRef("pk"), status=AppointmentStatus.REGISTERED)
    best_certificate = certificates.order_by("-level__rank", "-issued_on")
    return (
        Person.objects.restrict(user, action)
        .filter(Exists(certificates) | Exists(posts))
        .annotate(
            top_rank=Subquery(best_certificate.values("level__rank")[:1]),
            top_level_name=Subquery(best_certificate.values("level__name")[:1]),
            top_occupation_name=Subquery(best_certificate.values("occupation__name")[:1]),
            in_shortage=Exists(
                Certificate.objects.filter(
                    status=CertificateStatus.VALID, person=OuterRef("pk")
                ).filter(shortage_condition())
            ),
        )
        .select_related("residence_region")
    )


def born_between(min_age: int | None, max_age: int | None, on: datetime.date) -> Q:
    """People aged ``min_age`` to ``max_age`` (whole years) on ``on``."""
    q = Q()
    if min_age is not None:
        q &= Q(birth_date__lte=_years_before(on, min_age))
    if max_age is not None:
        q &= Q(birth_date__gt=_years_before(on, max_age + 1))
    return q


def _years_before(on: datetime.date, years: int) -> datetime.date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


def age(birth_date: datetime.date | None, on: datetime.date) -> int | None:
    if birth_date is None:
        return None
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def current_lists() -> list[ShortageList]:
    """Each region's latest shortage-occupation list."""
    latest: dict[str, ShortageList] = {}
    for item in ShortageList.objects.select_related("region").order_by("region_id", "-year"):
        latest.setdefault(item.region_id, item)
    return list(latest.values())


def shortage_condition() -> Q:
    """A condition on ``Certificate``: a valid certificate in an occupation on the current
    shortage list of a region containing the holder's residence, at its minimum level."""
    condition = Q(pk__in=[])
    lists = current_lists()
    for item in ShortageOccupation.objects.filter(shortage_list__in=lists).select_related(
        "shortage_list__region", "min_level"
    ):
        clause = Q(
            occupation_id=item.occupation_id,
            person__residence_region__code__startswith=item.shortage_list.region.prefix,
        )
        if item.min_level is not None:
            clause &= Q(level__rank__gte=item.min_level.rank)
        condition |= clause
    return condition


def shortage_people() -> QuerySet:
    """Ids of people flagged as holding a shortage occupation where they live."""
    return (
        Certificate.objects.filter(status=CertificateStatus.VALID)
        .filter(shortage_condition())
        .values("person_id")
    )


def shortage_flags(person: Person) -> dict[str, Any]:
    """The shortage lists (and occupations) ``person`` is flagged on, for the person page."""
    held = Certificate.objects.filter(person=person, status=CertificateStatus.VALID).select_related(
        "level"
    )
    flags = []
    lists = [
        item
        for item in current_lists()
        if person.residence_region_id.startswith(item.region.prefix)
    ]
    items = ShortageOccupation.objects.filter(shortage_list__in=lists).select_related(
        "shortage_list", "occupation", "min_level"
    )
    for item in items:
        for certificate in held:
            if certificate.occupation_id == item.occupation_id and (
                item.min_level is None or certificate.level.rank >= item.min_level.rank
            ):
                flags.append({"list": item.shortage_list, "occupation": item.occupation})
                break
    return {"flags": flags}


def record_export(user: Any, query: str, people: list[int], *, unmasked: bool) -> TalentExport:
    """The audit row of one export; an unmasked export also logs each person's data read."""
    export = TalentExport.objects.create(
        user=user, query=query[:1000], rows=len(people), unmasked=unmasked
    )
    if unmasked:
        PersonalDataAccess.objects.bulk_create(
            PersonalDataAccess(
                user=user,
                person_id=pk,
                fields="document_number,mobile",
                purpose="高技能人才库导出",
                channel=PersonalDataAccess.Channel.EXPORT,
            )
            for pk in people
        )
    return export


def publish_shortage_list(
    shortage_list: ShortageList, lines: list[str], *, user: Any
) -> ShortageList:
    """Save a region's list with its occupations, one a line: ``职业代码 [最低等级]``
    (e.g. ``6-18-01-01 技师``); an unknown code or level is refused with its line."""
    from django.core.exceptions import ValidationError
    from django.db import transaction
    from django.utils.translation import gettext as _

    from tongban.core.services import save_record
    from tongban.skills.models import Occupation, SkillLevel

    items = []
    errors = []
    for number, line in enumerate(lines, start=1):
        parts = line.split()
        if not parts:
            continue
        occupation = Occupation.objects.filter(code=parts[0], is_occupation=True).first()
        if occupation is None:
            errors.append(_("第%(n)s行：未知的职业代码%(code)s") % {"n": number, "code": parts[0]})
            continue
        min_level = None
        if len(parts) > 1:
            wanted = parts[1]
            min_level = (
                SkillLevel.objects.filter(name=wanted).first()
                or SkillLevel.objects.filter(grade_name=wanted).first()
            )
            if min_level is None:
                errors.append(
                    _("第%(n)s行：未知的技能等级%(level)s") % {"n": number, "level": wanted}
                )
                continue
        items.append((occupation, min_level))
    if not items and not errors:
        errors.append(_("请至少填写一个职业"))
    if errors:
        raise ValidationError({"occupations": errors}, code="bad_line")
    with transaction.atomic():
        shortage_list = save_record(shortage_list, user=user)
        shortage_list.items.all().delete()
        seen = set()
        for occupation, min_level in items:
            if occupation.pk in seen:
                continue
            seen.add(occupation.pk)
            ShortageOccupation.objects.create(
                shortage_list=shortage_list, occupation=occupation, min_level=min_level
            )
    return shortage_list
