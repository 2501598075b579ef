from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongban.core.permissions import RestrictedQuerySet, Scope
from tongban.core.validators import validate_occupation_code


class Employment(models.Model):
    """A person's employment with an organisation.

    Personal data: links a named person to an employer, post and dates.
    """

    person = models.ForeignKey(
        "core.Person", verbose_name=_("人员"), on_delete=models.CASCADE, related_name="employments"
    )
    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("用人单位"),
        on_delete=models.PROTECT,
        related_name="employments",
    )
    post = models.CharField(_("岗位"), max_length=100, blank=True)
    occupation_code = models.CharField(
        _("职业代码"),
        max_length=12,
        blank=True,
        validators=[validate_occupation_code],
        help_text=_("《职业分类大典》代码，如6-18-01-01"),
    )
    start_date = models.DateField(_("入职日期"))
    end_date = models.DateField(_("离职日期"), null=True, blank=True)
    frontline = models.BooleanField(_("一线岗位"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(
        regions=("organization__region", "person__residence_region"),
        organizations=("organization",),
        own="person__user",
        error_field="organization",
    )

    class Meta:
        verbose_name = pgettext_lazy("singular", "从业经历")
        verbose_name_plural = _("从业经历")
        ordering = ["-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="employment_ends_after_start",
                violation_error_message=_("离职日期不能早于入职日期"),
            ),
            models.UniqueConstraint(
                fields=["person", "organization", "start_date"],
                name="employment_one_per_start",
                violation_error_message=_("该人员在该单位同一入职日期的从业经历已登记"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.organization}"

    def clean(self) -> None:
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("离职日期不能早于入职日期")})

    @property
    def is_current(self) -> bool:
        return self.end_date is None
