"""Declarative list / detail / edit views (one class each), shared by every registry page.

A page names its model, filterset, columns and form; scoping goes through
``Model.objects.restrict`` and writes through ``services.save_record``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django_filters import FilterSet

from tongban.core import services
from tongban.core.masking import MASKERS
from tongban.core.permissions import PUBLIC_REFERENCE, has_any


@dataclass(frozen=True)
class Column:
    attr: str
    label: Any  # a str or a lazy translation
    sort: str | None = None
    link: bool = False
    mask: bool = False
    render: Callable[[Any], Any] | None = None

    def value(self, obj: Any) -> Any:
        if self.render is not None:
            return self.render(obj)
        display = getattr(obj, f"get_{self.attr}_display", None)
        if callable(display):
            return display()
        value: Any = obj
        for part in self.attr.split("."):
            value = getattr(value, part, None) if value is not None else None
        if self.mask and isinstance(value, str):
            return MASKERS[self.attr.split(".")[-1]](value)
        if isinstance(value, bool):
            return _("是") if value else _("否")
        if isinstance(value, datetime.datetime | datetime.date):
            return formats.date_format(value, "Y-m-d")
        return "" if value is None else value


def optional_url(name: str, *args: Any) -> str | None:
    """The URL of ``name``, or None when the page does not exist (e.g. no add page)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def label_of(model: type[models.Model]) -> str:
    return model._meta.label_lower


