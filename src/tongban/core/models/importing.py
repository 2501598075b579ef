from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导入中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ImportMode(models.TextChoices):
    STRICT = "strict", _("全部正确才导入")
    PARTIAL = "partial", _("导入正确的行，报告错误行")


class ImportJob(models.Model):
    """One bulk import of a file (from the web page or the command line).

    Personal data: the uploaded file and the error report may hold personal data of
    the people imported; only the job's owner (and platform administrators) download them.
    """

    kind = models.CharField(_("数据类别"), max_length=40)
    mode = models.CharField(
        _("导入模式"), max_length=10, choices=ImportMode.choices, default=ImportMode.STRICT
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField(_("渠道"), max_length=10, default="web")
    source = models.CharField(_("文件位置"), max_length=500)
    filename = models.CharField(_("文件名"), max_length=255)
    rows_read = models.PositiveIntegerField(_("已读行数"), default=0)
    created_count = models.PositiveIntegerField(_("新增"), default=0)
    updated_count = models.PositiveIntegerField(_("更新"), default=0)
    error_count = models.PositiveIntegerField(_("错误行数"), default=0)
    error_report = models.CharField(_("错误报告位置"), max_length=500, blank=True)
    message = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)


class ImportBatch(models.Model):
    """The audit entry of one committed chunk of a bulk import: who, which job, row counts.

    No personal data.
    """

    job = models.ForeignKey(
        ImportJob, verbose_name=_("导入任务"), on_delete=models.CASCADE, related_name="batches"
    )
    number = models.PositiveIntegerField(_("批次"))
    first_row = models.PositiveIntegerField(_("起始行"))
    last_row = models.PositiveIntegerField(_("结束行"))
    created_count = models.PositiveIntegerField(_("新增"))
    updated_count = models.PositiveIntegerField(_("更新"))
    error_count = models.PositiveIntegerField(_("错误行数"))
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["job", "number"]

    def __str__(self) -> str:
        return f"{self.job_id}/{self.number}"


class ExportRecord(models.Model):
    """One export of registry rows (list page or command line): who, what, which filters, how many.

    Personal data: none itself; ``revealed`` says whether personal data left unmasked.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导出人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("数据类别"), max_length=60)
    filters = models.JSONField(_("筛选条件"), default=dict, blank=True)
    file_format = models.CharField(_("文件格式"), max_length=10)
    channel = models.CharField(_("渠道"), max_length=10)
    row_count = models.PositiveIntegerField(_("行数"), default=0)
    revealed = models.BooleanField(_("含未遮蔽个人信息"), default=False)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "导出记录")
        verbose_name_plural = _("导出记录")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} × {self.row_count}"
