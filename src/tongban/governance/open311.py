"""Open311 GeoReport v2 at ``/open311/v2/``, in JSON and XML.

Internal states map to ``open`` / ``closed`` with ``status_notes``; categories are the
services; the service request id is the event code. Errors are a list of
``{code, description}`` with the HTTP status as the code (400, 403, 404, and 429 when a
client reads more than ``TONGBAN_OPEN311_READ_LIMIT`` times in a window).
"""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET  # noqa: S405 (we only build XML, never parse it)
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from tongban.core import ratelimit
from tongban.core.models import Region
from tongban.core.refcache import reference
from tongban.governance import services
from tongban.governance.models import Category, Channel, Event, Jurisdiction, Open311Client, Status

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-30T00:00:00+08:00"
DEFAULT_DAYS = 90
MAX_REQUESTS = 1000
FORMATS = ("json", "xml")
# reads (every GET) per client address and window, across every server process; a read
# carrying a registered client's api_key is not limited, and neither is POST (api_key)
READ_LIMIT = ratelimit.Limit(
    "open311-read",
    "TONGBAN_OPEN311_READ_LIMIT",
    120,
    "TONGBAN_OPEN311_READ_WINDOW_SECONDS",
    60,
)


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


# --- rendering ----------------------------------------------------------------------------


def _xml_value(parent: ET.Element, key: str, value: Any) -> None:
    child = ET.SubElement(parent, key)
    if isinstance(value, bool):
        child.text = "true" if value else "false"
    elif isinstance(value, list):
        item_tag = {"formats": "format", "endpoints": "endpoint", "attributes": "attribute"}.get(
            key, "item"
        )
        for item in value:
            if isinstance(item, dict):
                node = ET.SubElement(child, item_tag)
                for k, v in item.items():
                    _xml_value(node, k, v)
            else:
                ET.SubElement(child, item_tag).text = str(item)
    elif value is not None:
        child.text = str(value)


def to_xml(root: str, item: str | None, data: Any) -> bytes:
    """``data`` is a list of dicts (each an ``item`` element) or one dict (the root's fields)."""
    element = ET.Element(root)
    if isinstance(data, list):
        for entry in data:
            node = ET.SubElement(element, item or "item")
            for key, value in entry.items():
                _xml_value(node, key, value)
    else:
        for key, value in data.items():
            _xml_value(element, key, value)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="utf-8")


