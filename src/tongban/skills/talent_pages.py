"""Pages of the high-skilled talent pool （十九） and the shortage-occupation lists （十）."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tongban.core.masking import mask_document_number
from tongban.core.models import Person
from tongban.core.permissions import has_any
from tongban.skills import talent_pool
from tongban.skills.competition_forms import SavedSearchForm, ShortageListForm
from tongban.skills.filtersets import ShortageListFilterSet, TalentPoolFilterSet
from tongban.skills.models import AwardConferral, SavedSearch, ShortageList
from tongban.skills.route_pages import ServiceCreateView
from tongban.web.generic import Column, ObjectDetailView, ObjectListView

POOL = "skills.talentpool"


def _awards(person: Person) -> str:
    return "、".join(
        c.award_type.name
        for c in AwardConferral.objects.filter(person=person).select_related("award_type")
    )


def _employer(person: Person) -> str:
    current = [e for e in person.employments.all() if e.end_date is None]
    return "、".join(e.organization.name for e in current)


def _age(person: Person) -> Any:
    return talent_pool.age(person.birth_date, talent_pool.today()) or ""


def _top(person: Person) -> str:
    name = getattr(person, "top_level_name", None)
    occupation = getattr(person, "top_occupation_name", None)
    return f"{occupation} {name}" if name else ""


class TalentPool(ObjectListView):
    """The search page: filters, sortable columns, pages, saved searches and an audited
    export (masked; unmasked only for people the officer may reveal, each read logged)."""

    url_namespace = "core"  # rows link to the person's page
    permission_label = POOL
    model = Person
    filterset_class = TalentPoolFilterSet
    template_name = "skills/talent_pool.html"
    default_sort = "name_pinyin"
    paginate_by = 20

    def get_queryset(self, request: HttpRequest, action: str = "view") -> models.QuerySet:
        return talent_pool.pool(request.user, action).prefetch_related("employments__organization")

    columns = [
        Column("name", gettext_lazy("姓名"), sort="name_pinyin", link=True),
        Column("gender", gettext_lazy("性别")),
        Column("birth_date", gettext_lazy("年龄"), sort="-birth_date", render=_age),
        Column("residence_region.name", gettext_lazy("常住地区")),
        Column("top_rank", gettext_lazy("最高技能等级"), sort="top_rank", render=_top),
        Column("awards", gettext_lazy("表彰奖励"), render=_awards),
        Column("employer", gettext_lazy("用人单位"), render=_employer),
        Column(
            "in_shortage",
            gettext_lazy("紧缺职业"),
            render=lambda p: gettext_lazy("紧缺") if p.in_shortage else "",
        ),
        Column("document_number", gettext_lazy("证件号码"), mask=True),
    ]
    revealed: set[int]
    reveal: bool
    export_as_import_kind = False

    def export(
        self, request: HttpRequest, qs: models.QuerySet, params: Any, file_format: str
    ) -> Any:
        """CSV through the pool's own export (unmasked only for people the officer may
        reveal, each read logged); xlsx through the common one, masked."""
        if file_format == "csv":
            return self.export_csv(qs)
        params.pop("_reveal", None)
        return super().export(request, qs, params, file_format)

    def extra_context(self, request: HttpRequest) -> dict[str, Any]:
        query = request.GET.copy()
        for key in ("page", "saved_error"):
            query.pop(key, None)
        return {
            "saved_searches": saved_searches(request.user),
            "save_form": SavedSearchForm(initial={"query": query.urlencode()}),
            "saved_error": request.GET.get("saved_error"),
            "can_reveal": has_any(request.user, "core.person", "reveal"),
        }

    def get(self, request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
        self.reveal = request.GET.get("_reveal") == "1"
        self.revealed = set()
        return super().get(request)

    def audit_export(self, request: HttpRequest, qs: models.QuerySet) -> None:
        people = list(qs.values_list("pk", flat=True))
        if self.reveal:
            self.revealed.update(
                Person.objects.restrict(request.user, "reveal")
                .filter(pk__in=people)
                .values_list("pk", flat=True)
            )
        query = request.GET.copy()
        for key in ("_export", "_reveal"):
            query.pop(key, None)
        talent_pool.record_export(
            request.user,
            query.urlencode(),
            sorted(self.revealed) if self.reveal else people,
            unmasked=self.reveal and bool(self.revealed),
        )

    def export_csv(self, qs: models.QuerySet) -> StreamingHttpResponse:
        class Echo:
            def write(self, value: str) -> str:
                return value

        writer = csv.writer(Echo())
        revealed = self.revealed

        def document(person: Person) -> str:
            if person.pk in revealed:
                return person.document_number
            return mask_document_number(person.document_number)

        columns = [
            Column(c.attr, c.label, render=document) if c.attr == "document_number" else c
            for c in self.columns
        ]

        def rows() -> Iterator[str]:
            yield "\ufeff" + writer.writerow([str(c.label) for c in columns])
            for obj in qs.iterator(chunk_size=500):
                yield writer.writerow([str(c.value(obj)) for c in columns])

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="talent-pool.csv"'
        return response


def saved_searches(user: Any) -> models.QuerySet:
    """The user's own saved searches (a preference, not a registry record)."""
    return SavedSearch.objects.filter(owner=user)


@login_required
@require_POST
def save_search(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, POOL, "view"):
        raise Http404
    form = SavedSearchForm(request.POST)
    url = reverse("skills:talent_pool")
    if form.is_valid():
        search = SavedSearch(
            owner=request.user,  # type: ignore[misc]
            name=form.cleaned_data["name"].strip(),
            query=form.cleaned_data["query"].lstrip("?"),
        )
        try:
            search.full_clean()
            search.save()
        except (ValidationError, IntegrityError):
            return HttpResponseRedirect(url + "?" + search.query + "&saved_error=1")
        return HttpResponseRedirect(url + "?" + search.query)
    return HttpResponseRedirect(url)


@login_required
@require_POST
def delete_search(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(saved_searches(request.user), pk=pk).delete()
    return HttpResponseRedirect(reverse("skills:talent_pool"))


class ShortageListList(ObjectListView):
    url_namespace = "skills"
    model = ShortageList
    filterset_class = ShortageListFilterSet
    default_sort = "-year"
    columns = [
        Column("name", gettext_lazy("目录名称"), link=True),
        Column("region.name", gettext_lazy("发布地区")),
        Column("year", gettext_lazy("年度"), sort="year"),
    ]
    select_related = ("region",)


class ShortageListDetail(ObjectDetailView):
    url_namespace = "skills"
    model = ShortageList
    fields = [
        Column("name", gettext_lazy("目录名称")),
        Column("region.full_name", gettext_lazy("发布地区")),
        Column("year", gettext_lazy("年度")),
        Column(
            "items",
            gettext_lazy("紧缺职业"),
            render=lambda s: "；".join(
                f"{i.occupation}" + (f"（{i.min_level}及以上）" if i.min_level else "")
                for i in s.items.select_related("occupation", "min_level")
            ),
        ),
    ]


class ShortageListCreate(ServiceCreateView):
    form_class = ShortageListForm
    title = gettext_lazy("发布紧缺职业目录")
    cancel_url_name = "skills:shortagelist_list"

    def allowed(self, user: Any) -> bool:
        return has_any(user, "skills.shortagelist", "add")

    def perform(self, user: Any, data: dict[str, Any]) -> tuple[str, models.Model]:
        shortage_list = talent_pool.publish_shortage_list(
            ShortageList(region=data["region"], year=data["year"], name=data["name"]),
            data["occupations"].splitlines(),
            user=user,
        )
        return "skills:shortagelist_detail", shortage_list
