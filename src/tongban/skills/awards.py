"""Awards （十五）（十六）: conferring them, the 破格晋升 grounds they (and 师带徒 results)
give, and a person's competition results, awards and promotions for the archive."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from tongban.core.models import Person, Region
from tongban.core.permissions import has_any
from tongban.core.services import save_record
from tongban.skills.models import (
    AwardConferral,
    AwardType,
    CompetitionEntrant,
    CompetitionStatus,
    MentoringResult,
    MentorshipPair,
)
from tongban.skills.models.award import EXCEPTIONAL_LEVELS


def _refuse_twice(award_type: AwardType, person: Person) -> None:
    if AwardConferral.objects.filter(award_type=award_type, person=person).exists():
        raise ValidationError(
            {
                "award_type": _("%(name)s已获得“%(award)s”，不能重复授予")
                % {"name": person.name, "award": award_type}
            },
            code="conferred_twice",
        )


def confer(
    person: Person,
    award_type: AwardType,
    *,
    conferred_on: datetime.date,
    region: Region,
    user: Any,
    document: str = "",
) -> AwardConferral:
    """Register an award conferred on ``person`` (in the officer's region); refused twice."""
    _refuse_twice(award_type, person)
    conferral = AwardConferral(
        award_type=award_type,
        person=person,
        conferred_on=conferred_on,
        region=region,
        document=document.strip(),
    )
    return save_record(conferral, user=user, action="add")


def record_conferral(conferral: AwardConferral) -> AwardConferral:
    """Save a conferral decided by another service (a published competition result)."""
    _refuse_twice(conferral.award_type, conferral.person)
    with transaction.atomic():
        conferral.full_clean()
        conferral.save()
    return conferral


def exceptional_grounds(person: Person) -> dict[str, list[str]]:
    """What the records already prove for 破格晋升: provincial-or-higher awards (``award``)
    and outstanding 师带徒 results as a mentor (``mentoring``)."""
    award_lines = [
        _("%(award)s（%(level)s，%(date)s）")
        % {
            "award": c.award_type.name,
            "level": c.award_type.get_level_display(),
            "date": c.conferred_on.isoformat(),
        }
        for c in AwardConferral.objects.filter(
            person=person, award_type__level__in=EXCEPTIONAL_LEVELS
        ).select_related("award_type")
    ]
    mentoring_lines = [
        _("带徒%(apprentice)s（%(start)s至%(end)s）成绩突出")
        % {
            "apprentice": p.apprentice.name,
            "start": p.started_on.isoformat(),
            "end": p.ended_on.isoformat() if p.ended_on else "",
        }
        for p in MentorshipPair.objects.filter(
            mentor=person, result=MentoringResult.OUTSTANDING
        ).select_related("apprentice")
    ]
    return {
        key: lines
        for key, lines in (("award", award_lines), ("mentoring", mentoring_lines))
        if lines
    }


def _results(person: Person) -> Any:
    return (
        CompetitionEntrant.objects.filter(
            person=person, competition__status=CompetitionStatus.PUBLISHED
        )
        .select_related("competition", "entry", "certificate__level", "certificate__occupation")
        .order_by("competition__published_on", "pk")
    )


def _archive(person: Person) -> list[tuple[dict[str, Any], str, int]]:
    """(entry, model label, pk) for each archive entry, oldest first."""
    rows: list[tuple[dict[str, Any], str, int]] = []
    for result in _results(person):
        competition, entry = result.competition, result.entry
        medal = entry.get_medal_display() if entry.medal else ""
        rows.append(
            (
                {
                    "on": competition.published_on or competition.ends_on,
                    "kind": "competition",
                    "title": competition.name,
                    "detail": _("第%(rank)s名%(medal)s")
                    % {"rank": entry.rank, "medal": f" {medal}" if medal else ""}
                    if entry.rank
                    else _("未获名次"),
                    "url": reverse("skills:competition_detail", args=[competition.pk]),
                },
                "skills.competitionentrant",
                result.pk,
            )
        )
        certificate = result.certificate
        if certificate is not None:
            rows.append(
                (
                    {
                        "on": certificate.issued_on,
                        "kind": "promotion",
                        "title": _("竞赛晋升%(level)s") % {"level": certificate.level},
                        "detail": f"{certificate.occupation.name} · {certificate.number}",
                        "url": reverse("skills:certificate_detail", args=[certificate.pk]),
                    },
                    "skills.competitionentrant",
                    result.pk,
                )
            )
    for conferral in AwardConferral.objects.filter(person=person).select_related(
        "award_type", "result__competition"
    ):
        detail = str(conferral.award_type.get_level_display())
        if conferral.result is not None:
            detail += " · " + conferral.result.competition.name
        elif conferral.document:
            detail += " · " + conferral.document
        rows.append(
            (
                {
                    "on": conferral.conferred_on,
                    "kind": "award",
                    "title": conferral.award_type.name,
                    "detail": detail,
                    "url": reverse("skills:awardconferral_detail", args=[conferral.pk]),
                },
                "skills.awardconferral",
                conferral.pk,
            )
        )
    order = ("competition", "promotion", "award")
    rows.sort(key=lambda r: (r[0]["on"], order.index(r[0]["kind"])))
    return rows


def archive_entries(person: Person) -> list[dict[str, Any]]:
    """The person's published competition results, awards and competition promotions, as
    ``{on, kind, title, detail, url}`` with kind ``competition`` | ``award`` | ``promotion``,
    oldest first. The caller shows them only to someone who may see the person."""
    return [row for row, _label, _pk in _archive(person)]


def person_section(user: Any, person: Person) -> dict[str, Any]:
    """The honours section of a person's page: what ``user`` may see of it."""
    visible = {
        "skills.competitionentrant": set(
            CompetitionEntrant.objects.restrict(user, "view")
            .filter(person=person)
            .values_list("pk", flat=True)
        ),
        "skills.awardconferral": set(
            AwardConferral.objects.restrict(user, "view")
            .filter(person=person)
            .values_list("pk", flat=True)
        ),
    }
    rows = [row for row, label, pk in _archive(person) if pk in visible[label]]
    may_see_grounds = has_any(user, "skills.awardconferral", "view") or has_any(
        user, "skills.mentorshippair", "view"
    )
    return {"rows": rows, "grounds": exceptional_grounds(person) if may_see_grounds else {}}
