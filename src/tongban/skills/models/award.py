"""Awards and honours （十五）（十六）: award types with their level, and conferrals."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongban.core.permissions import RestrictedQuerySet, Scope


class AwardLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省部级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    ENTERPRISE = "enterprise", _("企业（院校）级")


# Levels whose awards are a 破格晋升 ground ("省部级及以上表彰奖励").
EXCEPTIONAL_LEVELS = (AwardLevel.NATIONAL, AwardLevel.PROVINCIAL)


class AwardType(models.Model):
    """An award or honour (中华技能大奖, 全国技术能手 …), reference data. No personal data."""

    name = models.CharField(_("奖项名称"), max_length=100, unique=True)
    level = models.CharField(_("奖项级别"), max_length=12, choices=AwardLevel.choices)
    conferred_by = models.CharField(_("授予机关"), max_length=100, blank=True)
    active = models.BooleanField(_("在用"), default=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope()

    class Meta:
        verbose_name = pgettext_lazy("singular", "奖项")
        verbose_name_plural = _("奖项")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def counts_for_exceptional_promotion(self) -> bool:
        return self.level in EXCEPTIONAL_LEVELS


class AwardConferral(models.Model):
    """One award conferred on a person (an honour is conferred on a person once).

    Personal data: links a named person to an honour; ``result`` links it to the
    competition result it was earned by, if any.
    """

    award_type = models.ForeignKey(
        AwardType, verbose_name=_("奖项"), on_delete=models.PROTECT, related_name="conferrals"
    )
    person = models.ForeignKey(
        "core.Person", verbose_name=_("获奖人"), on_delete=models.PROTECT, related_name="+"
    )
    conferred_on = models.DateField(_("授予日期"))
    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("登记地区"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("登记该表彰的人社部门所在地区"),
    )
    result = models.ForeignKey(
        "skills.CompetitionEntrant",
        verbose_name=_("竞赛成绩"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conferrals",
    )
    document = models.CharField(_("表彰文件"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(
        regions=("region", "person__residence_region"),
        own="person__user",
        error_field="region",
    )

    class Meta:
        verbose_name = pgettext_lazy("singular", "表彰奖励")
        verbose_name_plural = _("表彰奖励")
        ordering = ["-conferred_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["award_type", "person"],
                name="award_conferred_once",
                violation_error_message=_("该人员已获得此奖项，不能重复授予"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.award_type}"

    def clean(self) -> None:
        if (
            self.award_type_id
            and self.person_id
            and AwardConferral.objects.filter(award_type=self.award_type, person=self.person)
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError(
                {
                    "award_type": _("该人员已获得“%(award)s”，不能重复授予")
                    % {"award": self.award_type}
                },
                code="conferred_twice",
            )


DEFAULT_AWARD_TYPES: list[tuple[str, str, str]] = [
    ("中华技能大奖", AwardLevel.NATIONAL, "人力资源社会保障部"),
    ("全国技术能手", AwardLevel.NATIONAL, "人力资源社会保障部"),
    ("全国五一劳动奖章", AwardLevel.NATIONAL, "中华全国总工会"),
    ("中国青年五四奖章", AwardLevel.NATIONAL, "共青团中央、全国青联"),
    ("全国青年岗位能手", AwardLevel.NATIONAL, "共青团中央、人力资源社会保障部"),
    ("全国三八红旗手", AwardLevel.NATIONAL, "全国妇联"),
    ("全国巾帼建功标兵", AwardLevel.NATIONAL, "全国妇联"),
    ("国务院政府特殊津贴", AwardLevel.NATIONAL, "国务院"),
    ("省技术能手", AwardLevel.PROVINCIAL, "省人力资源社会保障厅"),
    ("省五一劳动奖章", AwardLevel.PROVINCIAL, "省总工会"),
]


def ensure_award_types() -> None:
    """Create the national award types if missing (idempotent; the operator edits the rest)."""
    for name, award_level, by in DEFAULT_AWARD_TYPES:
        AwardType.objects.get_or_create(
            name=name, defaults={"level": award_level, "conferred_by": by}
        )
