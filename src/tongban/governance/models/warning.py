"""Risk early warning (风险预警): rules as data, and the warnings they raise.

A rule names its kind (what it counts), its window in days, its threshold and the level
of the warning it raises. ``governance.risk_warnings.evaluate`` runs every active rule and
keeps at most one open warning per rule and subject (an address, a reporter, a township and
category, a case, an event or a unit)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition

from tongban.core.permissions import RestrictedQuerySet, Role, Scope, assignments, is_platform_admin


class RuleKind(models.TextChoices):
    REPEAT_ADDRESS = "repeat_address", _("同一地址重复发生事件")
    REPEAT_REPORTER = "repeat_reporter", _("同一人重复反映")
    CATEGORY_SPIKE = "category_spike", _("乡镇某类事件较自身基线激增")
    MANY_PARTY = "many_party", _("多方当事人纠纷")
    REPEATED_DISSATISFACTION = "repeated_dissatisfaction", _("多次不满意")
    UNIT_OVERDUE = "unit_overdue", _("单位超期事件过多")


class Level(models.TextChoices):
    BLUE = "blue", _("蓝色")
    YELLOW = "yellow", _("黄色")
    ORANGE = "orange", _("橙色")
    RED = "red", _("红色")


LEVEL_ORDER = {Level.BLUE: 1, Level.YELLOW: 2, Level.ORANGE: 3, Level.RED: 4}


class WarningRule(models.Model):
    """One warning rule an operator edits. No personal data.

    ``window_days``: the period counted (calendar days back from the evaluation day);
    ``threshold``: the count that fires it; for a spike, ``baseline_days`` is the period
    before the window that gives the township's own average and ``factor`` how many times
    that average the window must reach.
    """

    code = models.SlugField(_("规则代码"), max_length=40, unique=True)
    name = models.CharField(_("规则名称"), max_length=100)
    kind = models.CharField(_("规则类型"), max_length=30, choices=RuleKind.choices)
    window_days = models.PositiveSmallIntegerField(
        _("统计天数"), default=30, validators=[MinValueValidator(1)]
    )
    threshold = models.PositiveSmallIntegerField(
        _("触发数量"), default=3, validators=[MinValueValidator(1)]
    )
    baseline_days = models.PositiveSmallIntegerField(
        _("基线天数"), default=90, validators=[MinValueValidator(1)]
    )
    factor = models.DecimalField(_("激增倍数"), max_digits=4, decimal_places=1, default=2)
    level = models.CharField(_("预警等级"), max_length=10, choices=Level.choices)
    active = models.BooleanField(_("启用"), default=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope()

    class Meta:
        verbose_name = pgettext_lazy("singular", "预警规则")
        verbose_name_plural = _("预警规则")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == RuleKind.CATEGORY_SPIKE and self.factor is not None and self.factor <= 1:
            raise ValidationError({"factor": _("激增倍数应大于1")})


class WarningStatus(models.TextChoices):
    OPEN = "open", _("待签收")
    ACKNOWLEDGED = "acknowledged", _("已签收处置中")
    CLOSED = "closed", _("已关闭")


OPEN_WARNING_STATES = (WarningStatus.OPEN, WarningStatus.ACKNOWLEDGED)


def may_handle_warning(warning: Any, user: Any) -> bool:
    """The owner, or a dispatcher over the warning's region."""
    if getattr(user, "is_authenticated", False) and is_platform_admin(user):
        return True
    if getattr(user, "pk", None) is not None and user.pk == warning.owner_id:
        return True
    return any(
        a.role == Role.GOVERNANCE_DISPATCHER
        and a.region is not None
        and warning.region_id.startswith(a.region.prefix)
        for a in assignments(user)
    )


class RiskWarning(models.Model):
    """A warning raised by a rule about one subject. ``subject_label`` may contain masked
    personal data (a reporter's phone is stored only masked). No other personal data."""

    rule = models.ForeignKey(
        WarningRule, verbose_name=_("预警规则"), on_delete=models.PROTECT, related_name="warnings"
    )
    subject_key = models.CharField(_("预警对象键"), max_length=200)
    subject_label = models.CharField(_("预警对象"), max_length=200)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("预警等级"), max_length=10, choices=Level.choices)
    count = models.PositiveIntegerField(_("计数"), default=0)
    evidence = models.JSONField(_("依据"), default=list, blank=True)
    evidence_until = models.DateTimeField(_("最新依据时间"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = FSMField(
        _("状态"),
        max_length=20,
        choices=WarningStatus.choices,
        default=WarningStatus.OPEN,
        protected=True,
    )
    raised_at = models.DateTimeField(_("预警时间"), default=timezone.now)
    last_evaluated_at = models.DateTimeField(_("最近评估时间"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(regions=("region",), error_field="region")

    class Meta:
        verbose_name = pgettext_lazy("singular", "风险预警")
        verbose_name_plural = _("风险预警")
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "subject_key"],
                condition=Q(status__in=["open", "acknowledged"]),
                name="gov_warning_one_open_per_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} · {self.subject_label}"

    def clean_fields(self, exclude: Any = None) -> None:
        super().clean_fields(exclude={*(exclude or ()), "status"})

    @transition(
        field=status,
        source=WarningStatus.OPEN,
        target=WarningStatus.ACKNOWLEDGED,
        permission=may_handle_warning,
        custom={"label": _("签收预警")},
    )
    def acknowledge(self) -> None:
        self.acknowledged_at = timezone.now()

    @transition(
        field=status,
        source=[WarningStatus.OPEN, WarningStatus.ACKNOWLEDGED],
        target=WarningStatus.CLOSED,
        permission=may_handle_warning,
        custom={"label": _("关闭预警"), "needs_reason": True},
    )
    def close(self) -> None:
        self.closed_at = timezone.now()
