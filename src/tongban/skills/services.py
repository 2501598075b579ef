"""Services: every write in the skills app that changes several rows or a state.

Views, serializers and commands parse input and call one of these. Each runs in
one transaction, fires states only through ``core.workflow.fire`` and is audited
(field changes by django-auditlog, transitions by ``TransitionLog``).
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.core import workflow
from tongban.core.models import Employment, Organization, Person
from tongban.core.services import OutOfScope, get_scoped, save_record
from tongban.skills import eligibility, numbering, signing
from tongban.skills.access import is_hr_over, is_staff_of
from tongban.skills.models import (
    ApplicationStatus,
    Appointment,
    AppointmentStatus,
    Certificate,
    CertificateStatus,
    CertificationApplication,
    EvaluationPlan,
    Evaluator,
    EvaluatorKind,
    FiledScope,
    LimitBreakingRequest,
    Objection,
    Occupation,
    PlanStatus,
    Route,
    Score,
    SkillLevel,
)
from tongban.skills.models.occupation import level as level_by_key
from tongban.skills.standards import assessment_parts

ACTIVE_APPLICATION = (ApplicationStatus.SUBMITTED, ApplicationStatus.PASSED)


def _today() -> datetime.date:
    from tongban.skills.models import certification

    return certification.today()


# --- evaluators (遴选 / 备案) -------------------------------------------------------------


def file_evaluator(
    organization: Organization,
    *,
    kind: str,
    institution_code: str,
    scope: list[tuple[Occupation, SkillLevel]],
    user: Any,
) -> Evaluator:
    """HR selects a social evaluation organisation (or files an enterprise) with its scope."""
    if not is_hr_over(user, organization.region_id):
        raise OutOfScope(_("记录不存在或不在您的管辖范围内"))
    wanted = "evaluation_organization" if kind == EvaluatorKind.SOCIAL else "enterprise"
    if organization.kind != wanted:
        raise ValidationError({"organization": _("单位类型与评价方式不符")})
    with transaction.atomic():
        evaluator = Evaluator(
            organization=organization, kind=kind, institution_code=institution_code
        )
        evaluator.full_clean()
        evaluator.save()
        for occupation, top in scope:
            if not occupation.levels.filter(pk=top.pk).exists():
                raise ValidationError(
                    {"top_level": _("职业“%(o)s”未设置%(l)s") % {"o": occupation.name, "l": top}}
                )
            FiledScope.objects.create(evaluator=evaluator, occupation=occupation, top_level=top)
    return evaluator


# --- evaluation plans ------------------------------------------------------------------------


def create_plan(plan: EvaluationPlan, *, user: Any) -> EvaluationPlan:
    """Save a new plan; refused unless the user is staff of the evaluator."""
    if plan.evaluator_id and not is_staff_of(user, plan.evaluator.organization_id):
        raise ValidationError({"evaluator": _("您不是该评价机构的工作人员")})
    return save_record(plan, user=user, action="add")


def _outside_organisation_scope(
    evaluator: Evaluator, person: Person, on: datetime.date
) -> str | None:
    organization = evaluator.organization
    if evaluator.kind == EvaluatorKind.ENTERPRISE:
        employed = Employment.objects.filter(
            person=person, organization=organization, start_date__lte=on
        ).exclude(end_date__lt=on)
        if not employed.exists():
            return _("企业自主评价仅限本企业在职职工，申报人不是“%(org)s”的在职职工") % {
                "org": organization.name
            }
        return None
    province = organization.region_id[:2]
    in_province = (
        person.residence_region_id.startswith(province)
        or Employment.objects.filter(
            person=person, organization__region__code__startswith=province
        ).exists()
    )
    if not in_province:
        return _("申报人不在该评价机构备案的省份内居住或就业")
    return None


def applicant(document_number: str, name: str) -> Person:
    """The registered person whose ID the applicant presents; both must match."""
    from tongban.core.validators import normalize_document_number

    person = Person.objects.filter(
        document_number=normalize_document_number(document_number)
    ).first()
    if person is None or person.name != name.strip():
        raise ValidationError(
            {"document_number": _("证件号码与姓名不符或该人员尚未登记")}, code="no_such_person"
        )
    return person


def apply(
    plan: EvaluationPlan, person: Person, *, user: Any, on: datetime.date | None = None
) -> CertificationApplication:
    """Accept an application to ``plan`` after checking eligibility; refuse with reasons."""
    on = on or _today()
    if not is_staff_of(user, plan.evaluator.organization_id):
        raise OutOfScope(_("记录不存在或不在您的管辖范围内"))
    if plan.status != PlanStatus.OPEN:
        raise ValidationError({"plan": _("该评价计划已不再受理申报")})
    outside = _outside_organisation_scope(plan.evaluator, person, on)
    if outside:
        raise ValidationError({"person": outside}, code="outside_scope")
    active = CertificationApplication.objects.filter(
        person=person,
        plan__occupation=plan.occupation,
        plan__level=plan.level,
        status__in=ACTIVE_APPLICATION,
    ).exclude(plan__status=PlanStatus.CANCELLED)
    if active.exists():
        raise ValidationError(
            {"person": _("申报人已有同一职业同一等级的在办申报")}, code="duplicate"
        )
    decision = eligibility.check(person, plan.occupation, plan.level, on=on)
    if not decision.eligible:
        raise ValidationError(
            {"person": _("不符合申报条件：%(reasons)s") % {"reasons": decision.summary}},
            code="not_eligible",
        )
    with transaction.atomic():
        application = CertificationApplication(
            plan=plan, person=person, eligibility=decision.as_dict()
        )
        return save_record(application, user=user, action="add")


def record_scores(
    application: CertificationApplication, scores: dict[str, Any], *, user: Any
) -> CertificationApplication:
    """Record the parts' scores; when every part is scored, the result follows."""
    if not is_staff_of(user, application.plan.evaluator.organization_id):
        raise OutOfScope(_("记录不存在或不在您的管辖范围内"))
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError({"score": _("该申报已评定结果，成绩不能再修改")})
    parts = {
        p.kind: p for p in assessment_parts(application.plan.occupation, application.plan.level)
    }
    errors: dict[str, str] = {}
    parsed: dict[str, Decimal] = {}
    for kind, raw in scores.items():
        if raw in (None, ""):
            continue
        part = parts.get(kind)
        if part is None:
            errors[kind] = _("本职业等级没有该考核项目")
            continue
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            errors[kind] = _("%(part)s成绩应为数字") % {"part": part.label}
            continue
        if not Decimal(0) <= value <= Decimal(part.full_marks):
            errors[kind] = _("%(part)s成绩应在0到%(max)s分之间") % {
                "part": part.label,
                "max": part.full_marks,
            }
            continue
        parsed[kind] = value
    if errors:
        raise ValidationError(errors, code="score_out_of_range")
    with transaction.atomic():
        for kind, value in parsed.items():
            Score.objects.update_or_create(
                application=application, part=kind, defaults={"score": value}
            )
        outcome = application.outcome()
        if outcome is not None:
            name = "pass_assessment" if outcome else "fail_assessment"
            application = workflow.fire(application, name, user=user)
    return application


