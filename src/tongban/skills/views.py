"""Pages of the skills app: declarations of the generic views, plus the plan workbench,
eligibility, certificates (PDF) and the public verification page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from tongban.core import workflow
from tongban.core.models import Person, PersonalDataAccess
from tongban.core.permissions import Role, assignments
from tongban.core.services import get_scoped, reveal_record_fields
from tongban.core.validators import normalize_document_number
from tongban.skills import eligibility, services, signing, verification
from tongban.skills.access import is_hr_over, is_staff_of
from tongban.skills.filtersets import (
    CertificateFilterSet,
    EvaluationPlanFilterSet,
    EvaluatorFilterSet,
    OccupationFilterSet,
)
from tongban.skills.forms import (
    ApplyForm,
    EligibilityForm,
    EvaluationPlanForm,
    ObjectionForm,
    VerifyForm,
)
from tongban.skills.models import (
    ApplicationStatus,
    Certificate,
    CertificationApplication,
    EvaluationPlan,
    Evaluator,
    Objection,
    Occupation,
    PlanStatus,
)
from tongban.skills.pdf import render as render_pdf
from tongban.skills.standards import DEFAULT_CONDITIONS, assessment_parts, conditions
from tongban.web.generic import (
    Column,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
)


def _levels(obj: Occupation) -> str:
    return "、".join(lv.short for lv in obj.levels.all())


class OccupationList(ObjectListView):
    url_namespace = "skills"
    model = Occupation
    filterset_class = OccupationFilterSet
    default_sort = "code"
    columns = [
        Column("code", gettext_lazy("职业代码"), sort="code", link=True),
        Column("name", gettext_lazy("名称"), sort="name"),
        Column("kind", gettext_lazy("层级")),
        Column("markers", gettext_lazy("标识")),
        Column("levels", gettext_lazy("技能等级"), render=_levels),
    ]

    def get_queryset(self, request: HttpRequest, action: str = "view") -> Any:
        return super().get_queryset(request, action).prefetch_related("levels")


def describe(requirement: dict[str, Any]) -> str:
    """A requirement of the structured conditions in words."""
    from tongban.skills.models import SchoolClass
    from tongban.skills.models.occupation import level

    kind = requirement.get("kind")
    if kind == "certificate":
        return f"取得本职业{level(requirement['level']).short}证书"
    if kind == "years":
        since = requirement.get("since")
        prefix = ""
        if since == "school":
            prefix = "毕业后"
        elif since:
            prefix = f"取得{level(since).short}证书后"
        return f"{prefix}从事本职业工作满{requirement['years']}年"
    if kind == "school":
        return "或".join(str(SchoolClass(c).label) for c in requirement.get("classes", [])) + "毕业"
    if kind == "apprenticeship":
        return "本职业学徒期满"
    if kind == "education":
        from tongban.core.models import Education

        return f"{Education(requirement['at_least']).label}及以上学历"
    return str(requirement)


class OccupationDetail(ObjectDetailView):
    url_namespace = "skills"
    model = Occupation
    template_name = "skills/occupation_detail.html"
    fields = [
        Column("code", gettext_lazy("职业代码")),
        Column("name", gettext_lazy("名称")),
        Column("kind", gettext_lazy("层级")),
        Column("parent", gettext_lazy("上级")),
        Column("markers", gettext_lazy("标识（S 数字职业，L 绿色职业）")),
        Column("definition", gettext_lazy("定义")),
        Column("dataset", gettext_lazy("数据来源")),
    ]

    def extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        standards = []
        for lv in obj.levels.order_by("rank"):
            alternatives = conditions(obj, lv)
            standards.append(
                {
                    "level": lv,
                    "custom": alternatives is not DEFAULT_CONDITIONS.get(lv.key),
                    "alternatives": ["，".join(describe(r) for r in alt) for alt in alternatives],
                    "parts": assessment_parts(obj, lv),
                }
            )
        return {
            "children": obj.children.order_by("code")[:300],
            "worklines": obj.worklines.all(),
            "standards": standards,
        }


class EvaluatorList(ObjectListView):
    url_namespace = "skills"
    model = Evaluator
    filterset_class = EvaluatorFilterSet
    default_sort = "institution_code"
    columns = [
        Column("organization.name", gettext_lazy("评价机构"), link=True),
        Column("kind", gettext_lazy("评价方式")),
        Column("institution_code", gettext_lazy("机构代码"), sort="institution_code"),
        Column("filed_on", gettext_lazy("备案日期"), sort="filed_on"),
        Column("status", gettext_lazy("状态"), sort="status"),
    ]
    select_related = ("organization",)


class EvaluatorDetail(ObjectDetailView):
    url_namespace = "skills"
    model = Evaluator
    template_name = "skills/evaluator_detail.html"
    fields = [
        Column("organization", gettext_lazy("评价机构")),
        Column("kind", gettext_lazy("评价方式")),
        Column("institution_code", gettext_lazy("机构代码")),
        Column("filed_on", gettext_lazy("备案日期")),
        Column("status", gettext_lazy("状态")),
    ]

    def extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {
            "scope": obj.filed_scope.select_related("occupation", "top_level"),
            "transitions": workflow.available(obj, request.user),
            "transition_url_prefix": reverse("skills:evaluator_detail", args=[obj.pk])
            + "transitions/",
            "timeline": workflow.timeline(obj),
            "error": request.GET.get("error", ""),
        }


@login_required
@require_POST
def evaluator_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    evaluator = get_scoped(Evaluator.objects.all(), request.user, "view", pk=pk)
    url = reverse("skills:evaluator_detail", args=[evaluator.pk])
    try:
        workflow.fire(evaluator, name, user=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        from urllib.parse import urlencode

        return HttpResponseRedirect(url + "?" + urlencode({"error": _messages(exc)}))
    return HttpResponseRedirect(url)


class EvaluationPlanList(ObjectListView):
    url_namespace = "skills"
    model = EvaluationPlan
    filterset_class = EvaluationPlanFilterSet
    default_sort = "-starts_on"
    columns = [
        Column("occupation.name", gettext_lazy("职业"), link=True),
        Column("level", gettext_lazy("技能等级")),
        Column("evaluator", gettext_lazy("评价机构")),
        Column("site_name", gettext_lazy("考核地点")),
        Column("starts_on", gettext_lazy("考核开始日期"), sort="starts_on"),
        Column("status", gettext_lazy("状态"), sort="status"),
    ]
    select_related = ("occupation", "level", "evaluator__organization")


class EvaluationPlanEdit(ObjectEditView):
    url_namespace = "skills"
    model = EvaluationPlan
    form_class = EvaluationPlanForm


class EvaluationPlanDetail(ObjectDetailView):
    url_namespace = "skills"
    model = EvaluationPlan
    template_name = "skills/evaluationplan_detail.html"
    fields = [
        Column("evaluator", gettext_lazy("评价机构")),
        Column("occupation", gettext_lazy("职业")),
        Column("level", gettext_lazy("技能等级")),
        Column("site_name", gettext_lazy("考核地点")),
        Column("site_code", gettext_lazy("考核站点代码")),
        Column("starts_on", gettext_lazy("考核开始日期")),
        Column("ends_on", gettext_lazy("考核结束日期")),
        Column("publicity_days", gettext_lazy("公示期（工作日）")),
        Column("publicity_starts_on", gettext_lazy("公示开始日期")),
        Column("publicity_ends_on", gettext_lazy("公示截止日期")),
        Column("status", gettext_lazy("状态")),
    ]

    def extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        parts = assessment_parts(obj.occupation, obj.level)
        rows = []
        for application in obj.applications.select_related("person").prefetch_related("scores"):
            scores = {s.part: s.score for s in application.scores.all()}
            rows.append(
                {
                    "application": application,
                    "scores": [scores.get(p.kind) for p in parts],
                    "transitions": workflow.available(application, request.user),
                    "certificate": getattr(application, "certificate", None)
                    if application.status == ApplicationStatus.CERTIFIED
                    else None,
                }
            )
        staff = is_staff_of(request.user, obj.evaluator.organization_id)
        organization = obj.evaluator.organization
        may_object = staff or is_hr_over(request.user, organization.region_id)
        revealable = set(
            Objection.objects.restrict(request.user, "reveal")
            .filter(application__plan=obj)
            .values_list("pk", flat=True)
        )
        objections = [
            {
                "objection": o,
                "transitions": workflow.available(o, request.user),
                "can_reveal": o.pk in revealable,
            }
            for o in Objection.objects.restrict(request.user, "view")
            .filter(application__plan=obj)
            .select_related("application__person")
        ]
        return {
            "objections": objections,
            "can_object": may_object and obj.status == PlanStatus.PUBLICITY,
            "objection_form": ObjectionForm(plan=obj),
            "parts": parts,
            "rows": rows,
            "can_apply": staff and obj.status == PlanStatus.OPEN,
            "apply_form": ApplyForm(),
            "transitions": workflow.available(obj, request.user),
            "transition_url_prefix": reverse("skills:evaluationplan_detail", args=[obj.pk])
            + "transitions/",
            "timeline": workflow.timeline(obj),
            "error": request.GET.get("error", ""),
        }


def _back_to_plan(plan_id: int, error: str = "") -> HttpResponseRedirect:
    from urllib.parse import urlencode

    url = reverse("skills:evaluationplan_detail", args=[plan_id])
    return HttpResponseRedirect(url + ("?" + urlencode({"error": error}) if error else ""))


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "；".join(str(m) for errors in exc.message_dict.values() for m in errors)
    return "；".join(str(m) for m in exc.messages)


@login_required
@require_POST
def plan_apply(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_scoped(EvaluationPlan.objects.all(), request.user, "change", pk=pk)
    form = ApplyForm(request.POST)
    if not form.is_valid():
        return _back_to_plan(plan.pk, _("请填写申报人证件号码和姓名"))
    try:
        person = services.applicant(form.cleaned_data["document_number"], form.cleaned_data["name"])
        services.apply(plan, person, user=request.user)
    except ValidationError as exc:
        return _back_to_plan(plan.pk, _messages(exc))
    return _back_to_plan(plan.pk)


@login_required
@require_POST
def plan_objection(request: HttpRequest, pk: int) -> HttpResponse:
    """Register an objection to one of the plan's results during its 公示."""
    plan = get_scoped(EvaluationPlan.objects.all(), request.user, "view", pk=pk)
    form = ObjectionForm(request.POST, plan=plan)
    if not form.is_valid():
        return _back_to_plan(plan.pk, _form_errors(form))
    try:
        services.file_objection(
            form.cleaned_data["application"],
            user=request.user,
            raised_by_name=form.cleaned_data["raised_by_name"],
            raised_by_contact=form.cleaned_data["raised_by_contact"],
            grounds=form.cleaned_data["grounds"],
        )
    except ValidationError as exc:
        return _back_to_plan(plan.pk, _messages(exc))
    return _back_to_plan(plan.pk)


