"""Pages of the certification routes besides evaluation plans: direct certification,
破格晋升, breaking-limits requests and 特级技师/首席技师 appointments.

Each create page parses a form and calls one service; lists and details are the
generic declarations; transition buttons post to one view per workflow model.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tongban.core import workflow
from tongban.core.permissions import Role, assignments, has_any, is_platform_admin
from tongban.core.services import get_scoped
from tongban.skills import services
from tongban.skills.filtersets import AppointmentFilterSet, LimitBreakingRequestFilterSet
from tongban.skills.forms import (
    AppointmentForm,
    DirectCertificationForm,
    ExceptionalPromotionForm,
    LimitBreakingRequestForm,
)
from tongban.skills.models import Appointment, LimitBreakingRequest
from tongban.web.generic import Column, ObjectDetailView, ObjectListView, attach_errors


def is_enterprise_hr(user: Any) -> bool:
    return is_platform_admin(user) or any(a.role == Role.ENTERPRISE_HR for a in assignments(user))


class ServiceCreateView(ABC):
    """A create page: the form parses, one service decides and writes (refusals go back
    onto the form's fields), then the new object's page."""

    form_class: ClassVar[type[forms.Form]]
    title: ClassVar[Any]
    cancel_url_name: ClassVar[str]

    @classmethod
    def as_view(cls) -> Any:
        @login_required
        def view(request: HttpRequest) -> HttpResponse:
            return cls().dispatch(request)

        return view

    @abstractmethod
    def allowed(self, user: Any) -> bool:
        """Whether ``user`` may open this page at all (404 otherwise)."""

    @abstractmethod
    def perform(self, user: Any, data: dict[str, Any]) -> tuple[str, models.Model]:
        """Call the service; return the URL name of the result's page and the result."""

    def dispatch(self, request: HttpRequest) -> HttpResponse:
        if not self.allowed(request.user):
            raise Http404
        form = self.form_class(
            request.POST if request.method == "POST" else None,
            user=request.user,  # type: ignore[call-arg]
        )
        if request.method == "POST" and form.is_valid():
            try:
                url_name, obj = self.perform(request.user, form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                return HttpResponseRedirect(reverse(url_name, args=[obj.pk]))
        return render(
            request,
            "web/object_edit.html",
            {
                "title": self.title,
                "form": form,
                "object": None,
                "cancel_url": reverse(self.cancel_url_name),
            },
        )


def _person(data: dict[str, Any]) -> Any:
    return services.applicant(data["document_number"], data["name"])


class DirectCertificationCreate(ServiceCreateView):
    form_class = DirectCertificationForm
    title = gettext_lazy("直接认定")
    cancel_url_name = "skills:certificate_list"

    def allowed(self, user: Any) -> bool:
        return is_enterprise_hr(user)

    def perform(self, user: Any, data: dict[str, Any]) -> tuple[str, models.Model]:
        certificate = services.direct_certification(
            _person(data),
            data["occupation"],
            data["level"],
            user=user,
            performance=data["performance"],
            site_code=data["site_code"],
        )
        return "skills:certificate_detail", certificate


class ExceptionalPromotionCreate(ServiceCreateView):
    form_class = ExceptionalPromotionForm
    title = gettext_lazy("破格晋升")
    cancel_url_name = "skills:certificate_list"

    def allowed(self, user: Any) -> bool:
        return is_enterprise_hr(user)

    def perform(self, user: Any, data: dict[str, Any]) -> tuple[str, models.Model]:
        certificate = services.exceptional_promotion(
            _person(data),
            data["occupation"],
            data["level"],
            user=user,
            grounds=[data["grounds"]],
            evidence=data["evidence"],
            site_code=data["site_code"],
        )
        return "skills:certificate_detail", certificate


class LimitBreakingRequestCreate(ServiceCreateView):
    form_class = LimitBreakingRequestForm
    title = gettext_lazy("新增打破限制认定申请")
    cancel_url_name = "skills:limitbreakingrequest_list"

    def allowed(self, user: Any) -> bool:
        return has_any(user, "skills.limitbreakingrequest", "add")

    def perform(self, user: Any, data: dict[str, Any]) -> tuple[str, models.Model]:
        request = services.request_breaking_limits(
            _person(data),
            data["occupation"],
            data["level"],
            user=user,
            evidence=data["evidence"],
            site_code=data["site_code"],
        )
        return "skills:limitbreakingrequest_detail", request


class AppointmentCreate(ServiceCreateView):
    form_class = AppointmentForm
    title = gettext_lazy("新增特级技师、首席技师聘任")
    cancel_url_name = "skills:appointment_list"

    def allowed(self, user: Any) -> bool:
        return has_any(user, "skills.appointment", "add")

    def perform(self, user: Any, data: dict[str, Any]) -> tuple[str, models.Model]:
        appointment = services.appoint(
            _person(data), data["occupation"], data["level"], employer=data["employer"], user=user
        )
        return "skills:appointment_detail", appointment


class LimitBreakingRequestList(ObjectListView):
    url_namespace = "skills"
    model = LimitBreakingRequest
    filterset_class = LimitBreakingRequestFilterSet
    default_sort = "-created_at"
    columns = [
        Column("person.name", gettext_lazy("职工"), link=True),
        Column("evaluator", gettext_lazy("申报企业")),
        Column("occupation.name", gettext_lazy("职业")),
        Column("level", gettext_lazy("技能等级")),
        Column("created_at", gettext_lazy("提交时间"), sort="created_at"),
        Column("status", gettext_lazy("状态"), sort="status"),
    ]
    select_related = ("person", "evaluator__organization", "occupation", "level")


class AppointmentList(ObjectListView):
    url_namespace = "skills"
    model = Appointment
    filterset_class = AppointmentFilterSet
    default_sort = "-appointed_on"
    columns = [
        Column("person.name", gettext_lazy("人员"), link=True),
        Column("employer", gettext_lazy("用人单位")),
        Column("occupation.name", gettext_lazy("职业")),
        Column("level", gettext_lazy("岗位等级")),
        Column("appointed_on", gettext_lazy("聘任日期"), sort="appointed_on"),
        Column("status", gettext_lazy("状态"), sort="status"),
    ]
    select_related = ("person", "employer", "occupation", "level")


class _WorkflowDetail(ObjectDetailView):
    url_namespace = "skills"
    template_name = "skills/workflow_detail.html"

    def extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {
            "transitions": workflow.available(obj, request.user),
            "transition_url_prefix": reverse(f"skills:{obj._meta.model_name}_detail", args=[obj.pk])
            + "transitions/",
            "timeline": workflow.timeline(obj),
            "error": request.GET.get("error", ""),
            "certificate": getattr(obj, "certificate", None),
        }


class LimitBreakingRequestDetail(_WorkflowDetail):
    model = LimitBreakingRequest
    fields = [
        Column("person", gettext_lazy("职工")),
        Column("evaluator", gettext_lazy("申报企业")),
        Column("occupation", gettext_lazy("职业")),
        Column("level", gettext_lazy("技能等级")),
        Column("site_code", gettext_lazy("考核站点代码")),
        Column("evidence", gettext_lazy("业绩证明材料")),
        Column("created_at", gettext_lazy("提交时间")),
        Column("status", gettext_lazy("状态")),
    ]


class AppointmentDetail(_WorkflowDetail):
    model = Appointment
    fields = [
        Column("person", gettext_lazy("人员")),
        Column("employer", gettext_lazy("用人单位")),
        Column("occupation", gettext_lazy("职业")),
        Column("level", gettext_lazy("岗位等级")),
        Column("appointed_on", gettext_lazy("聘任日期")),
        Column("registered_on", gettext_lazy("人社部门登记日期")),
        Column("status", gettext_lazy("状态")),
    ]


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "；".join(str(m) for errors in exc.message_dict.values() for m in errors)
    return "；".join(str(m) for m in exc.messages)


def _fire(request: HttpRequest, obj: Any, name: str) -> HttpResponse:
    url = reverse(f"skills:{obj._meta.model_name}_detail", args=[obj.pk])
    reason = request.POST.get("reason", "")
    try:
        if isinstance(obj, LimitBreakingRequest) and name == "approve":
            services.approve_breaking_limits(obj, user=request.user)
        elif isinstance(obj, Appointment) and name == "register":
            services.register_appointment(obj, user=request.user)
        else:
            workflow.fire(obj, name, user=request.user, reason=reason)
    except ValidationError as exc:
        return HttpResponseRedirect(url + "?" + urlencode({"error": _messages(exc)}))
    return HttpResponseRedirect(url)


@login_required
@require_POST
def limitbreakingrequest_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    obj = get_scoped(LimitBreakingRequest.objects.all(), request.user, "view", pk=pk)
    return _fire(request, obj, name)


@login_required
@require_POST
def appointment_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    obj = get_scoped(Appointment.objects.all(), request.user, "view", pk=pk)
    return _fire(request, obj, name)


def route_links(user: Any) -> list[tuple[str, str]]:
    """(url name, label) of the route pages ``user`` may open (home page buttons)."""
    links = []
    if is_enterprise_hr(user):
        links += [
            ("skills:direct_certification", _("直接认定")),
            ("skills:exceptional_promotion", _("破格晋升")),
        ]
    return links