def start_publicity(plan: EvaluationPlan, *, user: Any) -> EvaluationPlan:
    return workflow.fire(plan, "start_publicity", user=user)


def file_objection(
    application: CertificationApplication,
    *,
    user: Any,
    raised_by_name: str,
    raised_by_contact: str,
    grounds: str,
    on: datetime.date | None = None,
) -> Objection:
    """Register an objection to a passed result during its plan's 公示 period."""
    on = on or _today()
    application = CertificationApplication.objects.select_related(
        "plan__evaluator__organization"
    ).get(pk=application.pk)
    plan = application.plan
    organization = plan.evaluator.organization
    if not (is_staff_of(user, organization.pk) or is_hr_over(user, organization.region_id)):
        raise OutOfScope(_("记录不存在或不在您的管辖范围内"))
    if not plan.in_publicity_window(on):
        raise ValidationError(
            {"application": _("异议须在公示期内提出，该评价计划当前不在公示期内")},
            code="outside_publicity",
        )
    if application.status != ApplicationStatus.PASSED:
        raise ValidationError(
            {"application": _("该申报不在公示的合格名单中")}, code="not_in_publicity"
        )
    objection = Objection(
        application=application,
        raised_by_name=raised_by_name.strip(),
        raised_by_contact=raised_by_contact.strip(),
        grounds=grounds.strip(),
        filed_on=on,
    )
    return save_record(objection, user=user, action="add")


