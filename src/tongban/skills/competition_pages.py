"""Pages of competitions and awards: lists and details are the generic declarations;
entering people, recording results and publishing each call one service."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tongban.core import workflow
from tongban.core.permissions import has_any
from tongban.core.services import get_scoped
from tongban.skills import awards, competitions, services
from tongban.skills.competition_forms import (
    AwardConferralForm,
    CompetitionForm,
    EntryForm,
    ResultForm,
)
from tongban.skills.filtersets import AwardConferralFilterSet, CompetitionFilterSet
from tongban.skills.models import AwardConferral, Competition, CompetitionStatus
from tongban.skills.route_pages import ServiceCreateView
from tongban.web.generic import Column, ObjectDetailView, ObjectEditView, ObjectListView


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "；".join(str(m) for errors in exc.message_dict.values() for m in errors)
    return "；".join(str(m) for m in exc.messages)


def _form_errors(form: Any) -> str:
    return "；".join(
        f"{form.fields[name].label}：{error}" if name in form.fields else str(error)
        for name, errors in form.errors.items()
        for error in errors
    )


def _back(pk: int, error: str = "") -> HttpResponseRedirect:
    url = reverse("skills:competition_detail", args=[pk])
    return HttpResponseRedirect(url + ("?" + urlencode({"error": error}) if error else ""))


class CompetitionList(ObjectListView):
    url_namespace = "skills"
    model = Competition
    filterset_class = CompetitionFilterSet
    default_sort = "-starts_on"
    columns = [
        Column("name", gettext_lazy("竞赛名称"), link=True),
        Column("level", gettext_lazy("竞赛级别"), sort="level"),
        Column("occupation.name", gettext_lazy("竞赛职业")),
        Column("team_size", gettext_lazy("比赛形式")),
        Column("starts_on", gettext_lazy("开始日期"), sort="starts_on"),
        Column("status", gettext_lazy("状态"), sort="status"),
    ]
    select_related = ("occupation",)


class CompetitionEdit(ObjectEditView):
    url_namespace = "skills"
    model = Competition
    form_class = CompetitionForm


class CompetitionDetail(ObjectDetailView):
    url_namespace = "skills"
    model = Competition
    template_name = "skills/competition_detail.html"
    fields = [
        Column("level", gettext_lazy("竞赛级别")),
        Column("occupation", gettext_lazy("竞赛职业")),
        Column("organiser", gettext_lazy("主办单位")),
        Column("region.full_name", gettext_lazy("主管地区")),
        Column("starts_on", gettext_lazy("开始日期")),
        Column("ends_on", gettext_lazy("结束日期")),
        Column("team_size", gettext_lazy("比赛形式")),
        Column("issuer", gettext_lazy("晋升证书发证机构")),
        Column("published_on", gettext_lazy("成绩公布日期")),
        Column("status", gettext_lazy("状态")),
    ]

    def extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        entries = obj.entries.prefetch_related(
            "entrants__person", "entrants__certificate__level", "entrants__conferrals__award_type"
        )
        can_change = (
            obj.status == CompetitionStatus.OPEN
            and Competition.objects.restrict(request.user, "change").filter(pk=obj.pk).exists()
        )
        return {
            "entries": entries,
            "can_change": can_change,
            "entry_form": EntryForm(team_size=obj.team_size),
            "result_form": ResultForm(),
            "transitions": workflow.available(obj, request.user),
            "transition_url_prefix": reverse("skills:competition_detail", args=[obj.pk])
            + "transitions/",
            "timeline": workflow.timeline(obj),
            "error": request.GET.get("error", ""),
        }


@login_required
@require_POST
def competition_enter(request: HttpRequest, pk: int) -> HttpResponse:
    competition = get_scoped(Competition.objects.all(), request.user, "change", pk=pk)
    form = EntryForm(request.POST, team_size=competition.team_size)
    if not form.is_valid():
        return _back(pk, _form_errors(form))
    try:
        people = [services.applicant(number, name) for number, name in form.people()]
        competitions.enter(
            competition,
            people,
            user=request.user,
            name=form.cleaned_data.get("team_name", ""),
        )
    except ValidationError as exc:
        return _back(pk, _messages(exc))
    return _back(pk)


@login_required
@require_POST
def competition_result(request: HttpRequest, pk: int) -> HttpResponse:
    competition = get_scoped(Competition.objects.all(), request.user, "change", pk=pk)
    form = ResultForm(request.POST)
    if not form.is_valid():
        return _back(pk, _form_errors(form))
    try:
        person = services.applicant(form.cleaned_data["document_number"], form.cleaned_data["name"])
        competitions.record_result(
            competition, person, form.cleaned_data["rank"], user=request.user
        )
    except ValidationError as exc:
        return _back(pk, _messages(exc))
    return _back(pk)


@login_required
@require_POST
def competition_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    competition = get_scoped(Competition.objects.all(), request.user, "view", pk=pk)
    try:
        if name == "publish":
            competitions.publish_results(competition, user=request.user)
        else:
            workflow.fire(
                competition, name, user=request.user, reason=request.POST.get("reason", "")
            )
    except ValidationError as exc:
        return _back(pk, _messages(exc))
    return _back(pk)


class AwardConferralList(ObjectListView):
    url_namespace = "skills"
    model = AwardConferral
    filterset_class = AwardConferralFilterSet
    default_sort = "-conferred_on"
    columns = [
        Column("person.name", gettext_lazy("获奖人"), link=True),
        Column("award_type.name", gettext_lazy("奖项")),
        Column(
            "award_type.level",
            gettext_lazy("奖项级别"),
            render=lambda o: o.award_type.get_level_display(),
        ),
        Column("conferred_on", gettext_lazy("授予日期"), sort="conferred_on"),
        Column("result.competition.name", gettext_lazy("竞赛成绩")),
    ]
    select_related = ("person", "award_type", "result__competition")


class AwardConferralDetail(ObjectDetailView):
    url_namespace = "skills"
    model = AwardConferral
    fields = [
        Column("person", gettext_lazy("获奖人")),
        Column("award_type", gettext_lazy("奖项")),
        Column(
            "award_type.level",
            gettext_lazy("奖项级别"),
            render=lambda o: o.award_type.get_level_display(),
        ),
        Column("conferred_on", gettext_lazy("授予日期")),
        Column("region.full_name", gettext_lazy("登记地区")),
        Column("document", gettext_lazy("表彰文件")),
        Column("result.competition", gettext_lazy("竞赛成绩")),
    ]


class AwardConferralCreate(ServiceCreateView):
    form_class = AwardConferralForm
    title = gettext_lazy("登记表彰奖励")
    cancel_url_name = "skills:awardconferral_list"

    def allowed(self, user: Any) -> bool:
        return has_any(user, "skills.awardconferral", "add")

    def perform(self, user: Any, data: dict[str, Any]) -> tuple[str, models.Model]:
        conferral = awards.confer(
            services.applicant(data["document_number"], data["name"]),
            data["award_type"],
            conferred_on=data["conferred_on"],
            region=data["region"],
            user=user,
            document=data["document"],
        )
        return "skills:awardconferral_detail", conferral
