"""Statistics against the national targets （二）: the pre-aggregated counts, the official
employment counts imported per region and year, and the targets themselves (data)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongban.core.permissions import RestrictedQuerySet, Scope


class Measure(models.TextChoices):
    EMPLOYED = "employed", _("就业人员")
    SKILLED = "skilled", _("技能人才")
    HIGH_SKILLED = "high_skilled", _("高技能人才")


# the depths (code prefix lengths) the tally is kept at: province, city, county, township
DEPTHS = (2, 4, 6, 9)


def parent_prefix(region: str) -> str:
    """The prefix of the region one level up ('' above a province)."""
    above = [d for d in DEPTHS if d < len(region)]
    return region[: above[-1]] if above else ""


class SkillTally(models.Model):
    """Year-end head counts as changes per year: ``n`` is how many people entered (minus
    how many left) the measure in ``region`` (a code prefix of 2, 4, 6 or 9 digits) and
    occupation ``category`` (the 大类 digit; empty: not known) in ``year``. The count at
    the end of a year is the sum of ``n`` over that year and every earlier one.

    Written only by ``skills.tally`` (on every certificate, employment and residence
    change) and rebuilt by ``rebuild_skill_tally``. No personal data.
    """

    year = models.SmallIntegerField(_("年份"))
    region = models.CharField(_("区划代码前缀"), max_length=9)
    depth = models.PositiveSmallIntegerField(_("前缀长度"))
    parent = models.CharField(_("上级区划代码前缀"), max_length=6, blank=True)
    category = models.CharField(_("职业大类"), max_length=2, blank=True)
    measure = models.CharField(_("指标"), max_length=12, choices=Measure.choices)
    n = models.IntegerField(_("增减人数"), default=0)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope()

    class Meta:
        verbose_name = pgettext_lazy("singular", "技能人才统计")
        verbose_name_plural = _("技能人才统计")
        ordering = ["region", "measure", "category", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "measure", "category", "year"], name="skill_tally_unique"
            )
        ]
        # the children of a region by equality (a prefix LIKE cannot use an index under
        # every collation)
        indexes = [models.Index(fields=["parent", "year"], name="skill_tally_parent")]

    def __str__(self) -> str:
        return f"{self.year} {self.region} {self.category} {self.measure}: {self.n:+d}"


class OfficialEmployment(models.Model):
    """The official count of employed people (就业人员) of a region in a year, imported
    from the statistics bureau; used instead of the registry's count when chosen.
    No personal data."""

    region = models.ForeignKey(
        "core.Region", verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    employed = models.PositiveIntegerField(_("就业人员数"))
    source = models.CharField(_("数据来源"), max_length=120, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(regions=("region",), error_field="region")

    class Meta:
        verbose_name = pgettext_lazy("singular", "就业人员统计数")
        verbose_name_plural = _("就业人员统计数")
        ordering = ["region", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"],
                name="official_employment_unique",
                violation_error_message=_("该地区该年份的就业人员数已导入"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}: {self.employed}"

    def clean(self) -> None:
        if self.year is not None and not 1949 <= self.year <= 2100:
            raise ValidationError({"year": _("年份应在1949至2100之间")})


def validate_share(value: Decimal) -> None:
    if value is None or not Decimal(0) < value <= Decimal(1):
        raise ValidationError(_("比例应大于0且不超过1"), code="share")


def validate_provinces(value: object) -> None:
    if not isinstance(value, list) or not all(
        isinstance(code, str) and len(code) == 2 and code.isdigit() for code in value
    ):
        raise ValidationError(_('省份应为两位省级区划代码的列表，如["33"]'), code="provinces")


class SkillTarget(models.Model):
    """The targets of （二）: skilled workers as a share of the employed, high-skilled as a
    share of skilled workers. The default row holds the national targets; another row
    lists the provinces it applies to instead (e.g. the eastern provinces, 35 %).
    No personal data."""

    name = models.CharField(_("名称"), max_length=60, unique=True)
    skilled_share = models.DecimalField(
        _("技能人才占就业人员比例目标"), max_digits=5, decimal_places=4, validators=[validate_share]
    )
    high_skilled_share = models.DecimalField(
        _("高技能人才占技能人才比例目标"),
        max_digits=5,
        decimal_places=4,
        validators=[validate_share],
    )
    provinces = models.JSONField(
        _("适用省份"),
        default=list,
        blank=True,
        validators=[validate_provinces],
        help_text=_("两位省级代码；留空表示全国默认目标"),
    )
    is_default = models.BooleanField(_("全国默认"), default=False)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope()

    class Meta:
        verbose_name = pgettext_lazy("singular", "技能人才发展目标")
        verbose_name_plural = _("技能人才发展目标")
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="skill_target_one_default",
                violation_error_message=_("只能有一个全国默认目标"),
            )
        ]

    def __str__(self) -> str:
        return str(self.name)


# (name, skilled share, high-skilled share, provinces, default): 《关于加强新时代高技能人才队伍
# 建设的意见》; the eastern provinces as the statistics bureau's eastern region
EASTERN_PROVINCES = ["11", "12", "13", "31", "32", "33", "35", "37", "44", "46"]
DEFAULT_TARGETS = [
    ("全国目标", Decimal("0.3000"), Decimal("0.3333"), [], True),
    ("东部省份目标", Decimal("0.3000"), Decimal("0.3500"), EASTERN_PROVINCES, False),
]


def ensure_targets() -> None:
    """Create the default targets if there are none (the operator edits them afterwards)."""
    if SkillTarget.objects.exists():
        return
    for name, skilled, high, provinces, default in DEFAULT_TARGETS:
        SkillTarget.objects.create(
            name=name,
            skilled_share=skilled,
            high_skilled_share=high,
            provinces=provinces,
            is_default=default,
        )
