"""Incentives （八）: enterprises' allowance schemes with monthly amounts by level, and
师带徒 (mentor and apprentice) pairs with their results.

A pair is its own record rather than an extension of ``Apprenticeship``: an
apprenticeship is the apprentice's training history (it counts toward the
apprentice's own 五级 application), while a pair records the *mentor's*
teaching — one mentor, many pairs, each with an evaluated result that counts
toward the mentor's 破格晋升 ground. A pair may point at the apprenticeship it
belongs to.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongban.core.permissions import RestrictedQuerySet, Scope

# an allowance above this per month is taken for a typing error
MONTHLY_CEILING = Decimal("100000")


class AllowanceKind(models.TextChoices):
    SKILL = "skill", _("技能津贴")
    TEAM_LEADER = "team_leader", _("班组长津贴")
    MENTORING = "mentoring", _("带徒津贴")


class AllowanceScheme(models.Model):
    """An enterprise's allowance scheme. No personal data."""

    employer = models.ForeignKey(
        "core.Organization", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("津贴类别"), max_length=12, choices=AllowanceKind.choices)
    effective_from = models.DateField(_("执行日期"))
    effective_to = models.DateField(_("截止日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(
        regions=("employer__region",), organizations=("employer",), error_field="employer"
    )

    class Meta:
        verbose_name = pgettext_lazy("singular", "津贴制度")
        verbose_name_plural = _("津贴制度")
        ordering = ["employer", "kind", "-effective_from"]

    def __str__(self) -> str:
        return f"{self.employer} {self.get_kind_display()}"

    def clean(self) -> None:
        if self.effective_to and self.effective_from and self.effective_to < self.effective_from:
            raise ValidationError({"effective_to": _("截止日期不能早于执行日期")})


class AllowanceRate(models.Model):
    """The monthly amount of a scheme for one skill level. No personal data."""

    scheme = models.ForeignKey(
        AllowanceScheme, verbose_name=_("津贴制度"), on_delete=models.CASCADE, related_name="rates"
    )
    level = models.ForeignKey(
        "skills.SkillLevel", verbose_name=_("技能等级"), on_delete=models.PROTECT, related_name="+"
    )
    monthly_amount = models.DecimalField(
        _("月标准（元）"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MONTHLY_CEILING)],
    )

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(
        regions=("scheme__employer__region",),
        organizations=("scheme__employer",),
        error_field="scheme",
    )

    class Meta:
        verbose_name = pgettext_lazy("singular", "津贴标准")
        verbose_name_plural = _("津贴标准")
        ordering = ["scheme", "level__rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "level"],
                name="allowance_rate_once_per_level",
                violation_error_message=_("该津贴制度已设置此等级的标准"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.monthly_amount}"


class MentoringResult(models.TextChoices):
    OUTSTANDING = "outstanding", _("成绩突出")
    QUALIFIED = "qualified", _("合格")
    UNQUALIFIED = "unqualified", _("不合格")


class MentorshipPair(models.Model):
    """A 师带徒 pair at an employer, with dates and the evaluated result.

    Personal data: links two named people (mentor and apprentice) to an employer
    and a result.
    """

    employer = models.ForeignKey(
        "core.Organization", verbose_name=_("用人单位"), on_delete=models.PROTECT, related_name="+"
    )
    mentor = models.ForeignKey(
        "core.Person", verbose_name=_("师傅"), on_delete=models.PROTECT, related_name="+"
    )
    apprentice = models.ForeignKey(
        "core.Person", verbose_name=_("徒弟"), on_delete=models.PROTECT, related_name="+"
    )
    occupation = models.ForeignKey(
        "skills.Occupation", verbose_name=_("职业"), on_delete=models.PROTECT, related_name="+"
    )
    apprenticeship = models.ForeignKey(
        "skills.Apprenticeship",
        verbose_name=_("学徒培养记录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_on = models.DateField(_("结对日期"))
    ended_on = models.DateField(_("出师日期"), null=True, blank=True)
    result = models.CharField(
        _("带徒成绩"), max_length=12, choices=MentoringResult.choices, blank=True
    )
    achievement = models.TextField(
        _("带徒成效"), blank=True, help_text=_("如徒弟取得的技能等级、竞赛成绩")
    )

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(
        regions=("employer__region", "mentor__residence_region"),
        organizations=("employer",),
        own="mentor__user",
        error_field="employer",
    )

    class Meta:
        verbose_name = pgettext_lazy("singular", "师带徒结对")
        verbose_name_plural = _("师带徒结对")
        ordering = ["-started_on", "pk"]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.apprentice}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.mentor_id and self.mentor_id == self.apprentice_id:
            errors["apprentice"] = _("师傅和徒弟不能是同一人")
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            errors["ended_on"] = _("出师日期不能早于结对日期")
        if self.result and not self.ended_on:
            errors["result"] = _("出师后方可评定带徒成绩")
        if errors:
            raise ValidationError(errors)
