"""The credit bank (学分银行): credit rules as data, credits traced to their source,
credits recognised from other institutions, and a qualifications framework whose
levels are data (国家资历框架 is not final)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongban.core.models.person import Education
from tongban.core.permissions import RestrictedQuerySet, Scope


class CreditSource(models.TextChoices):
    TRAINING = "training", _("培训学时")
    CERTIFICATE = "certificate", _("职业技能等级证书")
    EDUCATION = "education", _("学历教育")
    X_CERTIFICATE = "x_certificate", _("1+X职业技能等级证书")
    RECOGNISED = "recognised", _("外机构学分认定")


class CreditRule(models.Model):
    """How many credits a source earns. No personal data.

    * ``training``: ``credits`` per ``per_hours`` completed training hours;
    * ``certificate``: ``credits`` for a certificate of ``skill_level``;
    * ``education``: ``credits`` for a completed ``education`` (学历);
    * ``x_certificate``: ``credits`` for a 1+X certificate of ``x_level``.
    """

    source = models.CharField(
        _("学分来源"),
        max_length=14,
        choices=[c for c in CreditSource.choices if c[0] != CreditSource.RECOGNISED],
    )
    skill_level = models.ForeignKey(
        "skills.SkillLevel",
        verbose_name=_("技能等级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    education = models.CharField(_("学历"), max_length=30, choices=Education.choices, blank=True)
    x_level = models.CharField(_("1+X证书等级"), max_length=12, blank=True)
    per_hours = models.DecimalField(
        _("每多少学时"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    credits = models.DecimalField(
        _("学分"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    active = models.BooleanField(_("启用"), default=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope()

    class Meta:
        verbose_name = pgettext_lazy("singular", "学分规则")
        verbose_name_plural = _("学分规则")
        ordering = ["source", "pk"]

    def __str__(self) -> str:
        if self.source == CreditSource.TRAINING:
            return f"{_('培训')} {self.per_hours} {_('学时')} = {self.credits} {_('学分')}"
        subject = self.skill_level or self.get_education_display() or self.x_level
        return f"{self.get_source_display()} {subject} = {self.credits} {_('学分')}"

    def clean(self) -> None:
        needed: dict[str, tuple[str, Any]] = {
            CreditSource.TRAINING: ("per_hours", _("培训学时规则须填写“每多少学时”")),
            CreditSource.CERTIFICATE: ("skill_level", _("证书规则须选择技能等级")),
            CreditSource.EDUCATION: ("education", _("学历规则须选择学历")),
            CreditSource.X_CERTIFICATE: ("x_level", _("1+X证书规则须选择证书等级")),
        }
        if self.source in needed:
            field, message = needed[self.source]
            if not getattr(self, field if field != "skill_level" else "skill_level_id"):
                raise ValidationError({field: message}, code="required")


class CreditEntry(models.Model):
    """Credits a person holds, each traced to its source (a training enrolment, a
    certificate, an education record, a 1+X certificate) or recognised from another
    institution.

    Personal data: links a named person to what they learnt and where.
    """

    person = models.ForeignKey(
        "core.Person", verbose_name=_("人员"), on_delete=models.CASCADE, related_name="+"
    )
    source = models.CharField(_("学分来源"), max_length=14, choices=CreditSource.choices)
    source_id = models.PositiveBigIntegerField(_("来源记录"), null=True, blank=True)
    rule = models.ForeignKey(
        CreditRule,
        verbose_name=_("学分规则"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("学习成果"), max_length=200)
    credits = models.DecimalField(
        _("学分"), max_digits=7, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    earned_on = models.DateField(_("取得日期"))
    institution = models.ForeignKey(
        "core.Organization",
        verbose_name=_("登记机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    other_institution = models.CharField(_("原发放机构（外机构）"), max_length=200, blank=True)
    evidence = models.CharField(_("认定依据"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(
        regions=("person__residence_region", "institution__region"),
        organizations=("institution",),
        own="person__user",
        error_field="institution",
    )

    class Meta:
        verbose_name = pgettext_lazy("singular", "学分记录")
        verbose_name_plural = _("学分记录")
        ordering = ["-earned_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=Q(source_id__isnull=False),
                name="credit_once_per_source",
                violation_error_message=_("该学习成果已计入学分"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.title} {self.credits}"

    def clean(self) -> None:
        if self.source == CreditSource.RECOGNISED:
            errors: dict[str, Any] = {}
            if not self.other_institution.strip():
                errors["other_institution"] = _("外机构学分认定须填写原发放机构")
            if not self.evidence.strip():
                errors["evidence"] = _("外机构学分认定须填写认定依据（如成绩单编号）")
            if errors:
                raise ValidationError(errors, code="required")


class QualificationLevel(models.Model):
    """One level of the qualifications framework (资历框架), configurable: reached with
    ``min_credits`` and, if set, a certificate of at least ``min_skill_level``. No personal data."""

    rank = models.PositiveSmallIntegerField(_("级别序位"), unique=True)
    name = models.CharField(_("级别名称"), max_length=40)
    min_credits = models.DecimalField(
        _("所需学分"), max_digits=7, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    min_skill_level = models.ForeignKey(
        "skills.SkillLevel",
        verbose_name=_("所需最低技能等级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.CharField(_("说明"), max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope()

    class Meta:
        verbose_name = pgettext_lazy("singular", "资历框架等级")
        verbose_name_plural = _("资历框架等级")
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.name