OBJECTION_DECISIONS = ("uphold", "reject")


def decide_objection(objection: Objection, decision: str, *, user: Any, reason: str) -> Objection:
    """Uphold or reject an objection, with a reason; an upheld one stops that result."""
    if decision not in OBJECTION_DECISIONS:
        raise ValidationError({"decision": _("处理结果应为异议成立或异议不成立")})
    with transaction.atomic():
        decided = workflow.fire(objection, decision, user=user, reason=reason, reason_text=reason)
        if decision == "uphold":
            workflow.fire(decided.application, "uphold_objection", user=user, reason=reason)
    return decided


def file_plan(plan: EvaluationPlan, *, user: Any) -> list[Certificate]:
    """HR files the plan after 公示 and a certificate is issued to every passed applicant."""
    if not plan.objections_decided():
        raise ValidationError(
            {"objection": _("尚有未处理的公示异议，处理完毕后方可备案发证")},
            code="objections_pending",
        )
    with transaction.atomic():
        plan = workflow.fire(plan, "file", user=user)
        issued = []
        route = (
            Route.ENTERPRISE_EVALUATION
            if plan.evaluator.kind == EvaluatorKind.ENTERPRISE
            else Route.SOCIAL_EVALUATION
        )
        for application in plan.applications.filter(status=ApplicationStatus.PASSED).order_by("pk"):
            application = workflow.fire(application, "certify", user=user)
            issued.append(
                issue_certificate(
                    person=application.person,
                    occupation=plan.occupation,
                    level=plan.level,
                    evaluator=plan.evaluator,
                    site_code=plan.site_code,
                    route=route,
                    application=application,
                )
            )
    return issued


# --- certificates ----------------------------------------------------------------------------


def issue_certificate(
    *,
    person: Person,
    occupation: Occupation,
    level: SkillLevel,
    evaluator: Evaluator,
    site_code: str,
    route: str,
    application: CertificationApplication | None = None,
    evidence: str = "",
    issued_on: datetime.date | None = None,
) -> Certificate:
    """Number, sign and save one certificate (inside the caller's transaction if any)."""
    issued_on = issued_on or _today()
    with transaction.atomic():
        certificate = Certificate(
            number=numbering.next_number(evaluator, site_code, issued_on, level),
            person=person,
            holder_name=person.name,
            occupation=occupation,
            level=level,
            issuer=evaluator,
            issued_on=issued_on,
            route=route,
            application=application,
            evidence=evidence,
        )
        certificate.payload = signing.sign(signing.content_of(certificate))
        certificate.full_clean()
        certificate.save()
    return certificate


def revoke_certificate(certificate: Certificate, *, user: Any, reason: str) -> Certificate:
    return workflow.fire(certificate, "revoke", user=user, reason=reason, reason_text=reason)


# --- the other routes ------------------------------------------------------------------------


def _employer_evaluator(user: Any, person: Person, on: datetime.date) -> Evaluator:
    """The enterprise the acting user works for, filed for self-evaluation, employing ``person``."""
    for evaluator in Evaluator.objects.filter(kind=EvaluatorKind.ENTERPRISE).select_related(
        "organization"
    ):
        if is_staff_of(user, evaluator.organization_id):
            if _outside_organisation_scope(evaluator, person, on) is None:
                return evaluator
            raise ValidationError(
                {
                    "person": _("该人员不是“%(org)s”的在职职工")
                    % {"org": evaluator.organization.name}
                }
            )
    raise OutOfScope(_("记录不存在或不在您的管辖范围内"))


