"""Pre-aggregated dashboard counts, kept exact in the transaction of every event write."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongban.core.permissions import RestrictedQuerySet, Scope


class Dimension(models.TextChoices):
    TOTAL = "total", _("合计")
    CHANNEL = "channel", _("来源渠道")
    STATUS = "status", _("状态")
    CATEGORY = "category", _("事件分类")
    VILLAGE = "village", _("村（社区）")
    SATISFACTION = "satisfaction", _("满意度")


class EventTally(models.Model):
    """Events reported in one month in one county, counted along one dimension.

    One row per (month, county, dimension, key): ``n`` events have that channel, state,
    category (key = its id), village (key = its code) or satisfaction; the ``total`` row
    (empty key) also holds the closed, on-time and working-days sums. Written only by
    ``governance.tally`` from ``Event.save``; rebuilt by ``rebuild_event_tally``.
    No personal data.
    """

    month = models.DateField(_("月份"))
    county = models.CharField(_("县（区）代码前缀"), max_length=6)
    dimension = models.CharField(_("维度"), max_length=12, choices=Dimension.choices)
    key = models.CharField(_("取值"), max_length=20, blank=True)
    n = models.IntegerField(_("事件数"), default=0)
    closed = models.IntegerField(_("已结案"), default=0)
    on_time = models.IntegerField(_("按时办结"), default=0)
    days_n = models.IntegerField(_("有办结用时的事件数"), default=0)
    days_sum = models.IntegerField(_("办结用时合计（工作日）"), default=0)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope()

    class Meta:
        verbose_name = pgettext_lazy("singular", "事件统计")
        verbose_name_plural = _("事件统计")
        ordering = ["month", "county", "dimension", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "county", "dimension", "key"], name="gov_tally_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.county} {self.dimension}={self.key}: {self.n}"
