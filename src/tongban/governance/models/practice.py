"""The civilisation-practice network (新时代文明实践): centres, stations and bases at five
levels (city centre 1, county centres, township stations, village stations, bases) and the
activities they hold."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongban.core.permissions import RestrictedQuerySet, Scope


class PracticeLevel(models.TextChoices):
    CITY = "city", _("市级文明实践中心")
    COUNTY = "county", _("县级文明实践中心")
    TOWNSHIP = "township", _("乡镇（街道）文明实践所")
    VILLAGE = "village", _("村（社区）文明实践站")
    BASE = "base", _("文明实践基地（点）")


LEVEL_ORDER = [
    PracticeLevel.CITY,
    PracticeLevel.COUNTY,
    PracticeLevel.TOWNSHIP,
    PracticeLevel.VILLAGE,
    PracticeLevel.BASE,
]
# the region level each site level sits at (a base may sit at any level)
REGION_LEVEL = {
    PracticeLevel.CITY: "city",
    PracticeLevel.COUNTY: "county",
    PracticeLevel.TOWNSHIP: "township",
    PracticeLevel.VILLAGE: "village",
}


class PracticeSite(models.Model):
    """A centre, station or base of the practice network. No personal data."""

    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=20, choices=PracticeLevel.choices)
    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("所在地区"),
        on_delete=models.PROTECT,
        related_name="+",
        error_messages={"invalid": _("未知的行政区划代码：%(value)s")},
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级阵地"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    active = models.BooleanField(_("运行中"), default=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(regions=("region",), error_field="region", regional=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "文明实践阵地")
        verbose_name_plural = _("文明实践阵地")
        ordering = ["region_id", "level", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="gov_practice_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from tongban.core.models import Region

        errors: dict[str, Any] = {}
        region = Region.objects.filter(pk=self.region_id).first() if self.region_id else None
        wanted = REGION_LEVEL.get(PracticeLevel(self.level)) if self.level else None
        if region is not None and wanted and region.level != wanted:
            errors["region"] = _("%(level)s应设在%(region_level)s区划") % {
                "level": self.get_level_display(),
                "region_level": {
                    "city": _("地级"),
                    "county": _("县级"),
                    "township": _("乡级"),
                    "village": _("村级"),
                }[wanted],
            }
        parent = self.parent if self.parent_id else None
        if parent is not None and self.level:
            if self.level == PracticeLevel.CITY:
                errors["parent"] = _("市级文明实践中心没有上级阵地")
            elif self.level != PracticeLevel.BASE:
                above = LEVEL_ORDER[LEVEL_ORDER.index(PracticeLevel(self.level)) - 1]
                if parent.level != above:
                    errors["parent"] = _("上级阵地应为%(level)s") % {
                        "level": PracticeLevel(above).label
                    }
            elif parent.level == PracticeLevel.BASE:
                errors["parent"] = _("文明实践基地的上级应为中心、所或站")
            if region is not None and not self.region_id.startswith(parent.region.prefix):
                errors["parent"] = _("上级阵地应覆盖本阵地所在地区")
        if errors:
            raise ValidationError(errors)


class PracticeActivity(models.Model):
    """An activity held at a site. No personal data."""

    site = models.ForeignKey(
        PracticeSite,
        verbose_name=_("文明实践阵地"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    title = models.CharField(_("活动名称"), max_length=100)
    held_on = models.DateField(_("活动日期"), db_index=True)
    participants = models.PositiveIntegerField(_("参与群众人数"), default=0)
    volunteers = models.PositiveIntegerField(_("参与志愿者人数"), default=0)
    team = models.ForeignKey(
        "governance.VolunteerTeam",
        verbose_name=_("志愿服务队"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = models.CharField(_("活动内容"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(regions=("site__region",), error_field="site", regional=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "文明实践活动")
        verbose_name_plural = _("文明实践活动")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.site_id and not self.site.active:
            raise ValidationError({"site": _("该阵地已停止运行")})
        if self.held_on and self.held_on > timezone.localdate():
            raise ValidationError({"held_on": _("活动日期不能晚于今天")})