def _in_filed_scope(evaluator: Evaluator, occupation: Occupation, level: SkillLevel) -> None:
    if evaluator.status != "active":
        raise ValidationError({"evaluator": _("该评价机构已被暂停评价")})
    if not occupation.levels.filter(pk=level.pk).exists():
        raise ValidationError(
            {"level": _("职业“%(o)s”未设置%(l)s") % {"o": occupation.name, "l": level}}
        )
    if not evaluator.covers(occupation, level):
        raise ValidationError({"level": _("该职业等级不在企业备案的自主评价范围内")})


def direct_certification(
    person: Person,
    occupation: Occupation,
    level: SkillLevel,
    *,
    user: Any,
    performance: str,
    site_code: str,
) -> Certificate:
    """直接认定 of a new or ungraded employee on recorded daily performance and results."""
    on = _today()
    evaluator = _employer_evaluator(user, person, on)
    _in_filed_scope(evaluator, occupation, level)
    if not performance.strip():
        raise ValidationError({"performance": _("直接认定须记录日常表现和工作业绩")})
    if Certificate.objects.filter(
        person=person, occupation=occupation, status=CertificateStatus.VALID
    ).exists():
        raise ValidationError({"person": _("直接认定仅适用于新入职或尚未取得本职业等级的职工")})
    return issue_certificate(
        person=person,
        occupation=occupation,
        level=level,
        evaluator=evaluator,
        site_code=site_code,
        route=Route.DIRECT,
        evidence=performance,
    )


def request_breaking_limits(
    person: Person,
    occupation: Occupation,
    level: SkillLevel,
    *,
    user: Any,
    evidence: str,
    site_code: str,
) -> LimitBreakingRequest:
    """The enterprise asks HR to certify an outstanding frontline worker 高级工 or above,
    regardless of education, seniority, age and quota; evidence is required."""
    on = _today()
    evaluator = _employer_evaluator(user, person, on)
    _in_filed_scope(evaluator, occupation, level)
    if not level.high_skill:
        raise ValidationError({"level": _("打破限制直接认定的等级应为高级工及以上")})
    if not Employment.objects.filter(
        person=person, organization=evaluator.organization, frontline=True, end_date__isnull=True
    ).exists():
        raise ValidationError({"person": _("打破限制认定仅适用于一线岗位职工")})
    if not evidence.strip():
        raise ValidationError({"evidence": _("须提供业绩证明材料")})
    request = LimitBreakingRequest(
        evaluator=evaluator,
        person=person,
        occupation=occupation,
        level=level,
        site_code=site_code,
        evidence=evidence,
    )
    return save_record(request, user=user, action="add")


def approve_breaking_limits(request: LimitBreakingRequest, *, user: Any) -> Certificate:
    """HR approves the request (the ``approve`` transition) and the certificate is issued."""
    with transaction.atomic():
        approved = workflow.fire(request, "approve", user=user)
        certificate = issue_certificate(
            person=approved.person,
            occupation=approved.occupation,
            level=approved.level,
            evaluator=approved.evaluator,
            site_code=approved.site_code,
            route=Route.BREAKING_LIMITS,
            evidence=approved.evidence,
        )
        LimitBreakingRequest.objects.filter(pk=approved.pk).update(certificate=certificate)
    return certificate


EXCEPTIONAL_GROUNDS = {
    "technical_problem": "解决重大工艺技术难题或重大质量问题",
    "award": "获得省部级及以上表彰奖励",
    "mentoring": "带徒传技成绩突出",
}


def exceptional_promotion(
    person: Person,
    occupation: Occupation,
    level: SkillLevel,
    *,
    user: Any,
    grounds: list[str],
    evidence: str,
    site_code: str,
) -> Certificate:
    """破格晋升 on exactly one of three grounds, with evidence; the years condition is waived."""
    on = _today()
    evaluator = _employer_evaluator(user, person, on)
    _in_filed_scope(evaluator, occupation, level)
    if len(grounds) != 1 or grounds[0] not in EXCEPTIONAL_GROUNDS:
        raise ValidationError({"grounds": _("破格晋升须且只能依据三项情形之一")})
    # a recorded provincial-or-higher award or outstanding 师带徒 result is the ground itself
    from tongban.skills.awards import exceptional_grounds

    recorded = exceptional_grounds(person).get(grounds[0], [])
    if not evidence.strip() and not recorded:
        raise ValidationError({"evidence": _("破格晋升须提供证明材料")})
    evidence = "；".join(part for part in (evidence.strip(), *recorded) if part)
    decision = eligibility.check(person, occupation, level, on=on, waive_years=True)
    if not decision.eligible:
        raise ValidationError({"person": _("不符合申报条件：%(r)s") % {"r": decision.summary}})
    return issue_certificate(
        person=person,
        occupation=occupation,
        level=level,
        evaluator=evaluator,
        site_code=site_code,
        route=Route.EXCEPTIONAL,
        evidence=f"{EXCEPTIONAL_GROUNDS[grounds[0]]}：{evidence}",
    )


