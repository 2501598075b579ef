from tongban.core.models.accounts import RoleAssignment
from tongban.core.models.audit import PersonalDataAccess
from tongban.core.models.employment import Employment
from tongban.core.models.organization import Organization, OrganizationKind
from tongban.core.models.person import DocumentType, Education, Gender, Person
from tongban.core.models.region import Region, RegionLevel

__all__ = [
    "DocumentType",
    "Education",
    "Employment",
    "Gender",
    "Organization",
    "OrganizationKind",
    "Person",
    "PersonalDataAccess",
    "Region",
    "RegionLevel",
    "RoleAssignment",
]
