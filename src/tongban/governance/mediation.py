"""Mediation rules (plain functions) and services (every write: atomic, logged, scoped).

Deadlines (which days count):

* the time limit of a case (default one month) and the court-confirmation deadline
  (30 days from the agreement taking effect, 人民调解法 art. 33) are counted in **calendar
  days**, as legal periods are; when the last day is not a working day it moves to the
  next working day (``core.calendar``), as for procedural periods;
* the return visit is due a number of **working days** after the agreement's performance
  date (or its signing when it sets none), per ``core.calendar``.

The lengths are data: ``MediationPolicy`` rows per region (longest prefix wins).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.core import calendar, workflow
from tongban.core import services as core_services
from tongban.core.models import TransitionLog
from tongban.governance.models import (
    CaseStatus,
    ConfirmationResult,
    Consent,
    Event,
    MediationAgreement,
    MediationCase,
    MediationCentre,
    MediationParty,
    MediationPolicy,
    MediationSession,
    PartyContactAccess,
    PartyRole,
    Referral,
    ReturnVisit,
)
from tongban.governance.models.event import Channel
from tongban.governance.models.mediation import OPEN_CASE_STATES, RESOLVED_STATES

# Transitions fired by their own services (with more input than a reason): pages show forms.
SPECIAL_TRANSITIONS = {"refuse", "agree", "fail", "close"}


# --- rules ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    time_limit_days: int = 30
    confirmation_days: int = 30
    return_visit_working_days: int = 10


def limits_for(region_code: str) -> Limits:
    """The operator's limits for a region: the policy row with the longest covering prefix."""
    best: MediationPolicy | None = None
    for policy in MediationPolicy.objects.select_related("region"):
        if region_code.startswith(policy.region.prefix) and (
            best is None or len(policy.region.prefix) > len(best.region.prefix)
        ):
            best = policy
    if best is None:
        return Limits()
    return Limits(best.time_limit_days, best.confirmation_days, best.return_visit_working_days)


def period_end(start: datetime.date, days: int) -> datetime.date:
    """``days`` calendar days after ``start``; a last day off work moves to the next working day."""
    return calendar.add_working_days(start + datetime.timedelta(days=days), 0).date


def case_due_on(registered_on: datetime.date, region_code: str) -> datetime.date:
    return period_end(registered_on, limits_for(region_code).time_limit_days)


def confirmation_due(signed_on: datetime.date, region_code: str) -> datetime.date:
    """The last day to apply jointly for court confirmation (司法确认)."""
    return period_end(signed_on, limits_for(region_code).confirmation_days)


def return_visit_due(
    signed_on: datetime.date, perform_by: datetime.date | None, region_code: str
) -> datetime.date:
    start = perform_by or signed_on
    return calendar.add_working_days(start, limits_for(region_code).return_visit_working_days).date


def start_refusals(case: MediationCase) -> dict[str, list[str]]:
    """Why mediation cannot start yet: a party has not consented, a side is missing, no
    mediator. Empty when it may start."""
    problems: dict[str, list[str]] = {}
    parties = list(case.parties.all())
    roles = {p.role for p in parties}
    if PartyRole.APPLICANT not in roles or PartyRole.RESPONDENT not in roles:
        problems.setdefault("parties", []).append(_("调解须至少有一名申请人和一名被申请人"))
    for party in parties:
        if party.consent != Consent.CONSENTED:
            problems.setdefault("consent", []).append(
                _("当事人“%(name)s”尚未同意调解，不能开始调解") % {"name": party.name}
            )
    if not case.mediators.exists():
        problems.setdefault("mediators", []).append(_("请先指派调解员"))
    return problems


def agreement_refusals(case: MediationCase) -> dict[str, list[str]]:
    """Why the case cannot be marked agreed: no written agreement, no terms, a party unsigned."""
    agreement = MediationAgreement.objects.filter(case=case).first()
    if agreement is None or not agreement.terms.strip():
        return {"terms": [_("调解协议须载明协议内容（各方的权利义务）")]}
    problems: dict[str, list[str]] = {}
    for party in case.parties.all():
        if party.signed_at is None:
            problems.setdefault("signatures", []).append(
                _("当事人“%(name)s”尚未在协议上签名") % {"name": party.name}
            )
    return problems


