"""Screening campaigns (两个排查见底): for a region and a period, every household or enterprise
on the list is visited and the disputes and hazards found there are recorded."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongban.core.permissions import RestrictedQuerySet, Scope


class ScreeningKind(models.TextChoices):
    BOTH = "both", _("矛盾纠纷和安全隐患排查")
    DISPUTES = "disputes", _("矛盾纠纷排查")
    HAZARDS = "hazards", _("安全隐患排查")


class ScreeningCampaign(models.Model):
    """One screening round over a region (any level) and a period. No personal data."""

    name = models.CharField(_("排查名称"), max_length=100)
    kind = models.CharField(
        _("排查类型"), max_length=20, choices=ScreeningKind.choices, default=ScreeningKind.BOTH
    )
    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("排查区域"),
        on_delete=models.PROTECT,
        related_name="+",
        error_messages={"invalid": _("未知的行政区划代码：%(value)s")},
    )
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    objects = RestrictedQuerySet.as_manager()
    # a grid worker sees the campaigns that list households in his village
    scope = Scope(regions=("region", "targets__region"), error_field="region", regional=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "排查行动")
        verbose_name_plural = _("排查行动")
        ordering = ["-start", "-pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("结束日期不能早于开始日期")})


class TargetKind(models.TextChoices):
    HOUSEHOLD = "household", _("住户")
    ENTERPRISE = "enterprise", _("企业（经营场所）")


class ScreeningTarget(models.Model):
    """A household or enterprise on a campaign's list, and what its visit found.

    Personal data: ``name`` of a household (the head of household) and ``contact_phone``
    (masked on pages and in the API)."""

    campaign = models.ForeignKey(
        ScreeningCampaign,
        verbose_name=_("排查行动"),
        on_delete=models.CASCADE,
        related_name="targets",
    )
    kind = models.CharField(_("对象类型"), max_length=20, choices=TargetKind.choices)
    name = models.CharField(_("户主或企业名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("所在村（社区）"),
        on_delete=models.PROTECT,
        related_name="+",
        error_messages={"invalid": _("未知的行政区划代码：%(value)s")},
    )
    grid = models.ForeignKey(
        "governance.Grid", verbose_name=_("网格"), null=True, blank=True, on_delete=models.PROTECT
    )
    visited_on = models.DateField(_("走访日期"), null=True, blank=True)
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("走访人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    disputes_found = models.PositiveSmallIntegerField(_("发现矛盾纠纷数"), default=0)
    hazards_found = models.PositiveSmallIntegerField(_("发现安全隐患数"), default=0)
    findings = models.TextField(_("排查情况"), blank=True)
    events = models.ManyToManyField(
        "governance.Event", verbose_name=_("上报的事件"), blank=True, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(regions=("region",), error_field="region", regional=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "排查对象")
        verbose_name_plural = _("排查对象")
        ordering = ["campaign", "region_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "name", "address"], name="gov_screening_target_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.address}）"

    @property
    def visited(self) -> bool:
        return self.visited_on is not None

    def clean(self) -> None:
        from tongban.core.models import Region

        errors: dict[str, object] = {}
        if self.region_id:
            region = Region.objects.filter(pk=self.region_id).first()
            if region is not None and region.level != "village":
                errors["region"] = _("请选择村（社区）级区划")
            elif self.campaign_id and not self.region_id.startswith(self.campaign.region.prefix):
                errors["region"] = _("该对象不在排查区域“%(r)s”内") % {"r": self.campaign.region}
        if self.grid is not None and self.region_id and self.grid.region_id != self.region_id:
            errors["grid"] = _("网格不在该对象所在村（社区）")
        if self.visited_on and self.campaign_id:
            c = self.campaign
            if not c.start <= self.visited_on <= c.end:
                errors["visited_on"] = _("走访日期不在排查期内（%(s)s 至 %(e)s）") % {
                    "s": c.start,
                    "e": c.end,
                }
        if (self.disputes_found or self.hazards_found) and not self.visited_on:
            errors["visited_on"] = _("登记排查发现前请填写走访日期")
        if (self.disputes_found or self.hazards_found) and not self.findings.strip():
            errors["findings"] = _("发现矛盾纠纷或安全隐患时请填写排查情况")
        if errors:
            raise ValidationError(errors)
