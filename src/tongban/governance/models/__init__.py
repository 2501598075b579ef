"""Models of the governance app."""

from tongban.governance.models.access import ReporterContactAccess
from tongban.governance.models.campaign import (
    ScreeningCampaign,
    ScreeningKind,
    ScreeningTarget,
    TargetKind,
)
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
from tongban.governance.models.grid import (
    ChecklistItem,
    ChecklistTemplate,
    Grid,
    PatrolAnswer,
    PatrolStatus,
    PatrolTask,
)
from tongban.governance.models.practice import PracticeActivity, PracticeLevel, PracticeSite
from tongban.governance.models.tally import Dimension, EventTally
from tongban.governance.models.volunteer import (
    DemandStatus,
    PairingStatus,
    ServiceSession,
    ServiceType,
    Volunteer,
    VolunteerDemand,
    VolunteerPairing,
    VolunteerResource,
    VolunteerTeam,
)

__all__ = [
    "CancelKind",
    "Category",
    "CategoryKind",
    "Channel",
    "ChecklistItem",
    "ChecklistTemplate",
    "DemandStatus",
    "Dimension",
    "Event",
    "EventPhoto",
    "EventTally",
    "Grid",
    "Jurisdiction",
    "Open311Client",
    "PairingStatus",
    "PatrolAnswer",
    "PatrolStatus",
    "PatrolTask",
    "PracticeActivity",
    "PracticeLevel",
    "PracticeSite",
    "ReporterContactAccess",
    "RoutingRule",
    "Satisfaction",
    "ScreeningCampaign",
    "ScreeningKind",
    "ScreeningTarget",
    "ServiceSession",
    "ServiceType",
    "Status",
    "TargetKind",
    "Urgency",
    "Volunteer",
    "VolunteerDemand",
    "VolunteerPairing",
    "VolunteerResource",
    "VolunteerTeam",
]
