"""1+X: a vocational student's 学历 record (the "1") and the 职业技能等级证书 issued by
培训评价组织 (the "X": 初级 / 中级 / 高级)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongban.core.models.person import Education
from tongban.core.permissions import RestrictedQuerySet, Scope


class XLevel(models.TextChoices):
    JUNIOR = "junior", _("初级")
    INTERMEDIATE = "intermediate", _("中级")
    SENIOR = "senior", _("高级")


class EducationRecord(models.Model):
    """A student's 学历 record at a vocational school (the "1" of 1+X).

    Personal data: links a named person to a school, major and dates.
    """

    person = models.ForeignKey(
        "core.Person", verbose_name=_("学生"), on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "core.Organization", verbose_name=_("学校"), on_delete=models.PROTECT, related_name="+"
    )
    education = models.CharField(_("学历层次"), max_length=30, choices=Education.choices)
    major = models.CharField(_("专业"), max_length=100)
    enrolled_on = models.DateField(_("入学日期"))
    graduated_on = models.DateField(_("毕业日期"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(
        regions=("person__residence_region", "school__region"),
        organizations=("school",),
        own="person__user",
        error_field="school",
    )

    class Meta:
        verbose_name = pgettext_lazy("singular", "学历记录")
        verbose_name_plural = _("学历记录")
        ordering = ["-enrolled_on", "pk"]

    def __str__(self) -> str:
        return f"{self.person} {self.school} {self.major}"

    def clean(self) -> None:
        if self.graduated_on and self.enrolled_on and self.graduated_on < self.enrolled_on:
            raise ValidationError({"graduated_on": _("毕业日期不能早于入学日期")})


class XCertificate(models.Model):
    """A 1+X 职业技能等级证书 (初级 / 中级 / 高级) held by a student, issued by a
    培训评价组织.

    Personal data: links a named person to a certificate and school.
    """

    person = models.ForeignKey(
        "core.Person", verbose_name=_("持证人"), on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "core.Organization",
        verbose_name=_("就读学校"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issuer = models.ForeignKey(
        "core.Organization",
        verbose_name=_("培训评价组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("证书名称"), max_length=120)
    level = models.CharField(_("证书等级"), max_length=12, choices=XLevel.choices)
    number = models.CharField(_("证书编号"), max_length=40, unique=True)
    issued_on = models.DateField(_("发证日期"))

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(
        regions=("person__residence_region", "school__region"),
        organizations=("school", "issuer"),
        own="person__user",
        error_field="school",
    )

    class Meta:
        verbose_name = pgettext_lazy("singular", "1+X证书")
        verbose_name_plural = _("1+X证书")
        ordering = ["-issued_on", "pk"]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_level_display()}）"

    def clean(self) -> None:
        from tongban.core.models import OrganizationKind

        if self.issuer_id and self.issuer.kind != OrganizationKind.EVALUATION_ORGANIZATION:
            raise ValidationError(
                {"issuer": _("1+X证书应由培训评价组织颁发")}, code="not_evaluation_organization"
            )
