"""The skill-level ladder, the occupation catalogue, standards and assessment parts.

All of it is reference data the operator edits; none of it holds personal data.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongban.core.permissions import RestrictedQuerySet, Scope

# key, rank, name, grade name, digit in certificate numbers, 高技能
LADDER: list[tuple[str, int, str, str, int | None, bool]] = [
    ("apprentice", 0, "学徒工", "", None, False),
    ("level5", 1, "初级工", "五级", 5, False),
    ("level4", 2, "中级工", "四级", 4, False),
    ("level3", 3, "高级工", "三级", 3, True),
    ("level2", 4, "技师", "二级", 2, True),
    ("level1", 5, "高级技师", "一级", 1, True),
    ("special", 6, "特级技师", "", None, True),
    ("chief", 7, "首席技师", "", None, True),
]
CERTIFICATE_LEVELS = ("level5", "level4", "level3", "level2", "level1")
APPOINTED_LEVELS = ("special", "chief")


class SkillLevel(models.Model):
    """One rung of the eight-level ladder. No personal data."""

    key = models.CharField(_("代码"), max_length=20, unique=True)
    rank = models.PositiveSmallIntegerField(_("序位"), unique=True)
    name = models.CharField(_("等级名称"), max_length=20)
    grade_name = models.CharField(_("等级"), max_length=10, blank=True)
    number_digit = models.PositiveSmallIntegerField(_("证书编号等级位"), null=True, blank=True)
    high_skill = models.BooleanField(_("高技能"), default=False)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope()

    class Meta:
        verbose_name = pgettext_lazy("singular", "技能等级")
        verbose_name_plural = _("技能等级")
        ordering = ["rank"]

    def __str__(self) -> str:
        return f"{self.grade_name}/{self.name}" if self.grade_name else self.name

    @property
    def short(self) -> str:
        """The wording used in conditions: 四级, 技师 …"""
        return self.grade_name or self.name


def ensure_ladder() -> None:
    """Create the ladder rows if missing (idempotent; run after migrate and by the loader)."""
    for key, rank, name, grade, digit, high in LADDER:
        SkillLevel.objects.update_or_create(
            key=key,
            defaults={
                "rank": rank,
                "name": name,
                "grade_name": grade,
                "number_digit": digit,
                "high_skill": high,
            },
        )


def level(key: str) -> SkillLevel:
    found = SkillLevel.objects.filter(key=key).first()
    if found is None:
        ensure_ladder()
        found = SkillLevel.objects.get(key=key)
    return found


class OccupationKind(models.TextChoices):
    MAJOR = "major", _("大类")
    MIDDLE = "middle", _("中类")
    MINOR = "minor", _("小类")
    UNIT = "unit", _("细类（职业）")


class Occupation(models.Model):
    """A node of 《职业分类大典》: 大类, 中类, 小类 or 细类 (the occupation). No personal data."""

    code = models.CharField(_("职业代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=120, db_index=True)
    kind = models.CharField(_("层级"), max_length=10, choices=OccupationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    digital = models.BooleanField(_("数字职业（S）"), default=False)
    green = models.BooleanField(_("绿色职业（L）"), default=False)
    definition = models.TextField(_("定义"), blank=True)
    is_occupation = models.BooleanField(
        _("可评价的职业"), default=False, help_text=_("细类，或大典中不再细分的小类")
    )
    levels = models.ManyToManyField(
        SkillLevel, verbose_name=_("设置的技能等级"), blank=True, related_name="occupations"
    )
    dataset = models.CharField(_("数据来源"), max_length=60, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope()

    class Meta:
        verbose_name = pgettext_lazy("singular", "职业")
        verbose_name_plural = _("职业分类")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def markers(self) -> str:
        return "/".join(m for m, on in (("L", self.green), ("S", self.digital)) if on)

    def has_level(self, skill_level: SkillLevel) -> bool:
        return self.levels.filter(pk=skill_level.pk).exists()


class Workline(models.Model):
    """A 工种 under an occupation. No personal data."""

    occupation = models.ForeignKey(
        Occupation, verbose_name=_("职业"), on_delete=models.CASCADE, related_name="worklines"
    )
    name = models.CharField(_("工种名称"), max_length=120)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope()

    class Meta:
        verbose_name = pgettext_lazy("singular", "工种")
        verbose_name_plural = _("工种")
        ordering = ["occupation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["occupation", "name"], name="workline_unique")
        ]

    def __str__(self) -> str:
        return self.name


class RequirementKind(models.TextChoices):
    CERTIFICATE = "certificate", _("持有证书")
    YEARS = "years", _("从事本职业年限")
    SCHOOL = "school", _("技工院校毕业")
    APPRENTICESHIP = "apprenticeship", _("学徒期满")
    EDUCATION = "education", _("学历")


def validate_alternatives(value: object) -> None:
    """``[[{"kind": "certificate", "level": "level4"}, {"kind": "years", "years": 5,
    "since": "level4"}], …]``: any one alternative, all of its requirements."""
    kinds = set(RequirementKind.values)
    if not isinstance(value, list) or not value:
        raise ValidationError(_("申报条件应为至少一组条件"), code="conditions")
    for alternative in value:
        if not isinstance(alternative, list) or not alternative:
            raise ValidationError(_("每组条件应至少包含一项要求"), code="conditions")
        for requirement in alternative:
            if not isinstance(requirement, dict) or requirement.get("kind") not in kinds:
                raise ValidationError(
                    _("无法识别的条件：%(value)s") % {"value": requirement}, code="conditions"
                )


class ApplicationCondition(models.Model):
    """申报条件 of one occupation at one level (overrides the common template). No personal data."""

    occupation = models.ForeignKey(
        Occupation, verbose_name=_("职业"), on_delete=models.CASCADE, related_name="conditions"
    )
    level = models.ForeignKey(
        SkillLevel, verbose_name=_("技能等级"), on_delete=models.PROTECT, related_name="+"
    )
    alternatives = models.JSONField(
        _("申报条件"), validators=[validate_alternatives], help_text=_("满足其中一组即可")
    )

    objects = RestrictedQuerySet.as_manager()
    scope = Scope()

    class Meta:
        verbose_name = pgettext_lazy("singular", "申报条件")
        verbose_name_plural = _("申报条件")
        constraints = [
            models.UniqueConstraint(fields=["occupation", "level"], name="condition_unique")
        ]

    def __str__(self) -> str:
        return f"{self.occupation.name} {self.level}"


class PartKind(models.TextChoices):
    THEORY = "theory", _("理论知识考试")
    PRACTICAL = "practical", _("操作技能考核")
    REVIEW = "review", _("综合评审")


class AssessmentPart(models.Model):
    """A part of the assessment of an occupation at a level, with its pass mark.

    Without rows for an occupation the common template applies. No personal data.
    """

    occupation = models.ForeignKey(
        Occupation, verbose_name=_("职业"), on_delete=models.CASCADE, related_name="parts"
    )
    level = models.ForeignKey(
        SkillLevel, verbose_name=_("技能等级"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("考核项目"), max_length=10, choices=PartKind.choices)
    full_marks = models.PositiveSmallIntegerField(_("满分"), default=100)
    pass_mark = models.PositiveSmallIntegerField(_("合格分"), default=60)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope()

    class Meta:
        verbose_name = pgettext_lazy("singular", "考核项目")
        verbose_name_plural = _("考核项目")
        ordering = ["occupation", "level", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["occupation", "level", "kind"], name="part_unique")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    def clean(self) -> None:
        if self.pass_mark > self.full_marks:
            raise ValidationError({"pass_mark": _("合格分不能高于满分")})
