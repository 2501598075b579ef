"""The one permission mechanism: roles held over a region subtree and/or an organisation.

``Model.objects.restrict(user, action)`` is the only way a queryset is scoped.
API viewsets, pages, exports, imports and statistics all call it, so an object
out of a user's scope simply does not exist for that user (404, never 403).

A model takes part by declaring ``scope = Scope(...)``: the paths from the model
to a region code, to an organisation, and to the user it belongs to.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from tongban.core.models import RoleAssignment


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", _("平台管理员")
    HR_OFFICER = "hr_officer", _("人社部门工作人员")
    GOVERNANCE_DISPATCHER = "governance_dispatcher", _("治理调度员")
    GOVERNANCE_HANDLER = "governance_handler", _("处置人员")
    GOVERNANCE_REVIEWER = "governance_reviewer", _("复核人员")
    ENTERPRISE_HR = "enterprise_hr", _("企业人力资源专员")
    TRAINING_STAFF = "training_staff", _("培训机构工作人员")
    EVALUATION_STAFF = "evaluation_staff", _("评价机构工作人员")
    GRID_WORKER = "grid_worker", _("网格员")
    WORKER = "worker", _("劳动者（个人）")


class Action(models.TextChoices):
    VIEW = "view", _("查看")
    ADD = "add", _("新增")
    CHANGE = "change", _("修改")
    DELETE = "delete", _("删除")
    REVEAL = "reveal", _("查看完整个人信息")
    EXPORT = "export", _("导出")


ALL = frozenset(Action.values)
READ = frozenset({Action.VIEW})

# role -> model label -> actions. Regions are reference data: every signed-in user reads them.
GRANTS: dict[str, dict[str, frozenset[str]]] = {
    Role.PLATFORM_ADMIN: {},  # everything, everywhere (see ``grants``)
    Role.HR_OFFICER: {
        "core.person": frozenset({"view", "add", "change", "reveal", "export"}),
        "core.organization": frozenset({"view", "add", "change", "export"}),
        "core.employment": ALL - {"reveal"},
    },
    Role.GOVERNANCE_DISPATCHER: {"core.person": READ, "core.organization": READ},
    Role.GOVERNANCE_HANDLER: {"core.person": READ, "core.organization": READ},
    Role.GOVERNANCE_REVIEWER: {"core.person": READ, "core.organization": READ},
    Role.ENTERPRISE_HR: {
        "core.person": frozenset({"view", "add", "change", "reveal", "export"}),
        "core.organization": frozenset({"view", "change"}),
        "core.employment": ALL - {"reveal"},
    },
    Role.TRAINING_STAFF: {
        "core.person": frozenset({"view", "add"}),
        "core.organization": READ,
    },
    Role.EVALUATION_STAFF: {"core.person": READ, "core.organization": READ},
    Role.GRID_WORKER: {"core.person": READ, "core.organization": READ},
    Role.WORKER: {
        "core.person": frozenset({"view", "reveal"}),
        "core.employment": READ,
    },
}
PUBLIC_REFERENCE = {"core.region"}


def register_grants(grants_by_role: dict[str, dict[str, frozenset[str]]]) -> None:
    """Add an app's grants (role -> model label -> actions); called from ``AppConfig.ready``."""
    for role, by_label in grants_by_role.items():
        merged = dict(GRANTS.setdefault(role, {}))
        for label, actions in by_label.items():
            merged[label] = merged.get(label, frozenset()) | frozenset(actions)
        GRANTS[role] = merged


def register_public_reference(*labels: str) -> None:
    """Models every signed-in user may view (reference data such as occupations)."""
    PUBLIC_REFERENCE.update(labels)


# Which roles hold their scope over a region, an organisation, or the user's own records.
REGION_ROLES = {
    Role.HR_OFFICER,
    Role.GOVERNANCE_DISPATCHER,
    Role.GOVERNANCE_HANDLER,
    Role.GOVERNANCE_REVIEWER,
    Role.GRID_WORKER,
}
ORGANIZATION_ROLES = {Role.ENTERPRISE_HR, Role.TRAINING_STAFF, Role.EVALUATION_STAFF}
SELF_ROLES = {Role.WORKER}


