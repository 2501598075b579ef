"""Import pages: the kinds a user may import, an upload page per kind with its template,
and a job page that follows the background run and offers the error report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from tongban.core.importing import jobs
from tongban.core.importing.export import write_template
from tongban.core.importing.kinds import REGISTRY, ImportKind, get_kind
from tongban.core.importing.report import save_report
from tongban.core.models import ImportJob, ImportMode
from tongban.core.permissions import is_platform_admin


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("文件"),
        help_text=gettext_lazy("按模板填写的.xlsx或.csv文件（UTF-8或GB18030编码）"),
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("导入模式"), choices=ImportMode.choices, initial=ImportMode.STRICT
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if Path(upload.name or "").suffix.lower() not in (".xlsx", ".csv"):
            raise ValidationError(_("仅支持.xlsx和.csv文件"))
        if upload.size > jobs.MAX_UPLOAD:
            raise ValidationError(_("文件超过2GB，请拆分后导入或使用命令行导入"))
        return upload


def importable_kinds(user: Any) -> list[ImportKind]:
    return [kind for name, kind in sorted(REGISTRY.items()) if jobs.may_import(user, name)]


def _kind_or_404(user: Any, name: str) -> ImportKind:
    try:
        kind = get_kind(name)
    except ValidationError as exc:
        raise Http404 from exc
    if not jobs.may_import(user, name):
        raise Http404
    return kind


def _job_or_404(user: Any, pk: int) -> ImportJob:
    job = ImportJob.objects.filter(pk=pk).first()
    if job is None or not (job.user_id == user.pk or is_platform_admin(user)):
        raise Http404
    return job


@login_required
def import_index(request: HttpRequest) -> HttpResponse:
    kinds = importable_kinds(request.user)
    if not kinds:
        raise Http404
    recent = ImportJob.objects.filter(user__pk=request.user.pk or 0)[:20]
    return render(
        request,
        "core/import_index.html",
        {"title": _("批量导入"), "kinds": kinds, "jobs": recent, "registry": REGISTRY},
    )


@login_required
def import_upload(request: HttpRequest, kind: str) -> HttpResponse:
    found = _kind_or_404(request.user, kind)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        path = jobs.store_upload(upload)
        job = jobs.create_job(
            found.name,
            path,
            user=request.user,
            mode=form.cleaned_data["mode"],
            filename=upload.name,
            channel="web",
        )
        jobs.launch(job)
        return HttpResponseRedirect(reverse("core:import_job", args=[job.pk]))
    return render(
        request,
        "core/import_upload.html",
        {
            "title": _("导入%(kind)s") % {"kind": found.title},
            "kind": found,
            "form": form,
            "columns": found.columns,
        },
    )


@login_required
@require_GET
def import_template(request: HttpRequest, kind: str) -> FileResponse:
    found = _kind_or_404(request.user, kind)
    import tempfile

    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115  (FileResponse closes it)
    write_template(found, handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=f"{found.name}-template.xlsx")


@login_required
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request.user, pk)
    context = {
        "title": _("导入任务 #%(pk)s") % {"pk": job.pk},
        "job": job,
        "kind": REGISTRY.get(job.kind),
    }
    if getattr(request, "htmx", False):
        return render(request, "core/_import_progress.html", context)
    return render(request, "core/import_job.html", context)


@login_required
@require_GET
def import_errors(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    job = _job_or_404(request.user, pk)
    if not job.error_report or fmt not in ("csv", "xlsx"):
        raise Http404
    import tempfile

    handle = tempfile.TemporaryFile(suffix=f".{fmt}")  # noqa: SIM115  (FileResponse closes it)
    save_report(Path(job.error_report), handle, fmt)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=f"import-{job.pk}-errors.{fmt}")
