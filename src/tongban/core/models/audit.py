from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PersonalDataAccess(models.Model):
    """One unmasked read of personal data by a user: a person's (``person``), or the
    personal fields of another record (``content_type`` + ``object_id``, e.g. an
    objector's contact on a 公示 objection).

    Personal data: whose data a user saw (not the data itself).
    """

    class Channel(models.TextChoices):
        WEB = "web", _("网页")
        API = "api", _("接口")
        EXPORT = "export", _("导出")
        COMMAND = "command", _("命令行")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("查看人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    person = models.ForeignKey(
        "core.Person",
        verbose_name=_("被查看人员"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("被查看记录类型"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    object_id = models.CharField(_("被查看记录"), max_length=64, blank=True)
    fields = models.CharField(_("查看字段"), max_length=200)
    purpose = models.CharField(_("查看事由"), max_length=200, blank=True)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    remote_addr = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "个人信息查看记录")
        verbose_name_plural = _("个人信息查看记录")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False)
                | (models.Q(content_type__isnull=False) & ~models.Q(object_id="")),
                name="personal_data_access_names_what_was_seen",
            )
        ]

    def __str__(self) -> str:
        target = self.person_id or f"{self.content_type_id}:{self.object_id}"
        return f"{self.user} → {target} ({self.fields})"


class AuditLink(models.Model):
    """One link of the hash chain kept over an audit table (``core.audit_chain``).

    ``digests`` holds one SHA-256 per column of the audited row, ``content_hash`` the
    hash of those digests, and ``hash`` chains the link to the previous one of the same
    table. Changing, deleting or inserting an audit row, or any link, breaks the chain at
    that point (``tongban audit verify``).

    Personal data: none (hashes only).
    """

    table = models.CharField(_("审计表"), max_length=63)
    seq = models.PositiveBigIntegerField(_("序号"))
    row_id = models.BigIntegerField(_("记录编号"))
    digests = models.JSONField(_("字段摘要"), default=dict)
    content_hash = models.CharField(_("内容摘要"), max_length=64)
    prev_hash = models.CharField(_("前一环摘要"), max_length=64)
    hash = models.CharField(_("本环摘要"), max_length=64)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "审计链环")
        verbose_name_plural = _("审计链环")
        ordering = ["table", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["table", "seq"], name="audit_link_one_per_position"),
            models.UniqueConstraint(fields=["table", "row_id"], name="audit_link_one_per_row"),
        ]

    def __str__(self) -> str:
        return f"{self.table}#{self.seq} → {self.row_id}"
