"""Wage prices: employers report pay; published percentiles suppress small cells; negative
or absurd pay is refused with the reason."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.factories import NANXUN, WUXING, make_org, make_user
from tests.skills import builders
from tongban.core.permissions import Role
from tongban.core.services import save_record
from tongban.skills import wages
from tongban.skills.models import WageReport
from tongban.skills.models.occupation import level

pytestmark = pytest.mark.django_db


@pytest.fixture
def employer(catalogue):
    return make_org("工资填报测试厂")


@pytest.fixture
def enterprise_hr(employer):
    return make_user("wage_hr", Role.ENTERPRISE_HR, organization=employer)


def report(employer, pay, *, key="level3", region=WUXING, year=2025, code=builders.TURNER):
    return WageReport.objects.create(
        employer=employer,
        occupation=builders.occupation(code),
        level=level(key),
        region_id=region,
        year=year,
        annual_pay=Decimal(pay),
    )


def test_percentiles_interpolate_between_ranks():
    values = [Decimal(v) for v in (10, 20, 30, 40, 50)]
    assert wages.percentile(values, 50) == 30
    assert wages.percentile(values, 25) == 20
    assert wages.percentile(values, 10) == 14
    assert wages.percentile(values, 90) == 46
    assert wages.percentile([Decimal(7)], 90) == 7


def test_cells_with_fewer_reports_than_the_threshold_are_suppressed(employer, settings):
    settings.TONGBAN_WAGE_MIN_REPORTS = 3
    for pay in (60000, 70000, 80000):
        report(employer, pay)
    report(employer, 150000, key="level2")  # one 技师: his pay must not be readable
    report(employer, 90000, key="level2")
    cells = {c.level: c for c in wages.publish(WageReport.objects.all())}
    published = cells["三级/高级工"]
    assert not published.suppressed and published.reports == 3
    assert published.p(50) == 70000 and published.p(10) == 62000 and published.p(90) == 78000
    hidden = cells["二级/技师"]
    assert hidden.suppressed and hidden.reports == 2 and hidden.p(50) is None
    settings.TONGBAN_WAGE_MIN_REPORTS = 2
    assert not {c.level: c for c in wages.publish(WageReport.objects.all())}["二级/技师"].suppressed


def test_cells_group_by_region_at_the_chosen_level(employer, settings):
    settings.TONGBAN_WAGE_MIN_REPORTS = 2
    report(employer, 60000, region=WUXING)
    report(employer, 64000, region=NANXUN)
    by_county = wages.publish(WageReport.objects.all(), depth=6)
    assert [c.suppressed for c in by_county] == [True, True]
    (by_city,) = wages.publish(WageReport.objects.all(), depth=4)
    assert by_city.region == "3305" and by_city.p(50) == 62000


@pytest.mark.parametrize(
    ("pay", "reason"),
    [("-100", "必须大于0"), ("0", "必须大于0"), ("300", "不合常理"), ("99000000", "不合常理")],
)
def test_negative_or_absurd_pay_is_refused_with_the_reason(employer, enterprise_hr, pay, reason):
    entry = WageReport(
        employer=employer,
        occupation=builders.occupation(),
        level=level("level4"),
        region_id=WUXING,
        year=2025,
        annual_pay=Decimal(pay),
    )
    with pytest.raises(ValidationError) as caught:
        save_record(entry, user=enterprise_hr)
    assert reason in " ".join(caught.value.message_dict["annual_pay"])
    assert not WageReport.objects.exists()


def test_a_future_year_and_a_category_instead_of_an_occupation_are_refused(employer, enterprise_hr):
    from tongban.skills.models import Occupation

    entry = WageReport(
        employer=employer,
        occupation=Occupation.objects.get(code="6-18-00-00"),
        level=level("level4"),
        region_id=WUXING,
        year=datetime.date.today().year + 1,  # noqa: DTZ011
        annual_pay=Decimal(60000),
    )
    with pytest.raises(ValidationError) as caught:
        save_record(entry, user=enterprise_hr)
    assert set(caught.value.message_dict) == {"year", "occupation"}


def test_the_employer_reports_on_the_page_and_the_price_is_published(
    client, employer, enterprise_hr, settings
):
    settings.TONGBAN_WAGE_MIN_REPORTS = 2
    client.force_login(enterprise_hr)
    form = {
        "employer": employer.pk,
        "occupation": builders.TURNER,
        "level": level("level4").pk,
        "region": WUXING,
        "year": 2025,
        "annual_pay": "-5",
    }
    refused = client.post("/skills/wage-reports/add/", form)
    assert refused.status_code == 200 and "年工资收入必须大于0" in refused.content.decode()
    for pay in ("72000", "78000"):
        assert (
            client.post("/skills/wage-reports/add/", {**form, "annual_pay": pay}).status_code == 302
        )
    page = client.get("/skills/wage-prices/?year=2025").content.decode()
    assert "75000" in page
    other = make_user("someone", Role.WORKER)
    client.force_login(other)
    assert "75000" in client.get("/skills/wage-prices/?year=2025").content.decode()
    assert client.get("/skills/wage-reports/").status_code == 404


def test_wage_reports_api_refuses_absurd_pay_and_publishes_percentiles(
    client, employer, enterprise_hr, settings
):
    settings.TONGBAN_WAGE_MIN_REPORTS = 3
    client.force_login(enterprise_hr)
    body = {
        "employer": employer.pk,
        "occupation": builders.TURNER,
        "level": "level4",
        "region": WUXING,
        "year": 2025,
        "annual_pay": "80000000",
    }
    refused = client.post("/api/skills/wage-reports/", body, content_type="application/json")
    assert refused.status_code == 400 and "annual_pay" in refused.json()
    for pay in ("50000", "60000"):
        created = client.post(
            "/api/skills/wage-reports/",
            {**body, "annual_pay": pay},
            content_type="application/json",
        )
        assert created.status_code == 201, created.content
    (cell,) = client.get("/api/skills/wage-prices/?year=2025").json()["results"]
    assert cell["suppressed"] is True and cell["p50"] is None and cell["reports"] == 2
