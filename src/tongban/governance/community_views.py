"""Pages for grids, patrols, screening campaigns, volunteers and the practice network.
Views parse input and call one service; the rules live in the models and services."""

from __future__ import annotations

import datetime
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
from tongban.core.masking import mask_phone
from tongban.core.permissions import has_any
from tongban.governance import campaigns, patrols, practice, volunteers
from tongban.governance import community_forms as f
from tongban.governance import filtersets as fs
from tongban.governance.models import (
    Grid,
    PatrolAnswer,
    PatrolTask,
    PracticeActivity,
    PracticeSite,
    ScreeningCampaign,
    ScreeningTarget,
    ServiceSession,
    Volunteer,
    VolunteerDemand,
    VolunteerPairing,
    VolunteerResource,
    VolunteerTeam,
)
from tongban.web.generic import (
    Column,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    attach_errors,
)

NS = "governance"


def _phone(attr: str) -> Any:
    return lambda obj: mask_phone(getattr(obj, attr))


# --- grids --------------------------------------------------------------------------------


class GridList(ObjectListView):
    url_namespace = NS
    template_name = "governance/community_list.html"
    model = Grid
    filterset_class = fs.GridFilterSet
    default_sort = "code"
    select_related = ("region",)
    columns = [
        Column("code", gettext_lazy("网格编号"), sort="code", link=True),
        Column("name", gettext_lazy("网格名称"), sort="name"),
        Column("region.name", gettext_lazy("所在村（社区）")),
        Column(
            "workers",
            gettext_lazy("网格员"),
            render=lambda g: "、".join(u.get_full_name() or u.username for u in g.workers.all()),
        ),
        Column("households", gettext_lazy("户数")),
        Column("active", gettext_lazy("启用")),
    ]


class GridDetail(ObjectDetailView):
    url_namespace = NS
    model = Grid
    template_name = "governance/grid_detail.html"
    fields = GridList.columns

    def extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {
            "tasks": PatrolTask.objects.restrict(request.user).filter(grid=obj)[:50],
            "events": obj.events.restrict(request.user).select_related("category")[:50],
        }


