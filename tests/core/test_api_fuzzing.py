"""Fuzz every API operation from the platform's own OpenAPI schema (schemathesis).

The schema is read from ``/api/schema/`` and every operation is called in-process
through the WSGI application, with generated valid and invalid input, as a platform
administrator (who may do everything, so requests get past the permission checks) and
once without credentials. Every answer must not be a server error, must have a status
code and a content type the schema documents, and a body that matches it.

The demo data set is loaded once for the module, so ids in the path often name real
records (events, cases, plans, certificates …) rather than always missing ones; each
operation's writes are rolled back after it. ``TONGBAN_FUZZ_EXAMPLES`` (default 10)
sets the generated examples per operation, ``TONGBAN_FUZZ_COVERAGE=1`` adds
schemathesis' coverage phase (boundary values and every kind of invalid field, a few
hundred requests per operation; minutes, not seconds).
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from django.apps import apps
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.urls import Resolver404, resolve
from django_fsm import FSMFieldMixin
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import ensure_regions, make_user
from tongban.core.models import Person
from tongban.core.permissions import Role
from tongban.wsgi import application

EXAMPLES = int(os.environ.get("TONGBAN_FUZZ_EXAMPLES", "10"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=False,
    # the module's data and token are shared by every example on purpose
    suppress_health_check=list(HealthCheck),
)

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
schema.config.phases.update(
    phases=["examples", "fuzzing"]
    + (["coverage"] if os.environ.get("TONGBAN_FUZZ_COVERAGE") else [])
)


@pytest.fixture(scope="module", autouse=True)
def keep_the_test_connection():
    """The WSGI handler closes the database connection after a request that left it out
    of autocommit, which every request inside a test's transaction does (PostgreSQL; an
    in-memory SQLite database is never closed). Django's test client unhooks the same
    handler while it serves a request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def demo_data(keep_the_test_connection, django_db_blocker):
    """The demo data set and an administrator's token, for the whole module, rolled back
    at its end; each test's own transaction nests inside (a savepoint)."""
    from tongban.core.demo import load_demo_data

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            ensure_regions()
            load_demo_data()
            for config in apps.get_app_configs():
                hook = getattr(config, "load_demo", None)
                if hook is not None:
                    list(hook())
            operator = make_user("fuzz_operator", Role.PLATFORM_ADMIN)
            token = Token.objects.create(user=operator).key
            yield token
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def operator_token(demo_data, db):
    return demo_data


def _view_class(path: str) -> Any:
    sample = path.replace("{code}", "330000000000").replace("{transition}", "x")
    for name in ("id", "person"):
        sample = sample.replace("{" + name + "}", "1")
    try:
        return getattr(resolve(sample).func, "cls", None)
    except Resolver404:
        return None


def _existing(case: Any, param: str) -> list[Any]:
    """Keys of records the path parameter could name, or transition names of the model."""
    view = _view_class(case.operation.path)
    model = getattr(view, "model", None)
    if model is None and param == "person":
        model = Person
    if model is None:
        return []
    if param == "transition":
        return sorted(
            {
                t.name
                for field in model._meta.fields
                if isinstance(field, FSMFieldMixin)
                for t in field.get_all_transitions(model)
            }
        )
    lookup = getattr(view, "lookup_field", "pk")
    return list(model.objects.order_by(lookup).values_list(lookup, flat=True)[:50])


def aim_at_real_records(case: Any) -> None:
    """Half the generated path values are turned into the key of an existing record (or a
    transition the model has), chosen from the generated value so a failure replays."""
    for param, value in list((case.path_parameters or {}).items()):
        if isinstance(value, bool):
            continue
        if isinstance(value, int) and value >= 0 and value % 2 == 0:
            choice = value // 2
        elif isinstance(value, str) and len(value) % 2 == 0:
            choice = sum(map(ord, value))
        else:
            continue
        existing = _existing(case, param)
        if existing:
            case.path_parameters[param] = existing[choice % len(existing)]


@schema.parametrize()
@HYPOTHESIS
def test_api_as_platform_administrator(case, operator_token):
    aim_at_real_records(case)
    case.call_and_validate(headers={"Authorization": f"Token {operator_token}"}, checks=CHECKS)


@schema.parametrize()
@settings(HYPOTHESIS, max_examples=min(EXAMPLES, 3))
def test_api_without_credentials(case, db):
    response = case.call_and_validate(checks=CHECKS)
    if case.operation.path != "/api/auth/token/":
        # nothing but the token exchange answers without credentials: 401, or the JSON 404
        # of a path that matches no route (an id that is not a number)
        assert response.status_code in (401, 404), response.text
        if response.status_code == 404:
            assert response.json() == {"detail": "未找到。"}
