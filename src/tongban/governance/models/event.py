"""The governance event and its loop: discover → report → route → handle → review."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition

from tongban.core.permissions import RestrictedQuerySet, Role, Scope, assignments, is_platform_admin
from tongban.governance.actors import ReporterProof, SystemActor

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def new_event_code(today: datetime.date | None = None) -> str:
    """``一案一编码``: the date and eight random characters (no 0/O/1/I), e.g. 20261130K7QH2M9A."""
    day = today or timezone.localdate()
    return f"{day:%Y%m%d}" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def new_token() -> str:
    return secrets.token_urlsafe(12)


class Channel(models.TextChoices):
    GRID = "grid", _("网格员巡查")
    HOTLINE = "hotline", _("12345热线")
    APP = "app", _("浙里办")
    DISPUTE_QR = "dispute_qr", _("解纷码")
    WALK_IN = "walk_in", _("中心窗口")
    ASSIGNED = "assigned", _("上级交办")
    OPEN311 = "open311", _("开放接口")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")


class Status(models.TextChoices):
    REPORTED = "reported", _("已上报")
    VERIFIED = "verified", _("已核实")
    REGISTERED = "registered", _("已立案")
    DISPATCHED = "dispatched", _("已派遣")
    ACCEPTED = "accepted", _("处置中")
    HANDLED = "handled", _("已处置待复核")
    CLOSED = "closed", _("已结案待回访")
    EVALUATED = "evaluated", _("已回访")
    CANCELLED = "cancelled", _("已作废")
    MERGED = "merged", _("已合并")


OPEN_STATES = (
    Status.REPORTED,
    Status.VERIFIED,
    Status.REGISTERED,
    Status.DISPATCHED,
    Status.ACCEPTED,
    Status.HANDLED,
)
CLOCK_STATES = (Status.DISPATCHED, Status.ACCEPTED)  # the deadline runs


class CancelKind(models.TextChoices):
    INVALID = "invalid", _("无效事件")
    DUPLICATE = "duplicate", _("重复事件")
    OUT_OF_SCOPE = "out_of_scope", _("不属受理范围（含紧急警情、已进入诉讼仲裁信访的事项）")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


def acts_as(user: Any, event: Any, *roles: str, unit: bool = False) -> bool:
    """Whether ``user`` holds one of ``roles`` over the event's region (and, with ``unit``,
    belongs to the handling unit when the assignment names an organisation)."""
    if getattr(user, "is_authenticated", False) and is_platform_admin(user):
        return True
    for a in assignments(user):
        if a.role not in roles or a.region is None:
            continue
        if not event.region_id or not event.region_id.startswith(a.region.prefix):
            continue
        if unit and a.organization_id and a.organization_id != event.unit_id:
            continue
        if unit and not a.organization_id and a.role == Role.GOVERNANCE_HANDLER:
            continue
        return True
    return False


def is_dispatcher(event: Any, user: Any) -> bool:
    return acts_as(user, event, Role.GOVERNANCE_DISPATCHER)


def is_handler(event: Any, user: Any) -> bool:
    return acts_as(user, event, Role.GOVERNANCE_HANDLER, unit=True)


def is_reviewer(event: Any, user: Any) -> bool:
    return acts_as(user, event, Role.GOVERNANCE_REVIEWER)


def is_system(event: Any, user: Any) -> bool:
    return isinstance(user, SystemActor)


def dispatcher_or_system(event: Any, user: Any) -> bool:
    return is_system(event, user) or is_dispatcher(event, user)


def handler_or_dispatcher(event: Any, user: Any) -> bool:
    return is_handler(event, user) or is_dispatcher(event, user)


def may_rate(event: Any, user: Any) -> bool:
    """The reporter (holding the event's token) or a dispatcher doing the return visit."""
    if isinstance(user, ReporterProof):
        return user.code == event.code and secrets.compare_digest(user.token, event.token)
    return is_dispatcher(event, user)


def not_reopened(event: Any) -> bool:
    return event.reopened_count == 0


def reopened(event: Any) -> bool:
    return event.reopened_count > 0


def before_deadline(event: Any) -> bool:
    return event.deadline is None or timezone.localdate() <= event.deadline


def extension_pending(event: Any) -> bool:
    return event.extension_requested_days > 0


def no_extension_pending(event: Any) -> bool:
    return event.extension_requested_days == 0


class Event(models.Model):
    """One governance event (一案一编码), from report to return visit.

    Personal data: ``reporter_name``, ``reporter_phone`` (masked for staff, never
    published); ``description`` is the reporter's free text.
    """

    code = models.CharField(_("事件编码"), max_length=20, unique=True, default=new_event_code)
    token = models.CharField(_("查询凭证"), max_length=32, unique=True, default=new_token)
    channel = models.CharField(_("来源渠道"), max_length=20, choices=Channel.choices)
    category = models.ForeignKey(
        "governance.Category",
        verbose_name=_("事件分类"),
        on_delete=models.PROTECT,
        error_messages={"invalid": _("未知的事件分类：%(value)s")},
    )
    urgency = models.CharField(
        _("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("所在村（社区）"),
        on_delete=models.PROTECT,
        related_name="+",
        error_messages={"invalid": _("未知的行政区划代码：%(value)s")},
    )
    address = models.CharField(_("详细地址"), max_length=200)
    grid = models.ForeignKey(
        "governance.Grid",
        verbose_name=_("网格"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        error_messages={"invalid": _("未知的网格：%(value)s")},
    )
    grid_label = models.CharField(_("网格（原登记文字）"), max_length=60, blank=True)
    latitude = models.DecimalField(
        _("纬度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("经度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    description = models.TextField(_("事件描述"), max_length=4000)
    media_url = models.URLField(
        _("附件链接"),
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("报送系统提供的图片或视频地址（Open311 media_url），平台不下载"),
    )
    anonymous = models.BooleanField(_("匿名反映"), default=False)
    reporter_name = models.CharField(_("反映人姓名"), max_length=50, blank=True)
    reporter_phone = models.CharField(_("反映人电话"), max_length=20, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = FSMField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.REPORTED, protected=True
    )
    cancel_kind = models.CharField(
        _("作废类型"), max_length=20, choices=CancelKind.choices, blank=True
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("合并至"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_reports",
    )
    unit = models.ForeignKey(
        "core.Organization",
        verbose_name=_("处置单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handoffs = models.PositiveSmallIntegerField(_("流转次数"), default=0)
    dispatched_at = models.DateTimeField(_("派遣时间"), null=True, blank=True)
    deadline = models.DateField(_("处置时限"), null=True, blank=True)
    deadline_provisional = models.BooleanField(_("时限暂定"), default=False)
    extension_days = models.PositiveSmallIntegerField(_("已延期（工作日）"), default=0)
    extension_requested_days = models.PositiveSmallIntegerField(_("申请延期（工作日）"), default=0)
    urged_on = models.DateField(_("催办日期"), null=True, blank=True)
    reported_overdue_on = models.DateField(_("通报日期"), null=True, blank=True)
    result = models.TextField(_("处置结果"), blank=True)
    handled_at = models.DateTimeField(_("处置完成时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    working_days_to_close = models.PositiveSmallIntegerField(
        _("办结用时（工作日）"), null=True, blank=True
    )
    on_time = models.BooleanField(_("按时办结"), null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)
    satisfaction = models.CharField(
        _("满意度"), max_length=20, choices=Satisfaction.choices, blank=True
    )
    created_at = models.DateTimeField(_("上报时间"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(regions=("region",), organizations=("unit",), error_field="region")

    class Meta:
        verbose_name = pgettext_lazy("singular", "治理事件")
        verbose_name_plural = _("治理事件")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "deadline"], name="gov_event_status_deadline"),
            # covering indexes for the dashboard's grouped counts over a period
            models.Index(
                fields=["channel", "status", "created_at"], name="gov_event_channel_status"
            ),
            models.Index(fields=["satisfaction", "created_at"], name="gov_event_satisfaction"),
            models.Index(
                fields=["on_time", "created_at", "working_days_to_close"], name="gov_event_on_time"
            ),
            models.Index(fields=["category", "created_at"], name="gov_event_category_created"),
            models.Index(fields=["region", "created_at"], name="gov_event_region_created"),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save and move the event's dashboard counts (``governance.tally``) in the same
        transaction."""
        from tongban.governance import tally

        update_fields = kwargs.get("update_fields")
        if update_fields is not None and not {f.removesuffix("_id") for f in update_fields} & {
            f.removesuffix("_id") for f in tally.TALLY_FIELDS
        }:
            super().save(*args, **kwargs)
            return
        # no savepoint of its own: a failure here fails the caller's transaction as a whole
        with transaction.atomic(savepoint=False):
            before = None if self._state.adding else tally.stored_values(self.pk)
            super().save(*args, **kwargs)
            after = tally.values_of(self) if update_fields is None else tally.stored_values(self.pk)
            tally.record(before, after)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        from tongban.governance import tally

        with transaction.atomic():
            before = tally.stored_values(self.pk)
            result = super().delete(*args, **kwargs)
            tally.record(before, None)
        return result

    def clean_fields(self, exclude: Any = None) -> None:
        # the protected state field is guarded by the transitions and cannot be re-set
        super().clean_fields(exclude={*(exclude or ()), "status"})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    def clean(self) -> None:
        from tongban.core.models import Region
        from tongban.governance.models import Category
        from tongban.governance.routing import in_jurisdiction

        errors: dict[str, Any] = {}
        region: Region | None = None
        category: Category | None = None
        if self.region_id:
            cached = Event.region.is_cached(self)
            region = self.region if cached else Region.objects.filter(pk=self.region_id).first()
        if self.category_id:
            cached = Event.category.is_cached(self)
            category = (
                self.category if cached else Category.objects.filter(pk=self.category_id).first()
            )
        if region is not None:
            if region.level != "village":
                errors["region"] = _("请选择村（社区）级区划")
            elif not in_jurisdiction(self.region_id):
                errors["region"] = _("事件位置不在本平台管辖范围内")
        if self.grid is not None and self.region_id and self.grid.region_id != self.region_id:
            errors["grid"] = _("该网格不在事件所在村（社区）")
        if (self.latitude is None) != (self.longitude is None):
            errors["latitude"] = _("经纬度应同时填写或同时留空")
        if category is not None and not category.active:
            errors["category"] = _("该事件分类已停用")
        if not self.anonymous and not self.reporter_name and self.channel != Channel.GRID:
            errors["reporter_name"] = _("非匿名反映须填写反映人姓名")
        if errors:
            raise ValidationError(errors)

    # --- the loop -------------------------------------------------------------------------

    @transition(
        field=status,
        source=Status.REPORTED,
        target=Status.VERIFIED,
        permission=is_dispatcher,
        custom={"label": _("核实属实")},
    )
    def verify(self) -> None:
        pass

    @transition(
        field=status,
        source=[Status.REPORTED, Status.VERIFIED],
        target=Status.CANCELLED,
        permission=is_dispatcher,
        custom={"label": _("作废"), "needs_reason": True, "style": "danger"},
    )
    def cancel(self, kind: str = CancelKind.INVALID) -> None:
        if kind not in CancelKind.values:
            raise ValidationError({"cancel_kind": _("未知的作废类型：%(k)s") % {"k": kind}})
        self.cancel_kind = kind

    @transition(
        field=status,
        source=[Status.REPORTED, Status.VERIFIED, Status.REGISTERED],
        target=Status.MERGED,
        permission=is_dispatcher,
        custom={"label": _("合并到已有事件")},
    )
    def merge(self, into: Event | None = None) -> None:
        if into is None or into.pk == self.pk:
            raise ValidationError({"merged_into": _("请选择要合并到的事件")})
        if into.status in (Status.CANCELLED, Status.MERGED):
            raise ValidationError({"merged_into": _("不能合并到已作废或已合并的事件")})
        self.merged_into = into

    @transition(
        field=status,
        source=Status.VERIFIED,
        target=Status.REGISTERED,
        permission=is_dispatcher,
        custom={"label": _("立案")},
    )
    def register(self) -> None:
        pass

    @transition(
        field=status,
        source=Status.REGISTERED,
        target=Status.DISPATCHED,
        permission=is_dispatcher,
        custom={"label": _("派遣")},
    )
    def dispatch(self, unit: Any = None) -> None:
        from tongban.governance.deadlines import start_clock

        self._hand_to(unit)
        start_clock(self)

    @transition(
        field=status,
        source=Status.DISPATCHED,
        target=Status.ACCEPTED,
        permission=is_handler,
        custom={"label": _("签收")},
    )
    def accept(self) -> None:
        pass

    @transition(
        field=status,
        source=Status.DISPATCHED,
        target=Status.REGISTERED,
        permission=is_handler,
        custom={"label": _("退回"), "needs_reason": True, "style": "danger"},
    )
    def send_back(self) -> None:
        self.unit = None

    @transition(
        field=status,
        source=[Status.DISPATCHED, Status.ACCEPTED],
        target=Status.DISPATCHED,
        permission=is_dispatcher,
        custom={"label": _("改派"), "needs_reason": True},
    )
    def transfer(self, unit: Any = None) -> None:
        self._hand_to(unit)

    @transition(
        field=status,
        source=[Status.DISPATCHED, Status.ACCEPTED],
        target=Status.DISPATCHED,
        permission=lambda event, user: is_system(event, user) or handler_or_dispatcher(event, user),
        custom={"label": _("提级处置"), "needs_reason": True},
    )
    def escalate(self, unit: Any = None) -> None:
        """The unit above takes the event over with a fresh deadline."""
        from tongban.governance.deadlines import start_clock

        self._hand_to(unit)
        start_clock(self)

    @transition(
        field=status,
        source=Status.ACCEPTED,
        target=None,
        permission=is_handler,
        custom={"label": _("填写进展"), "needs_reason": True},
    )
    def add_progress(self) -> None:
        pass

    @transition(
        field=status,
        source=Status.ACCEPTED,
        target=None,
        conditions=[before_deadline, no_extension_pending],
        permission=is_handler,
        custom={"label": _("申请延期"), "needs_reason": True},
    )
    def request_extension(self, days: int = 0) -> None:
        if not 1 <= int(days) <= 30:
            raise ValidationError({"extension_requested_days": _("延期天数应为1至30个工作日")})
        self.extension_requested_days = int(days)

    @transition(
        field=status,
        source=Status.ACCEPTED,
        target=None,
        conditions=[extension_pending],
        permission=is_dispatcher,
        custom={"label": _("批准延期")},
    )
    def approve_extension(self) -> None:
        from tongban.governance.deadlines import extend

        extend(self, self.extension_requested_days)
        self.extension_requested_days = 0

    @transition(
        field=status,
        source=Status.ACCEPTED,
        target=None,
        conditions=[extension_pending],
        permission=is_dispatcher,
        custom={"label": _("不予延期"), "needs_reason": True, "style": "danger"},
    )
    def refuse_extension(self) -> None:
        self.extension_requested_days = 0

    @transition(
        field=status,
        source=Status.ACCEPTED,
        target=Status.HANDLED,
        permission=is_handler,
        custom={"label": _("办结反馈"), "needs_reason": True},
    )
    def handle(self, result: str = "") -> None:
        if not result.strip():
            raise ValidationError({"result": _("请填写处置结果")})
        self.result = result.strip()
        self.handled_at = timezone.now()

    @transition(
        field=status,
        source=Status.HANDLED,
        target=Status.CLOSED,
        permission=is_reviewer,
        custom={"label": _("复核通过，结案")},
    )
    def review_pass(self) -> None:
        from tongban.governance.deadlines import stop_clock

        stop_clock(self)

    @transition(
        field=status,
        source=Status.HANDLED,
        target=Status.ACCEPTED,
        permission=is_reviewer,
        custom={"label": _("复核不通过"), "needs_reason": True, "style": "danger"},
    )
    def review_fail(self) -> None:
        self.handled_at = None

    @transition(
        field=status,
        source=Status.CLOSED,
        target=Status.EVALUATED,
        permission=may_rate,
        custom={"label": _("满意")},
    )
    def rate_satisfied(self) -> None:
        self.satisfaction = Satisfaction.SATISFIED

    @transition(
        field=status,
        source=Status.CLOSED,
        target=Status.EVALUATED,
        permission=may_rate,
        custom={"label": _("基本满意")},
    )
    def rate_basically(self) -> None:
        self.satisfaction = Satisfaction.BASICALLY

    @transition(
        field=status,
        source=Status.CLOSED,
        target=Status.DISPATCHED,
        conditions=[not_reopened],
        permission=may_rate,
        custom={"label": _("不满意"), "needs_reason": True, "style": "danger"},
    )
    def rate_unsatisfied(self) -> None:
        """The first 不满意 reopens the event to the same unit, with a new deadline."""
        from tongban.governance.deadlines import start_clock

        self.satisfaction = Satisfaction.UNSATISFIED
        self.reopened_count += 1
        self.closed_at = None
        self.handoffs += 1
        start_clock(self)

    @transition(
        field=status,
        source=Status.CLOSED,
        target=Status.DISPATCHED,
        conditions=[reopened],
        permission=may_rate,
        custom={"label": _("不满意"), "needs_reason": True, "style": "danger"},
    )
    def rate_unsatisfied_again(self, unit: Any = None) -> None:
        """A second 不满意 escalates the event to the unit above."""
        from tongban.governance.deadlines import start_clock

        self.satisfaction = Satisfaction.UNSATISFIED
        self.reopened_count += 1
        self.closed_at = None
        self._hand_to(unit)
        start_clock(self)

    @transition(
        field=status,
        source=[Status.DISPATCHED, Status.ACCEPTED],
        target=None,
        permission=is_system,
        custom={"label": _("催办")},
    )
    def urge(self, on: datetime.date | None = None) -> None:
        self.urged_on = on or timezone.localdate()

    @transition(
        field=status,
        source=[Status.DISPATCHED, Status.ACCEPTED],
        target=None,
        permission=is_system,
        custom={"label": _("超期通报")},
    )
    def report_overdue(self, on: datetime.date | None = None) -> None:
        self.reported_overdue_on = on or timezone.localdate()

    def _hand_to(self, unit: Any) -> None:
        if unit is None:
            raise ValidationError({"unit": _("没有可派遣的处置单位，请检查派遣规则")})
        if self.unit_id == unit.pk:
            raise ValidationError({"unit": _("新的处置单位与当前单位相同")})
        self.unit = unit
        self.handoffs += 1


def photo_path(instance: EventPhoto, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"events/{timezone.localdate():%Y/%m}/{secrets.token_hex(8)}.{ext}"


class EventPhoto(models.Model):
    """A photo of an event, taken when reporting or when handling. No personal data
    beyond what the picture shows; served only to users who may view the event."""

    class Stage(models.TextChoices):
        REPORT = "report", _("上报照片")
        RESULT = "result", _("处置照片")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="photos")
    stage = models.CharField(_("环节"), max_length=10, choices=Stage.choices)
    image = models.FileField(_("照片"), upload_to=photo_path)
    content_type = models.CharField(_("类型"), max_length=40)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(regions=("event__region",), organizations=("event__unit",))

    class Meta:
        verbose_name = pgettext_lazy("singular", "事件照片")
        verbose_name_plural = _("事件照片")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.event} · {self.get_stage_display()}"
