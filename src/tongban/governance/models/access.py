"""The record of every unmasked read of an event reporter's contact."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongban.core.models import PersonalDataAccess
from tongban.core.permissions import RestrictedQuerySet, Scope


class ReporterContactAccess(models.Model):
    """One reveal of an event reporter's phone by a staff member (``services.reveal_reporter_phone``).

    Personal data: which event's reporter a user contacted (not the number itself).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("查看人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    event = models.ForeignKey(
        "governance.Event",
        verbose_name=_("事件"),
        on_delete=models.CASCADE,
        related_name="contact_accesses",
    )
    fields = models.CharField(_("查看字段"), max_length=200)
    purpose = models.CharField(_("查看事由"), max_length=200, blank=True)
    channel = models.CharField(_("渠道"), max_length=10, choices=PersonalDataAccess.Channel.choices)
    remote_addr = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(regions=("event__region",))

    class Meta:
        verbose_name = pgettext_lazy("singular", "反映人联系方式查看记录")
        verbose_name_plural = _("反映人联系方式查看记录")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} → {self.event_id} ({self.fields})"
