"""Objections raised against a result during its 公示 period, and their decision."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition

from tongban.core.masking import mask_phone
from tongban.core.permissions import RestrictedQuerySet, Scope
from tongban.skills.access import is_hr_over, is_staff_of
from tongban.skills.models.certification import (
    ApplicationStatus,
    CertificationApplication,
    PlanStatus,
    Stateful,
)


class ObjectionStatus(models.TextChoices):
    FILED = "filed", _("已登记，待处理")
    UPHELD = "upheld", _("异议成立")
    REJECTED = "rejected", _("异议不成立")


class Objection(Stateful):
    """An objection to one application's result, raised during the plan's 公示.

    Personal data: ``raised_by_name`` and ``raised_by_contact`` (the objector, shown
    masked), and the link to the named applicant.
    """

    application = models.ForeignKey(
        CertificationApplication,
        verbose_name=_("异议对象（申报）"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    PERSONAL_FIELDS = ("raised_by_contact",)  # revealed only through core.services

    raised_by_name = models.CharField(_("异议人姓名"), max_length=60)
    raised_by_contact = models.CharField(_("异议人联系方式"), max_length=60)
    grounds = models.TextField(_("异议事实与理由"))
    decision_reason = models.TextField(_("处理意见"), blank=True)
    status = FSMField(
        _("状态"),
        max_length=12,
        choices=ObjectionStatus.choices,
        default=ObjectionStatus.FILED,
        protected=True,
    )
    filed_on = models.DateField(_("登记日期"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(
        regions=("application__plan__evaluator__organization__region",),
        organizations=("application__plan__evaluator__organization",),
        error_field="application",
    )

    class Meta:
        verbose_name = pgettext_lazy("singular", "公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.application} · {self.get_status_display()}"

    @property
    def masked_contact(self) -> str:
        return mask_phone(self.raised_by_contact)

    def may_decide(self, user: Any) -> bool:
        """The evaluating organisation's staff or HR over its region."""
        organization = self.application.plan.evaluator.organization
        return is_staff_of(user, organization.pk) or is_hr_over(user, organization.region_id)

    def result_in_publicity(self: Any) -> bool:
        application = self.application
        return (
            application.status == ApplicationStatus.PASSED
            and application.plan.status == PlanStatus.PUBLICITY
        )

    @transition(
        field=status,
        source=ObjectionStatus.FILED,
        target=ObjectionStatus.UPHELD,
        conditions=[result_in_publicity],
        permission=lambda self, user: self.may_decide(user),
        custom={"label": _("异议成立，终止该结果"), "needs_reason": True, "style": "danger"},
    )
    def uphold(self, reason_text: str = "") -> None:
        self.decision_reason = reason_text

    @transition(
        field=status,
        source=ObjectionStatus.FILED,
        target=ObjectionStatus.REJECTED,
        conditions=[result_in_publicity],
        permission=lambda self, user: self.may_decide(user),
        custom={"label": _("异议不成立"), "needs_reason": True},
    )
    def reject(self, reason_text: str = "") -> None:
        self.decision_reason = reason_text
