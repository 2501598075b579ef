"""Vocational skill competitions （十四）: levels and their promotion and honour tables,
contests, entries (an individual or a team of two or three) and their entrants."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition

from tongban.core.permissions import RestrictedQuerySet, Scope
from tongban.skills.access import is_hr_over
from tongban.skills.models.certification import SIX_DIGITS, Stateful


class CompetitionLevel(models.TextChoices):
    WORLD = "world", _("世界级")
    NATIONAL = "national", _("国家级")
    INDUSTRY = "industry", _("行业级")
    PROVINCIAL = "provincial", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    ENTERPRISE = "enterprise", _("企业级")
    SCHOOL = "school", _("院校级")


class Medal(models.TextChoices):
    GOLD = "gold", _("金牌")
    SILVER = "silver", _("银牌")
    BRONZE = "bronze", _("铜牌")
    EXCELLENCE = "excellence", _("优胜奖")


# best first: a medal "or better" is one at or before it in this order
MEDAL_ORDER = [Medal.GOLD, Medal.SILVER, Medal.BRONZE, Medal.EXCELLENCE]


class TeamSize(models.IntegerChoices):
    INDIVIDUAL = 1, _("个人赛")
    PAIR = 2, _("双人团体赛")
    TRIO = 3, _("三人团体赛")


class CompetitionRule(models.Model):
    """The promotion and honour table of one competition level (data the operator edits).

    No personal data.
    """

    level = models.CharField(_("竞赛级别"), max_length=12, choices=CompetitionLevel.choices)
    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("适用地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("留空为全国默认；省（市）设置的规则适用于本地区主管的竞赛"),
    )
    medal_places = models.PositiveSmallIntegerField(
        _("奖牌名次数"),
        default=3,
        validators=[MaxValueValidator(3)],
        help_text=_("前几名依次获金、银、铜牌"),
    )
    excellence_fraction = models.DecimalField(
        _("优胜奖比例"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.50"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text=_("名次在参赛数的该比例以内、未获奖牌者获优胜奖；0.50即前一半"),
    )
    promotion_from = models.CharField(
        _("晋升技能等级的最低奖次"),
        max_length=12,
        choices=Medal.choices,
        blank=True,
        help_text=_("达到该奖次及以上者晋升技师，已是技师者晋升高级技师；留空则不晋升"),
    )
    honour = models.ForeignKey(
        "skills.AwardType",
        verbose_name=_("授予的荣誉"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    honour_places_individual = models.PositiveSmallIntegerField(
        _("个人赛授予荣誉的名次"), default=0
    )
    honour_places_pair = models.PositiveSmallIntegerField(_("双人团体赛授予荣誉的名次"), default=0)
    honour_places_trio = models.PositiveSmallIntegerField(_("三人团体赛授予荣誉的名次"), default=0)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope()

    class Meta:
        verbose_name = pgettext_lazy("singular", "竞赛晋升与表彰规则")
        verbose_name_plural = _("竞赛晋升与表彰规则")
        ordering = ["level", "region"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "region"],
                name="competition_rule_once_per_region",
                violation_error_message=_("该地区已设置此竞赛级别的规则"),
            ),
            models.UniqueConstraint(
                fields=["level"],
                condition=models.Q(region__isnull=True),
                name="competition_rule_one_default",
                violation_error_message=_("此竞赛级别已有全国默认规则"),
            ),
        ]

    def __str__(self) -> str:
        where = self.region.name if self.region_id and self.region else _("全国默认")
        return f"{self.get_level_display()}（{where}）"

    def honour_places(self, team_size: int) -> int:
        return {
            1: self.honour_places_individual,
            2: self.honour_places_pair,
            3: self.honour_places_trio,
        }.get(team_size, 0)


class CompetitionStatus(models.TextChoices):
    OPEN = "open", _("报名与比赛中")
    PUBLISHED = "published", _("成绩已公布")
    CANCELLED = "cancelled", _("已取消")


class Competition(Stateful):
    """One contest: its level, occupation, organiser, dates and format. No personal data."""

    name = models.CharField(_("竞赛名称"), max_length=200)
    level = models.CharField(_("竞赛级别"), max_length=12, choices=CompetitionLevel.choices)
    occupation = models.ForeignKey(
        "skills.Occupation", verbose_name=_("竞赛职业"), on_delete=models.PROTECT, related_name="+"
    )
    organiser = models.ForeignKey(
        "core.Organization", verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("主管地区"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("负责公布成绩的人社部门所在地区"),
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    team_size = models.PositiveSmallIntegerField(
        _("比赛形式"), choices=TeamSize.choices, default=TeamSize.INDIVIDUAL
    )
    issuer = models.ForeignKey(
        "skills.Evaluator",
        verbose_name=_("晋升证书发证机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    site_code = models.CharField(
        _("证书站点代码"), max_length=6, blank=True, validators=[SIX_DIGITS]
    )
    published_on = models.DateField(_("成绩公布日期"), null=True, blank=True)
    status = FSMField(
        _("状态"),
        max_length=12,
        choices=CompetitionStatus.choices,
        default=CompetitionStatus.OPEN,
        protected=True,
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(regions=("region",), organizations=("organiser",), error_field="region")

    class Meta:
        verbose_name = pgettext_lazy("singular", "职业技能竞赛")
        verbose_name_plural = _("职业技能竞赛")
        ordering = ["-starts_on", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("结束日期不能早于开始日期")
        if self.occupation_id and not self.occupation.is_occupation:
            errors["occupation"] = _("竞赛职业应为可评价的职业（细类）")
        if self.issuer_id and not self.site_code:
            errors["site_code"] = _("指定发证机构时须填写证书站点代码")
        if errors:
            raise ValidationError(errors)

    def _hr(self, user: Any) -> bool:
        return is_hr_over(user, self.region_id)

    def has_results(self: Any) -> bool:
        return self.entries.filter(rank__isnull=False).exists()

    @transition(
        field=status,
        source=CompetitionStatus.OPEN,
        target=CompetitionStatus.PUBLISHED,
        conditions=[has_results],
        permission=lambda self, user: self._hr(user),
        custom={"label": _("公布成绩并晋升表彰")},
    )
    def publish(self) -> None:
        from tongban.skills.models.certification import today

        self.published_on = today()

    @transition(
        field=status,
        source=CompetitionStatus.OPEN,
        target=CompetitionStatus.CANCELLED,
        permission=lambda self, user: self._hr(user),
        custom={"label": _("取消竞赛"), "needs_reason": True, "style": "danger"},
    )
    def cancel(self) -> None:
        pass


class CompetitionEntry(models.Model):
    """One entry: an individual or a team; its rank and, once published, its medal.

    No personal data by itself (the people are its entrants).
    """

    competition = models.ForeignKey(
        Competition, verbose_name=_("竞赛"), on_delete=models.CASCADE, related_name="entries"
    )
    name = models.CharField(_("参赛队名称"), max_length=100, blank=True)
    rank = models.PositiveSmallIntegerField(
        _("名次"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    medal = models.CharField(_("奖次"), max_length=12, choices=Medal.choices, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(
        regions=("competition__region",),
        organizations=("competition__organiser",),
        error_field="competition",
    )

    class Meta:
        verbose_name = pgettext_lazy("singular", "参赛队（选手）")
        verbose_name_plural = _("参赛队（选手）")
        ordering = ["competition", models.F("rank").asc(nulls_last=True), "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "rank"],
                name="competition_rank_once",
                violation_error_message=_("该名次已有参赛者"),
            )
        ]

    def __str__(self) -> str:
        return self.name or ", ".join(e.person.name for e in self.entrants.all())


class CompetitionEntrant(models.Model):
    """A person entered in a competition, in one entry; the promotion certificate the
    published result gave, or why none was given.

    Personal data: links a named person to a contest, a result and a certificate.
    """

    competition = models.ForeignKey(
        Competition, verbose_name=_("竞赛"), on_delete=models.CASCADE, related_name="entrants"
    )
    entry = models.ForeignKey(
        CompetitionEntry,
        verbose_name=_("参赛队"),
        on_delete=models.CASCADE,
        related_name="entrants",
    )
    person = models.ForeignKey(
        "core.Person", verbose_name=_("选手"), on_delete=models.PROTECT, related_name="+"
    )
    certificate = models.OneToOneField(
        "skills.Certificate",
        verbose_name=_("晋升证书"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="competition_result",
    )
    promotion_note = models.CharField(_("晋升说明"), max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(
        regions=("competition__region", "person__residence_region"),
        organizations=("competition__organiser",),
        own="person__user",
        error_field="competition",
    )

    class Meta:
        verbose_name = pgettext_lazy("singular", "参赛选手")
        verbose_name_plural = _("参赛选手")
        ordering = ["competition", "entry", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "person"],
                name="competition_person_once",
                violation_error_message=_("该人员已报名本竞赛"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.competition}"

    def clean(self) -> None:
        if (
            self.entry_id
            and self.competition_id
            and self.entry.competition_id != self.competition_id
        ):
            raise ValidationError({"entry": _("参赛队不属于该竞赛")})


DEFAULT_RULES: dict[str, dict[str, Any]] = {
    CompetitionLevel.WORLD: {"promotion_from": Medal.EXCELLENCE},
    CompetitionLevel.NATIONAL: {
        "promotion_from": Medal.EXCELLENCE,
        "honour_name": "全国技术能手",
        "honour_places_individual": 5,
        "honour_places_pair": 3,
        "honour_places_trio": 2,
    },
}


def ensure_competition_rules() -> None:
    """The national default table (and the world contests'), created if missing."""
    from tongban.skills.models.award import AwardType

    for level, values in DEFAULT_RULES.items():
        values = dict(values)
        honour_name = values.pop("honour_name", None)
        if honour_name:
            values["honour"] = AwardType.objects.filter(name=honour_name).first()
        CompetitionRule.objects.get_or_create(level=level, region=None, defaults=values)
