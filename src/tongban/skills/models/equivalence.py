"""双向比照认定 as data: skill level + years → title level; school class → education."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongban.core.permissions import RestrictedQuerySet, Scope


class TitleEquivalence(models.Model):
    """A skill level held for some years makes one eligible for a title level. No personal data."""

    level = models.OneToOneField(
        "skills.SkillLevel", verbose_name=_("技能等级"), on_delete=models.CASCADE, related_name="+"
    )
    years = models.PositiveSmallIntegerField(_("取得后年限"), default=0)
    title_level = models.CharField(_("可比照的职称层级"), max_length=60)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope()

    class Meta:
        verbose_name = pgettext_lazy("singular", "职称比照")
        verbose_name_plural = _("职称比照")

    def __str__(self) -> str:
        return f"{self.level} + {self.years} → {self.title_level}"


class EducationEquivalence(models.Model):
    """A 技工院校 class counts as an education level. No personal data."""

    school_class = models.CharField(_("班级类别"), max_length=30, unique=True)
    education = models.CharField(_("比照学历"), max_length=30)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope()

    class Meta:
        verbose_name = pgettext_lazy("singular", "学历比照")
        verbose_name_plural = _("学历比照")

    def __str__(self) -> str:
        return f"{self.school_class} → {self.education}"
