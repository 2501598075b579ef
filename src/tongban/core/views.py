"""Registry pages: declarations of the generic views, plus the reveal and lookup endpoints."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from tongban.core import forms, services
from tongban.core.filtersets import (
    EmploymentFilterSet,
    OrganizationFilterSet,
    PersonFilterSet,
    RegionFilterSet,
)
from tongban.core.models import Employment, Organization, Person, PersonalDataAccess, Region
from tongban.core.permissions import Role, assignments, has_any, is_platform_admin
from tongban.web.generic import Column, ObjectDetailView, ObjectEditView, ObjectListView


def region_path(obj: Any) -> str:
    region = getattr(obj, "residence_region", None) or getattr(obj, "region", None)
    return region.full_name if region is not None else ""


def healthz(request: HttpRequest) -> HttpResponse:
    """A trivial view: liveness probe, and the baseline the benchmarks compare against."""
    return HttpResponse("ok", content_type="text/plain")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    roles = assignments(user)
    counts = []
    for model, label in ((Person, "core.person"), (Organization, "core.organization")):
        if has_any(user, label, "view"):
            counts.append((model._meta.verbose_name_plural, model.objects.restrict(user).count()))
    own_person = Person.objects.filter(user__pk=user.pk).first() if user.pk else None
    actions = []
    if has_any(user, "core.person", "view"):
        actions.append(("core:person_list", _("查找人员")))
    if has_any(user, "core.person", "add"):
        actions.append(("core:person_add", _("新增人员")))
    if has_any(user, "core.organization", "add"):
        actions.append(("core:organization_add", _("新增单位")))
    if has_any(user, "core.employment", "view") and not own_person:
        actions.append(("core:employment_list", _("从业经历")))
    from tongban.core.import_pages import importable_kinds

    if importable_kinds(user):
        actions.append(("core:import_index", _("批量导入")))
    for config in apps.get_app_configs():
        hook = getattr(config, "home_actions", None)
        if hook is not None:
            actions.extend(hook(user))
    return render(
        request,
        "core/home.html",
        {
            "title": _("首页"),
            "roles": roles,
            "is_admin": is_platform_admin(user),
            "counts": counts,
            "actions": actions,
            "own_person": own_person,
            "is_worker": any(a.role == Role.WORKER for a in roles),
        },
    )


class RegionList(ObjectListView):
    model = Region
    filterset_class = RegionFilterSet
    default_sort = "code"
    columns = [
        Column("code", _("区划代码"), sort="code", link=True),
        Column("name", _("名称"), sort="name"),
        Column("level", _("级别"), sort="level"),
        Column("parent.name", _("上级区划")),
    ]
    select_related = ("parent",)


class RegionDetail(ObjectDetailView):
    model = Region
    template_name = "core/region_detail.html"
    fields = [
        Column("code", _("区划代码")),
        Column("name", _("名称")),
        Column("level", _("级别")),
        Column("full_name", _("完整名称")),
        Column("dataset", _("数据版本")),
    ]

    def extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"children": obj.children.order_by("code")[:500]}


class OrganizationList(ObjectListView):
    model = Organization
    filterset_class = OrganizationFilterSet
    default_sort = "name"
    columns = [
        Column("name", _("单位名称"), sort="name", link=True),
        Column("credit_code", _("统一社会信用代码"), sort="credit_code"),
        Column("kind", _("单位类型"), sort="kind"),
        Column("region", _("所在地区"), render=region_path),
    ]
    select_related = ("region",)


class OrganizationDetail(ObjectDetailView):
    model = Organization
    fields = [
        Column("name", _("单位名称")),
        Column("credit_code", _("统一社会信用代码")),
        Column("kind", _("单位类型")),
        Column("region", _("所在地区"), render=region_path),
        Column("parent.name", _("上级单位")),
        Column("created_at", _("创建时间")),
        Column("updated_at", _("更新时间")),
    ]


class OrganizationEdit(ObjectEditView):
    model = Organization
    form_class = forms.OrganizationForm


class PersonList(ObjectListView):
    model = Person
    filterset_class = PersonFilterSet
    default_sort = "name_pinyin"
    columns = [
        Column("name", _("姓名"), sort="name_pinyin", link=True),
        Column("document_type", _("证件类型")),
        Column("document_number", _("证件号码"), mask=True),
        Column("gender", _("性别"), sort="gender"),
        Column("birth_date", _("出生日期"), sort="birth_date"),
        Column("residence_region", _("常住地区"), render=region_path),
        Column("mobile", _("手机号码"), mask=True),
    ]
    select_related = ("residence_region",)


class PersonDetail(ObjectDetailView):
    model = Person
    template_name = "core/person_detail.html"
    fields = [
        Column("name", _("姓名")),
        Column("document_type", _("证件类型")),
        Column("gender", _("性别")),
        Column("birth_date", _("出生日期")),
        Column("residence_region", _("常住地区"), render=region_path),
        Column("education", _("最高学历")),
        Column("registered_by.name", _("登记单位")),
        Column("updated_at", _("更新时间")),
    ]

    def extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        employments = (
            Employment.objects.restrict(request.user)
            .filter(person=obj)
            .select_related("organization")
        )
        sections = []
        for config in apps.get_app_configs():
            hook = getattr(config, "person_sections", None)
            if hook is not None:
                sections.extend(hook(request, obj))
        return {
            "sections": sections,
            "masked": services.masked_personal_data(obj),
            "can_reveal": Person.objects.restrict(request.user, "reveal")
            .filter(pk=obj.pk)
            .exists(),
            "employments": employments,
            "can_add_employment": has_any(request.user, "core.employment", "add"),
        }


class PersonEdit(ObjectEditView):
    model = Person
    form_class = forms.PersonForm


class EmploymentList(ObjectListView):
    model = Employment
    filterset_class = EmploymentFilterSet
    default_sort = "-start_date"
    columns = [
        Column("person.name", _("姓名"), link=True),
        Column("organization.name", _("用人单位")),
        Column("post", _("岗位")),
        Column("occupation_code", _("职业代码"), sort="occupation_code"),
        Column("start_date", _("入职日期"), sort="start_date"),
        Column("end_date", _("离职日期"), sort="end_date"),
        Column("frontline", _("一线岗位")),
    ]
    select_related = ("person", "organization")


class EmploymentDetail(ObjectDetailView):
    model = Employment
    fields = [
        Column("person.name", _("姓名")),
        Column("organization.name", _("用人单位")),
        Column("post", _("岗位")),
        Column("occupation_code", _("职业代码")),
        Column("start_date", _("入职日期")),
        Column("end_date", _("离职日期")),
        Column("frontline", _("一线岗位")),
    ]


class EmploymentEdit(ObjectEditView):
    model = Employment
    form_class = forms.EmploymentForm

    def initial(self, request: HttpRequest) -> dict[str, Any]:
        return {"person": request.GET.get("person")}


@login_required
@require_POST
def person_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    person = services.get_scoped(Person.objects.all(), request.user, "reveal", pk=pk)
    data = services.reveal_personal_data(
        person,
        user=request.user,
        channel=PersonalDataAccess.Channel.WEB,
        purpose=request.POST.get("purpose", ""),
        remote_addr=request.META.get("REMOTE_ADDR"),
    )
    return render(request, "core/_personal_data.html", {"data": data, "revealed": True})


def lookup_text(request: HttpRequest) -> str:
    """The typed text of a lookup box: ``q``, or the box's own field name as htmx sends it."""
    values = [request.GET.get("q", "")] + [str(request.GET.get(k, "")) for k in request.GET]
    return next((v.strip() for v in values if v.strip()), "")


