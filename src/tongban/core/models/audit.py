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
