"""Competitions （十四）: the promotion and honour table applied to results, and the
services that enter people, record results and publish them.

Publishing fires the competition's ``publish`` transition once; the promotions go
through the certification code's competition route (``services.competition_result``)
and the honours through ``awards.confer``; each certificate and conferral points at
the result (``CompetitionEntrant``) that earned it, so a second publish has nothing
left to do.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tongban.core import workflow
from tongban.core.models import Person
from tongban.core.services import get_scoped, save_record
from tongban.skills import awards, services
from tongban.skills.access import is_hr_over
from tongban.skills.models import (
    AwardConferral,
    Certificate,
    CertificateStatus,
    Competition,
    CompetitionEntrant,
    CompetitionEntry,
    CompetitionRule,
    CompetitionStatus,
    Medal,
)
from tongban.skills.models.competition import MEDAL_ORDER

PLACE_MEDALS = [Medal.GOLD, Medal.SILVER, Medal.BRONZE]


# --- the table, as plain rules -------------------------------------------------------------


def medal_for(rank: int, entries: int, rule: CompetitionRule) -> str:
    """Gold / silver / bronze for the first ``medal_places``; 优胜奖 for the others within
    ``excellence_fraction`` of the entries (the top half by default); else none ("")."""
    if rank <= min(rule.medal_places, len(PLACE_MEDALS)):
        return str(PLACE_MEDALS[rank - 1])
    if rank <= math.floor(entries * rule.excellence_fraction):
        return str(Medal.EXCELLENCE)
    return ""


def promotes(medal: str, rule: CompetitionRule) -> bool:
    """Whether ``medal`` is the table's ``promotion_from`` or better."""
    if not medal or not rule.promotion_from:
        return False
    return MEDAL_ORDER.index(Medal(medal)) <= MEDAL_ORDER.index(Medal(rule.promotion_from))


def honoured(rank: int, team_size: int, rule: CompetitionRule) -> bool:
    """Whether ``rank`` earns the table's honour (top 5 individuals, top 3 two-person teams,
    top 2 three-person teams by default for national contests)."""
    return rule.honour_id is not None and rank <= rule.honour_places(team_size)


def rule_for(competition: Competition) -> CompetitionRule:
    """The table of the competition's level set by the nearest region above the contest's
    responsible region (a province's own table), else the national default."""
    rules = CompetitionRule.objects.select_related("honour", "region").filter(
        level=competition.level
    )
    code = competition.region_id
    applicable = [r for r in rules if r.region is None or code.startswith(r.region.prefix)]
    applicable.sort(key=lambda r: len(r.region.prefix) if r.region else -1, reverse=True)
    rule = applicable[0] if applicable else None
    if rule is None:
        raise ValidationError(
            {
                "level": _("竞赛级别“%(level)s”尚未设置晋升与表彰规则")
                % {"level": competition.get_level_display()}
            },
            code="no_rule",
        )
    return rule


def rank_refusal(rank: int, entries: int, holder: Any) -> ValidationError | None:
    """Why ``rank`` cannot be recorded: beyond the number of entries, or already held by
    another entry (``holder``); ``None`` when it can."""
    if rank < 1 or rank > entries:
        return ValidationError(
            {
                "rank": _("名次%(rank)s超出参赛数（共%(count)s个参赛队（选手））")
                % {"rank": rank, "count": entries}
            },
            code="rank_beyond_entries",
        )
    if holder is not None:
        return ValidationError(
            {"rank": _("第%(rank)s名已录入为“%(entry)s”") % {"rank": rank, "entry": holder}},
            code="rank_taken",
        )
    return None


# --- services ------------------------------------------------------------------------------


def create_competition(competition: Competition, *, user: Any) -> Competition:
    return save_record(competition, user=user, action="add")


def _open(competition: Competition) -> None:
    if competition.status != CompetitionStatus.OPEN:
        raise ValidationError(
            {"competition": _("竞赛成绩已公布或竞赛已取消，不能再修改报名和成绩")},
            code="not_open",
        )