# --- services ---------------------------------------------------------------------------------


def _log(case: MediationCase, name: str, label: str, user: Any, **data: Any) -> None:
    TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(MediationCase),
        object_id=str(case.pk),
        name=name,
        label=label,
        source=case.status,
        target=case.status,
        by=user if getattr(user, "is_authenticated", False) else None,
        reason=str(data.pop("reason", "")),
        data=data,
    )


def _editable(case: MediationCase, user: Any) -> MediationCase:
    return core_services.get_scoped(MediationCase.objects.all(), user, "change", pk=case.pk)


def _require(case: MediationCase, *states: str, message: str) -> None:
    if case.status not in states:
        raise ValidationError({"status": message})


def register_case(
    case: MediationCase,
    parties: Sequence[MediationParty],
    *,
    user: Any,
    mediators: Iterable[Any] = (),
    departments: Iterable[Any] = (),
) -> MediationCase:
    """Register a dispute once (只进一扇门) with its parties; nothing is saved if any part fails."""
    errors: dict[str, list[str]] = {}
    roles = {p.role for p in parties}
    if PartyRole.APPLICANT not in roles:
        errors.setdefault("parties", []).append(_("请填写申请人"))
    if PartyRole.RESPONDENT not in roles:
        errors.setdefault("parties", []).append(_("请填写被申请人"))
    if case.event_id:
        existing = MediationCase.objects.filter(event_id=case.event_id).first()
        if existing is not None:
            errors.setdefault("event", []).append(
                _("该事件已转入调解案件 %(code)s，不重复登记") % {"code": existing.code}
            )
    try:
        case.full_clean(exclude=["status", "code"])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    mediators, departments = list(mediators), list(departments)
    for member in mediators:
        if not member.is_person:
            errors.setdefault("mediators", []).append(
                _("“%(m)s”不是调解员或律师") % {"m": member.name}
            )
    for member in departments:
        if member.is_person:
            errors.setdefault("departments", []).append(
                _("“%(m)s”不是入驻部门") % {"m": member.name}
            )
    for member in mediators + departments:
        if case.region_id and not case.region_id.startswith(member.centre.region.prefix):
            errors.setdefault("mediators", []).append(
                _("“%(m)s”所在中心不管辖纠纷发生地") % {"m": member.name}
            )
    for i, party in enumerate(parties):
        party.case = case
        try:
            party.full_clean(exclude=["case"])
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                label = _("当事人%(n)s（%(name)s）") % {"n": i + 1, "name": party.name or "—"}
                errors.setdefault(name, []).extend(f"{label}：{m}" for m in messages)
    if errors:
        raise ValidationError(errors)
    if user is not None and getattr(user, "is_authenticated", False):
        case.registered_by = user
    if case.region_id:
        case.due_on = case_due_on(case.registered_on, case.region_id)
    with transaction.atomic():
        core_services.save_record(case, user=user, action="add")
        case.mediators.set(mediators)
        case.departments.set(departments)
        for party in parties:
            party.case = case
            party.save()
        _log(case, "register", _("登记"), user, channel=case.channel)
    return case


def case_from_event(
    event: Event,
    centre: MediationCentre,
    parties: Sequence[MediationParty],
    *,
    user: Any,
    kind: str,
    mediators: Iterable[Any] = (),
) -> MediationCase:
    """Take a governance event into mediation; the case keeps the link to the event."""
    event = core_services.get_scoped(Event.objects.all(), user, "view", pk=event.pk)
    case = MediationCase(
        centre=centre,
        region_id=event.region_id,
        channel=event.channel,
        event=event,
        kind=kind,
        title=str(event.category.name)[:100],
        description=event.description,
    )
    return register_case(case, parties, user=user, mediators=mediators)


