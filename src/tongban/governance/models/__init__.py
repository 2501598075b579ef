"""Models of the governance app."""

from tongban.governance.models.access import ReporterContactAccess
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
from tongban.governance.models.tally import Dimension, EventTally

__all__ = [
    "CancelKind",
    "Category",
    "CategoryKind",
    "Channel",
    "Dimension",
    "Event",
    "EventPhoto",
    "EventTally",
    "Jurisdiction",
    "Open311Client",
    "ReporterContactAccess",
    "RoutingRule",
    "Satisfaction",
    "Status",
    "Urgency",
]
