from __future__ import annotations

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import translation

from tests.factories import ensure_regions
from tongban.core import refcache


@pytest.fixture(scope="session", autouse=True)
def fast_password_hasher():
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def own_request_limits(settings, tmp_path_factory):
    """Each test counts requests against limits in a file of its own."""
    settings.TONGBAN_LIMITS_FILE = str(tmp_path_factory.mktemp("limits") / "limits.sqlite3")


@pytest.fixture(autouse=True)
def fresh_reference_data():
    """Each test writes its own reference rows (rolled back after it): forget kept answers."""
    refcache.clear_all()
    yield
    refcache.clear_all()


@pytest.fixture(autouse=True)
def default_language():
    """LocaleMiddleware leaves the request's language active in the thread; reset it."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Real region data once per run: the country to county level and 湖州市 to villages."""
    with django_db_blocker.unblock():
        ensure_regions()


@pytest.fixture
def regions(db):
    """Regions present even after a transactional test flushed the tables."""
    ensure_regions()
