"""Pages of mediation: centres with their stationed members, the case register, the case
page (consent, sessions, agreement and its PDF, failure with referral, court confirmation,
return visit), and the risk-warning page by region. Views parse input and call one service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tongban.core import services as core_services
from tongban.core import workflow
from tongban.core.masking import mask_document_number, mask_phone
from tongban.core.models import PersonalDataAccess
from tongban.core.permissions import has_any
from tongban.governance import mediation, risk_warnings
from tongban.governance.agreement_pdf import render_agreement
from tongban.governance.filtersets import (
    MediationCaseFilterSet,
    MediationCentreFilterSet,
    RiskWarningFilterSet,
)
from tongban.governance.mediation_forms import (
    AgreementForm,
    CaseForm,
    ConfirmationForm,
    FailForm,
    PartyForm,
    ReturnVisitForm,
    SessionForm,
)
from tongban.governance.models import (
    CaseStatus,
    ConfirmationResult,
    Event,
    Level,
    MediationAgreement,
    MediationCase,
    MediationCentre,
    MediationParty,
    RiskWarning,
    StationedMember,
)
from tongban.governance.models.mediation import PERSON_KINDS
from tongban.governance.models.warning import OPEN_WARNING_STATES
from tongban.web.generic import Column, ObjectDetailView, ObjectListView, attach_errors


class MediationCentreList(ObjectListView):
    url_namespace = "governance"
    model = MediationCentre
    filterset_class = MediationCentreFilterSet
    default_sort = "region_id"
    select_related = ("region", "parent")
    columns = [
        Column("name", gettext_lazy("中心名称"), sort="name", link=True),
        Column("level", gettext_lazy("层级"), sort="level"),
        Column("region.name", gettext_lazy("所在区划")),
        Column("parent.name", gettext_lazy("上级中心")),
        Column("phone", gettext_lazy("办公电话")),
    ]


class MediationCentreDetail(ObjectDetailView):
    url_namespace = "governance"
    model = MediationCentre
    template_name = "governance/mediationcentre_detail.html"
    fields = [
        Column("level", gettext_lazy("层级")),
        Column("region.name", gettext_lazy("所在区划")),
        Column("parent.name", gettext_lazy("上级中心")),
        Column("address", gettext_lazy("地址")),
        Column("phone", gettext_lazy("办公电话")),
    ]

    def extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        members = StationedMember.objects.restrict(request.user, "view").filter(centre=obj)
        return {
            "members": [
                (m, mask_phone(m.phone) if m.kind in PERSON_KINDS else m.phone) for m in members
            ],
            "children": obj.children.order_by("region_id", "name"),
            "open_cases": MediationCase.objects.restrict(request.user, "view")
            .filter(centre=obj, status__in=[CaseStatus.REGISTERED, CaseStatus.MEDIATING])
            .count(),
        }


class MediationCaseList(ObjectListView):
    url_namespace = "governance"
    model = MediationCase
    filterset_class = MediationCaseFilterSet
    default_sort = "-created_at"
    select_related = ("centre", "region")
    columns = [
        Column("code", gettext_lazy("案件编码"), sort="code", link=True),
        Column("title", gettext_lazy("纠纷简述")),
        Column("kind", gettext_lazy("纠纷类型"), sort="kind"),
        Column("centre.name", gettext_lazy("受理中心")),
        Column("region.name", gettext_lazy("纠纷发生地")),
        Column("status", gettext_lazy("状态"), sort="status"),
        Column("due_on", gettext_lazy("调解期限"), sort="due_on"),
        Column("registered_on", gettext_lazy("登记日期"), sort="registered_on"),
    ]


@login_required
def case_add(request: HttpRequest) -> HttpResponse:
    """Register a dispute: from any channel, or from an event (``?event=<pk>``)."""
    if not has_any(request.user, "governance.mediationcase", "add"):
        raise Http404
    event = None
    event_pk = request.GET.get("event") or request.POST.get("event")
    if event_pk:
        event = core_services.get_scoped(Event.objects.all(), request.user, "view", pk=event_pk)
    instance = MediationCase(registered_on=timezone.localdate())
    initial: dict[str, Any] = {}
    if event is not None:
        instance.event = event
        initial = {
            "region": event.region_id,
            "channel": event.channel,
            "title": str(event.category.name)[:100],
            "description": event.description,
        }
    form = CaseForm(
        request.POST if request.method == "POST" else None,
        instance=instance,
        initial=initial,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = mediation.register_case(
                form.instance,
                form.parties(),
                user=request.user,
                mediators=form.cleaned_data.get("mediators") or [],
                departments=form.cleaned_data.get("departments") or [],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("纠纷已登记，编码 %(code)s") % {"code": case.code})
            return HttpResponseRedirect(reverse("governance:mediationcase_detail", args=[case.pk]))
    return render(
        request,
        "governance/mediationcase_add.html",
        {"title": _("登记矛盾纠纷"), "form": form, "event": event},
    )


def _parties(case: MediationCase) -> list[dict[str, Any]]:
    return [
        {
            "party": p,
            "id_number": mask_document_number(p.id_number) if p.id_number else "",
            "phone": mask_phone(p.phone) if p.phone else "",
        }
        for p in case.parties.all()
    ]


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = core_services.get_scoped(
        MediationCase.objects.select_related("centre", "region", "event", "referred_from"),
        request.user,
        "view",
        pk=pk,
    )
    may_change = MediationCase.objects.restrict(request.user, "change").filter(pk=pk).exists()
    offered = workflow.available(case, request.user) if may_change else []
    special = {t.name: t for t in offered if t.name in mediation.SPECIAL_TRANSITIONS}
    agreement = MediationAgreement.objects.filter(case=case).first()
    departments = StationedMember.objects.restrict(request.user, "view").filter(active=True)
    context = {
        "title": case.code,
        "case": case,
        "parties": _parties(case),
        "mediators": case.mediators.all(),
        "departments": case.departments.all(),
        "department_choices": departments.exclude(kind__in=PERSON_KINDS).exclude(
            pk__in=case.departments.values("pk")
        ),
        "sessions": case.sessions.select_related("mediator"),
        "agreement": agreement,
        "rulings": [c for c in ConfirmationResult.choices if c[0]],
        "visits": case.return_visits.all(),
        "referred_to": MediationCase.objects.restrict(request.user, "view")
        .filter(referred_from=case)
        .first(),
        "may_change": may_change,
        "may_reveal": mediation.may_reveal_parties(case, request.user),
        "transitions": [t for t in offered if t.name not in mediation.SPECIAL_TRANSITIONS],
        "special": special,
        "transition_url_prefix": reverse("governance:mediationcase_detail", args=[case.pk])
        + "transitions/",
        "party_form": PartyForm(prefix="party"),
        "session_form": SessionForm(prefix="session"),
        "agreement_form": AgreementForm(case=case, prefix="agreement"),
        "fail_form": FailForm(prefix="fail"),
        "confirmation_form": ConfirmationForm(
            prefix="confirmation", initial={"applied_on": timezone.localdate()}
        ),
        "visit_form": ReturnVisitForm(prefix="visit", initial={"visited_on": timezone.localdate()}),
        "timeline": workflow.timeline(case),
        "overdue": case.is_open and case.due_on is not None and case.due_on < timezone.localdate(),
    }
    return render(request, "governance/mediationcase_detail.html", context)


@login_required
@require_POST
def case_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    case = core_services.get_scoped(MediationCase.objects.all(), request.user, "change", pk=pk)
    if name in mediation.SPECIAL_TRANSITIONS:
        raise Http404
    try:
        case = workflow.fire(case, name, user=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("操作成功：%(state)s") % {"state": case.get_status_display()})
    return HttpResponseRedirect(reverse("governance:mediationcase_detail", args=[pk]))


def _form_errors(form: Any) -> ValidationError:
    return ValidationError(
        [
            f"{form.fields[f].label if f in form.fields else ''}：{m}"
            for f, ms in form.errors.items()
            for m in ms
        ]
    )


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


def _consent(request: HttpRequest, case: MediationCase) -> str:
    party = MediationParty.objects.filter(case=case, pk=_int(request.POST.get("party"))).first()
    if party is None:
        raise ValidationError(_("未找到该当事人"))
    consented = request.POST.get("consent") == "yes"
    mediation.record_consent(
        party, consented=consented, user=request.user, reason=request.POST.get("reason", "")
    )
    return _("已登记“%(name)s”的调解意愿") % {"name": party.name}


def _party(request: HttpRequest, case: MediationCase) -> str:
    form = PartyForm(request.POST, prefix="party")
    if not form.is_valid():
        raise _form_errors(form)
    party = mediation.add_party(case, form.instance, user=request.user)
    return _("已追加当事人“%(name)s”") % {"name": party.name}


def _department(request: HttpRequest, case: MediationCase) -> str:
    member = (
        StationedMember.objects.restrict(request.user, "view")
        .filter(pk=_int(request.POST.get("department")))
        .first()
    )
    if member is None:
        raise ValidationError({"departments": _("请选择联合调处部门")})
    mediation.add_department(case, member, user=request.user)
    return _("已加入联合调处：%(name)s") % {"name": member.name}


def _session(request: HttpRequest, case: MediationCase) -> str:
    form = SessionForm(request.POST, prefix="session")
    if not form.is_valid():
        raise _form_errors(form)
    mediation.record_session(case, form.instance, user=request.user)
    return _("调解记录已保存")


def _agreement(request: HttpRequest, case: MediationCase) -> str:
    form = AgreementForm(request.POST, case=case, prefix="agreement")
    if not form.is_valid():
        raise _form_errors(form)
    data = form.cleaned_data
    mediation.record_agreement(
        case,
        terms=data["terms"],
        mediator_name=data["mediator_name"],
        signed_party_ids=data["signed"],
        perform_by=data["perform_by"],
        user=request.user,
    )
    return _("调解协议已登记")


def _fail(request: HttpRequest, case: MediationCase) -> str:
    form = FailForm(request.POST, prefix="fail")
    if not form.is_valid():
        raise _form_errors(form)
    _case, upper = mediation.fail_case(
        case,
        referral=form.cleaned_data["referral"],
        reason=form.cleaned_data["reason"],
        user=request.user,
    )
    if upper is not None:
        return _("已移交上级中心，新案件编码 %(code)s") % {"code": upper.code}
    return _("已登记调解不成及引导去向")


def _confirmation(request: HttpRequest, case: MediationCase) -> str:
    form = ConfirmationForm(request.POST, prefix="confirmation")
    if not form.is_valid():
        raise _form_errors(form)
    mediation.apply_for_confirmation(
        case,
        applied_on=form.cleaned_data["applied_on"],
        court=form.cleaned_data["court"],
        user=request.user,
    )
    return _("已登记司法确认申请")


def _ruling(request: HttpRequest, case: MediationCase) -> str:
    mediation.record_confirmation_result(
        case, result=request.POST.get("confirmation_result", ""), user=request.user
    )
    return _("已登记司法确认裁定")


def _visit(request: HttpRequest, case: MediationCase) -> str:
    form = ReturnVisitForm(request.POST, prefix="visit")
    if not form.is_valid():
        raise _form_errors(form)
    mediation.record_return_visit(case, form.instance, user=request.user)
    return _("回访已登记，案件已结案")


CASE_ACTIONS: dict[str, Callable[[HttpRequest, MediationCase], str]] = {
    "consent": _consent,
    "party": _party,
    "department": _department,
    "session": _session,
    "agreement": _agreement,
    "fail": _fail,
    "confirmation": _confirmation,
    "ruling": _ruling,
    "visit": _visit,
}


@login_required
@require_POST
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in CASE_ACTIONS:
        raise Http404
    case = core_services.get_scoped(MediationCase.objects.all(), request.user, "change", pk=pk)
    try:
        done = CASE_ACTIONS[action](request, case)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return HttpResponseRedirect(reverse("governance:mediationcase_detail", args=[pk]))


@login_required
@require_POST
def reveal_party(request: HttpRequest, pk: int, party_pk: int) -> HttpResponse:
    """A party's ID number and phone unmasked (an htmx fragment); every read is recorded."""
    case = core_services.get_scoped(MediationCase.objects.all(), request.user, "reveal", pk=pk)
    party = MediationParty.objects.filter(case=case, pk=party_pk).first()
    if party is None:
        raise Http404
    data = mediation.reveal_party(
        party,
        user=request.user,
        channel=PersonalDataAccess.Channel.WEB,
        purpose=request.POST.get("purpose", ""),
        remote_addr=request.META.get("REMOTE_ADDR"),
    )
    return render(request, "governance/_party_contact.html", {**data, "revealed": True})


