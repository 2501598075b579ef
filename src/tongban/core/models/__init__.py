from tongban.core.models.accounts import RoleAssignment
from tongban.core.models.audit import AuditLink, PersonalDataAccess
from tongban.core.models.calendar import CalendarDay, PublishedSchedule
from tongban.core.models.employment import Employment
from tongban.core.models.importing import (
    ExportRecord,
    ImportBatch,
    ImportJob,
    ImportMode,
    ImportStatus,
)
from tongban.core.models.organization import Organization, OrganizationKind
from tongban.core.models.person import DocumentType, Education, Gender, Person
from tongban.core.models.region import Region, RegionLevel
from tongban.core.models.workflow import TransitionLog

__all__ = [
    "AuditLink",
    "CalendarDay",
    "PublishedSchedule",
    "TransitionLog",
    "DocumentType",
    "Education",
    "Employment",
    "ExportRecord",
    "ImportBatch",
    "ImportJob",
    "ImportMode",
    "ImportStatus",
    "Gender",
    "Organization",
    "OrganizationKind",
    "Person",
    "PersonalDataAccess",
    "Region",
    "RegionLevel",
    "RoleAssignment",
]