def add_party(case: MediationCase, party: MediationParty, *, user: Any) -> MediationParty:
    case = _editable(case, user)
    _require(case, CaseStatus.REGISTERED, message=_("只有登记阶段的案件可以追加当事人"))
    party.case = case
    party.consent = Consent.PENDING
    party.full_clean()
    with transaction.atomic():
        party.save()
        _log(case, "add_party", _("追加当事人"), user, role=party.role)
    return party


def record_consent(
    party: MediationParty, *, consented: bool, user: Any, reason: str = ""
) -> MediationCase:
    """A party's answer to mediation. A refusal ends the case with that reason (art. 17)."""
    case = _editable(party.case, user)
    _require(case, CaseStatus.REGISTERED, message=_("只有登记阶段的案件可以登记调解意愿"))
    reason = (reason or "").strip()
    if not consented and not reason:
        raise ValidationError({"refusal_reason": _("当事人不同意调解时须记录其理由")})
    with transaction.atomic():
        party = MediationParty.objects.select_for_update().get(pk=party.pk, case=case)
        party.consent = Consent.CONSENTED if consented else Consent.REFUSED
        party.refusal_reason = "" if consented else reason[:300]
        party.consent_at = timezone.now()
        party.full_clean()
        party.save()
        if consented:
            _log(case, "consent", _("当事人同意调解"), user, party=party.name)
            return case
        return workflow.fire(
            case,
            "refuse",
            user=user,
            reason=_("当事人“%(name)s”不同意调解：%(reason)s")
            % {"name": party.name, "reason": reason},
            data={"party": party.name},
        )


def assign_mediators(case: MediationCase, members: Iterable[Any], *, user: Any) -> MediationCase:
    case = _editable(case, user)
    _require(
        case,
        *OPEN_CASE_STATES,
        message=_("只有登记或调解中的案件可以指派调解员"),
    )
    members = list(members)
    for member in members:
        if not member.is_person or not case.region_id.startswith(member.centre.region.prefix):
            raise ValidationError({"mediators": _("“%(m)s”不是本辖区的调解员") % {"m": member}})
    with transaction.atomic():
        case.mediators.set(members)
        _log(case, "assign", _("指派调解员"), user, mediators=[str(m) for m in members])
    return case


def add_department(case: MediationCase, member: Any, *, user: Any) -> MediationCase:
    """Joint handling (联合调处): a stationed department joins the case."""
    case = _editable(case, user)
    _require(case, *OPEN_CASE_STATES, message=_("只有登记或调解中的案件可以增加联合调处部门"))
    if member.is_person:
        raise ValidationError({"departments": _("请选择入驻部门，而不是个人")})
    with transaction.atomic():
        case.departments.add(member)
        _log(case, "joint", _("联合调处"), user, department=str(member))
    return case


def record_session(
    case: MediationCase, session: MediationSession, *, user: Any
) -> MediationSession:
    case = _editable(case, user)
    _require(case, CaseStatus.MEDIATING, message=_("只有调解中的案件可以记录调解经过"))
    session.case = case
    session.recorded_by = user if getattr(user, "is_authenticated", False) else None
    session.full_clean()
    with transaction.atomic():
        session.save()
        _log(case, "session", _("调解记录"), user, held_on=session.held_on.isoformat())
    return session


