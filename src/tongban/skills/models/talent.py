"""The talent pool's own records （十）（十九）: shortage-occupation lists per region and
officers' saved searches."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongban.core.permissions import RestrictedQuerySet, Scope


class ShortageList(models.Model):
    """A region's 人才引进目录 (shortage-occupation list) for a year. No personal data."""

    region = models.ForeignKey(
        "core.Region", verbose_name=_("发布地区"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("目录名称"), max_length=200)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(regions=("region",), error_field="region")

    class Meta:
        verbose_name = pgettext_lazy("singular", "紧缺职业目录")
        verbose_name_plural = _("紧缺职业目录")
        ordering = ["-year", "region"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"],
                name="shortage_list_once_per_region_year",
                violation_error_message=_("该地区本年度已发布紧缺职业目录"),
            )
        ]

    def __str__(self) -> str:
        return self.name


class ShortageOccupation(models.Model):
    """One occupation on a shortage list, from a minimum level. No personal data."""

    shortage_list = models.ForeignKey(
        ShortageList, verbose_name=_("紧缺职业目录"), on_delete=models.CASCADE, related_name="items"
    )
    occupation = models.ForeignKey(
        "skills.Occupation", verbose_name=_("职业"), on_delete=models.PROTECT, related_name="+"
    )
    min_level = models.ForeignKey(
        "skills.SkillLevel",
        verbose_name=_("最低技能等级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(regions=("shortage_list__region",), error_field="shortage_list")

    class Meta:
        verbose_name = pgettext_lazy("singular", "紧缺职业")
        verbose_name_plural = _("紧缺职业")
        constraints = [
            models.UniqueConstraint(
                fields=["shortage_list", "occupation"],
                name="shortage_occupation_once",
                violation_error_message=_("该职业已在目录中"),
            )
        ]

    def __str__(self) -> str:
        return self.occupation.name


class SavedSearch(models.Model):
    """A talent-pool search an officer saved (the query string). No personal data."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("保存人"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    name = models.CharField(_("名称"), max_length=100)
    query = models.CharField(_("查询条件"), max_length=1000)
    created_at = models.DateTimeField(_("保存时间"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "保存的查询")
        verbose_name_plural = _("保存的查询")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "name"],
                name="saved_search_name_once",
                violation_error_message=_("已有同名的查询"),
            )
        ]

    def __str__(self) -> str:
        return self.name


class TalentExport(models.Model):
    """One export of the talent pool: who, which query, how many rows, whether unmasked.

    Personal data: none by itself (the people exported are not listed here; an unmasked
    export also writes one ``PersonalDataAccess`` row per person).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导出人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    query = models.CharField(_("查询条件"), max_length=1000, blank=True)
    rows = models.PositiveIntegerField(_("导出条数"))
    unmasked = models.BooleanField(_("含完整个人信息"), default=False)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "人才库导出记录")
        verbose_name_plural = _("人才库导出记录")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} {self.at:%Y-%m-%d %H:%M} ({self.rows})"
