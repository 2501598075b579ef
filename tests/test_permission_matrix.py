"""The permission matrix over every URL pattern (see ``tests/permission_matrix.py``).

The world is the demo data (every kind of record, in several counties of 湖州市) built
once for the module; the users are the demo accounts, one per role, most of them held in
吴兴区. Each case is a request; the failures name the route, the role and what went wrong.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import transaction

from tests import permission_matrix as pm
from tests.factories import NANXUN, WUXING, make_org, make_user, village_of
from tongban.core.demo import load_demo_data
from tongban.core.permissions import Role

# the demo account of each role (demo.py), in 吴兴区 or a unit there; ``build_world`` gives each
# role a twin in 南浔区, so that every kind of record is inside one user's scope and outside
# the other's
ACCOUNTS = {
    Role.PLATFORM_ADMIN: "admin",
    Role.HR_OFFICER: "hr_wuxing",
    Role.GOVERNANCE_DISPATCHER: "dispatcher",
    Role.GOVERNANCE_HANDLER: "handler",
    Role.GOVERNANCE_REVIEWER: "reviewer",
    Role.ENTERPRISE_HR: "enterprise_hr",
    Role.TRAINING_STAFF: "training",
    Role.EVALUATION_STAFF: "evaluation",
    Role.GRID_WORKER: "grid",
    Role.WORKER: "worker",
}


def build_world() -> Any:
    from tongban.core.models import ImportJob
    from tongban.skills.models import SavedSearch

    load_demo_data()
    for config in apps.get_app_configs():
        hook = getattr(config, "load_demo", None)
        if hook is not None:
            hook()
    records_the_demo_lacks()
    users = {role: [User.objects.get(username=name)] for role, name in ACCOUNTS.items()}
    for role, accounts in users.items():
        if role != Role.PLATFORM_ADMIN:
            accounts.append(twin_in_nanxun(accounts[0]))
    admin = users[Role.PLATFORM_ADMIN][0]
    # records owned by one account: one of the administrator's, out of everyone else's reach
    ImportJob.objects.create(kind="people", mode="partial", user=admin, source="x", filename="x")
    SavedSearch.objects.create(owner=admin, name="高级工", query="level=3")
    return SimpleNamespace(users=users)


def record(label: str, **given: Any) -> Any:
    """One row of ``label``: the given fields, the first choice of any other required choice."""
    model: Any = apps.get_model(label)
    values = dict(given)
    for f in model._meta.concrete_fields:
        if f.name not in values and f.choices and not f.has_default() and not f.null:
            values[f.name] = f.choices[0][0]
    return model.objects.create(**values)


def records_the_demo_lacks() -> None:
    """One record in 吴兴区 (or of a unit of the city there) of each kind the demo lacks."""
    from tongban.core.models import Organization, Person

    day = datetime.date(2026, 3, 2)
    people = list(Person.objects.filter(residence_region__code__startswith="330502")[:2])
    # the demo's evaluation centre (the evaluation staff's unit) and the city's technician college
    evaluation = apps.get_model("skills.evaluator").objects.get(
        organization__kind="evaluation_organization"
    )
    occupation = apps.get_model("skills.occupation").objects.get(code="6-18-01-01")
    level = apps.get_model("skills.skilllevel").objects.order_by("-rank").first()
    enterprise = Organization.objects.get(name="湖州精工机械制造有限公司")
    school = Organization.objects.get(name="湖州交通技师学院")
    plan = record(
        "skills.evaluationplan", evaluator=evaluation, occupation=occupation, level=level,
        site_code="330502", site_name="吴兴区实训基地", starts_on=day, ends_on=day,
    )  # fmt: skip
    application = record("skills.certificationapplication", plan=plan, person=people[0])
    record(
        "skills.objection", application=application, raised_by_name="赵某",
        raised_by_contact="13800001111", grounds="成绩有误", filed_on=day,
    )  # fmt: skip
    record(
        "skills.appointment", person=people[0], employer=enterprise, occupation=occupation,
        level=level, appointed_on=day,
    )  # fmt: skip
    record(
        "skills.limitbreakingrequest", evaluator=evaluation, person=people[0],
        occupation=occupation, level=level, site_code="330502", evidence="省级技术能手",
    )  # fmt: skip
    record("skills.schoolrecord", person=people[0], school=school, graduated_on=day)
    record(
        "skills.apprenticeship", person=people[0], employer=enterprise, occupation=occupation,
        started_on=day,
    )  # fmt: skip
    record(
        "skills.mentorshippair", employer=enterprise, mentor=people[0], apprentice=people[1],
        occupation=occupation, started_on=day,
    )  # fmt: skip
    rule = apps.get_model("governance.warningrule").objects.order_by("pk").first()
    record(
        "governance.riskwarning", rule=rule, subject_key="matrix", subject_label="吴兴区",
        region=village_of(WUXING), level=rule.level,
    )  # fmt: skip
    event = apps.get_model("governance.event").objects.filter(region__code__startswith="330502")
    record(
        "governance.eventphoto", event=event.order_by("pk").first(), image="matrix.png",
        content_type="image/png",
    )  # fmt: skip


def twin_in_nanxun(user: Any) -> Any:
    """An account with the same role as ``user``, held over 南浔区 (or a unit of the same kind
    there, or a person living there) instead of 吴兴区."""
    from tongban.core.models import Person, RoleAssignment

    held = RoleAssignment.objects.get(user=user)
    region = None
    if held.region is not None:
        region = NANXUN if held.region.level == "county" else village_of(NANXUN).code
    organization = None
    if held.organization is not None:
        organization = make_org(f"南浔{held.organization.name}", held.organization.kind, NANXUN)
    twin = make_user(f"{user.username}_nanxun", held.role, region, organization)
    if held.role == Role.WORKER:
        person = Person.objects.filter(
            user=None, residence_region__code__startswith=NANXUN[:6]
        ).first()
        assert person is not None
        person.user = twin
        person.save(update_fields=["user"])
    return twin


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.test import override_settings

    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(media)),
        transaction.atomic(),
    ):
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def matrix(world, db):
    return pm.Matrix(world)


def test_every_route_is_classified():
    assert pm.unclassified(pm.routes()) == []


@pytest.mark.parametrize("role", list(ACCOUNTS), ids=str)
def test_matrix_for_role(matrix, world, role):
    found = pm.routes().values()
    failures = matrix.run(found, [(str(role), u) for u in world.users[role]], anonymous=False)
    assert not failures, "\n".join(failures)
    assert matrix.cases > 100


def test_matrix_without_login(matrix):
    failures = matrix.run(pm.routes().values(), [], anonymous=True)
    assert not failures, "\n".join(failures)


@pytest.mark.urls("tests.leaky_urls")
def test_the_matrix_reports_a_planted_leak_and_an_unclassified_route(world, db):
    found = pm.routes("tests.leaky_urls")
    assert pm.unclassified(found) == ["leaky_new", "leaky_person"]

    declared = {**pm.DECLARED, "leaky_person": pm.obj("core.person")}
    outsider = world.users[Role.HR_OFFICER][1]  # held over 南浔区
    matrix = pm.Matrix(world, declared=declared)
    failures = matrix.run([found["leaky_person"], found["leaky_new"]], [("hr_officer", outsider)])
    assert "leaky_new: not classified in the permission matrix" in failures
    assert "leaky_person [hr_officer]: GET answers 200 outside the scope (expected 404)" in failures
    assert "leaky_person [hr_officer]: POST changed a record outside the user's scope" in failures
    assert (
        "leaky_person [hr_officer]: POST answers 200 outside the scope (expected 404)" in failures
    )
    assert all(f.startswith(("leaky_person", "leaky_new")) for f in failures), failures


def test_imports_obey_the_same_scope(world, db, tmp_path, settings):
    """Every import kind: the platform's rows, exported in full, then imported back by each
    scoped role in 南浔区 (partial mode): the rows outside its scope are refused, unchanged."""
    from tongban.core.importing import export, jobs
    from tongban.core.importing.kinds import REGISTRY

    settings.MEDIA_ROOT = str(tmp_path)
    admin = world.users[Role.PLATFORM_ADMIN][0]
    outsiders = [accounts[1] for role, accounts in world.users.items() if len(accounts) > 1]
    failures = []
    tried = 0
    for name, kind in sorted(REGISTRY.items()):
        model: Any = kind.model
        everything = export.filtered(kind, admin, {})
        if not everything.exists():
            failures.append(f"import {name}: the world has no rows")
            continue
        source = tmp_path / f"{name}.csv"
        export.export_to_file(
            source, everything, export.kind_columns(kind), user=admin, kind=name, filters={},
            channel="command", reveal=True,
        )  # fmt: skip
        for user in outsiders:
            if not jobs.may_import(user, name):
                continue
            tried += 1
            reach = set(model.objects.restrict(user, "change").values_list("pk", flat=True))
            outside = model.objects.exclude(pk__in=reach)
            before = list(outside.order_by("pk").values())
            job = jobs.create_job(
                name, source, user=user, mode="partial", filename=source.name, channel="command"
            )
            job = jobs.run_job(job, user=user)
            after = list(
                model.objects.filter(pk__in=[r["id"] for r in before]).order_by("pk").values()
            )
            if after != before:
                failures.append(f"import {name} [{user.username}]: changed rows outside the scope")
            if job.error_count < len(before):
                failures.append(
                    f"import {name} [{user.username}]: {len(before)} rows outside the scope, "
                    f"{job.error_count} refused"
                )
    assert not failures, "\n".join(failures)
    assert tried >= 3
