"""Pages of incentives: enterprises' allowance schemes and 师带徒 pairs."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongban.core.permissions import has_any
from tongban.core.services import get_scoped
from tongban.skills import incentives
from tongban.skills.competition_forms import AllowanceSchemeForm, MentorshipPairForm
from tongban.skills.filtersets import AllowanceSchemeFilterSet, MentorshipPairFilterSet
from tongban.skills.models import AllowanceScheme, MentorshipPair
from tongban.web.generic import (
    Column,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    attach_errors,
)


class MentorshipPairList(ObjectListView):
    url_namespace = "skills"
    model = MentorshipPair
    filterset_class = MentorshipPairFilterSet
    default_sort = "-started_on"
    columns = [
        Column("mentor.name", gettext_lazy("师傅"), link=True),
        Column("apprentice.name", gettext_lazy("徒弟")),
        Column("employer", gettext_lazy("用人单位")),
        Column("occupation.name", gettext_lazy("职业")),
        Column("started_on", gettext_lazy("结对日期"), sort="started_on"),
        Column("ended_on", gettext_lazy("出师日期"), sort="ended_on"),
        Column("result", gettext_lazy("带徒成绩")),
    ]
    select_related = ("mentor", "apprentice", "employer", "occupation")


class MentorshipPairDetail(ObjectDetailView):
    url_namespace = "skills"
    model = MentorshipPair
    fields = [
        Column("mentor", gettext_lazy("师傅")),
        Column("apprentice", gettext_lazy("徒弟")),
        Column("employer", gettext_lazy("用人单位")),
        Column("occupation", gettext_lazy("职业")),
        Column("started_on", gettext_lazy("结对日期")),
        Column("ended_on", gettext_lazy("出师日期")),
        Column("result", gettext_lazy("带徒成绩")),
        Column("achievement", gettext_lazy("带徒成效")),
    ]


class MentorshipPairEdit(ObjectEditView):
    url_namespace = "skills"
    model = MentorshipPair
    form_class = MentorshipPairForm


def _rates(scheme: AllowanceScheme) -> str:
    return "；".join(f"{r.level} {r.monthly_amount}" for r in scheme.rates.all())


class AllowanceSchemeList(ObjectListView):
    url_namespace = "skills"
    model = AllowanceScheme
    filterset_class = AllowanceSchemeFilterSet
    default_sort = "-effective_from"
    columns = [
        Column("employer.name", gettext_lazy("企业"), link=True),
        Column("kind", gettext_lazy("津贴类别"), sort="kind"),
        Column("effective_from", gettext_lazy("执行日期"), sort="effective_from"),
        Column("effective_to", gettext_lazy("截止日期")),
        Column("rates", gettext_lazy("月标准（元）"), render=_rates),
    ]
    select_related = ("employer",)


class AllowanceSchemeDetail(ObjectDetailView):
    url_namespace = "skills"
    model = AllowanceScheme
    fields = [
        Column("employer", gettext_lazy("企业")),
        Column("kind", gettext_lazy("津贴类别")),
        Column("effective_from", gettext_lazy("执行日期")),
        Column("effective_to", gettext_lazy("截止日期")),
        Column("note", gettext_lazy("说明")),
        Column("rates", gettext_lazy("月标准（元）"), render=_rates),
    ]


@login_required
def allowance_scheme_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create or change a scheme with its amounts per level (``incentives.save_scheme``)."""
    if pk is None:
        if not has_any(request.user, "skills.allowancescheme", "add"):
            raise Http404
        scheme = AllowanceScheme()
    else:
        scheme = get_scoped(AllowanceScheme.objects.all(), request.user, "change", pk=pk)
    form = AllowanceSchemeForm(
        request.POST if request.method == "POST" else None, instance=scheme, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = incentives.save_scheme(form.instance, form.amounts(), user=request.user)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            return HttpResponseRedirect(reverse("skills:allowancescheme_detail", args=[saved.pk]))
    title: Any = _("新增津贴制度") if pk is None else _("修改津贴制度")
    return render(
        request,
        "web/object_edit.html",
        {
            "title": title,
            "form": form,
            "object": None if pk is None else scheme,
            "cancel_url": reverse("skills:allowancescheme_list"),
        },
    )
