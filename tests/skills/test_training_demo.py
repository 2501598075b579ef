"""``tongban demo`` shows training, the archive, credits, 1+X and the education fund."""

from __future__ import annotations

import pytest
from django.apps import apps

from tongban.core.demo import load_demo_data
from tongban.core.models import Person
from tongban.skills import fund
from tongban.skills.archive import archive_for
from tongban.skills.models import (
    ClassStatus,
    EducationFundReport,
    TrainingClass,
    XCertificate,
)

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_closed_class_an_archive_and_a_flagged_fund_report(regions):
    load_demo_data()
    lines = apps.get_app_config("skills").load_demo()
    assert any("培训班" in line for line in lines)
    assert TrainingClass.objects.filter(status=ClassStatus.CLOSED).exists()
    worker = Person.objects.get(user__username="worker")
    assert {"training", "credit"} <= {e.kind for e in archive_for(worker)}
    assert XCertificate.objects.exists()
    assert any(fund.is_flagged(r) for r in EducationFundReport.objects.all())
    again = apps.get_app_config("skills").load_demo()
    assert TrainingClass.objects.count() == 2 and any("培训项目" in line for line in again)
