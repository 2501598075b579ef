"""What a person brings to an application besides certificates: school and apprenticeship."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongban.core.permissions import RestrictedQuerySet, Scope


class SchoolClass(models.TextChoices):
    TECHNICAL_SCHOOL = "technical_school", _("技工学校（中级工班）")
    SENIOR_TECHNICAL_SCHOOL = "senior_technical_school", _("高级技工学校（高级工班）")
    TECHNICIAN_COLLEGE = "technician_college", _("技师学院（高级工班）")
    PREPARATORY_TECHNICIAN = "preparatory_technician", _("预备技师（技师）班")


class SchoolRecord(models.Model):
    """Graduation from a 技工院校 class.

    Personal data: links a named person to a school, class and graduation date.
    """

    person = models.ForeignKey(
        "core.Person", verbose_name=_("人员"), on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "core.Organization", verbose_name=_("院校"), on_delete=models.PROTECT, related_name="+"
    )
    school_class = models.CharField(_("班级类别"), max_length=30, choices=SchoolClass.choices)
    occupation = models.ForeignKey(
        "skills.Occupation",
        verbose_name=_("对应职业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    graduated_on = models.DateField(_("毕业日期"))

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(
        regions=("person__residence_region", "school__region"),
        organizations=("school",),
        own="person__user",
        error_field="school",
    )

    class Meta:
        verbose_name = pgettext_lazy("singular", "技工院校学习记录")
        verbose_name_plural = _("技工院校学习记录")
        ordering = ["-graduated_on", "pk"]

    def __str__(self) -> str:
        return f"{self.person} {self.get_school_class_display()}"


class Apprenticeship(models.Model):
    """An apprenticeship (学徒) in an occupation with an employer.

    Personal data: links a named person to an employer, occupation and dates.
    """

    person = models.ForeignKey(
        "core.Person", verbose_name=_("人员"), on_delete=models.CASCADE, related_name="+"
    )
    employer = models.ForeignKey(
        "core.Organization", verbose_name=_("用人单位"), on_delete=models.PROTECT, related_name="+"
    )
    occupation = models.ForeignKey(
        "skills.Occupation", verbose_name=_("职业"), on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField(_("开始日期"))
    completed_on = models.DateField(_("期满日期"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(
        regions=("person__residence_region", "employer__region"),
        organizations=("employer",),
        own="person__user",
        error_field="employer",
    )

    class Meta:
        verbose_name = pgettext_lazy("singular", "学徒培养记录")
        verbose_name_plural = _("学徒培养记录")
        ordering = ["-started_on", "pk"]

    def __str__(self) -> str:
        return f"{self.person} {self.occupation.name}"

    def clean(self) -> None:
        if self.completed_on and self.started_on and self.completed_on < self.started_on:
            raise ValidationError({"completed_on": _("期满日期不能早于开始日期")})