def enter(
    competition: Competition, people: list[Person], *, user: Any, name: str = ""
) -> CompetitionEntry:
    """Enter an individual or a team (as many people as the competition's format asks)."""
    competition = get_scoped(Competition.objects.all(), user, "change", pk=competition.pk)
    _open(competition)
    if len(people) != competition.team_size:
        raise ValidationError(
            {
                "person": _("本竞赛为%(format)s，每个参赛队应有%(n)s名选手")
                % {"format": competition.get_team_size_display(), "n": competition.team_size}
            },
            code="team_size",
        )
    if len({p.pk for p in people}) != len(people):
        raise ValidationError({"person": _("同一参赛队中选手不能重复")}, code="duplicate")
    already = CompetitionEntrant.objects.filter(competition=competition, person__in=people)
    if already.exists():
        raise ValidationError(
            {
                "person": _("%(name)s已报名本竞赛")
                % {"name": "、".join(e.person.name for e in already.select_related("person"))}
            },
            code="entered_twice",
        )
    with transaction.atomic():
        entry = save_record(
            CompetitionEntry(competition=competition, name=name.strip()), user=user, action="add"
        )
        for person in people:
            CompetitionEntrant(competition=competition, entry=entry, person=person).full_clean()
            CompetitionEntrant.objects.create(competition=competition, entry=entry, person=person)
    return entry


def record_result(
    competition: Competition, person: Person, rank: int, *, user: Any
) -> CompetitionEntry:
    """Record the rank of the entry ``person`` competed in; refused for someone not entered
    or a rank beyond the number of entries."""
    competition = get_scoped(Competition.objects.all(), user, "change", pk=competition.pk)
    _open(competition)
    entrant = (
        CompetitionEntrant.objects.filter(competition=competition, person=person)
        .select_related("entry")
        .first()
    )
    if entrant is None:
        raise ValidationError(
            {"person": _("%(name)s未报名参加本竞赛，不能录入成绩") % {"name": person.name}},
            code="not_entered",
        )
    taken = competition.entries.filter(rank=rank).exclude(pk=entrant.entry_id).first()
    refusal = rank_refusal(rank, competition.entries.count(), taken)
    if refusal is not None:
        raise refusal
    entry = entrant.entry
    entry.rank = rank
    return save_record(entry, user=user, action="change")


@dataclass(frozen=True)
class ImportedResult:
    """One row of a results file: the entry the person competed in, its rank (``None``
    clears it) and team name; ``line`` is the row of the file."""

    competition_id: int
    entry_id: int
    rank: int | None
    team_name: str = ""
    line: int = 0


def imported_result_refusals(results: list[ImportedResult]) -> list[ValidationError | None]:
    """The rules of ``record_result`` for the rows of a file, one answer per row: the
    contest must be open; a rank lies within the number of entries and is not held by an
    entry the file does not also change (so ranks may move between entries in one file);
    the members of one entry agree on its rank and name. Whether the person was entered
    is the reference to the entry, resolved before."""
    answers: list[ValidationError | None] = [None] * len(results)
    by_competition: dict[int, list[int]] = {}
    for index, result in enumerate(results):
        by_competition.setdefault(result.competition_id, []).append(index)
    for competition in Competition.objects.filter(pk__in=by_competition):
        indexes = by_competition[competition.pk]
        try:
            _open(competition)
        except ValidationError as exc:
            for index in indexes:
                answers[index] = exc
            continue
        entries = {e.pk: e for e in competition.entries.prefetch_related("entrants__person")}
        changed = {results[i].entry_id for i in indexes}
        holders: dict[int, int] = {
            e.rank: e.pk for e in entries.values() if e.rank is not None and e.pk not in changed
        }
        first: dict[int, ImportedResult] = {}
        refused: dict[int, ValidationError] = {}
        for index in indexes:
            result = results[index]
            seen = first.setdefault(result.entry_id, result)
            if seen is not result and (seen.rank, seen.team_name) != (
                result.rank,
                result.team_name,
            ):
                answers[index] = ValidationError(
                    {
                        "rank": _("同一参赛队的选手名次和参赛队名称应一致（与文件第%(row)s行不同）")
                        % {"row": seen.line}
                    },
                    code="team_disagrees",
                )
                continue
            if seen is not result:  # another member of the entry: its answer
                answers[index] = refused.get(result.entry_id)
                continue
            if result.rank is None:
                continue
            holder = holders.get(result.rank)
            refusal = rank_refusal(
                result.rank,
                len(entries),
                entries[holder] if holder is not None and holder != result.entry_id else None,
            )
            if refusal is not None:
                answers[index] = refused[result.entry_id] = refusal
            else:
                holders[result.rank] = result.entry_id
    return answers