def competition_result(
    person: Person,
    occupation: Occupation,
    *,
    evaluator: Evaluator,
    award: str,
    site_code: str,
    user: Any,
    detail: str = "",
) -> Certificate:
    """Entry point for the competitions module: 优胜奖 or better → 技师; a 技师 → 高级技师.

    ``detail`` names the contest and the result in the certificate's evidence."""
    if not is_hr_over(user, evaluator.organization.region_id):
        raise OutOfScope(_("记录不存在或不在您的管辖范围内"))
    if award not in ("gold", "silver", "bronze", "excellence"):
        raise ValidationError({"award": _("竞赛成绩应为金牌、银牌、铜牌或优胜奖")})
    holds_technician = Certificate.objects.filter(
        person=person,
        occupation=occupation,
        level__key="level2",
        status=CertificateStatus.VALID,
    ).exists()
    target = level_by_key("level1" if holds_technician else "level2")
    if not occupation.levels.filter(pk=target.pk).exists():
        raise ValidationError({"occupation": _("该职业未设置%(l)s") % {"l": target}})
    return issue_certificate(
        person=person,
        occupation=occupation,
        level=target,
        evaluator=evaluator,
        site_code=site_code,
        route=Route.COMPETITION,
        evidence=f"{award}：{detail}" if detail else award,
    )


def appoint(
    person: Person,
    occupation: Occupation,
    level: SkillLevel,
    *,
    employer: Organization,
    user: Any,
) -> Appointment:
    """特级技师 / 首席技师 appointed by the employer; counts once registered with HR."""
    if not is_staff_of(user, employer.pk):
        raise OutOfScope(_("记录不存在或不在您的管辖范围内"))
    if level.key not in ("special", "chief"):
        raise ValidationError({"level": _("聘任仅适用于特级技师和首席技师")})
    if not occupation.levels.filter(key="level1").exists():
        raise ValidationError({"occupation": _("仅设有高级技师的职业可设置特级技师、首席技师岗位")})
    if level.key == "special":
        below_ok = Certificate.objects.filter(
            person=person,
            occupation=occupation,
            level__key="level1",
            status=CertificateStatus.VALID,
        ).exists()
    else:
        below_ok = Appointment.objects.filter(
            person=person,
            occupation=occupation,
            level__key="special",
            status=AppointmentStatus.REGISTERED,
        ).exists()
    if not below_ok:
        raise ValidationError(
            {
                "person": _("须先取得下一层级（%(l)s）")
                % {"l": "高级技师" if level.key == "special" else "特级技师"}
            }
        )
    appointment = Appointment(
        person=person, employer=employer, occupation=occupation, level=level, appointed_on=_today()
    )
    return save_record(appointment, user=user, action="add")


def register_appointment(appointment: Appointment, *, user: Any) -> Appointment:
    """HR registers the appointment (the ``register`` transition)."""
    return workflow.fire(appointment, "register", user=user)


def person_in_scope(user: Any, document_number: str, name: str) -> Person | None:
    """The person the user may see with this document number and exactly this name."""
    from tongban.core.validators import normalize_document_number

    return (
        Person.objects.restrict(user, "view")
        .filter(document_number=normalize_document_number(document_number), name=name.strip())
        .first()
    )


def scoped_person(user: Any, pk: Any) -> Person:
    return get_scoped(Person.objects.all(), user, "view", pk=pk)


def now() -> datetime.datetime:
    return timezone.now()
