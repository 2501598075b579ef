"""Grids within villages (网格), their workers, and patrols with checklists (网格巡查).

A patrol task names a grid, a checklist template and the place to check; the grid worker
answers every item from the item's options, and each answer outside the item's passing
options becomes a safety-hazard event in the event loop (``governance.patrols``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition

from tongban.core.permissions import RestrictedQuerySet, Role, Scope, assignments, is_platform_admin


class Grid(models.Model):
    """A grid (网格) inside one village or community, with the grid workers assigned to it.
    No personal data (workers are staff accounts)."""

    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("所在村（社区）"),
        on_delete=models.PROTECT,
        related_name="+",
        error_messages={"invalid": _("未知的行政区划代码：%(value)s")},
    )
    code = models.CharField(_("网格编号"), max_length=30, unique=True)
    name = models.CharField(_("网格名称"), max_length=60)
    description = models.CharField(_("范围说明"), max_length=200, blank=True)
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("网格员"), blank=True, related_name="grids"
    )
    households = models.PositiveIntegerField(_("户数"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(regions=("region",), error_field="region", regional=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "网格")
        verbose_name_plural = _("网格")
        ordering = ["region_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="gov_grid_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from tongban.core.models import Region

        if self.region_id:
            region = Region.objects.filter(pk=self.region_id).first()
            if region is not None and region.level != "village":
                raise ValidationError(
                    {"region": _("网格应划在村（社区）内，请选择村（社区）级区划")}
                )


def pick_grid(region_code: str, user: Any = None) -> Grid | None:
    """The grid an event in ``region_code`` belongs to when nobody named one: the reporting
    grid worker's own grid in that village, else the village's only grid, else none."""
    grids = Grid.objects.filter(region_id=region_code, active=True)
    if user is not None and getattr(user, "is_authenticated", False):
        own = list(grids.filter(workers=user)[:2])
        if len(own) == 1:
            return own[0]
    only = list(grids[:2])
    return only[0] if len(only) == 1 else None


def validate_options(value: Any) -> None:
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(v, str) and v.strip() for v in value)
    ):
        raise ValidationError(_("请填写至少一个选项（文字）"))
    if len(set(value)) != len(value):
        raise ValidationError(_("选项不能重复"))


class ChecklistTemplate(models.Model):
    """A patrol checklist (巡查清单), kept as data. No personal data."""

    code = models.CharField(_("清单编号"), max_length=30, unique=True)
    name = models.CharField(_("清单名称"), max_length=60)
    hazard_category = models.ForeignKey(
        "governance.Category",
        verbose_name=_("默认隐患分类"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("检查不通过时生成的安全隐患事件所用分类（检查项可另行指定）"),
    )
    active = models.BooleanField(_("启用"), default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("singular", "巡查清单")
        verbose_name_plural = _("巡查清单")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    """One check of a template: the question, the options an answer must come from, and which
    of them pass. No personal data."""

    template = models.ForeignKey(
        ChecklistTemplate,
        verbose_name=_("巡查清单"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    position = models.PositiveSmallIntegerField(_("序号"), default=1)
    question = models.CharField(_("检查项"), max_length=100)
    options = models.JSONField(_("可选答案"), validators=[validate_options])
    passing = models.JSONField(_("通过的答案"), validators=[validate_options])
    hazard_category = models.ForeignKey(
        "governance.Category",
        verbose_name=_("隐患分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("singular", "检查项")
        verbose_name_plural = _("检查项")
        ordering = ["template", "position", "pk"]

    def __str__(self) -> str:
        return self.question

    def clean(self) -> None:
        if isinstance(self.options, list) and isinstance(self.passing, list):
            extra = [p for p in self.passing if p not in self.options]
            if extra:
                raise ValidationError(
                    {"passing": _("通过的答案须取自可选答案：%(v)s") % {"v": "、".join(extra)}}
                )

    def passes(self, answer: str) -> bool:
        return answer in self.passing

    @property
    def category(self) -> Any:
        return self.hazard_category or self.template.hazard_category


class PatrolStatus(models.TextChoices):
    ASSIGNED = "assigned", _("待巡查")
    DONE = "done", _("已巡查")
    CANCELLED = "cancelled", _("已取消")


def on_grid(task: Any, user: Any) -> bool:
    """The task's assignee, a grid worker of its grid, or a dispatcher over its village."""
    if getattr(user, "is_authenticated", False) and is_platform_admin(user):
        return True
    if task.assignee_id and task.assignee_id == getattr(user, "pk", None):
        return True
    region = task.grid.region_id
    for a in assignments(user):
        if a.region is None or not region.startswith(a.region.prefix):
            continue
        if a.role == Role.GOVERNANCE_DISPATCHER:
            return True
        if a.role == Role.GRID_WORKER and task.grid.workers.filter(pk=user.pk).exists():
            return True
    return False