@login_required
def agreement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    case = core_services.get_scoped(
        MediationCase.objects.select_related("centre", "region"), request.user, "view", pk=pk
    )
    agreement = MediationAgreement.objects.filter(case=case).first()
    if agreement is None:
        raise Http404(_("该案件没有调解协议"))
    response = HttpResponse(render_agreement(agreement), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="agreement-{case.code}.pdf"'
    return response


# --- risk warnings ----------------------------------------------------------------------------


class RiskWarningList(ObjectListView):
    url_namespace = "governance"
    model = RiskWarning
    filterset_class = RiskWarningFilterSet
    default_sort = "-raised_at"
    select_related = ("rule", "region", "owner")
    columns = [
        Column("subject_label", gettext_lazy("预警对象"), link=True),
        Column("level", gettext_lazy("预警等级"), sort="level"),
        Column("rule.name", gettext_lazy("预警规则")),
        Column("region.name", gettext_lazy("所在区划")),
        Column("count", gettext_lazy("计数"), sort="count"),
        Column("owner.username", gettext_lazy("责任人")),
        Column("status", gettext_lazy("状态"), sort="status"),
        Column("raised_at", gettext_lazy("预警时间"), sort="raised_at"),
    ]


@login_required
def warning_board(request: HttpRequest) -> HttpResponse:
    """Open warnings by region (townships), red first, and the open warnings themselves."""
    if not has_any(request.user, "governance.riskwarning", "view"):
        raise Http404
    warnings = RiskWarning.objects.restrict(request.user, "view")
    open_warnings = (
        warnings.filter(status__in=OPEN_WARNING_STATES)
        .select_related("rule", "region", "owner")
        .order_by("-raised_at")
    )
    level_order = {value: i for i, value in enumerate(reversed(Level.values))}
    rows = sorted(
        open_warnings[:500], key=lambda w: (level_order[w.level], -w.raised_at.timestamp())
    )
    return render(
        request,
        "governance/warning_board.html",
        {
            "title": _("风险预警"),
            "regions": risk_warnings.open_by_region(warnings),
            "levels": list(reversed(Level.choices)),
            "warnings": rows,
        },
    )


@login_required
def warning_detail(request: HttpRequest, pk: int) -> HttpResponse:
    warning = core_services.get_scoped(
        RiskWarning.objects.select_related("rule", "region", "owner"), request.user, "view", pk=pk
    )
    return render(
        request,
        "governance/riskwarning_detail.html",
        {
            "title": str(warning),
            "warning": warning,
            "events": Event.objects.restrict(request.user, "view").filter(
                code__in=warning.evidence
            ),
            "cases": MediationCase.objects.restrict(request.user, "view").filter(
                code__in=warning.evidence
            ),
            "transitions": workflow.available(warning, request.user),
            "transition_url_prefix": reverse("governance:riskwarning_detail", args=[pk])
            + "transitions/",
            "timeline": workflow.timeline(warning),
        },
    )


@login_required
@require_POST
def warning_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    warning = core_services.get_scoped(RiskWarning.objects.all(), request.user, "view", pk=pk)
    try:
        workflow.fire(warning, name, user=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("操作成功"))
    return HttpResponseRedirect(reverse("governance:riskwarning_detail", args=[pk]))
