"""Pages of the governance loop: intake forms, queues, event detail, the public status page.
Views parse input and call one service; the rules live in the models and services."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tongban.core import ratelimit, workflow
from tongban.core import services as core_services
from tongban.core.masking import mask_name, mask_phone
from tongban.core.models import Organization, PersonalDataAccess
from tongban.core.permissions import Role, assignments, has_any, is_platform_admin
from tongban.governance import services
from tongban.governance.deadlines import overdue_working_days
from tongban.governance.duplicates import suggest_duplicates, suggest_for_input
from tongban.governance.filtersets import EventFilterSet
from tongban.governance.forms import EventForm, GridEventForm
from tongban.governance.models import (
    CancelKind,
    Channel,
    Event,
    EventPhoto,
    MediationCase,
    Status,
)
from tongban.governance.routing import route_event
from tongban.web.generic import Column, ObjectListView, attach_errors


def _deadline(event: Event) -> str:
    if event.deadline is None:
        return ""
    text = event.deadline.strftime("%Y-%m-%d")
    return text + (str(gettext_lazy("（暂定）")) if event.deadline_provisional else "")


class EventList(ObjectListView):
    url_namespace = "governance"
    model = Event
    filterset_class = EventFilterSet
    default_sort = "-created_at"
    select_related = ("category", "region", "unit")
    columns = [
        Column("code", gettext_lazy("事件编码"), sort="code", link=True),
        Column("category.name", gettext_lazy("事件分类")),
        Column("region.name", gettext_lazy("村（社区）")),
        Column("channel", gettext_lazy("来源渠道")),
        Column("status", gettext_lazy("状态"), sort="status"),
        Column("unit.name", gettext_lazy("处置单位")),
        Column("deadline", gettext_lazy("处置时限"), sort="deadline", render=_deadline),
        Column("handoffs", gettext_lazy("流转次数"), sort="handoffs"),
        Column("created_at", gettext_lazy("上报时间"), sort="created_at"),
    ]


# --- intake ---------------------------------------------------------------------------------


def _intake(request: HttpRequest, *, grid: bool) -> HttpResponse:
    if not has_any(request.user, "governance.event", "add"):
        raise Http404
    form_class = GridEventForm if grid else EventForm
    instance = Event(channel=Channel.GRID if grid else Channel.HOTLINE)
    form = form_class(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        instance=instance,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = services.report_event(
                form.instance, user=request.user, photos=form.cleaned_data.get("photos", [])
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("事件已上报，编码 %(code)s") % {"code": event.code})
            return HttpResponseRedirect(reverse("governance:event_detail", args=[event.pk]))
    title = _("网格员上报事件") if grid else _("热线受理登记")
    duplicates = suggest_for_input(request.POST, user=request.user) if form.is_bound else None
    return render(
        request,
        "governance/event_intake.html",
        {
            "title": title,
            "form": form,
            "grid": grid,
            "cancel_url": reverse("home"),
            "duplicates": duplicates,
            "checked": duplicates is not None,
        },
    )


@login_required
def event_duplicates(request: HttpRequest) -> HttpResponse:
    """The intake forms' duplicate suggestions (an htmx fragment)."""
    if not has_any(request.user, "governance.event", "add"):
        raise Http404
    duplicates = suggest_for_input(request.GET, user=request.user)
    return render(
        request,
        "governance/_duplicates.html",
        {"duplicates": duplicates, "checked": duplicates is not None},
    )


@login_required
def event_report(request: HttpRequest) -> HttpResponse:
    return _intake(request, grid=True)


@login_required
def event_hotline(request: HttpRequest) -> HttpResponse:
    return _intake(request, grid=False)


# --- queues ---------------------------------------------------------------------------------

QUEUE_STATES = {
    Role.GOVERNANCE_DISPATCHER: [
        Status.REPORTED,
        Status.VERIFIED,
        Status.REGISTERED,
        Status.CLOSED,
    ],
    Role.GOVERNANCE_HANDLER: [Status.DISPATCHED, Status.ACCEPTED],
    Role.GOVERNANCE_REVIEWER: [Status.HANDLED],
    Role.GRID_WORKER: [Status.REPORTED, Status.VERIFIED, Status.REGISTERED, Status.DISPATCHED],
}