@login_required
@require_POST
def objection_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """The objector's full contact, for whoever decides the objection; every read logged."""
    objection = get_scoped(Objection.objects.all(), request.user, "reveal", pk=pk)
    data = reveal_record_fields(
        objection,
        user=request.user,
        channel=PersonalDataAccess.Channel.WEB,
        purpose=request.POST.get("purpose", ""),
        remote_addr=request.META.get("REMOTE_ADDR"),
    )
    return render(request, "skills/_objector_contact.html", {"contact": data["raised_by_contact"]})


@login_required
@require_POST
def objection_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Uphold or reject an objection (a reason is required either way)."""
    objection = get_scoped(
        Objection.objects.select_related("application"), request.user, "view", pk=pk
    )
    plan_id = objection.application.plan_id
    try:
        services.decide_objection(
            objection, name, user=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        return _back_to_plan(plan_id, _messages(exc))
    return _back_to_plan(plan_id)


def _form_errors(form: Any) -> str:
    return "；".join(
        f"{form.fields[name].label}：{error}" if name in form.fields else str(error)
        for name, errors in form.errors.items()
        for error in errors
    )


@login_required
@require_POST
def application_scores(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_scoped(CertificationApplication.objects.all(), request.user, "change", pk=pk)
    parts = assessment_parts(application.plan.occupation, application.plan.level)
    try:
        services.record_scores(
            application, {p.kind: request.POST.get(p.kind, "") for p in parts}, user=request.user
        )
    except ValidationError as exc:
        return _back_to_plan(application.plan_id, _messages(exc))
    return _back_to_plan(application.plan_id)


@login_required
@require_POST
def plan_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    plan = get_scoped(EvaluationPlan.objects.all(), request.user, "view", pk=pk)
    try:
        if name == "file":
            services.file_plan(plan, user=request.user)
        else:
            workflow.fire(plan, name, user=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        return _back_to_plan(plan.pk, _messages(exc))
    return _back_to_plan(plan.pk)


@login_required
@require_POST
def application_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    application = get_scoped(CertificationApplication.objects.all(), request.user, "view", pk=pk)
    try:
        workflow.fire(application, name, user=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        return _back_to_plan(application.plan_id, _messages(exc))
    return _back_to_plan(application.plan_id)


class CertificateList(ObjectListView):
    url_namespace = "skills"
    model = Certificate
    filterset_class = CertificateFilterSet
    default_sort = "-issued_on"
    columns = [
        Column("number", gettext_lazy("证书编号"), sort="number", link=True),
        Column("holder_name", gettext_lazy("姓名")),
        Column("occupation.name", gettext_lazy("职业")),
        Column("level", gettext_lazy("技能等级")),
        Column("issuer", gettext_lazy("发证机构")),
        Column("issued_on", gettext_lazy("发证日期"), sort="issued_on"),
        Column("route", gettext_lazy("取得途径")),
        Column("status", gettext_lazy("状态"), sort="status"),
    ]
    select_related = ("occupation", "level", "issuer__organization")


class CertificateDetail(ObjectDetailView):
    url_namespace = "skills"
    model = Certificate
    template_name = "skills/certificate_detail.html"
    fields = [
        Column("number", gettext_lazy("证书编号")),
        Column("holder_name", gettext_lazy("姓名")),
        Column("occupation", gettext_lazy("职业")),
        Column("level", gettext_lazy("技能等级")),
        Column("issuer", gettext_lazy("发证机构")),
        Column("issued_on", gettext_lazy("发证日期")),
        Column("route", gettext_lazy("取得途径")),
        Column("status", gettext_lazy("状态")),
        Column("revoked_reason", gettext_lazy("撤销理由")),
    ]

    def extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {
            "transitions": workflow.available(obj, request.user),
            "transition_url_prefix": reverse("skills:certificate_detail", args=[obj.pk])
            + "transitions/",
            "timeline": workflow.timeline(obj),
            "error": request.GET.get("error", ""),
        }


@login_required
@require_POST
def certificate_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    certificate = get_scoped(Certificate.objects.all(), request.user, "view", pk=pk)
    url = reverse("skills:certificate_detail", args=[certificate.pk])
    reason = request.POST.get("reason", "")
    try:
        if name == "revoke":
            services.revoke_certificate(certificate, user=request.user, reason=reason)
        else:
            workflow.fire(certificate, name, user=request.user, reason=reason)
    except ValidationError as exc:
        from urllib.parse import urlencode

        return HttpResponseRedirect(url + "?" + urlencode({"error": _messages(exc)}))
    return HttpResponseRedirect(url)


@login_required
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_scoped(
        Certificate.objects.select_related("occupation", "level", "issuer__organization"),
        request.user,
        "view",
        pk=pk,
    )
    response = HttpResponse(render_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificate.number}.pdf"'
    return response


def _eligibility_person(request: HttpRequest, document_number: str) -> Person | None:
    if any(a.role == Role.WORKER for a in assignments(request.user)) and not document_number:
        return Person.objects.filter(user_id=request.user.pk or 0).first()
    if not document_number:
        return None
    return (
        Person.objects.restrict(request.user, "view")
        .filter(document_number=normalize_document_number(document_number))
        .first()
    )


@login_required
def eligibility_page(request: HttpRequest) -> HttpResponse:
    form = EligibilityForm(request.GET or None)
    decision = None
    error = ""
    if form.is_bound and form.is_valid():
        person = _eligibility_person(request, form.cleaned_data["document_number"])
        if person is None:
            error = _("未找到该人员，或该人员不在您的管辖范围内")
        else:
            decision = eligibility.check(
                person,
                form.cleaned_data["occupation"],
                form.cleaned_data["level"],
                on=form.cleaned_data["on"] or None,
            )
    return render(
        request,
        "skills/eligibility.html",
        {"title": _("申报条件自查"), "form": form, "decision": decision, "error": error},
    )


# --- public --------------------------------------------------------------------------------


# what ``never_cache`` sets, written once: this is the busiest endpoint
NOT_CACHED = {
    "Cache-Control": "max-age=0, no-cache, no-store, must-revalidate, private",
    "Expires": "Thu, 01 Jan 1970 00:00:00 GMT",
}


@require_GET
def verify_api(request: HttpRequest) -> JsonResponse:
    """GET /api/public/certificates/verify/?number=…&name=… (or document_number=…&name=…)."""
    if not verification.allow(request):
        body = verification.answer([]) | {"message": verification.LIMITED}
        headers = NOT_CACHED | {"Retry-After": str(verification.LIMIT.retry_after())}
        return JsonResponse(body, status=429, headers=headers)
    params = request.GET
    results = verification.lookup(
        name=params.get("name", ""),
        number=params.get("number", ""),
        document_number=params.get("document_number", ""),
    )
    return JsonResponse(
        verification.answer(results), json_dumps_params={"ensure_ascii": False}, headers=NOT_CACHED
    )


def verify_page(request: HttpRequest) -> HttpResponse:
    """The public page: by number + name, by document number + name, or a scanned payload."""
    form = VerifyForm(request.GET or None)
    result = None
    limited = False
    scanned = None
    payload = request.GET.get("payload", "").strip()
    if payload or form.is_bound:
        if not verification.allow(request):
            limited = True
        elif payload:
            scanned = signing.verify(payload)
        elif form.is_valid():
            result = verification.answer(
                verification.lookup(
                    name=form.cleaned_data["name"],
                    number=form.cleaned_data["number"],
                    document_number=form.cleaned_data["document_number"],
                )
            )
    response = render(
        request,
        "skills/verify.html",
        {
            "title": _("证书查询核验"),
            "form": form,
            "result": result,
            "limited": limited,
            "scanned": scanned,
            "payload": payload,
        },
        status=429 if limited else 200,
    )
    if limited:
        response["Retry-After"] = str(verification.LIMIT.retry_after())
    return response


def public_keys(request: HttpRequest) -> JsonResponse:
    """The certificate signing public keys (current and retired), at a fixed URL."""
    return JsonResponse({"algorithm": "Ed25519", "keys": signing.published_keys()})