@login_required
def region_options(request: HttpRequest) -> HttpResponse:
    q = lookup_text(request)
    regions = Region.objects.none()
    if q:
        condition = Q(code__startswith=q) if q.isdigit() else Q(name__contains=q)
        regions = Region.objects.filter(condition).select_related("parent").order_by("code")[:20]
    return render(
        request, "web/_options.html", {"options": [(r.code, r.full_name) for r in regions]}
    )


@login_required
def organization_options(request: HttpRequest) -> HttpResponse:
    q = lookup_text(request)
    options: list[tuple[Any, str]] = []
    if q:
        orgs = (
            Organization.objects.restrict(request.user)
            .filter(Q(name__contains=q) | Q(credit_code=q.upper()))
            .order_by("name")[:20]
        )
        options = [(o.pk, f"{o.name}（{o.credit_code or '-'}）") for o in orgs]
    return render(request, "web/_options.html", {"options": options})


class PasswordChange(auth_views.PasswordChangeView):
    """Change one's own password; the rules are ``AUTH_PASSWORD_VALIDATORS`` (at least 10
    characters, not common, not all digits, not like the user's name)."""

    template_name = "web/object_edit.html"
    success_url = reverse_lazy("home")
    extra_context = {"title": _("修改密码"), "cancel_url": reverse_lazy("home")}

    def form_valid(self, form: Any) -> HttpResponse:
        messages.success(self.request, _("密码已修改。"))
        return super().form_valid(form)
