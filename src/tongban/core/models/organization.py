from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongban.core.permissions import RestrictedQuerySet, Scope
from tongban.core.validators import normalize_credit_code, validate_credit_code


class OrganizationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    VOCATIONAL_SCHOOL = "vocational_school", _("职业院校（含技工院校）")
    TRAINING_INSTITUTION = "training_institution", _("职业培训机构")
    EVALUATION_ORGANIZATION = "evaluation_organization", _("社会培训评价组织")
    HR_DEPARTMENT = "hr_department", _("人力资源社会保障部门")
    GOVERNANCE_DEPARTMENT = "governance_department", _("社会治理部门")
    MEDIATION_CENTRE = "mediation_centre", _("矛盾纠纷调处化解中心")
    PUBLIC_INSTITUTION = "public_institution", _("事业单位")
    SOCIAL_ORGANIZATION = "social_organization", _("社会组织")
    OTHER = "other", _("其他")


class Organization(models.Model):
    """An enterprise, school, training or evaluation body, or a government unit.

    No personal data (the credit code identifies an organisation, not a person).
    """

    name = models.CharField(_("单位名称"), max_length=200, db_index=True)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, null=True, blank=True, unique=True
    )
    kind = models.CharField(_("单位类型"), max_length=30, choices=OrganizationKind.choices)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所在地区"), on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(regions=("region",), organizations=("pk", "parent"), error_field="region")

    class Meta:
        verbose_name = pgettext_lazy("singular", "单位")
        verbose_name_plural = _("单位")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors: dict[str, list[ValidationError]] = {}
        if self.credit_code:
            self.credit_code = normalize_credit_code(self.credit_code)
            try:
                validate_credit_code(self.credit_code)
            except ValidationError as exc:
                errors.setdefault("credit_code", []).append(exc)
        else:
            self.credit_code = None
        if self.parent_id and self.pk and self.parent_id == self.pk:
            errors.setdefault("parent", []).append(
                ValidationError(_("上级单位不能是本单位"), code="parent")
            )
        if errors:
            raise ValidationError(errors)
