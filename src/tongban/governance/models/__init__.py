"""Models of the governance app."""

from tongban.governance.models.category import (
    Category,
    CategoryKind,
    Jurisdiction,
    Open311Client,
    RoutingRule,
)
from tongban.governance.models.event import (
    CancelKind,
    Channel,
    Event,
    EventPhoto,
    Satisfaction,
    Status,
    Urgency,
)

__all__ = [
    "CancelKind",
    "Category",
    "CategoryKind",
    "Channel",
    "Event",
    "EventPhoto",
    "Jurisdiction",
    "Open311Client",
    "RoutingRule",
    "Satisfaction",
    "Status",
    "Urgency",
]