def queue_for(user: Any) -> QuerySet[Event]:
    """What waits for ``user``, soonest deadline first (events without one after, oldest first)."""
    if is_platform_admin(user):
        states: set[str] = {s for group in QUEUE_STATES.values() for s in group}
    else:
        states = {s for a in assignments(user) for s in QUEUE_STATES.get(Role(a.role), [])}
    return (
        Event.objects.restrict(user, "view")
        .filter(status__in=states)
        .select_related("category", "region", "unit")
        .order_by(F("deadline").asc(nulls_last=True), "created_at", "pk")
    )


@login_required
def event_queue(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, "governance.event", "view"):
        raise Http404
    today = timezone.localdate()
    rows = [
        (e, overdue_working_days(e, today) if e.status in ("dispatched", "accepted") else 0)
        for e in queue_for(request.user)[:200]
    ]
    return render(request, "governance/event_queue.html", {"title": _("我的待办"), "rows": rows})


# --- detail and transitions -----------------------------------------------------------------


def _reporter(event: Event) -> tuple[str, str]:
    if event.anonymous:
        return _("匿名"), ""
    return mask_name(event.reporter_name), mask_phone(event.reporter_phone)


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = core_services.get_scoped(
        Event.objects.select_related("category", "region", "unit", "merged_into"),
        request.user,
        "view",
        pk=pk,
    )
    offered = workflow.available(event, request.user)
    special = {t.name: t for t in offered if t.name in services.SPECIAL_TRANSITIONS}
    plain = [t for t in offered if t.name not in services.SPECIAL_TRANSITIONS]
    units = Organization.objects.filter(
        kind__in=["governance_department", "mediation_centre"]
    ).order_by("region_id", "name")
    routed = route_event(event) if "dispatch" in special else None
    duplicates = suggest_duplicates(event, user=request.user) if "merge" in special else []
    name, phone = _reporter(event)
    can_reveal_phone = bool(phone) and services.may_reveal_reporter(event, request.user)
    context = {
        "mediation_case": MediationCase.objects.restrict(request.user, "view")
        .filter(event=event)
        .first(),
        "can_mediate": has_any(request.user, "governance.mediationcase", "add")
        and not MediationCase.objects.filter(event=event).exists(),
        "can_reveal_phone": can_reveal_phone,
        "title": event.code,
        "event": event,
        "reporter_name": name,
        "reporter_phone": phone,
        "photos": EventPhoto.objects.filter(event=event),
        "timeline": workflow.timeline(event),
        "transitions": plain,
        "special": special,
        "transition_url_prefix": reverse("governance:event_detail", args=[event.pk])
        + "transitions/",
        "units": units,
        "routed": routed,
        "duplicates": duplicates,
        "cancel_kinds": CancelKind.choices,
        "overdue": overdue_working_days(event, timezone.localdate()),
        "can_add_photos": event.status in (Status.ACCEPTED, Status.HANDLED)
        and Event.objects.restrict(request.user, "change").filter(pk=event.pk).exists(),
    }
    return render(request, "governance/event_detail.html", context)


@login_required
@require_POST
def event_reveal_phone(request: HttpRequest, pk: int) -> HttpResponse:
    """The reporter's phone unmasked, for staff who hold the right; every reveal is recorded."""
    event = core_services.get_scoped(Event.objects.all(), request.user, "reveal", pk=pk)
    try:
        phone = services.reveal_reporter_phone(
            event,
            user=request.user,
            channel=PersonalDataAccess.Channel.WEB,
            purpose=request.POST.get("purpose", ""),
            remote_addr=request.META.get("REMOTE_ADDR"),
        )
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400)
    return render(request, "governance/_reporter_phone.html", {"phone": phone, "revealed": True})


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