def dispatches_grid(task: Any, user: Any) -> bool:
    if getattr(user, "is_authenticated", False) and is_platform_admin(user):
        return True
    return any(
        a.role == Role.GOVERNANCE_DISPATCHER
        and a.region is not None
        and task.grid.region_id.startswith(a.region.prefix)
        for a in assignments(user)
    )


class PatrolTask(models.Model):
    """A patrol of one place in a grid against a checklist. No personal data."""

    grid = models.ForeignKey(Grid, verbose_name=_("网格"), on_delete=models.PROTECT)
    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("巡查清单"), on_delete=models.PROTECT
    )
    place = models.CharField(_("巡查对象（地点）"), max_length=200)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("巡查网格员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("巡查期限"), null=True, blank=True)
    status = FSMField(
        _("状态"),
        max_length=20,
        choices=PatrolStatus.choices,
        default=PatrolStatus.ASSIGNED,
        protected=True,
    )
    patrolled_at = models.DateTimeField(_("巡查时间"), null=True, blank=True)
    failed_checks = models.PositiveSmallIntegerField(_("未通过项数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("派发人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("派发时间"), default=timezone.now)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(regions=("grid__region",), error_field="grid", regional=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "巡查任务")
        verbose_name_plural = _("巡查任务")
        ordering = ["status", "due_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.grid} · {self.place}"

    def clean_fields(self, exclude: Any = None) -> None:
        super().clean_fields(exclude={*(exclude or ()), "status"})

    def clean(self) -> None:
        if self.template_id and not self.template.active:
            raise ValidationError({"template": _("该巡查清单已停用")})
        if (
            self.grid_id
            and self.assignee_id
            and not self.grid.workers.filter(pk=self.assignee_id).exists()
        ):
            raise ValidationError({"assignee": _("巡查网格员须是该网格的网格员")})

    @transition(
        field=status,
        source=PatrolStatus.ASSIGNED,
        target=PatrolStatus.DONE,
        permission=on_grid,
        custom={"label": _("提交巡查结果")},
    )
    def submit(self, failed: int = 0) -> None:
        self.patrolled_at = timezone.now()
        self.failed_checks = failed

    @transition(
        field=status,
        source=PatrolStatus.ASSIGNED,
        target=PatrolStatus.CANCELLED,
        permission=dispatches_grid,
        custom={"label": _("取消任务"), "needs_reason": True, "style": "danger"},
    )
    def cancel(self) -> None:
        pass


class PatrolAnswer(models.Model):
    """The answer to one check of a patrol, and the hazard event it raised. No personal data."""

    task = models.ForeignKey(
        PatrolTask, verbose_name=_("巡查任务"), on_delete=models.CASCADE, related_name="answers"
    )
    item = models.ForeignKey(ChecklistItem, verbose_name=_("检查项"), on_delete=models.PROTECT)
    answer = models.CharField(_("检查结果"), max_length=60)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    passed = models.BooleanField(_("通过"), default=True)
    event = models.ForeignKey(
        "governance.Event",
        verbose_name=_("隐患事件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(regions=("task__grid__region",), regional=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "检查结果")
        verbose_name_plural = _("检查结果")
        ordering = ["task", "item__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["task", "item"], name="gov_patrol_answer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.answer}"

    def clean(self) -> None:
        if self.item_id is None:
            return
        if self.answer not in self.item.options:
            raise ValidationError(
                {
                    "answer": _("“%(q)s”的回答“%(a)s”不在可选答案中（%(o)s）")
                    % {"q": self.item.question, "a": self.answer, "o": "、".join(self.item.options)}
                }
            )
        if self.task_id and self.item.template_id != self.task.template_id:
            raise ValidationError({"item": _("检查项“%(q)s”不属于该巡查清单") % {"q": self.item}})
