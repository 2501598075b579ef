"""The employee education fund （十八） and the 产教融合型企业 credit （五）: yearly reports
by enterprises, and the rules (frontline share, credit rate, carry-forward) as data."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongban.core.permissions import RestrictedQuerySet, Scope

MONEY = {"max_digits": 16, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class FundPolicy(models.Model):
    """The fund rules (one row). No personal data.

    ``frontline_min_share``: the share of the fund used that should go to frontline
    workers (60 %); ``credit_rate``: the share of qualifying investment that offsets
    education surcharges (30 %); ``carry_forward_years``: how many later years an
    unused credit may be carried to (empty: no limit, 0: not carried).
    """

    frontline_min_share = models.DecimalField(
        _("一线职工使用比例下限"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.60"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    credit_rate = models.DecimalField(
        _("投资额抵免比例"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.30"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    carry_forward_years = models.PositiveSmallIntegerField(
        _("未抵免部分可结转年数"),
        null=True,
        blank=True,
        help_text=_("留空表示不限年数，0表示不得结转"),
    )

    objects = RestrictedQuerySet.as_manager()
    scope = Scope()

    class Meta:
        verbose_name = pgettext_lazy("singular", "教育经费规则")
        verbose_name_plural = _("教育经费规则")

    def __str__(self) -> str:
        return str(_("教育经费规则"))

    @classmethod
    def current(cls) -> FundPolicy:
        policy = cls.objects.order_by("pk").first()
        return policy if policy is not None else cls.objects.create()


class EducationFundReport(models.Model):
    """An enterprise's yearly report of its employee education fund, and (for a
    产教融合型企业) its qualifying investment and the education surcharges due.

    No personal data.
    """

    enterprise = models.ForeignKey(
        "core.Organization", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    payroll = models.DecimalField(_("工资总额（元）"), **MONEY)  # type: ignore[arg-type]
    extracted = models.DecimalField(_("提取职工教育经费（元）"), **MONEY)  # type: ignore[arg-type]
    used = models.DecimalField(_("使用职工教育经费（元）"), **MONEY)  # type: ignore[arg-type]
    used_frontline = models.DecimalField(_("其中用于一线职工（元）"), **MONEY)  # type: ignore[arg-type]
    integration_enterprise = models.BooleanField(_("产教融合型企业"), default=False)
    qualifying_investment = models.DecimalField(
        _("当年符合条件的产教融合投资额（元）"),
        default=Decimal("0"),
        **MONEY,  # type: ignore[arg-type]
    )
    surcharge_due = models.DecimalField(
        _("当年应缴教育费附加和地方教育附加（元）"),
        default=Decimal("0"),
        **MONEY,  # type: ignore[arg-type]
    )
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(
        regions=("enterprise__region",), organizations=("enterprise",), error_field="enterprise"
    )

    class Meta:
        verbose_name = pgettext_lazy("singular", "职工教育经费报告")
        verbose_name_plural = _("职工教育经费报告")
        ordering = ["-year", "enterprise", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"],
                name="fund_report_once_per_year",
                violation_error_message=_("该企业本年度已填报"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if (
            self.extracted is not None
            and self.payroll is not None
            and self.extracted > self.payroll
        ):
            errors["extracted"] = _(
                "提取的职工教育经费（%(part)s元）超过工资总额（%(whole)s元）"
            ) % {
                "part": self.extracted,
                "whole": self.payroll,
            }
        if (
            self.used_frontline is not None
            and self.used is not None
            and self.used_frontline > self.used
        ):
            errors["used_frontline"] = _(
                "用于一线职工的经费（%(part)s元）超过使用的职工教育经费总额（%(whole)s元）"
            ) % {"part": self.used_frontline, "whole": self.used}
        if not self.integration_enterprise and self.qualifying_investment:
            errors["qualifying_investment"] = _("只有产教融合型企业可以填报抵免投资额")
        if errors:
            raise ValidationError(errors, code="parts_exceed_whole")

    @property
    def frontline_share(self) -> Decimal | None:
        if not self.used:
            return None
        return (self.used_frontline / self.used).quantize(Decimal("0.0001"))
