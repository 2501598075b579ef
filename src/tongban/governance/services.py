"""Services of the governance loop: every write that creates an event, changes its state
or touches several rows goes through here (atomic, logged, audited)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.core import services as core_services
from tongban.core import workflow
from tongban.core.models import TransitionLog
from tongban.governance.actors import SYSTEM
from tongban.governance.deadlines import (
    escalate_after_days,
    notice_after_days,
    overdue_working_days,
)
from tongban.governance.models import (
    CancelKind,
    Event,
    EventPhoto,
    ReporterContactAccess,
    Status,
)
from tongban.governance.models.event import CLOCK_STATES
from tongban.governance.models.grid import pick_grid
from tongban.governance.photos import check_photo
from tongban.governance.routing import route_event

# Transitions that need more input than a reason; pages show them with their own form.
SPECIAL_TRANSITIONS = {
    "dispatch",
    "transfer",
    "escalate",
    "merge",
    "cancel",
    "request_extension",
    "urge",
    "report_overdue",
}


def _log_report(event: Event, user: Any) -> None:
    TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(Event),
        object_id=str(event.pk),
        name="report",
        label=_("上报"),
        source="",
        target=event.status,
        by=user if getattr(user, "is_authenticated", False) else None,
        data={"channel": event.channel},
    )


def report_event(
    event: Event, *, user: Any, photos: Iterable[Any] = (), check_scope: bool = True
) -> Event:
    """Record a new event (and its photos) as ``user``; nothing is saved if any part fails.

    ``check_scope`` is False only for intake that has no staff account (Open311 clients);
    their events must still lie in the jurisdiction (``Event.clean``).
    """
    photos = list(photos)
    content_types = [check_photo(p) for p in photos]
    if user is not None and getattr(user, "is_authenticated", False):
        event.reported_by = user
    if event.grid_id is None and event.region_id:
        event.grid = pick_grid(event.region_id, user)
    if not check_scope:
        # before the transaction, so the write lock is held only to write; references the
        # caller already loaded are not looked up again, and the random code and token are
        # left to the unique constraints
        loaded = [
            name
            for name, descriptor in (("category", Event.category), ("region", Event.region))
            if descriptor.is_cached(event)
        ]
        event.full_clean(exclude=loaded, validate_unique=False)
    with transaction.atomic():
        if check_scope:
            core_services.save_record(event, user=user, action="add")
        else:
            event.save()
        for upload, content_type in zip(photos, content_types, strict=True):
            EventPhoto.objects.create(
                event=event,
                stage=EventPhoto.Stage.REPORT,
                image=upload,
                content_type=content_type,
                uploaded_by=event.reported_by,
            )
        _log_report(event, user)
    return event


def add_photos(event: Event, photos: Iterable[Any], *, user: Any, stage: str) -> list[EventPhoto]:
    core_services.get_scoped(Event.objects.all(), user, "change", pk=event.pk)
    photos = list(photos)
    if not photos:
        raise ValidationError({"photos": _("请选择要上传的照片")})
    if stage == EventPhoto.Stage.RESULT and event.status not in (Status.ACCEPTED, Status.HANDLED):
        raise ValidationError({"photos": _("只有处置中或待复核的事件可以上传处置照片")})
    content_types = [check_photo(p) for p in photos]
    with transaction.atomic():
        return [
            EventPhoto.objects.create(
                event=event, stage=stage, image=p, content_type=ct, uploaded_by=user
            )
            for p, ct in zip(photos, content_types, strict=True)
        ]


@dataclass
class TransitionInput:
    unit_id: int | None = None
    merge_into: str = ""
    cancel_kind: str = ""
    days: int = 0


def transition_arguments(
    event: Event, name: str, *, user: Any, reason: str = "", extra: TransitionInput | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(keyword arguments for the transition, data for the log): the routed unit for dispatch,
    the unit above for escalation, the result for handling, the kind of a cancellation."""
    from tongban.core.models import Organization

    extra = extra or TransitionInput()
    kwargs: dict[str, Any] = {}
    data: dict[str, Any] = {}
    if name in {"dispatch", "transfer"}:
        if extra.unit_id:
            unit = Organization.objects.filter(
                pk=extra.unit_id, kind__in=["governance_department", "mediation_centre"]
            ).first()
            if unit is None:
                raise ValidationError({"unit": _("未知的处置单位")})
        else:
            unit = route_event(event)
        kwargs["unit"] = unit
    elif name in {"escalate", "rate_unsatisfied_again"}:
        kwargs["unit"] = route_event(event, above=event.unit) if event.unit else route_event(event)
    elif name == "handle":
        kwargs["result"] = reason
    elif name == "cancel":
        kind = extra.cancel_kind or CancelKind.INVALID
        kwargs["kind"] = kind
        data["cancel_kind"] = kind
    elif name == "merge":
        target = Event.objects.restrict(user, "view").filter(code=extra.merge_into).first()
        if target is None:
            raise ValidationError(
                {"merged_into": _("未找到要合并到的事件：%(c)s") % {"c": extra.merge_into}}
            )
        kwargs["into"] = target
        data["merged_into"] = target.code
    elif name == "request_extension":
        kwargs["days"] = extra.days
        data["days"] = extra.days
    if kwargs.get("unit") is not None:
        data["unit"] = str(kwargs["unit"])
    return kwargs, data


