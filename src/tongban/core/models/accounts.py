from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongban.core.permissions import (
    ORGANIZATION_ROLES,
    REGION_ROLES,
    RestrictedQuerySet,
    Role,
    Scope,
)

ORGANIZATION_KINDS_FOR_ROLE = {
    Role.ENTERPRISE_HR: {"enterprise"},
    Role.TRAINING_STAFF: {"training_institution", "vocational_school"},
    Role.EVALUATION_STAFF: {"evaluation_organization"},
}
HR_OFFICER_LEVELS = {"province", "city", "county"}


class RoleAssignment(models.Model):
    """A role held by a user over a region subtree and/or one organisation. No personal data."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)
    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("管辖区域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope()

    class Meta:
        verbose_name = pgettext_lazy("singular", "角色授权")
        verbose_name_plural = _("角色授权")
        ordering = ["user", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "region", "organization"], name="role_assignment_unique"
            )
        ]

    def __str__(self) -> str:
        where = self.organization or self.region or _("全平台")
        return f"{self.get_role_display()} · {where}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.role in REGION_ROLES and not self.region_id:
            errors["region"] = str(_("该角色须指定管辖区域"))
        if (
            self.role == Role.HR_OFFICER
            and self.region is not None
            and self.region.level not in HR_OFFICER_LEVELS
        ):
            errors["region"] = str(_("人社部门工作人员的管辖区域应为省、市或县级"))
        if self.role in ORGANIZATION_ROLES:
            if self.organization is None:
                errors["organization"] = str(_("该角色须指定所属单位"))
            elif self.organization.kind not in ORGANIZATION_KINDS_FOR_ROLE[Role(self.role)]:
                errors["organization"] = str(_("所属单位的类型与角色不符"))
        if errors:
            raise ValidationError(errors)
