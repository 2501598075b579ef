"""Event categories, the jurisdiction served, routing rules and Open311 clients: all data."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongban.core.permissions import RestrictedQuerySet, Scope


class CategoryKind(models.TextChoices):
    COMPONENT = "component", _("部件")
    INCIDENT = "incident", _("事件")
    DISPUTE = "dispute", _("矛盾纠纷")
    HAZARD = "hazard", _("安全隐患")
    CONSULTATION = "consultation", _("咨询")
    COMPLAINT = "complaint", _("投诉")
    SUGGESTION = "suggestion", _("建议")


class Category(models.Model):
    """A node of the event category tree (数字城管 classes, disputes, hazards …).

    The code is extensible: a child's code starts with its parent's code. The
    working-day limits per urgency are the category's deadline rule. No personal data.
    """

    code = models.CharField(
        _("分类代码"),
        max_length=20,
        unique=True,
        validators=[
            RegexValidator(r"^[0-9A-Za-z.\-]+$", _("分类代码只能含字母、数字、点和连字符"))
        ],
    )
    name = models.CharField(_("分类名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=20, choices=CategoryKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    description = models.CharField(_("说明"), max_length=300, blank=True)
    keywords = models.CharField(_("关键词"), max_length=200, blank=True)
    limit_normal = models.PositiveSmallIntegerField(
        _("一般时限（工作日）"), default=5, validators=[MinValueValidator(1)]
    )
    limit_urgent = models.PositiveSmallIntegerField(
        _("紧急时限（工作日）"), default=1, validators=[MinValueValidator(1)]
    )
    active = models.BooleanField(_("启用"), default=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope()

    class Meta:
        verbose_name = pgettext_lazy("singular", "事件分类")
        verbose_name_plural = _("事件分类")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if self.parent is not None and not self.code.startswith(self.parent.code):
            raise ValidationError(
                {"code": _("下级分类代码应以上级分类代码“%(p)s”开头") % {"p": self.parent.code}}
            )

    def ancestor_codes(self) -> list[str]:
        """Codes of this category and every ancestor (by walking the parents)."""
        codes = [self.code]
        node = self.parent
        while node is not None:
            codes.append(node.code)
            node = node.parent
        return codes


class Jurisdiction(models.Model):
    """A region the platform serves (events elsewhere are refused); also the Open311
    ``jurisdiction_id``. No personal data."""

    jurisdiction_id = models.CharField(_("Open311 辖区标识"), max_length=60, unique=True)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(regions=("region",))

    class Meta:
        verbose_name = pgettext_lazy("singular", "服务辖区")
        verbose_name_plural = _("服务辖区")
        ordering = ["jurisdiction_id"]

    def __str__(self) -> str:
        return f"{self.jurisdiction_id} ({self.region})"


class RoutingRule(models.Model):
    """Region + category → handling unit (FixMyStreet's body/contact as data).

    The rule applies to events in the region's subtree and in the category's subtree
    (no category: every category). The unit's own region level makes it a village,
    township or county unit. No personal data.
    """

    region = models.ForeignKey(
        "core.Region", verbose_name=_("适用区域"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("适用分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="routing_rules",
    )
    unit = models.ForeignKey(
        "core.Organization",
        verbose_name=_("处置单位"),
        on_delete=models.PROTECT,
        related_name="routing_rules",
    )

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(regions=("region",))

    class Meta:
        verbose_name = pgettext_lazy("singular", "派遣规则")
        verbose_name_plural = _("派遣规则")
        ordering = ["region", "category"]

    def __str__(self) -> str:
        return f"{self.region} · {self.category or _('全部分类')} → {self.unit}"

    def clean(self) -> None:
        from tongban.core.models import OrganizationKind

        if self.unit_id and self.unit.kind not in {
            OrganizationKind.GOVERNANCE_DEPARTMENT,
            OrganizationKind.MEDIATION_CENTRE,
        }:
            raise ValidationError({"unit": _("处置单位应为社会治理部门或矛调中心")})


class Open311Client(models.Model):
    """An Open311 client allowed to ``POST requests`` with its api_key. No personal data."""

    name = models.CharField(_("客户端名称"), max_length=100)
    api_key = models.CharField(_("API 密钥"), max_length=64, unique=True)
    active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = RestrictedQuerySet.as_manager()
    scope = Scope()

    class Meta:
        verbose_name = pgettext_lazy("singular", "Open311 客户端")
        verbose_name_plural = _("Open311 客户端")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
