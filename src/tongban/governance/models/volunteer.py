"""Volunteers (湖小青-style): volunteers and teams, the resources they offer, demands
(点单), pairings (派单 / 接单), service sessions (服务) and ratings (评单).

A demand is open until a pairing is dispatched to a team or volunteer; the pairing is
accepted or declined, service sessions are recorded with hours and people served, the
service is completed and then rated, which closes the demand."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition

from tongban.core.permissions import RestrictedQuerySet, Role, Scope, assignments, is_platform_admin


class ServiceType(models.TextChoices):
    ELDERLY = "elderly", _("助老助残")
    NEIGHBOURS = "neighbours", _("邻里帮扶")
    ENVIRONMENT = "environment", _("环境整治")
    HEALTH = "health", _("医疗健康")
    EDUCATION = "education", _("教育辅导")
    CULTURE = "culture", _("文体活动")
    POLICY = "policy", _("政策宣讲")
    OTHER = "other", _("其他")


def _region_code(obj: Any) -> str:
    return str(getattr(obj, "region_id", "") or "")


def volunteer_staff(obj: Any, user: Any) -> bool:
    """A dispatcher or grid worker over the record's region records the volunteers' answers
    (the team's 接单 arrives by phone or the volunteer app)."""
    if getattr(user, "is_authenticated", False) and is_platform_admin(user):
        return True
    region = _region_code(obj.demand if hasattr(obj, "demand_id") else obj)
    return any(
        a.role in (Role.GOVERNANCE_DISPATCHER, Role.GRID_WORKER)
        and a.region is not None
        and region.startswith(a.region.prefix)
        for a in assignments(user)
    )


def volunteer_dispatcher(obj: Any, user: Any) -> bool:
    if getattr(user, "is_authenticated", False) and is_platform_admin(user):
        return True
    region = _region_code(obj.demand if hasattr(obj, "demand_id") else obj)
    return any(
        a.role == Role.GOVERNANCE_DISPATCHER
        and a.region is not None
        and region.startswith(a.region.prefix)
        for a in assignments(user)
    )


class VolunteerTeam(models.Model):
    """A volunteer team (志愿服务队). Personal data: ``leader_phone`` (masked)."""

    name = models.CharField(_("队伍名称"), max_length=100)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所在地区"), on_delete=models.PROTECT, related_name="+"
    )
    leader_name = models.CharField(_("负责人"), max_length=50, blank=True)
    leader_phone = models.CharField(_("负责人电话"), max_length=20, blank=True)
    service_type = models.CharField(
        _("服务类别"), max_length=20, choices=ServiceType.choices, default=ServiceType.OTHER
    )
    active = models.BooleanField(_("在册"), default=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(regions=("region",), error_field="region", regional=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "志愿服务队")
        verbose_name_plural = _("志愿服务队")
        ordering = ["region_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="gov_team_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Volunteer(models.Model):
    """A registered volunteer. Personal data: ``name`` and ``phone`` (phone masked)."""

    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所在地区"), on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        VolunteerTeam,
        verbose_name=_("所属队伍"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    skills = models.CharField(_("特长"), max_length=200, blank=True)
    active = models.BooleanField(_("在册"), default=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(regions=("region",), error_field="region", regional=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "志愿者")
        verbose_name_plural = _("志愿者")
        ordering = ["region_id", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class VolunteerResource(models.Model):
    """A service a team or volunteer offers (资源清单). No personal data."""

    title = models.CharField(_("资源名称"), max_length=100)
    service_type = models.CharField(_("服务类别"), max_length=20, choices=ServiceType.choices)
    team = models.ForeignKey(
        VolunteerTeam,
        verbose_name=_("提供队伍"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resources",
    )
    volunteer = models.ForeignKey(
        Volunteer,
        verbose_name=_("提供志愿者"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resources",
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("服务地区"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(_("内容说明"), max_length=300, blank=True)
    active = models.BooleanField(_("可提供"), default=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, db_index=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(regions=("region",), error_field="region", regional=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "志愿服务资源")
        verbose_name_plural = _("志愿服务资源")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if not self.team_id and not self.volunteer_id:
            raise ValidationError({"team": _("请填写提供资源的队伍或志愿者")})


class DemandStatus(models.TextChoices):
    OPEN = "open", _("待派单")
    PAIRED = "paired", _("已派单")
    SERVED = "served", _("已服务待评价")
    CLOSED = "closed", _("已评价关闭")
    CANCELLED = "cancelled", _("已撤销")


class VolunteerDemand(models.Model):
    """A resident's demand for volunteer service (点单).

    Personal data: ``requester_name`` and ``requester_phone`` (masked)."""

    title = models.CharField(_("需求"), max_length=100)
    service_type = models.CharField(_("服务类别"), max_length=20, choices=ServiceType.choices)
    description = models.TextField(_("需求说明"), max_length=2000, blank=True)
    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("所在村（社区）"),
        on_delete=models.PROTECT,
        related_name="+",
        error_messages={"invalid": _("未知的行政区划代码：%(value)s")},
    )
    address = models.CharField(_("服务地址"), max_length=200, blank=True)
    requester_name = models.CharField(_("点单人"), max_length=50)
    requester_phone = models.CharField(_("点单人电话"), max_length=20, blank=True)
    wanted_on = models.DateField(_("期望服务日期"), null=True, blank=True)
    status = FSMField(
        _("状态"),
        max_length=20,
        choices=DemandStatus.choices,
        default=DemandStatus.OPEN,
        protected=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("点单时间"), default=timezone.now, db_index=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(regions=("region",), error_field="region", regional=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "志愿服务需求")
        verbose_name_plural = _("志愿服务需求")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def clean_fields(self, exclude: Any = None) -> None:
        super().clean_fields(exclude={*(exclude or ()), "status"})

    def clean(self) -> None:
        from tongban.core.models import Region

        if self.region_id:
            region = Region.objects.filter(pk=self.region_id).first()
            if region is not None and region.level != "village":
                raise ValidationError({"region": _("请选择村（社区）级区划")})

    # the demand follows its pairings; ``governance.volunteers`` fires these
    @transition(
        field=status,
        source=DemandStatus.OPEN,
        target=DemandStatus.PAIRED,
        permission=volunteer_dispatcher,
        custom={"label": _("派单")},
    )
    def pair(self) -> None:
        pass

    @transition(
        field=status,
        source=DemandStatus.PAIRED,
        target=DemandStatus.OPEN,
        permission=volunteer_staff,
        custom={"label": _("重新待派单")},
    )
    def reopen(self) -> None:
        pass

    @transition(
        field=status,
        source=DemandStatus.PAIRED,
        target=DemandStatus.SERVED,
        permission=volunteer_staff,
        custom={"label": _("服务完成")},
    )
    def serve(self) -> None:
        pass

    @transition(
        field=status,
        source=DemandStatus.SERVED,
        target=DemandStatus.CLOSED,
        permission=volunteer_staff,
        custom={"label": _("评价关闭")},
    )
    def close(self) -> None:
        pass

    @transition(
        field=status,
        source=DemandStatus.OPEN,
        target=DemandStatus.CANCELLED,
        permission=volunteer_staff,
        custom={"label": _("撤销需求"), "needs_reason": True, "style": "danger"},
    )
    def cancel(self) -> None:
        pass


class PairingStatus(models.TextChoices):
    DISPATCHED = "dispatched", _("已派单待接单")
    ACCEPTED = "accepted", _("已接单")
    SERVED = "served", _("服务完成待评单")
    RATED = "rated", _("已评单")
    DECLINED = "declined", _("已拒单")
    CANCELLED = "cancelled", _("已撤回")


def has_sessions(pairing: Any) -> bool:
    return bool(pairing.pk) and pairing.sessions.exists()


class VolunteerPairing(models.Model):
    """A demand dispatched to a team or volunteer (派单), accepted (接单), served and rated
    (评单). No personal data beyond the rating comment."""

    demand = models.ForeignKey(
        VolunteerDemand,
        verbose_name=_("志愿服务需求"),
        on_delete=models.PROTECT,
        related_name="pairings",
    )
    team = models.ForeignKey(
        VolunteerTeam,
        verbose_name=_("服务队伍"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pairings",
    )
    volunteer = models.ForeignKey(
        Volunteer,
        verbose_name=_("服务志愿者"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pairings",
    )
    resource = models.ForeignKey(
        VolunteerResource,
        verbose_name=_("对应资源"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pairings",
    )
    status = FSMField(
        _("状态"),
        max_length=20,
        choices=PairingStatus.choices,
        default=PairingStatus.DISPATCHED,
        protected=True,
    )
    rating = models.PositiveSmallIntegerField(
        _("评分"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rating_comment = models.CharField(_("评价意见"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("派单人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("派单时间"), default=timezone.now, db_index=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(regions=("demand__region",), error_field="demand", regional=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "志愿服务派单")
        verbose_name_plural = _("志愿服务派单")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.demand} → {self.provider}"

    @property
    def provider(self) -> Any:
        return self.team or self.volunteer

    def clean_fields(self, exclude: Any = None) -> None:
        super().clean_fields(exclude={*(exclude or ()), "status"})

    def clean(self) -> None:
        if not self.team_id and not self.volunteer_id:
            raise ValidationError({"team": _("请选择接单的队伍或志愿者")})
        if self.team is not None and not self.team.active:
            raise ValidationError({"team": _("该队伍已不在册")})
        if self.volunteer is not None and not self.volunteer.active:
            raise ValidationError({"volunteer": _("该志愿者已不在册")})

    @transition(
        field=status,
        source=PairingStatus.DISPATCHED,
        target=PairingStatus.ACCEPTED,
        permission=volunteer_staff,
        custom={"label": _("接单")},
    )
    def accept(self) -> None:
        pass

    @transition(
        field=status,
        source=PairingStatus.DISPATCHED,
        target=PairingStatus.DECLINED,
        permission=volunteer_staff,
        custom={"label": _("拒单"), "needs_reason": True, "style": "danger"},
    )
    def decline(self) -> None:
        pass

    @transition(
        field=status,
        source=[PairingStatus.DISPATCHED, PairingStatus.ACCEPTED],
        target=PairingStatus.CANCELLED,
        conditions=[lambda p: not has_sessions(p)],
        permission=volunteer_dispatcher,
        custom={"label": _("撤回派单"), "needs_reason": True, "style": "danger"},
    )
    def withdraw(self) -> None:
        pass

    @transition(
        field=status,
        source=PairingStatus.ACCEPTED,
        target=PairingStatus.SERVED,
        conditions=[has_sessions],
        permission=volunteer_staff,
        custom={"label": _("服务完成")},
    )
    def complete(self) -> None:
        pass

    @transition(
        field=status,
        source=PairingStatus.SERVED,
        target=PairingStatus.RATED,
        permission=volunteer_staff,
        custom={"label": _("评单")},
    )
    def rate(self, score: Any = None, comment: str = "") -> None:
        try:
            value = int(score)
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 5:
            raise ValidationError({"rating": _("评分应为1至5分")})
        self.rating = value
        self.rating_comment = comment[:300]


class ServiceSession(models.Model):
    """One service session of a pairing: date, hours, volunteers and people served.
    No personal data."""

    pairing = models.ForeignKey(
        VolunteerPairing,
        verbose_name=_("志愿服务派单"),
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    served_on = models.DateField(_("服务日期"), db_index=True)
    hours = models.DecimalField(
        _("服务时长（小时）"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("24"))],
    )
    volunteers = models.PositiveSmallIntegerField(_("参与志愿者人数"), default=1)
    people_served = models.PositiveIntegerField(_("服务人数"), default=1)
    note = models.CharField(_("服务内容"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(regions=("pairing__demand__region",), error_field="pairing", regional=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "志愿服务记录")
        verbose_name_plural = _("志愿服务记录")
        ordering = ["-served_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.pairing.demand} · {self.served_on}"

    def clean(self) -> None:
        if self.volunteers < 1:
            raise ValidationError({"volunteers": _("参与志愿者人数至少为1")})
        if self.served_on and self.served_on > timezone.localdate():
            raise ValidationError({"served_on": _("服务日期不能晚于今天")})
