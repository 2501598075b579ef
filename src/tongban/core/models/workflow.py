from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TransitionLog(models.Model):
    """One fired transition of any workflow: who moved what from which state to which, why.

    Personal data: none of its own (``reason`` is free text an officer writes).
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=40)
    subject = GenericForeignKey("content_type", "object_id")
    name = models.CharField(_("操作"), max_length=60)
    label = models.CharField(_("操作名称"), max_length=60, blank=True)
    source = models.CharField(_("原状态"), max_length=40)
    target = models.CharField(_("新状态"), max_length=40)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("理由"), blank=True)
    data = models.JSONField(_("附加信息"), default=dict, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "流转记录")
        verbose_name_plural = _("流转记录")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.label or self.name}: {self.source} → {self.target}"
