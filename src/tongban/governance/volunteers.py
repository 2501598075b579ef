"""Volunteer services: 点单 (a demand), 派单 (a pairing), 接单 / 拒单, service sessions,
服务完成 and 评单, each keeping the demand's state in step; and the counts the Huzhou
article reports (demands, resources, pairings, sessions, people served) per region and period."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.core import services as core_services
from tongban.core import workflow
from tongban.core.models import TransitionLog
from tongban.governance.models import (
    DemandStatus,
    PairingStatus,
    ServiceSession,
    VolunteerDemand,
    VolunteerPairing,
    VolunteerResource,
)

# pairing transitions with more input than a reason (pages show them with their own form)
SPECIAL_PAIRING_TRANSITIONS = {"rate"}
# what the demand does when a pairing moves
DEMAND_FOLLOWS = {
    "decline": "reopen",
    "withdraw": "reopen",
    "complete": "serve",
    "rate": "close",
}


def _log_created(obj: Any, name: str, label: str, user: Any, data: dict[str, Any]) -> None:
    TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        name=name,
        label=label,
        source="",
        target=obj.status,
        by=user if getattr(user, "is_authenticated", False) else None,
        data=data,
    )


def register_demand(demand: VolunteerDemand, *, user: Any) -> VolunteerDemand:
    """点单: record a resident's demand."""
    if getattr(user, "is_authenticated", False):
        demand.created_by = user
    with transaction.atomic():
        core_services.save_record(demand, user=user, action="add")
        _log_created(demand, "order", _("点单"), user, {})
    return demand


def pair_demand(pairing: VolunteerPairing, *, user: Any) -> VolunteerPairing:
    """派单: dispatch an open demand to a team or volunteer. A demand that is already paired,
    served, closed or cancelled is refused with its state."""
    demand = core_services.get_scoped(
        VolunteerDemand.objects.all(), user, "view", pk=pairing.demand_id
    )
    if demand.status != DemandStatus.OPEN:
        if demand.status in (DemandStatus.CLOSED, DemandStatus.CANCELLED):
            message = _("需求“%(t)s”已关闭（%(s)s），不能派单")
        else:
            message = _("需求“%(t)s”当前状态为“%(s)s”，只有待派单的需求可以派单")
        raise ValidationError(
            {"demand": message % {"t": demand.title, "s": demand.get_status_display()}},
            code="demand_not_open",
        )
    if getattr(user, "is_authenticated", False):
        pairing.created_by = user
    with transaction.atomic():
        workflow.fire(demand, "pair", user=user)
        pairing.demand = VolunteerDemand.objects.get(pk=demand.pk)
        core_services.save_record(pairing, user=user, action="add")
        _log_created(pairing, "dispatch", _("派单"), user, {"provider": str(pairing.provider)})
    return pairing


def fire_pairing_transition(
    pairing: VolunteerPairing, name: str, *, user: Any, reason: str = "", **kwargs: Any
) -> VolunteerPairing:
    """Fire ``name`` on the pairing and move its demand along in the same transaction."""
    with transaction.atomic():
        pairing = workflow.fire(pairing, name, user=user, reason=reason, **kwargs)
        follow = DEMAND_FOLLOWS.get(name)
        if follow is not None:
            workflow.fire(pairing.demand, follow, user=user, reason=reason)
    return pairing


def record_session(session: ServiceSession, *, user: Any) -> ServiceSession:
    """A service session of an accepted pairing (hours, volunteers, people served)."""
    pairing = core_services.get_scoped(
        VolunteerPairing.objects.all(), user, "change", pk=session.pairing_id
    )
    if pairing.status != PairingStatus.ACCEPTED:
        raise ValidationError(
            {
                "pairing": _("只有已接单的派单可以登记服务记录（当前：%(s)s）")
                % {"s": pairing.get_status_display()}
            },
            code="not_accepted",
        )
    if getattr(user, "is_authenticated", False):
        session.recorded_by = user
    return core_services.save_record(session, user=user, action="add")


@dataclass
class VolunteerCounts:
    demands: int = 0
    resources: int = 0
    pairings: int = 0
    sessions: int = 0
    people_served: int = 0
    hours: Decimal = Decimal(0)
    rated: int = 0
    mean_rating: float | None = None


def _period(field: str, start: datetime.date, end: datetime.date) -> Q:
    tz = timezone.get_current_timezone()
    low = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    high = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return Q(**{f"{field}__gte": low, f"{field}__lt": high})


def counts(
    user: Any, start: datetime.date, end: datetime.date, within: str = ""
) -> VolunteerCounts:
    """The article's figures for what ``user`` sees, in ``within`` (a region code prefix)
    and the period: demands ordered, resources offered, pairings made (declined and
    withdrawn ones excluded), sessions held, people served, hours; ratings."""
    prefix = within.strip().rstrip("0")
    demands = VolunteerDemand.objects.restrict(user, "view").filter(
        _period("created_at", start, end)
    )
    resources = VolunteerResource.objects.restrict(user, "view").filter(
        _period("created_at", start, end)
    )
    pairings = (
        VolunteerPairing.objects.restrict(user, "view")
        .filter(_period("created_at", start, end))
        .exclude(status__in=[PairingStatus.DECLINED, PairingStatus.CANCELLED])
    )
    sessions = ServiceSession.objects.restrict(user, "view").filter(
        served_on__gte=start, served_on__lte=end
    )
    if prefix:
        demands = demands.filter(region__code__startswith=prefix)
        resources = resources.filter(region__code__startswith=prefix)
        pairings = pairings.filter(demand__region__code__startswith=prefix)
        sessions = sessions.filter(pairing__demand__region__code__startswith=prefix)
    result = VolunteerCounts(
        demands=demands.count(), resources=resources.count(), pairings=pairings.count()
    )
    row = sessions.order_by().aggregate(
        n=Count("pk"), people=Sum("people_served"), hours=Sum("hours")
    )
    result.sessions = row["n"]
    result.people_served = row["people"] or 0
    result.hours = row["hours"] or Decimal(0)
    rated = (
        pairings.filter(rating__isnull=False)
        .order_by()
        .aggregate(n=Count("pk"), total=Sum("rating"))
    )
    result.rated = rated["n"]
    if rated["n"]:
        result.mean_rating = round(rated["total"] / rated["n"], 1)
    return result