@login_required
@require_POST
def event_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    event = core_services.get_scoped(Event.objects.all(), request.user, "view", pk=pk)
    extra = services.TransitionInput(
        unit_id=_int(request.POST.get("unit")) or None,
        merge_into=request.POST.get("merge_into", "").strip(),
        cancel_kind=request.POST.get("cancel_kind", ""),
        days=_int(request.POST.get("days")),
    )
    try:
        event = services.fire_event_transition(
            event, name, user=request.user, reason=request.POST.get("reason", ""), extra=extra
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("操作成功：%(state)s") % {"state": event.get_status_display()})
        photos = request.FILES.getlist("photos")
        if photos and name == "handle":
            try:
                services.add_photos(event, photos, user=request.user, stage="result")
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
    return HttpResponseRedirect(reverse("governance:event_detail", args=[pk]))


@login_required
@require_POST
def event_add_photos(request: HttpRequest, pk: int) -> HttpResponse:
    """Photos of the handling (处置照片), added while the event is being handled."""
    event = core_services.get_scoped(Event.objects.all(), request.user, "change", pk=pk)
    try:
        services.add_photos(
            event, request.FILES.getlist("photos"), user=request.user, stage="result"
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("照片已上传"))
    return HttpResponseRedirect(reverse("governance:event_detail", args=[pk]))


@login_required
def event_photo(request: HttpRequest, pk: int) -> FileResponse:
    photo = core_services.get_scoped(EventPhoto.objects.all(), request.user, "view", pk=pk)
    return FileResponse(photo.image.open("rb"), content_type=photo.content_type)


# --- public status page ---------------------------------------------------------------------


def qr_svg(url: str) -> str:
    """The event's QR code (一码管到底) as inline SVG."""
    return str(segno.make(url, error="m").svg_inline(scale=4, title=url))


# views of the public status page (and rating attempts) per client address and window,
# across every server process; counted before the look-up, so a known and an unknown
# code are refused alike
STATUS_PAGE_LIMIT = ratelimit.Limit(
    "status-page",
    "TONGBAN_STATUS_PAGE_LIMIT",
    60,
    "TONGBAN_STATUS_PAGE_WINDOW_SECONDS",
    60,
)


def public_status(request: HttpRequest, code: str) -> HttpResponse:
    if not STATUS_PAGE_LIMIT.allow(request):
        response = render(
            request, "web/too_many_requests.html", {"title": _("事件进度查询")}, status=429
        )
        response["Retry-After"] = str(STATUS_PAGE_LIMIT.retry_after())
        return response
    reported = Event.objects.select_related("category", "unit").filter(code=code).first()
    if reported is None:
        raise Http404(_("未找到该事件编码"))
    event = services.public_status(reported)
    token = request.GET.get("t") or request.POST.get("t") or ""
    if request.method == "POST":
        try:
            if reported.pk != event.pk:
                raise ValidationError(_("该事件已合并办理，请对合并后的事件进行评价"))
            services.rate_by_reporter(
                event.code,
                token,
                services.rating_transition(event, request.POST.get("satisfaction", "")),
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("感谢您的评价"))
        return HttpResponseRedirect(
            reverse("governance:public_status", args=[code]) + f"?t={token}"
        )
    from tongban.governance.open311 import open311_status

    state, notes = open311_status(event)
    url = request.build_absolute_uri(reverse("governance:public_status", args=[reported.code]))
    can_rate = event.status == Status.CLOSED and token and token == reported.token
    public_steps = [e for e in workflow.timeline(event) if e.name not in {"urge", "report_overdue"}]
    return render(
        request,
        "governance/public_status.html",
        {
            "title": _("事件进度查询"),
            "reported": reported,
            "event": event,
            "notes": notes,
            "closed": state == "closed",
            "qr": qr_svg(url),
            "steps": public_steps,
            "can_rate": can_rate,
            "token": token,
        },
    )


def public_lookup(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "").strip().upper()
    if code:
        return HttpResponseRedirect(reverse("governance:public_status", args=[code]))
    return render(request, "governance/public_lookup.html", {"title": _("事件进度查询")})
