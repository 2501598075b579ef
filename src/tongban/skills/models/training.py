"""Vocational training by training institutions and vocational schools: programmes,
classes with sessions, real-name enrolment and attendance per session."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition

from tongban.core.permissions import RestrictedQuerySet, Role, Scope, assignments
from tongban.skills.access import is_hr_over
from tongban.skills.models.certification import Stateful

TRAINING_ROLES = {Role.TRAINING_STAFF}


def is_training_staff_of(user: Any, organization_id: int | None) -> bool:
    """Staff of the training institution or school (platform administrators too)."""
    from tongban.core.permissions import is_platform_admin

    if is_platform_admin(user):
        return True
    return organization_id is not None and any(
        a.role in TRAINING_ROLES and a.organization_id == organization_id for a in assignments(user)
    )


class TrainingKind(models.TextChoices):
    PRE_JOB = "pre_job", _("岗前培训")
    ON_JOB = "on_job", _("在岗培训")
    TRANSFER = "transfer", _("转岗培训")
    UPGRADING = "upgrading", _("技能提升培训")


class Delivery(models.TextChoices):
    IN_PERSON = "in_person", _("线下面授")
    ONLINE = "online", _("线上（互联网+职业技能培训）")
    BLENDED = "blended", _("线上线下结合")


class TrainingPolicy(models.Model):
    """The operator's training rules (one row): the daily hours cap and the share of a
    programme's hours a trainee must attend to complete it. No personal data."""

    daily_hours_cap = models.DecimalField(
        _("每人每日培训学时上限"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("8"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("24"))],
    )
    completion_share = models.DecimalField(
        _("结业所需出勤比例"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.80"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )

    objects = RestrictedQuerySet.as_manager()
    scope = Scope()

    class Meta:
        verbose_name = pgettext_lazy("singular", "培训规则")
        verbose_name_plural = _("培训规则")

    def __str__(self) -> str:
        return str(_("培训规则"))

    @classmethod
    def current(cls) -> TrainingPolicy:
        policy = cls.objects.order_by("pk").first()
        return policy if policy is not None else cls.objects.create()


class TrainingProgramme(models.Model):
    """A training programme an institution offers. No personal data."""

    provider = models.ForeignKey(
        "core.Organization",
        verbose_name=_("培训机构"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("项目名称"), max_length=120)
    occupation = models.ForeignKey(
        "skills.Occupation",
        verbose_name=_("职业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    level = models.ForeignKey(
        "skills.SkillLevel",
        verbose_name=_("技能等级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("培训类别"), max_length=12, choices=TrainingKind.choices)
    delivery = models.CharField(
        _("培训方式"), max_length=12, choices=Delivery.choices, default=Delivery.IN_PERSON
    )
    hours = models.DecimalField(
        _("计划学时"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(
        regions=("provider__region",), organizations=("provider",), error_field="provider"
    )

    class Meta:
        verbose_name = pgettext_lazy("singular", "培训项目")
        verbose_name_plural = _("培训项目")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class ClassStatus(models.TextChoices):
    OPEN = "open", _("开班中")
    CLOSED = "closed", _("已结班")
    CANCELLED = "cancelled", _("已撤销")


class TrainingClass(Stateful):
    """One class (班次) of a programme; closing it completes the enrolments. No personal data."""

    programme = models.ForeignKey(
        TrainingProgramme,
        verbose_name=_("培训项目"),
        on_delete=models.PROTECT,
        related_name="classes",
    )
    name = models.CharField(_("班次名称"), max_length=120)
    starts_on = models.DateField(_("开班日期"))
    ends_on = models.DateField(_("结班日期"))
    status = FSMField(
        _("状态"),
        max_length=10,
        choices=ClassStatus.choices,
        default=ClassStatus.OPEN,
        protected=True,
    )
    closed_on = models.DateField(_("实际结班日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(
        regions=("programme__provider__region",),
        organizations=("programme__provider",),
        error_field="programme",
    )

    class Meta:
        verbose_name = pgettext_lazy("singular", "培训班")
        verbose_name_plural = _("培训班")
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("结班日期不能早于开班日期")})

    def may_run(self, user: Any) -> bool:
        provider = self.programme.provider
        return is_training_staff_of(user, provider.pk) or is_hr_over(user, provider.region_id)

    @transition(
        field=status,
        source=ClassStatus.OPEN,
        target=ClassStatus.CLOSED,
        permission=lambda self, user: self.may_run(user),
        custom={"label": _("结班（核定学时与结业）")},
    )
    def close(self, on: datetime.date | None = None) -> None:
        self.closed_on = on

    @transition(
        field=status,
        source=ClassStatus.OPEN,
        target=ClassStatus.CANCELLED,
        permission=lambda self, user: self.may_run(user),
        custom={"label": _("撤销培训班"), "needs_reason": True, "style": "danger"},
    )
    def cancel(self) -> None:
        pass


class TrainingSession(models.Model):
    """One session (课次) of a class, with its time. No personal data."""

    training_class = models.ForeignKey(
        TrainingClass, verbose_name=_("培训班"), on_delete=models.CASCADE, related_name="sessions"
    )
    topic = models.CharField(_("课程内容"), max_length=120, blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(
        regions=("training_class__programme__provider__region",),
        organizations=("training_class__programme__provider",),
        error_field="training_class",
    )

    class Meta:
        verbose_name = pgettext_lazy("singular", "课次")
        verbose_name_plural = _("课次")
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.training_class} {self.starts_at:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("结束时间应晚于开始时间")})

    @property
    def hours(self) -> Decimal:
        return hours_between(self.starts_at, self.ends_at)


def hours_between(start: datetime.datetime, end: datetime.datetime) -> Decimal:
    seconds = Decimal(int((end - start).total_seconds()))
    return (seconds / Decimal(3600)).quantize(Decimal("0.01"))


class EnrolmentResult(models.TextChoices):
    ENROLLED = "enrolled", _("在训")
    COMPLETED = "completed", _("结业")
    NOT_COMPLETED = "not_completed", _("未结业")


class Enrolment(models.Model):
    """A person's real-name enrolment in a class, and the result when the class closes.

    Personal data: links a named person to a class; ``person`` is found by the
    document or social-security-card number presented.
    """

    training_class = models.ForeignKey(
        TrainingClass,
        verbose_name=_("培训班"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    person = models.ForeignKey(
        "core.Person", verbose_name=_("学员"), on_delete=models.PROTECT, related_name="+"
    )
    enrolled_on = models.DateField(_("报名日期"))
    result = models.CharField(
        _("培训结果"),
        max_length=14,
        choices=EnrolmentResult.choices,
        default=EnrolmentResult.ENROLLED,
    )
    hours_completed = models.DecimalField(
        _("核定学时"), max_digits=6, decimal_places=2, default=Decimal("0")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(
        regions=("training_class__programme__provider__region", "person__residence_region"),
        organizations=("training_class__programme__provider",),
        own="person__user",
        error_field="training_class",
    )

    class Meta:
        verbose_name = pgettext_lazy("singular", "培训报名")
        verbose_name_plural = _("培训报名")
        ordering = ["training_class", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "person"],
                name="enrolment_once_per_class",
                violation_error_message=_("该学员已报名本培训班"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.training_class}"

    def clean(self) -> None:
        """A result and hours belong to a closed class (closing sets them); an open class
        has trainees 在训 with no hours yet; a cancelled class takes no records."""
        errors: dict[str, Any] = {}
        hours = self.hours_completed
        if hours is not None and hours < 0:
            errors["hours_completed"] = _("核定学时不能为负数")
        status = self.training_class.status if self.training_class_id else None
        if status == ClassStatus.CANCELLED:
            errors["training_class"] = _("培训班已撤销，不能登记报名或培训结果")
        elif status == ClassStatus.OPEN:
            if self.result != EnrolmentResult.ENROLLED:
                errors["result"] = _("培训班尚未结班，培训结果应为“在训”")
            elif hours:
                errors["hours_completed"] = _("培训班尚未结班，核定学时应为0")
        elif status == ClassStatus.CLOSED:
            if self.result == EnrolmentResult.ENROLLED:
                errors["result"] = _("培训班已结班，培训结果应为“结业”或“未结业”")
            elif self.result == EnrolmentResult.COMPLETED and not hours:
                errors["hours_completed"] = _("结业的学员核定学时应大于0")
        if errors:
            raise ValidationError(errors)


class Attendance(models.Model):
    """A person's attendance at one session (arrival and departure).

    Personal data: links a named person to a time and place of training.
    """

    session = models.ForeignKey(
        TrainingSession, verbose_name=_("课次"), on_delete=models.PROTECT, related_name="attendance"
    )
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("学员"), on_delete=models.PROTECT, related_name="attendance"
    )
    arrived_at = models.DateTimeField(_("签到时间"))
    left_at = models.DateTimeField(_("签退时间"))
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(
        regions=(
            "session__training_class__programme__provider__region",
            "enrolment__person__residence_region",
        ),
        organizations=("session__training_class__programme__provider",),
        own="enrolment__person__user",
        error_field="session",
    )

    class Meta:
        verbose_name = pgettext_lazy("singular", "出勤记录")
        verbose_name_plural = _("出勤记录")
        ordering = ["arrived_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"],
                name="attendance_once_per_session",
                violation_error_message=_("该学员本课次的出勤已登记"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.person} @ {self.session}"

    @property
    def hours(self) -> Decimal:
        return hours_between(self.arrived_at, self.left_at)