def render(fmt: str, data: Any, root: str, item: str | None, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(
            to_xml(root, item, data), status=status, content_type="text/xml; charset=utf-8"
        )
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def error_response(fmt: str, status: int, description: str) -> HttpResponse:
    return render(fmt, [{"code": status, "description": description}], "errors", "error", status)


def read_allowed(request: HttpRequest) -> bool:
    """Whether this read is within its client's limit (counting it), or needs none."""
    if request.method == "POST":
        return True
    if active_client(request.GET.get("api_key", "")) is not None:
        return True
    return READ_LIMIT.allow(request)


def api_view(handler: Any) -> Any:
    """Wrap a handler: check the format and the read limit, turn ``Open311Error`` into the
    spec's error list."""

    @csrf_exempt
    def view(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
        if fmt not in FORMATS:
            return error_response("json", 404, _("不支持的格式：%(f)s") % {"f": fmt})
        if not read_allowed(request):
            refused = error_response(fmt, 429, _("查询过于频繁，请稍后再试"))
            refused["Retry-After"] = str(READ_LIMIT.retry_after())
            return refused
        try:
            jurisdiction = request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id")
            if (
                jurisdiction
                and not Jurisdiction.objects.filter(jurisdiction_id=jurisdiction).exists()
            ):
                raise Open311Error(404, _("未知的 jurisdiction_id：%(j)s") % {"j": jurisdiction})
            response: HttpResponse = handler(request, fmt, **kwargs)
            return response
        except Open311Error as exc:
            return error_response(fmt, exc.status, exc.description)

    return view


# --- documents ----------------------------------------------------------------------------


def _when(value: datetime.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def service_document(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description or None,
        "metadata": False,
        "type": "realtime",
        "keywords": category.keywords or None,
        "group": category.parent.name if category.parent else category.get_kind_display(),
    }


STATUS_NOTES = {
    Status.REPORTED: "已受理，待核实",
    Status.VERIFIED: "已核实，待立案",
    Status.REGISTERED: "已立案，待派遣",
    Status.DISPATCHED: "已派遣至处置单位",
    Status.ACCEPTED: "处置中",
    Status.HANDLED: "已处置，待复核",
    Status.CLOSED: "已办结",
    Status.EVALUATED: "已办结并回访",
}


def open311_status(event: Event) -> tuple[str, str]:
    """(open|closed, status_notes) for an internal state."""
    if event.status == Status.CANCELLED:
        return "closed", f"已作废：{event.get_cancel_kind_display()}"
    if event.status == Status.MERGED:
        target = event.merged_into.code if event.merged_into else ""
        return "closed", f"与事件 {target} 合并办理"
    state = "closed" if event.status in (Status.CLOSED, Status.EVALUATED) else "open"
    return state, STATUS_NOTES[Status(event.status)]


def request_document(event: Event, base_url: str) -> dict[str, Any]:
    state, notes = open311_status(event)
    expected = (
        timezone.make_aware(datetime.datetime.combine(event.deadline, datetime.time(18, 0)))
        if event.deadline
        else None
    )
    updated = event.closed_at if state == "closed" and event.closed_at else event.updated_at
    return {
        "service_request_id": event.code,
        "status": state,
        "status_notes": notes,
        "service_name": event.category.name,
        "service_code": event.category.code,
        "description": event.description,
        "agency_responsible": event.unit.name if event.unit else None,
        "service_notice": None,
        "requested_datetime": _when(event.created_at),
        "updated_datetime": _when(updated),
        "expected_datetime": _when(expected),
        "address": event.address,
        "address_id": event.region_id,
        "zipcode": None,
        "lat": float(event.latitude) if event.latitude is not None else None,
        "long": float(event.longitude) if event.longitude is not None else None,
        "media_url": event.media_url
        or base_url + reverse("governance:public_status", args=[event.code]),
    }


# --- endpoints ----------------------------------------------------------------------------


@api_view
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri(reverse("governance:open311_root"))
    data = {
        "changeset": CHANGESET,
        "contact": "12345",
        "key_service": _("向平台管理员申请 api_key"),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base.rstrip("/"),
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(fmt, data, "discovery", None)


def _services() -> QuerySet[Category]:
    return Category.objects.filter(active=True).select_related("parent").order_by("code")


@api_view
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    return render(fmt, [service_document(c) for c in _services()], "services", "service")


@api_view
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    if not _services().filter(code=code).exists():
        raise Open311Error(404, _("未知的 service_code：%(c)s") % {"c": code})
    return render(fmt, {"service_code": code, "attributes": []}, "service_definition", None)


def _decimal(value: str | None, name: str) -> Decimal | None:
    if not value:
        return None
    try:
        return Decimal(value).quantize(Decimal("0.000001"))
    except InvalidOperation as exc:
        raise Open311Error(400, _("%(n)s 不是有效的数字") % {"n": name}) from exc


# Reference data read by every POST, kept briefly in each process (see core.refcache): a
# deactivated key, a retired category or a new region reaches other processes within a minute.


@reference(watch=("governance.Open311Client",))
def active_client(key: str) -> Open311Client | None:
    return Open311Client.objects.filter(api_key=key, active=True).first() if key else None


@reference(watch=("governance.Category",))
def active_service(code: str) -> Category | None:
    return _services().filter(code=code).first()


@reference(watch=("core.Region",), maxsize=16384)
def region_of(code: str) -> Region | None:
    return Region.objects.filter(code=code).first()


def create_request(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    client = active_client(data.get("api_key", ""))
    if client is None:
        raise Open311Error(403, _("api_key 无效或缺失，不能创建服务请求"))
    code = data.get("service_code", "")
    category = active_service(code)
    if category is None:
        raise Open311Error(400, _("未知的 service_code：%(c)s") % {"c": code})
    region = region_of(data.get("address_id", ""))
    if region is None:
        raise Open311Error(
            400,
            _("address_id 应为已知的12位村级区划代码：%(a)s") % {"a": data.get("address_id", "")},
        )
    name = (data.get("last_name", "") + data.get("first_name", "")).strip()
    event = Event(
        channel=Channel.OPEN311,
        category=category,
        region=region,
        address=data.get("address_string", "") or data.get("address_id", ""),
        latitude=_decimal(data.get("lat"), "lat"),
        longitude=_decimal(data.get("long"), "long"),
        description=data.get("description", ""),
        media_url=data.get("media_url", ""),
        reporter_name=name,
        reporter_phone=data.get("phone", ""),
        anonymous=not name,
    )
    try:
        services.report_event(event, user=None, check_scope=False)
    except ValidationError as exc:
        messages = (
            [f"{field}: {m}" for field, errs in exc.message_dict.items() for m in errs]
            if hasattr(exc, "error_dict")
            else exc.messages
        )
        return render(
            fmt,
            [{"code": 400, "description": m} for m in messages],
            "errors",
            "error",
            400,
        )
    body = [{"service_request_id": event.code, "token": event.token, "service_notice": None}]
    return render(fmt, body, "service_requests", "request")


def _requests(request: HttpRequest) -> QuerySet[Event]:
    qs = Event.objects.select_related("category", "unit", "merged_into")
    params = request.GET
    if ids := params.get("service_request_id"):
        return qs.filter(code__in=[i.strip() for i in ids.split(",")])[:MAX_REQUESTS]
    end = _date_param(params.get("end_date"), "end_date") or timezone.now()
    start = _date_param(params.get("start_date"), "start_date") or end - datetime.timedelta(
        days=DEFAULT_DAYS
    )
    if start > end:
        raise Open311Error(400, _("start_date 不能晚于 end_date"))
    qs = qs.filter(created_at__gte=start, created_at__lte=end)
    if codes := params.get("service_code"):
        qs = qs.filter(category__code__in=[c.strip() for c in codes.split(",")])
    if status := params.get("status"):
        wanted = {s.strip() for s in status.split(",")}
        if not wanted <= {"open", "closed"}:
            raise Open311Error(400, _("status 只能是 open 或 closed"))
        closed = [Status.CLOSED, Status.EVALUATED, Status.CANCELLED, Status.MERGED]
        if wanted == {"open"}:
            qs = qs.exclude(status__in=closed)
        elif wanted == {"closed"}:
            qs = qs.filter(status__in=closed)
    return qs.order_by("-created_at")[:MAX_REQUESTS]


def _date_param(value: str | None, name: str) -> datetime.datetime | None:
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise Open311Error(400, _("%(n)s 应为 W3C 日期时间格式") % {"n": name})
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


@api_view
def requests_endpoint(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return create_request(request, fmt)
    base = request.build_absolute_uri("/").rstrip("/")
    data = [request_document(e, base) for e in _requests(request)]
    return render(fmt, data, "service_requests", "request")


@api_view
def request_detail(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    event = (
        Event.objects.select_related("category", "unit", "merged_into").filter(code=code).first()
    )
    if event is None:
        raise Open311Error(404, _("未知的 service_request_id：%(c)s") % {"c": code})
    base = request.build_absolute_uri("/").rstrip("/")
    return render(fmt, [request_document(event, base)], "service_requests", "request")


@api_view
def token_detail(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    event = Event.objects.filter(token=token).only("code", "token").first()
    if event is None:
        raise Open311Error(404, _("未知的 token：%(t)s") % {"t": token})
    return render(
        fmt,
        [{"service_request_id": event.code, "token": event.token}],
        "service_requests",
        "request",
    )


def root(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"discovery": reverse("governance:open311_discovery", args=["json"])})
