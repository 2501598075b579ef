"""Import jobs: the same run for the command line and the web page.

The web page stores the upload, creates an ``ImportJob`` and starts
``tongban run_import_job ID`` as a detached process (its own session), so closing
the browser does not stop it; the page polls the job's counts.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.core.audit import acting_as
from tongban.core.importing.kinds import get_kind
from tongban.core.importing.loader import CHUNK, Counts, Loader, Progress
from tongban.core.importing.readers import FileProblem
from tongban.core.importing.report import ErrorSink
from tongban.core.models import ImportJob, ImportMode, ImportStatus
from tongban.core.permissions import has_any

MAX_UPLOAD = 2 * 1024 * 1024 * 1024


def job_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def may_import(user: Any, kind_name: str) -> bool:
    kind = get_kind(kind_name)
    return has_any(user, kind.model_label, "add") or has_any(user, kind.model_label, "change")


def create_job(
    kind_name: str, path: Path, *, user: Any, mode: str, filename: str, channel: str
) -> ImportJob:
    get_kind(kind_name)
    if mode not in ImportMode.values:
        raise ValidationError({"mode": _("导入模式应为strict或partial")})
    return ImportJob.objects.create(
        kind=kind_name,
        mode=mode,
        user=user if getattr(user, "pk", None) else None,
        channel=channel,
        source=str(path),
        filename=filename,
    )


def run_job(
    job: ImportJob, *, user: Any, progress: Progress | None = None, chunk_size: int = CHUNK
) -> ImportJob:
    """Run one import job to its end; returns it with the final counts and status."""
    kind = get_kind(job.kind)
    job.status = ImportStatus.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at"])
    sink = ErrorSink(job_dir() / f"job-{job.pk}-errors.csv")
    loader = Loader(kind, user=user, job=job, sink=sink, chunk_size=chunk_size, progress=progress)
    path = Path(job.source)
    counts = Counts()
    message = ""
    status = ImportStatus.DONE
    try:
        with acting_as(user):
            if job.mode == ImportMode.STRICT:
                counts = loader.run(path, job.filename, write=False, phase=_("校验"))
                if sink.count:
                    status = ImportStatus.FAILED
                    message = _("有%(n)s行错误，按“全部正确才导入”模式未导入任何数据") % {
                        "n": sink.row_count
                    }
                else:
                    counts = loader.run(path, job.filename, write=True, phase=_("写入"))
            else:
                counts = loader.run(path, job.filename, write=True, phase=_("导入"))
    except FileProblem as exc:
        status = ImportStatus.FAILED
        message = exc.message
        from tongban.core.importing.validation import RowError

        sink.add([RowError(0, "", "", exc.message)])
    if status == ImportStatus.DONE and sink.count and job.mode == ImportMode.STRICT:
        status = ImportStatus.FAILED
        message = _("写入时发现错误，已写入的批次保留，请修正后重新导入")
    if status == ImportStatus.DONE:
        message = _("已完成：新增%(created)s行，更新%(updated)s行，错误%(errors)s行") % {
            "created": counts.created,
            "updated": counts.updated,
            "errors": sink.row_count,
        }
    sink.close()
    job.status = status
    job.message = message
    job.rows_read = counts.rows
    job.created_count = counts.created
    job.updated_count = counts.updated
    job.error_count = sink.row_count
    job.error_report = str(sink.path) if sink.count else ""
    job.finished_at = timezone.now()
    job.save()
    return job


def store_upload(upload: UploadedFile) -> Path:
    suffix = Path(upload.name or "").suffix.lower()[:8]
    target = job_dir() / f"upload-{uuid.uuid4().hex}{suffix}"
    with target.open("wb") as handle:
        for piece in upload.chunks():
            handle.write(piece)
    return target


def launch(job: ImportJob) -> None:
    """Run the job in a detached process, or (``TONGBAN_IMPORT_IN_PROCESS``) in a thread
    of this process for an embedded database that another process cannot open."""
    if getattr(settings, "IMPORT_JOBS_IN_PROCESS", False):

        def work() -> None:
            try:
                run_job_by_id(job.pk)
            finally:
                connections.close_all()

        threading.Thread(target=work, daemon=True).start()
        return
    subprocess.Popen(  # noqa: S603  (our own console script, fixed arguments)
        [sys.executable, "-m", "tongban", "run_import_job", str(job.pk)],
        start_new_session=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ),
        cwd=os.getcwd(),
    )


def run_job_by_id(pk: int) -> ImportJob:
    job = ImportJob.objects.select_related("user").get(pk=pk)
    from django.contrib.auth.models import AnonymousUser

    user = job.user or AnonymousUser()
    try:
        return run_job(job, user=user)
    except Exception as exc:
        ImportJob.objects.filter(pk=pk).update(
            status=ImportStatus.FAILED,
            message=_("导入中断：%(reason)s") % {"reason": type(exc).__name__},
            finished_at=timezone.now(),
        )
        raise
