from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongban.core.permissions import RestrictedQuerySet, Scope
from tongban.core.validators import validate_region_code


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("地级")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡级")
    VILLAGE = "village", _("村级")


PREFIX_LENGTH = {
    RegionLevel.PROVINCE: 2,
    RegionLevel.CITY: 4,
    RegionLevel.COUNTY: 6,
    RegionLevel.TOWNSHIP: 9,
    RegionLevel.VILLAGE: 12,
}


class Region(models.Model):
    """A statistical division (统计用区划代码), 12 digits. No personal data.

    The code is the primary key, so foreign keys hold the code itself and a
    subtree is a prefix match on the referencing column, without a join.
    """

    code = models.CharField(
        _("区划代码"), max_length=12, primary_key=True, validators=[validate_region_code]
    )
    name = models.CharField(_("名称"), max_length=100, db_index=True)
    level = models.CharField(_("级别"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    dataset = models.CharField(_("数据版本"), max_length=40, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope()

    class Meta:
        verbose_name = pgettext_lazy("singular", "行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"])]

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        return self.code[: PREFIX_LENGTH[RegionLevel(self.level)]]

    def ancestors(self) -> list[Region]:
        """From the province down to the parent, by code prefix (one query)."""
        codes = [
            self.code[:n].ljust(12, "0")
            for level, n in PREFIX_LENGTH.items()
            if n < PREFIX_LENGTH[RegionLevel(self.level)]
        ]
        return list(Region.objects.filter(code__in=codes).order_by("code"))

    @property
    def full_name(self) -> str:
        return "".join(r.name for r in self.ancestors() if r.name != "市辖区") + self.name

    def contains(self, other_code: str) -> bool:
        return other_code.startswith(self.prefix)