def fire_event_transition(
    event: Event,
    name: str,
    *,
    user: Any,
    reason: str = "",
    extra: TransitionInput | None = None,
) -> Event:
    """Fire ``name`` on ``event`` as ``user`` with what the transition needs."""
    kwargs, data = transition_arguments(event, name, user=user, reason=reason, extra=extra)
    return workflow.fire(event, name, user=user, reason=reason, data=data, **kwargs)


def rate_by_reporter(code: str, token: str, name: str, reason: str = "") -> Event:
    """The reporter's return-visit answer on the public page (满意 / 基本满意 / 不满意)."""
    from tongban.governance.actors import ReporterProof

    if name not in {
        "rate_satisfied",
        "rate_basically",
        "rate_unsatisfied",
        "rate_unsatisfied_again",
    }:
        raise ValidationError(_("未知的评价"))
    event = Event.objects.filter(code=code).first()
    if event is None:
        raise core_services.OutOfScope(_("记录不存在或不在您的管辖范围内"))
    return fire_event_transition(event, name, user=ReporterProof(code, token), reason=reason)


def rating_transition(event: Event, satisfaction: str) -> str:
    if satisfaction == "satisfied":
        return "rate_satisfied"
    if satisfaction == "basically":
        return "rate_basically"
    return "rate_unsatisfied" if event.reopened_count == 0 else "rate_unsatisfied_again"


@dataclass
class SupervisionResult:
    urged: int = 0
    reported: int = 0
    escalated: int = 0


def supervise(today: datetime.date | None = None) -> SupervisionResult:
    """The periodic job: 催办 the day after a deadline, 通报 past the configured number of
    overdue working days, escalation to the level above past the escalation threshold."""
    today = today or timezone.localdate()
    result = SupervisionResult()
    overdue = Event.objects.filter(status__in=CLOCK_STATES, deadline__lt=today).select_related(
        "unit__region", "category"
    )
    for event in overdue.iterator(chunk_size=500):
        days = overdue_working_days(event, today)
        if days >= escalate_after_days():
            try:
                fire_event_transition(
                    event,
                    "escalate",
                    user=SYSTEM,
                    reason=_("超期 %(d)s 个工作日，自动提级") % {"d": days},
                )
                result.escalated += 1
                continue
            except ValidationError:
                pass  # no unit above: keep urging and reporting
        if event.urged_on is None and days >= 0:
            event = workflow.fire(event, "urge", user=SYSTEM, reason=_("已超过处置时限"), on=today)
            result.urged += 1
        if event.reported_overdue_on is None and days >= notice_after_days():
            workflow.fire(
                event,
                "report_overdue",
                user=SYSTEM,
                reason=_("超期 %(d)s 个工作日") % {"d": days},
                on=today,
            )
            result.reported += 1
    return result


def may_reveal_reporter(event: Event, user: Any) -> bool:
    """Whether ``user`` holds the right to see this event's reporter's phone unmasked."""
    return Event.objects.restrict(user, "reveal").filter(pk=event.pk).exists()


def reveal_reporter_phone(
    event: Event,
    *,
    user: Any,
    channel: str,
    purpose: str = "",
    remote_addr: str | None = None,
) -> str:
    """Return the reporter's phone of ``event`` unmasked and record the read.

    Raises ``OutOfScope`` (404) unless the user holds ``reveal`` over the event.
    """
    event = core_services.get_scoped(Event.objects.all(), user, "reveal", pk=event.pk)
    if event.anonymous or not event.reporter_phone:
        raise ValidationError({"reporter_phone": _("该事件没有可查看的反映人电话")})
    with transaction.atomic():  # the access row commits whole; its chain link follows the commit
        ReporterContactAccess.objects.create(
            user=user if getattr(user, "is_authenticated", False) else None,
            event=event,
            fields="reporter_phone",
            purpose=purpose[:200],
            channel=channel,
            remote_addr=remote_addr,
        )
    return event.reporter_phone


def public_status(event: Event) -> Event:
    """What the public page follows: a merged report shows the event it was merged into."""
    seen = 0
    while event.status == Status.MERGED and event.merged_into_id and seen < 10:
        event = Event.objects.select_related("category", "unit").get(pk=event.merged_into_id)
        seen += 1
    return event