def _edit(request: HttpRequest, form_class: Any, instance: Any, title: str, back: str) -> Any:
    """A create/edit page whose form has many-to-many fields (saved after the record)."""
    form = form_class(
        request.POST if request.method == "POST" else None, instance=instance, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            from django.db import transaction

            with transaction.atomic():
                saved = core_services.save_record(form.instance, user=request.user)
                form.save_m2m()
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            return saved
    return render(
        request,
        "web/object_edit.html",
        {"title": title, "form": form, "object": instance, "cancel_url": back},
    )


@login_required
def grid_add(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if pk is None:
        if not has_any(request.user, "governance.grid", "add"):
            raise Http404
        grid = Grid()
    else:
        grid = core_services.get_scoped(Grid.objects.all(), request.user, "change", pk=pk)
    result = _edit(
        request,
        f.GridForm,
        grid,
        _("新增网格") if pk is None else _("修改网格"),
        reverse("governance:grid_list"),
    )
    if isinstance(result, Grid):
        return HttpResponseRedirect(reverse("governance:grid_detail", args=[result.pk]))
    return result


# --- patrols ------------------------------------------------------------------------------


class PatrolTaskList(ObjectListView):
    url_namespace = NS
    template_name = "governance/community_list.html"
    model = PatrolTask
    filterset_class = fs.PatrolTaskFilterSet
    default_sort = "due_on"
    select_related = ("grid", "template", "assignee")
    columns = [
        Column("place", gettext_lazy("巡查对象（地点）"), link=True),
        Column("grid.name", gettext_lazy("网格")),
        Column("template.name", gettext_lazy("巡查清单")),
        Column("assignee.username", gettext_lazy("巡查网格员")),
        Column("due_on", gettext_lazy("巡查期限"), sort="due_on"),
        Column("status", gettext_lazy("状态"), sort="status"),
        Column("failed_checks", gettext_lazy("未通过项数")),
    ]


@login_required
def patrol_add(request: HttpRequest) -> HttpResponse:
    """Assign a patrol task (a dispatcher) or start one (a grid worker), through the service."""
    if not has_any(request.user, "governance.patroltask", "add"):
        raise Http404
    form = f.PatrolTaskForm(
        request.POST if request.method == "POST" else None,
        instance=PatrolTask(),
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            task = patrols.assign_patrol(form.instance, user=request.user)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("巡查任务已派发"))
            return HttpResponseRedirect(reverse("governance:patroltask_detail", args=[task.pk]))
    return render(
        request,
        "web/object_edit.html",
        {
            "title": _("派发巡查任务"),
            "form": form,
            "object": None,
            "cancel_url": reverse("governance:patroltask_list"),
        },
    )


@login_required
def patrol_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The phone-sized patrol page: the checklist to answer, or the answers given."""
    task = core_services.get_scoped(
        PatrolTask.objects.select_related("grid__region", "template", "assignee"),
        request.user,
        "view",
        pk=pk,
    )
    offered = workflow.available(task, request.user)
    can_submit = any(t.name == "submit" for t in offered)
    errors: list[str] = []
    chosen: dict[str, str] = {}
    if request.method == "POST" and can_submit:
        items = list(task.template.items.all())
        given = {}
        for item in items:
            value = request.POST.get(f"item-{item.pk}", "")
            chosen[str(item.pk)] = value
            given[item.pk] = patrols.Answer(value, request.POST.get(f"note-{item.pk}", ""))
        try:
            task = patrols.submit_patrol(task, given, user=request.user)
        except ValidationError as exc:
            errors = exc.messages
        else:
            if task.failed_checks:
                messages.warning(
                    request,
                    _("巡查已提交，%(n)s 项未通过，已生成安全隐患事件") % {"n": task.failed_checks},
                )
            else:
                messages.success(request, _("巡查已提交，全部通过"))
            return HttpResponseRedirect(reverse("governance:patroltask_detail", args=[task.pk]))
    return render(
        request,
        "governance/patrol_detail.html",
        {
            "title": str(task),
            "task": task,
            "items": task.template.items.all(),
            "answers": PatrolAnswer.objects.filter(task=task).select_related("item", "event"),
            "can_submit": can_submit,
            "errors": errors,
            "chosen": chosen,
            "transitions": [t for t in offered if t.name != "submit"],
            "transition_url_prefix": reverse("governance:patroltask_detail", args=[task.pk])
            + "transitions/",
            "timeline": workflow.timeline(task),
        },
    )


def _fire(request: HttpRequest, obj: Any, name: str, url: str, **kwargs: Any) -> HttpResponse:
    try:
        workflow.fire(obj, name, user=request.user, reason=request.POST.get("reason", ""), **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("操作成功"))
    return HttpResponseRedirect(url)


@login_required
@require_POST
def patrol_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    task = core_services.get_scoped(PatrolTask.objects.all(), request.user, "view", pk=pk)
    if name == "submit":
        raise Http404
    return _fire(request, task, name, reverse("governance:patroltask_detail", args=[pk]))


# --- screening campaigns --------------------------------------------------------------------


class CampaignList(ObjectListView):
    url_namespace = NS
    template_name = "governance/community_list.html"
    model = ScreeningCampaign
    filterset_class = fs.ScreeningCampaignFilterSet
    default_sort = "-start"
    select_related = ("region",)
    columns = [
        Column("name", gettext_lazy("排查名称"), link=True),
        Column("kind", gettext_lazy("排查类型")),
        Column("region.name", gettext_lazy("排查区域")),
        Column("start", gettext_lazy("开始日期"), sort="start"),
        Column("end", gettext_lazy("结束日期"), sort="end"),
    ]


class CampaignAdd(ObjectEditView):
    url_namespace = NS
    model = ScreeningCampaign
    form_class = f.CampaignForm


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = core_services.get_scoped(
        ScreeningCampaign.objects.select_related("region"), request.user, "view", pk=pk
    )
    can_list = ScreeningCampaign.objects.restrict(request.user, "change").filter(pk=pk).exists()
    form = f.TargetsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and can_list and form.is_valid():
        try:
            n = campaigns.add_targets(campaign, form.cleaned_data["targets"], user=request.user)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已加入 %(n)s 个排查对象") % {"n": n})
            return HttpResponseRedirect(reverse("governance:screeningcampaign_detail", args=[pk]))
    targets = (
        ScreeningTarget.objects.restrict(request.user)
        .filter(campaign=campaign)
        .select_related("region", "grid")
        .prefetch_related("events")
        .order_by("visited_on", "region_id", "pk")
    )
    return render(
        request,
        "governance/campaign_detail.html",
        {
            "title": campaign.name,
            "campaign": campaign,
            "coverage": campaigns.campaign_coverage(campaign, request.user),
            "by_village": campaigns.coverage_by_village(campaign, request.user),
            "targets": [(t, mask_phone(t.contact_phone)) for t in targets[:500]],
            "form": form if can_list else None,
            "can_visit": has_any(request.user, "governance.screeningtarget", "change"),
        },
    )


@login_required
def target_visit(request: HttpRequest, pk: int) -> HttpResponse:
    target = core_services.get_scoped(
        ScreeningTarget.objects.select_related("campaign", "region"), request.user, "change", pk=pk
    )
    initial = {
        "visited_on": target.visited_on or timezone.localdate(),
        "disputes": target.disputes_found,
        "hazards": target.hazards_found,
        "findings": target.findings,
    }
    form = f.VisitForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaigns.record_visit(
                target,
                user=request.user,
                visited_on=data["visited_on"],
                disputes=data["disputes"],
                hazards=data["hazards"],
                findings=data["findings"],
                report_category=data["report_category"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("走访已登记"))
            return HttpResponseRedirect(
                reverse("governance:screeningcampaign_detail", args=[target.campaign_id])
            )
    return render(
        request,
        "web/object_edit.html",
        {
            "title": _("登记走访：%(t)s") % {"t": target},
            "form": form,
            "object": target,
            "cancel_url": reverse("governance:screeningcampaign_detail", args=[target.campaign_id]),
        },
    )


# --- volunteers ---------------------------------------------------------------------------


class TeamList(ObjectListView):
    url_namespace = NS
    template_name = "governance/community_list.html"
    model = VolunteerTeam
    filterset_class = fs.VolunteerTeamFilterSet
    default_sort = "name"
    select_related = ("region",)
    columns = [
        Column("name", gettext_lazy("队伍名称"), sort="name", link=True),
        Column("region.name", gettext_lazy("所在地区")),
        Column("service_type", gettext_lazy("服务类别")),
        Column("leader_name", gettext_lazy("负责人")),
        Column("leader_phone", gettext_lazy("负责人电话"), render=_phone("leader_phone")),
        Column("active", gettext_lazy("在册")),
    ]


class TeamDetail(ObjectDetailView):
    url_namespace = NS
    model = VolunteerTeam
    fields = TeamList.columns


class TeamAdd(ObjectEditView):
    url_namespace = NS
    model = VolunteerTeam
    form_class = f.TeamForm


class VolunteerList(ObjectListView):
    url_namespace = NS
    template_name = "governance/community_list.html"
    model = Volunteer
    filterset_class = fs.VolunteerFilterSet
    default_sort = "name"
    select_related = ("region", "team")
    columns = [
        Column("name", gettext_lazy("姓名"), sort="name", link=True),
        Column("phone", gettext_lazy("联系电话"), render=_phone("phone")),
        Column("region.name", gettext_lazy("所在地区")),
        Column("team.name", gettext_lazy("所属队伍")),
        Column("skills", gettext_lazy("特长")),
        Column("active", gettext_lazy("在册")),
    ]


class VolunteerDetail(ObjectDetailView):
    url_namespace = NS
    model = Volunteer
    fields = VolunteerList.columns


class VolunteerAdd(ObjectEditView):
    url_namespace = NS
    model = Volunteer
    form_class = f.VolunteerForm


class ResourceList(ObjectListView):
    url_namespace = NS
    template_name = "governance/community_list.html"
    model = VolunteerResource
    filterset_class = fs.VolunteerResourceFilterSet
    default_sort = "-created_at"
    select_related = ("region", "team", "volunteer")
    columns = [
        Column("title", gettext_lazy("资源名称"), link=True),
        Column("service_type", gettext_lazy("服务类别")),
        Column("team.name", gettext_lazy("提供队伍")),
        Column("volunteer.name", gettext_lazy("提供志愿者")),
        Column("region.name", gettext_lazy("服务地区")),
        Column("active", gettext_lazy("可提供")),
        Column("created_at", gettext_lazy("登记时间"), sort="created_at"),
    ]


class ResourceDetail(ObjectDetailView):
    url_namespace = NS
    model = VolunteerResource
    fields = ResourceList.columns


class ResourceAdd(ObjectEditView):
    url_namespace = NS
    model = VolunteerResource
    form_class = f.ResourceForm


class DemandList(ObjectListView):
    url_namespace = NS
    template_name = "governance/community_list.html"
    model = VolunteerDemand
    filterset_class = fs.VolunteerDemandFilterSet
    default_sort = "-created_at"
    select_related = ("region",)
    columns = [
        Column("title", gettext_lazy("需求"), link=True),
        Column("service_type", gettext_lazy("服务类别")),
        Column("region.name", gettext_lazy("所在村（社区）")),
        Column("requester_name", gettext_lazy("点单人")),
        Column("status", gettext_lazy("状态"), sort="status"),
        Column("created_at", gettext_lazy("点单时间"), sort="created_at"),
    ]


@login_required
def demand_add(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, "governance.volunteerdemand", "add"):
        raise Http404
    form = f.DemandForm(
        request.POST if request.method == "POST" else None,
        instance=VolunteerDemand(),
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            demand = volunteers.register_demand(form.instance, user=request.user)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("点单已登记"))
            return HttpResponseRedirect(
                reverse("governance:volunteerdemand_detail", args=[demand.pk])
            )
    return render(
        request,
        "web/object_edit.html",
        {
            "title": _("志愿服务点单"),
            "form": form,
            "object": None,
            "cancel_url": reverse("governance:volunteerdemand_list"),
        },
    )


@login_required
def demand_detail(request: HttpRequest, pk: int) -> HttpResponse:
    demand = core_services.get_scoped(
        VolunteerDemand.objects.select_related("region"), request.user, "view", pk=pk
    )
    offered = workflow.available(demand, request.user)
    can_pair = any(t.name == "pair" for t in offered)
    form = f.PairingForm(
        request.POST if request.method == "POST" else None,
        instance=VolunteerPairing(demand=demand),
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            pairing = volunteers.pair_demand(form.instance, user=request.user)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已派单"))
            return HttpResponseRedirect(
                reverse("governance:volunteerpairing_detail", args=[pairing.pk])
            )
    return render(
        request,
        "governance/demand_detail.html",
        {
            "title": demand.title,
            "demand": demand,
            "requester_phone": mask_phone(demand.requester_phone),
            "pairings": demand.pairings.select_related("team", "volunteer"),
            "form": form if can_pair or form.is_bound else None,
            "transitions": [t for t in offered if t.name == "cancel"],
            "transition_url_prefix": reverse("governance:volunteerdemand_detail", args=[pk])
            + "transitions/",
            "timeline": workflow.timeline(demand),
        },
    )


@login_required
@require_POST
def demand_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    demand = core_services.get_scoped(VolunteerDemand.objects.all(), request.user, "view", pk=pk)
    if name != "cancel":  # the others follow the pairing
        raise Http404
    return _fire(request, demand, name, reverse("governance:volunteerdemand_detail", args=[pk]))


class PairingList(ObjectListView):
    url_namespace = NS
    template_name = "governance/community_list.html"
    model = VolunteerPairing
    filterset_class = fs.VolunteerPairingFilterSet
    default_sort = "-created_at"
    select_related = ("demand", "team", "volunteer")
    columns = [
        Column("demand.title", gettext_lazy("需求"), link=True),
        Column("provider", gettext_lazy("接单方")),
        Column("status", gettext_lazy("状态"), sort="status"),
        Column("rating", gettext_lazy("评分")),
        Column("created_at", gettext_lazy("派单时间"), sort="created_at"),
    ]


@login_required
def pairing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = core_services.get_scoped(
        VolunteerPairing.objects.select_related("demand__region", "team", "volunteer"),
        request.user,
        "view",
        pk=pk,
    )
    offered = workflow.available(pairing, request.user)
    session_form = f.SessionForm(
        request.POST if request.method == "POST" else None,
        instance=ServiceSession(pairing=pairing),
        initial={"served_on": timezone.localdate()},
    )
    if request.method == "POST" and session_form.is_valid():
        try:
            volunteers.record_session(session_form.instance, user=request.user)
        except ValidationError as exc:
            attach_errors(session_form, exc)
        else:
            messages.success(request, _("服务记录已登记"))
            return HttpResponseRedirect(reverse("governance:volunteerpairing_detail", args=[pk]))
    can_record = pairing.status == "accepted" and (
        VolunteerPairing.objects.restrict(request.user, "change").filter(pk=pk).exists()
    )
    return render(
        request,
        "governance/pairing_detail.html",
        {
            "title": str(pairing),
            "pairing": pairing,
            "sessions": pairing.sessions.all(),
            "session_form": session_form if can_record else None,
            "transitions": [
                t for t in offered if t.name not in volunteers.SPECIAL_PAIRING_TRANSITIONS
            ],
            "can_rate": any(t.name == "rate" for t in offered),
            "transition_url_prefix": reverse("governance:volunteerpairing_detail", args=[pk])
            + "transitions/",
            "timeline": workflow.timeline(pairing),
        },
    )


@login_required
@require_POST
def pairing_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    pairing = core_services.get_scoped(VolunteerPairing.objects.all(), request.user, "view", pk=pk)
    kwargs: dict[str, Any] = {}
    if name == "rate":
        kwargs = {"score": request.POST.get("score"), "comment": request.POST.get("comment", "")}
    try:
        volunteers.fire_pairing_transition(
            pairing, name, user=request.user, reason=request.POST.get("reason", ""), **kwargs
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("操作成功"))
    return HttpResponseRedirect(reverse("governance:volunteerpairing_detail", args=[pk]))


# --- civilisation-practice network ------------------------------------------------------------


class PracticeSiteList(ObjectListView):
    url_namespace = NS
    template_name = "governance/community_list.html"
    model = PracticeSite
    filterset_class = fs.PracticeSiteFilterSet
    default_sort = "level"
    select_related = ("region", "parent")
    columns = [
        Column("name", gettext_lazy("名称"), sort="name", link=True),
        Column("level", gettext_lazy("层级"), sort="level"),
        Column("region.name", gettext_lazy("所在地区")),
        Column("parent.name", gettext_lazy("上级阵地")),
        Column("active", gettext_lazy("运行中")),
    ]


class PracticeSiteDetail(ObjectDetailView):
    url_namespace = NS
    model = PracticeSite
    fields = PracticeSiteList.columns


class PracticeSiteAdd(ObjectEditView):
    url_namespace = NS
    model = PracticeSite
    form_class = f.PracticeSiteForm


class PracticeActivityList(ObjectListView):
    url_namespace = NS
    template_name = "governance/community_list.html"
    model = PracticeActivity
    filterset_class = fs.PracticeActivityFilterSet
    default_sort = "-held_on"
    select_related = ("site",)
    columns = [
        Column("title", gettext_lazy("活动名称"), link=True),
        Column("site.name", gettext_lazy("文明实践阵地")),
        Column("held_on", gettext_lazy("活动日期"), sort="held_on"),
        Column("participants", gettext_lazy("参与群众人数"), sort="participants"),
        Column("volunteers", gettext_lazy("参与志愿者人数")),
    ]


class PracticeActivityDetail(ObjectDetailView):
    url_namespace = NS
    model = PracticeActivity
    fields = PracticeActivityList.columns


class PracticeActivityAdd(ObjectEditView):
    url_namespace = NS
    model = PracticeActivity
    form_class = f.PracticeActivityForm


# --- the dashboard ----------------------------------------------------------------------------


def _date(value: str | None, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return default


def period_of(request: HttpRequest) -> tuple[datetime.date, datetime.date, str]:
    today = timezone.localdate()
    start = _date(request.GET.get("start"), today.replace(month=1, day=1))
    end = _date(request.GET.get("end"), today)
    return start, max(start, end), request.GET.get("within", "").strip()


@login_required
def community_dashboard(request: HttpRequest) -> HttpResponse:
    """Patrols, screening coverage, volunteer counts and the practice network per level, for
    what the user sees, within a region and a period."""
    if not has_any(request.user, "governance.grid", "view"):
        raise Http404
    start, end, within = period_of(request)
    return render(
        request,
        "governance/community_dashboard.html",
        {
            "title": _("网格与志愿看板"),
            "start": start,
            "end": end,
            "within": within,
            "patrols": patrols.figures(request.user, start, end, within),
            "campaigns": campaigns.campaigns_in_period(request.user, start, end, within),
            "levels": practice.counts_per_level(request.user, start, end, within),
            "volunteer": volunteers.counts(request.user, start, end, within),
        },
    )