@dataclass(frozen=True)
class Scope:
    """Paths from a model to what scopes it.

    ``regions``: lookups ending at a Region (matched by code prefix);
    ``organizations``: lookups ending at an Organization;
    ``own``: lookup ending at the auth user the record belongs to.
    """

    regions: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    own: str | None = None
    error_field: str | None = None  # form field blamed when a write leaves the user's scope
    # records of a region, not of a unit (grids, volunteers): a role held over a region for
    # an organisation sees them by the region alone
    regional: bool = False


def is_platform_admin(user: AbstractBaseUser | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    if getattr(user, "is_superuser", False):
        return True
    return any(a.role == Role.PLATFORM_ADMIN for a in assignments(user))


def assignments(user: AbstractBaseUser | AnonymousUser) -> list[RoleAssignment]:
    """The user's role assignments, cached on the user object for the request."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_tongban_assignments", None)
    if cached is None:
        from tongban.core.models import RoleAssignment

        cached = list(
            RoleAssignment.objects.filter(user_id=user.pk).select_related("region", "organization")
        )
        setattr(user, "_tongban_assignments", cached)  # noqa: B010
    return cached


def forget_assignments(user: Any) -> None:
    if hasattr(user, "_tongban_assignments"):
        del user._tongban_assignments


def grants(role: str, label: str, action: str) -> bool:
    if role == Role.PLATFORM_ADMIN:
        return True
    return action in GRANTS.get(role, {}).get(label, frozenset())


def has_any(user: AbstractBaseUser | AnonymousUser, label: str, action: str) -> bool:
    """Whether the user may do ``action`` on *some* object of the model (menus, buttons)."""
    if not user.is_authenticated:
        return False
    if is_platform_admin(user) or (label in PUBLIC_REFERENCE and action == Action.VIEW):
        return True
    return any(grants(a.role, label, action) for a in assignments(user))


def scope_filter(
    user: AbstractBaseUser | AnonymousUser, model: type[models.Model], action: str
) -> Q | None:
    """A Q object selecting what ``user`` may ``action`` on ``model``.

    Returns ``None`` for "everything" and ``Q(pk__in=[])`` for "nothing".
    """
    label = model._meta.label_lower
    if not user.is_authenticated:
        return Q(pk__in=[])
    if is_platform_admin(user) or (label in PUBLIC_REFERENCE and action == Action.VIEW):
        return None
    scope: Scope = getattr(model, "scope", Scope())
    clauses: list[Q] = []
    for a in assignments(user):
        if not grants(a.role, label, action):
            continue
        if a.role in SELF_ROLES and scope.own:
            clauses.append(Q(**{scope.own: user.pk}))
            continue
        clause = Q()
        if a.region is not None and scope.regions:
            prefix = a.region.prefix
            region_q = Q()
            for path in scope.regions:
                region_q |= Q(**{f"{path}__code__startswith": prefix})
            clause &= region_q
        elif a.region_id:
            continue
        if a.organization_id and scope.organizations:
            org_q = Q()
            for path in scope.organizations:
                org_q |= Q(**{path: a.organization_id})
            clause &= org_q
        elif a.organization_id and not scope.regional:
            continue
        if not clause:
            continue
        clauses.append(clause)
    if not clauses:
        return Q(pk__in=[])
    combined = clauses[0]
    for clause in clauses[1:]:
        combined |= clause
    return combined


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user: AbstractBaseUser | AnonymousUser, action: str = "view") -> Self:
        condition = scope_filter(user, self.model, action)
        if condition is None:
            return self
        qs = self.filter(condition)
        # Paths through to-many relations may repeat rows.
        scope: Scope = getattr(self.model, "scope", Scope())
        if any("__" in p for p in scope.organizations + scope.regions):
            qs = self.filter(pk__in=qs.values("pk"))
        return qs


def user_region_prefixes(user: AbstractBaseUser | AnonymousUser, roles: Iterable[str]) -> list[str]:
    return [a.region.prefix for a in assignments(user) if a.role in roles and a.region is not None]