class ObjectListView(LoginRequiredMixin):
    url_namespace: ClassVar[str] = "core"  # URL names are <namespace>:<model>_list/_detail/…
    model: ClassVar[type[models.Model]]
    filterset_class: ClassVar[type[FilterSet]]
    columns: ClassVar[list[Column]]
    default_sort: ClassVar[str] = "pk"
    paginate_by: ClassVar[int] = 25
    template_name: ClassVar[str] = "web/object_list.html"
    select_related: ClassVar[tuple[str, ...]] = ()
    # the grant checked for the page and its export, when not the model's own (a search page)
    permission_label: ClassVar[str | None] = None

    @classmethod
    def as_view(cls) -> Callable[..., HttpResponse | StreamingHttpResponse]:
        def view(
            request: HttpRequest, *args: Any, **kwargs: Any
        ) -> HttpResponse | StreamingHttpResponse:
            self = cls()
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            return self.get(request)

        view.view_class = cls  # type: ignore[attr-defined]  # the permission matrix reads it
        return view

    def get_queryset(self, request: HttpRequest, action: str = "view") -> models.QuerySet:
        qs = self.model.objects.restrict(request.user, action)  # type: ignore[attr-defined]
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        return qs

    def get(self, request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
        label = self.permission_label or label_of(self.model)
        export_format = request.GET.get("_export")
        exporting = export_format in ("csv", "xlsx")
        action = "export" if exporting else "view"
        if not has_any(request.user, label, action):
            raise Http404
        params = request.GET.copy()
        params.pop("_export", None)
        filter_params = params.copy()
        filter_params.pop("_reveal", None)
        filterset = self.filterset_class(
            filter_params or None, queryset=self.get_queryset(request, action)
        )
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
        sortable = {c.sort for c in self.columns if c.sort}
        sort = request.GET.get("sort", "")
        key = sort.removeprefix("-")
        qs = qs.order_by(sort, "pk") if key in sortable else qs.order_by(self.default_sort, "pk")
        if exporting:
            self.audit_export(request, qs)
            return self.export(request, qs, params, str(export_format))
        page = Paginator(qs, self.paginate_by).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        query_without_sort = query.copy()
        query_without_sort.pop("sort", None)
        meta = self.model._meta
        add_url = optional_url(f"{self.url_namespace}:{meta.model_name}_add")
        can_add = (
            add_url is not None
            and has_any(request.user, label, "add")
            and label not in PUBLIC_REFERENCE
        )
        context = {
            "title": meta.verbose_name_plural,
            "filterset": filterset,
            "columns": self.columns,
            "rows": [(obj, [c.value(obj) for c in self.columns]) for obj in page.object_list],
            "page": page,
            "sort": sort,
            "query": query.urlencode(),
            "query_without_sort": query_without_sort.urlencode(),
            "can_add": can_add,
            "can_export": has_any(request.user, label, "export"),
            "import_url": self.import_url(request),
            "can_reveal_export": has_any(request.user, label, "export")
            and any(c.reveal_path for c in self.export_columns())
            and has_any(request.user, "core.person", "reveal"),
            "add_url": add_url if can_add else None,
            "detail_url_name": f"{self.url_namespace}:{meta.model_name}_detail",
            **self.extra_context(request),
        }
        template = "web/_table.html" if getattr(request, "htmx", False) else self.template_name
        return render(request, template, context)

    def extra_context(self, request: HttpRequest) -> dict[str, Any]:
        return {}

    def audit_export(self, request: HttpRequest, qs: models.QuerySet) -> None:
        """A page's own record of an export, besides the ``ExportRecord`` every export writes
        (the talent pool also notes its search)."""

    # False: export the page's columns even when the model has an import kind
    export_as_import_kind = True

    def export_columns(self) -> list[Any]:
        """The import kind's columns when the model has one (an export imports back),
        else the page's columns."""
        from tongban.core.importing.export import ExportColumn, kind_columns
        from tongban.core.importing.kinds import kind_for_model

        kind = kind_for_model(self.model) if self.export_as_import_kind else None
        if kind is not None:
            return kind_columns(kind)
        is_person = label_of(self.model) == "core.person"

        def getter(column: Column) -> Callable[[Any, bool], Any]:
            def cell(obj: Any, reveal: bool) -> Any:
                if column.mask and reveal:
                    return getattr(obj, column.attr)
                return column.value(obj)

            return cell

        return [
            ExportColumn(str(c.label), getter(c), "pk" if c.mask and is_person else None)
            for c in self.columns
        ]

    def import_url(self, request: HttpRequest) -> str | None:
        from tongban.core.importing.jobs import may_import
        from tongban.core.importing.kinds import kind_for_model

        kind = kind_for_model(self.model)
        if kind is None or not may_import(request.user, kind.name):
            return None
        return reverse("core:import_upload", args=[kind.name])

    def export(
        self, request: HttpRequest, qs: models.QuerySet, params: Any, file_format: str
    ) -> StreamingHttpResponse | FileResponse:
        """The filtered, scoped rows as .csv (streamed) or .xlsx, masked unless the user may
        reveal them, recorded as an ``ExportRecord`` (the same code as ``tongban export``)."""
        from tongban.core.importing import export

        columns = self.export_columns()
        name = self.model._meta.model_name
        reveal = params.pop("_reveal", None) == ["1"]
        params.pop("page", None)
        if file_format == "xlsx":
            handle = export.spool_xlsx(
                qs, columns, user=request.user, kind=label_of(self.model), filters=params,
                channel="web", title=str(self.model._meta.verbose_name_plural), reveal=reveal,
            )  # fmt: skip
            return FileResponse(handle, as_attachment=True, filename=f"{name}.xlsx")
        counter = [0]
        rows = export.rows_of(qs, columns, request.user, counter, reveal=reveal)

        def done() -> None:
            export.record(
                request.user, label_of(self.model), params, "csv", "web", counter[0],
                export.reveals(request.user, columns, reveal),
            )  # fmt: skip

        stream = export.csv_stream([c.title for c in columns], rows, done)
        response = StreamingHttpResponse(stream, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response


class ObjectDetailView(LoginRequiredMixin):
    url_namespace: ClassVar[str] = "core"  # URL names are <namespace>:<model>_list/_detail/…
    model: ClassVar[type[models.Model]]
    fields: ClassVar[list[Column]]
    template_name: ClassVar[str] = "web/object_detail.html"
    lookup: ClassVar[str] = "pk"

    @classmethod
    def as_view(cls) -> Callable[..., HttpResponse]:
        def view(request: HttpRequest, pk: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            return cls().get(request, pk)

        view.view_class = cls  # type: ignore[attr-defined]  # the permission matrix reads it
        return view

    def extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {}

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        obj = services.get_scoped(
            self.model.objects.all(),  # type: ignore[attr-defined]
            request.user,
            "view",
            **{self.lookup: pk},
        )
        meta = self.model._meta
        can_change = (
            self.model.objects.restrict(request.user, "change").filter(pk=obj.pk).exists()  # type: ignore[attr-defined]
        )
        context = {
            "title": str(obj),
            "object": obj,
            "kind": meta.verbose_name,
            "list_url": reverse(f"{self.url_namespace}:{meta.model_name}_list"),
            "list_title": meta.verbose_name_plural,
            "fields": [(c.label, c.value(obj)) for c in self.fields],
            "edit_url": optional_url(f"{self.url_namespace}:{meta.model_name}_edit", obj.pk)
            if can_change
            else None,
            **self.extra_context(request, obj),
        }
        return render(request, self.template_name, context)


class ObjectEditView(LoginRequiredMixin):
    url_namespace: ClassVar[str] = "core"  # URL names are <namespace>:<model>_list/_detail/…
    """Create (``pk`` is None) or edit one object through ``services.save_record``."""

    model: ClassVar[type[models.Model]]
    form_class: ClassVar[type[forms.ModelForm]]
    template_name: ClassVar[str] = "web/object_edit.html"

    @classmethod
    def as_view(cls) -> Callable[..., HttpResponse]:
        def view(request: HttpRequest, pk: Any = None) -> HttpResponse:
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            return cls().dispatch(request, pk)

        view.view_class = cls  # type: ignore[attr-defined]  # the permission matrix reads it
        return view

    def initial(self, request: HttpRequest) -> dict[str, Any]:
        return {}

    def dispatch(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meta = self.model._meta
        if pk is None:
            if not has_any(request.user, label_of(self.model), "add"):
                raise Http404
            instance = self.model()
        else:
            instance = services.get_scoped(
                self.model.objects.all(),  # type: ignore[attr-defined]
                request.user,
                "change",
                pk=pk,
            )
        form = self.form_class(
            request.POST if request.method == "POST" else None,
            instance=instance,
            initial=self.initial(request) if pk is None else None,
            user=request.user,  # type: ignore[call-arg]
        )
        if request.method == "POST" and form.is_valid():
            try:
                saved = services.save_record(form.instance, user=request.user)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                return HttpResponseRedirect(
                    reverse(f"{self.url_namespace}:{meta.model_name}_detail", args=[saved.pk])
                )
        context = {
            "title": (_("新增%(kind)s") if pk is None else _("修改%(kind)s"))
            % {"kind": meta.verbose_name},
            "form": form,
            "object": None if pk is None else instance,
            "cancel_url": reverse(f"{self.url_namespace}:{meta.model_name}_list")
            if pk is None
            else reverse(f"{self.url_namespace}:{meta.model_name}_detail", args=[pk]),
        }
        return render(request, self.template_name, context)


def attach_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (or on top if no such field)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