def record_agreement(
    case: MediationCase,
    *,
    terms: str,
    mediator_name: str,
    signed_party_ids: Iterable[int],
    user: Any,
    signed_on: datetime.date | None = None,
    perform_by: datetime.date | None = None,
) -> MediationCase:
    """The written agreement with every party's signature; the case becomes agreed."""
    case = _editable(case, user)
    _require(case, CaseStatus.MEDIATING, message=_("只有调解中的案件可以登记调解协议"))
    signed_on = signed_on or timezone.localdate()
    agreement = MediationAgreement(
        case=case,
        terms=(terms or "").strip(),
        mediator_name=(mediator_name or "").strip(),
        signed_on=signed_on,
        perform_by=perform_by,
        confirmation_due=confirmation_due(signed_on, case.region_id),
        return_visit_due=return_visit_due(signed_on, perform_by, case.region_id),
    )
    agreement.full_clean(exclude=["case"])
    signed = set(signed_party_ids)
    unsigned = [p.name for p in case.parties.all() if p.pk not in signed]
    if unsigned:
        raise ValidationError(
            {
                "signatures": [
                    _("当事人“%(name)s”尚未在协议上签名") % {"name": name} for name in unsigned
                ]
            }
        )
    when = timezone.now()
    with transaction.atomic():
        MediationAgreement.objects.filter(case=case).delete()
        agreement.save()
        case.parties.update(signed_at=when)
        return workflow.fire(
            case, "agree", user=user, data={"confirmation_due": str(agreement.confirmation_due)}
        )


def fail_case(
    case: MediationCase, *, referral: str, reason: str, user: Any
) -> tuple[MediationCase, MediationCase | None]:
    """Mediation failed: record where the parties are referred. A referral to the centre
    above registers the dispute there, linked to this case, with consent asked again."""
    case = _editable(case, user)
    with transaction.atomic():
        case = workflow.fire(
            case, "fail", user=user, reason=reason, data={"referral": referral}, referral=referral
        )
        if referral != Referral.HIGHER_CENTRE:
            return case, None
        parent = case.centre.parent
        if parent is None:
            raise ValidationError({"referral": _("本中心没有上级矛调中心，不能移交")})
        upper = MediationCase(
            centre=parent,
            region_id=case.region_id,
            channel=Channel.ASSIGNED,
            referred_from=case,
            kind=case.kind,
            title=case.title,
            description=case.description,
            registered_by=case.registered_by,
        )
        upper.due_on = case_due_on(upper.registered_on, upper.region_id)
        upper.full_clean(exclude=["status"])
        upper.save()  # the centre above takes it over even outside the referring user's scope
        for party in case.parties.all():
            party.pk = None
            party.case = upper
            party.consent = Consent.PENDING
            party.consent_at = None
            party.refusal_reason = ""
            party.signed_at = None
            party.save()
        _log(upper, "register", _("下级移交登记"), user, referred_from=case.code, reason=reason)
    return case, upper


def apply_for_confirmation(
    case: MediationCase, *, applied_on: datetime.date, court: str, user: Any
) -> MediationAgreement:
    """The parties' joint application to a court for confirmation, within the deadline."""
    case = _editable(case, user)
    agreement = MediationAgreement.objects.filter(case=case).first()
    if agreement is None:
        raise ValidationError({"confirmation_applied_on": _("该案件没有调解协议")})
    if agreement.confirmation_applied_on is not None:
        raise ValidationError({"confirmation_applied_on": _("已登记过司法确认申请")})
    if applied_on < agreement.signed_on:
        raise ValidationError({"confirmation_applied_on": _("申请日期不能早于协议签订日期")})
    if applied_on > agreement.confirmation_due:
        raise ValidationError(
            {
                "confirmation_applied_on": _(
                    "已超过司法确认申请期限（%(due)s），请引导当事人通过诉讼解决"
                )
                % {"due": agreement.confirmation_due.isoformat()}
            }
        )
    if not (court or "").strip():
        raise ValidationError({"confirmation_court": _("请填写受理法院")})
    with transaction.atomic():
        agreement.confirmation_applied_on = applied_on
        agreement.confirmation_court = court.strip()[:100]
        agreement.save(update_fields=["confirmation_applied_on", "confirmation_court"])
        _log(case, "confirmation", _("共同申请司法确认"), user, court=agreement.confirmation_court)
    return agreement


