"""Reference data kept briefly in memory: cleared by an edit here, refreshed after the delay."""

from __future__ import annotations

import pytest

from tongban.core import refcache
from tongban.core.models import Organization

pytestmark = pytest.mark.django_db

calls: list[str] = []


@refcache.reference(watch=("core.Organization",), seconds=60)
def organization_names() -> list[str]:
    calls.append("read")
    return sorted(Organization.objects.values_list("name", flat=True))


@pytest.fixture(autouse=True)
def counted():
    calls.clear()
    refcache.clear_all()


def test_reference_answers_are_kept_between_reads():
    Organization.objects.create(name="甲单位", kind="enterprise", region_id="330000000000")
    assert organization_names() == ["甲单位"]
    assert organization_names() == ["甲单位"]
    assert calls == ["read"]


def test_reference_answers_are_forgotten_when_a_watched_model_is_saved():
    assert organization_names() == []
    Organization.objects.create(name="乙单位", kind="enterprise", region_id="330000000000")
    assert organization_names() == ["乙单位"]
    assert calls == ["read", "read"]


def test_edits_made_elsewhere_are_seen_after_the_refresh_delay(monkeypatch):
    clock = [960.0]  # the start of a 60-second bucket
    monkeypatch.setattr(refcache.time, "monotonic", lambda: clock[0])
    assert organization_names() == []
    # a write that sends no signal stands for another process's edit
    Organization.objects.bulk_create(
        [Organization(name="丙单位", kind="enterprise", region_id="330000000000")]
    )
    clock[0] += 30
    assert organization_names() == []
    clock[0] += 31
    assert organization_names() == ["丙单位"]


def test_reference_functions_refuse_keyword_arguments():
    with pytest.raises(TypeError):
        organization_names(extra=1)  # type: ignore[call-arg]
