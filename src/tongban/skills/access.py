"""Who may act in the certification workflows: small predicates over the one role mechanism."""

from __future__ import annotations

from typing import Any

from tongban.core.permissions import Role, assignments, is_platform_admin

STAFF_ROLES = {Role.EVALUATION_STAFF, Role.ENTERPRISE_HR}


def is_hr_over(user: Any, region_code: str) -> bool:
    """An HR officer whose region subtree contains ``region_code`` (or a platform admin)."""
    if is_platform_admin(user):
        return True
    return any(
        a.role == Role.HR_OFFICER
        and a.region is not None
        and region_code.startswith(a.region.prefix)
        for a in assignments(user)
    )


def is_staff_of(user: Any, organization_id: int | None) -> bool:
    """Staff of the evaluating organisation or enterprise (or a platform admin)."""
    if is_platform_admin(user):
        return True
    return organization_id is not None and any(
        a.role in STAFF_ROLES and a.organization_id == organization_id for a in assignments(user)
    )