def record_confirmation_result(
    case: MediationCase, *, result: str, user: Any
) -> MediationAgreement:
    """The court's ruling on the application: confirmed (enforceable) or rejected."""
    case = _editable(case, user)
    agreement = MediationAgreement.objects.filter(case=case).first()
    if agreement is None or agreement.confirmation_applied_on is None:
        raise ValidationError({"confirmation_result": _("请先登记司法确认申请")})
    if result not in (ConfirmationResult.CONFIRMED, ConfirmationResult.REJECTED):
        raise ValidationError({"confirmation_result": _("请选择法院的裁定结果")})
    with transaction.atomic():
        agreement.confirmation_result = result
        agreement.save(update_fields=["confirmation_result"])
        _log(
            case,
            "confirmation_result",
            _("司法确认裁定"),
            user,
            reason=str(ConfirmationResult(result).label),
        )
    return agreement


def record_return_visit(case: MediationCase, visit: ReturnVisit, *, user: Any) -> MediationCase:
    """The follow-up visit on whether the agreement was performed; it closes the case."""
    case = _editable(case, user)
    _require(case, CaseStatus.AGREED, message=_("只有已达成协议的案件可以登记回访"))
    visit.case = case
    visit.visited_by = user if getattr(user, "is_authenticated", False) else None
    visit.full_clean()
    with transaction.atomic():
        visit.save()
        return workflow.fire(
            case,
            "close",
            user=user,
            reason=f"{visit.get_performance_display()} {visit.note}".strip(),
            data={"performance": visit.performance},
        )


def may_reveal_parties(case: MediationCase, user: Any) -> bool:
    return MediationCase.objects.restrict(user, "reveal").filter(pk=case.pk).exists()


def reveal_party(
    party: MediationParty,
    *,
    user: Any,
    channel: str,
    purpose: str = "",
    remote_addr: str | None = None,
) -> dict[str, str]:
    """A party's ID number and phone unmasked, for staff who hold ``reveal`` over the case;
    every read is recorded. Out of scope is 404."""
    core_services.get_scoped(MediationCase.objects.all(), user, "reveal", pk=party.case_id)
    PartyContactAccess.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        party=party,
        fields="id_number,phone",
        purpose=purpose[:200],
        channel=channel,
        remote_addr=remote_addr,
    )
    return {"id_number": party.id_number, "phone": party.phone}


# --- figures ----------------------------------------------------------------------------------


@dataclass
class MediationFigures:
    registered: int = 0
    by_status: list[tuple[str, int]] = field(default_factory=list)
    resolved: int = 0
    failed: int = 0
    refused: int = 0
    closed_after_visit: int = 0
    overdue_open: int = 0
    confirmation_open: int = 0
    confirmation_applied: int = 0
    return_visits_due: int = 0

    @property
    def success_rate(self) -> float | None:
        done = self.resolved + self.failed
        return self.resolved / done if done else None


def figures(
    cases: QuerySet[MediationCase], start: datetime.date, end: datetime.date
) -> MediationFigures:
    """Counts over the (already scoped) cases registered in [start, end]."""
    today = timezone.localdate()
    qs = cases.filter(registered_on__gte=start, registered_on__lte=end).order_by()
    per_status = dict(qs.values_list("status").annotate(n=Count("pk")))
    result = MediationFigures(registered=sum(per_status.values()))
    result.by_status = [
        (str(label), per_status[value])
        for value, label in CaseStatus.choices
        if value in per_status
    ]
    result.resolved = sum(per_status.get(s, 0) for s in RESOLVED_STATES)
    result.failed = per_status.get(CaseStatus.FAILED, 0)
    result.refused = per_status.get(CaseStatus.REFUSED, 0)
    result.closed_after_visit = per_status.get(CaseStatus.CLOSED, 0)
    result.overdue_open = qs.filter(status__in=OPEN_CASE_STATES, due_on__lt=today).count()
    agreements = MediationAgreement.objects.filter(case__in=qs.values("pk"))
    result.confirmation_applied = agreements.exclude(confirmation_applied_on=None).count()
    result.confirmation_open = agreements.filter(
        confirmation_applied_on=None, confirmation_due__gte=today
    ).count()
    result.return_visits_due = agreements.filter(
        case__status=CaseStatus.AGREED, return_visit_due__lt=today
    ).count()
    return result
