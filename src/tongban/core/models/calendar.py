from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CalendarDay(models.Model):
    """An operator-entered day of the statutory schedule (法定节假日 / 调休上班).

    For years that chinese-calendar does not publish, and for corrections of years
    it does. No personal data.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("放假")
        WORKDAY = "workday", _("调休上班")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("节日名称"), max_length=40, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "节假日安排")
        verbose_name_plural = _("节假日安排")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()


class PublishedSchedule(models.Model):
    """A year whose State Council schedule has been entered completely.

    Until then a year that chinese-calendar does not cover counts weekends only
    and every deadline in it is provisional. No personal data.
    """

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("依据"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "已发布年度安排")
        verbose_name_plural = _("已发布年度安排")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)
