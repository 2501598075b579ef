"""Wage prices （九）: pay reported by employers per occupation × level × region × year."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongban.core.permissions import RestrictedQuerySet, Scope


def pay_bounds() -> tuple[Decimal, Decimal]:
    """(lowest, highest) annual pay accepted, in yuan (settings, so the operator sets them)."""
    return (
        Decimal(str(getattr(settings, "TONGBAN_WAGE_MIN_ANNUAL", 1200))),
        Decimal(str(getattr(settings, "TONGBAN_WAGE_MAX_ANNUAL", 5_000_000))),
    )


def pay_error(value: Decimal | None) -> str | None:
    """Why an annual pay figure is refused, or None."""
    if value is None:
        return None
    low, high = pay_bounds()
    if value <= 0:
        return str(_("年工资收入必须大于0"))
    if value < low:
        return str(_("年工资收入低于%(low)s元，不合常理，请核对") % {"low": f"{low:,.0f}"})
    if value > high:
        return str(_("年工资收入超过%(high)s元，不合常理，请核对") % {"high": f"{high:,.0f}"})
    return None


class WageReport(models.Model):
    """One worker's pay in a year, reported by the employer without naming the worker:
    occupation, skill level, place of work and annual pay before tax (元).

    Personal data: none is stored (no link to a person); a single report can still
    describe one worker's pay, so reports are shown only to the employer and HR, and the
    published wage prices suppress cells with fewer than ``TONGBAN_WAGE_MIN_REPORTS``.
    """

    employer = models.ForeignKey(
        "core.Organization", verbose_name=_("填报单位"), on_delete=models.PROTECT, related_name="+"
    )
    occupation = models.ForeignKey(
        "skills.Occupation", verbose_name=_("职业"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.ForeignKey(
        "skills.SkillLevel", verbose_name=_("技能等级"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("工作地区"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    annual_pay = models.DecimalField(_("年工资收入（元）"), max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(
        regions=("employer__region", "region"),
        organizations=("employer",),
        error_field="employer",
    )

    class Meta:
        verbose_name = pgettext_lazy("singular", "工资填报")
        verbose_name_plural = _("工资填报")
        ordering = ["-year", "occupation", "level", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(annual_pay__gt=0),
                name="wage_report_pay_positive",
                violation_error_message=_("年工资收入必须大于0"),
            )
        ]
        indexes = [models.Index(fields=["year", "region", "occupation", "level"])]

    def __str__(self) -> str:
        return f"{self.year} {self.occupation_id}/{self.level_id} {self.region_id}"

    def clean(self) -> None:
        from tongban.skills.models.certification import today

        errors: dict[str, str] = {}
        problem = pay_error(self.annual_pay)
        if problem:
            errors["annual_pay"] = problem
        if self.year is not None and not 2000 <= self.year <= today().year:
            errors["year"] = str(_("年度应在2000年至今年之间"))
        if self.occupation_id and not self.occupation.is_occupation:
            errors["occupation"] = str(_("请选择具体职业（细类），而不是大类、中类或小类"))
        if errors:
            raise ValidationError(errors)