def write_imported_results(results: list[ImportedResult]) -> None:
    """Write the ranks and team names of checked rows (``imported_result_refusals``).
    The ranks of these entries are cleared first, so a rank can move from one entry to
    another within the file. Nothing is published: no medal, promotion or honour; that
    is ``publish_results``."""
    final = {r.entry_id: r for r in results}
    CompetitionEntry.objects.filter(pk__in=final).update(rank=None)
    for entry_id, result in final.items():
        CompetitionEntry.objects.filter(pk=entry_id).update(
            rank=result.rank, name=result.team_name.strip()
        )


@dataclass
class PublishReport:
    """What publishing created: certificates and conferrals (none on a repeat)."""

    certificates: list[Certificate] = field(default_factory=list)
    conferrals: list[AwardConferral] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _holds_senior_technician(person: Person, competition: Competition) -> bool:
    return Certificate.objects.filter(
        person=person,
        occupation=competition.occupation,
        level__key="level1",
        status=CertificateStatus.VALID,
    ).exists()


def publish_results(competition: Competition, *, user: Any) -> PublishReport:
    """Publish the results: medals per the table, promotions through the competition route,
    honours as conferrals — each exactly once and linked to the result."""
    competition = get_scoped(Competition.objects.all(), user, "view", pk=competition.pk)
    report = PublishReport()
    if competition.status == CompetitionStatus.PUBLISHED:
        return report  # published already: everything was created then
    rule = rule_for(competition)
    entries = list(competition.entries.prefetch_related("entrants__person"))
    count = len(entries)
    ranked = [e for e in entries if e.rank is not None]
    will_promote = any(promotes(medal_for(e.rank, count, rule), rule) for e in ranked)
    if will_promote and competition.issuer_id is None:
        raise ValidationError(
            {"issuer": _("按规则本竞赛有晋升技能等级的选手，须先指定晋升证书发证机构")},
            code="no_issuer",
        )
    if (
        will_promote
        and competition.issuer is not None
        and not is_hr_over(user, competition.issuer.organization.region_id)
    ):
        raise ValidationError(
            {"issuer": _("晋升证书发证机构不在您的管辖范围内，请由其所在地人社部门公布成绩")},
            code="issuer_out_of_scope",
        )
    with transaction.atomic():
        competition = workflow.fire(competition, "publish", user=user)
        for entry in ranked:
            rank: int = entry.rank
            entry.medal = medal_for(rank, count, rule)
            entry.save(update_fields=["medal"])
            for entrant in entry.entrants.all():
                if promotes(entry.medal, rule) and entrant.certificate_id is None:
                    _promote(competition, entry, entrant, user=user, report=report)
                if honoured(rank, competition.team_size, rule):
                    _honour(competition, entrant, rule, report=report)
    return report


def _promote(
    competition: Competition,
    entry: CompetitionEntry,
    entrant: CompetitionEntrant,
    *,
    user: Any,
    report: PublishReport,
) -> None:
    if _holds_senior_technician(entrant.person, competition):
        entrant.promotion_note = _("已是高级技师，不再晋升")
        entrant.save(update_fields=["promotion_note"])
        report.notes.append(f"{entrant.person.name}：{entrant.promotion_note}")
        return
    issuer = competition.issuer
    if issuer is None:  # checked before publishing; kept for the type checker
        raise ValidationError({"issuer": _("须先指定晋升证书发证机构")})
    certificate = services.competition_result(
        entrant.person,
        competition.occupation,
        evaluator=issuer,
        award=entry.medal,
        site_code=competition.site_code,
        user=user,
        detail=f"{competition.name} 第{entry.rank}名 {entry.get_medal_display()}",
    )
    entrant.certificate = certificate
    entrant.promotion_note = ""
    entrant.save(update_fields=["certificate", "promotion_note"])
    report.certificates.append(certificate)


def _honour(
    competition: Competition,
    entrant: CompetitionEntrant,
    rule: CompetitionRule,
    *,
    report: PublishReport,
) -> None:
    honour = rule.honour
    if honour is None:
        return
    if AwardConferral.objects.filter(award_type=honour, person=entrant.person).exists():
        report.notes.append(
            _("%(name)s已获得“%(award)s”，不再重复授予")
            % {"name": entrant.person.name, "award": honour}
        )
        return
    conferral = awards.record_conferral(
        AwardConferral(
            award_type=honour,
            person=entrant.person,
            conferred_on=competition.published_on or competition.ends_on,
            region=competition.region,
            result=entrant,
            document=competition.name,
        )
    )
    report.conferrals.append(conferral)
