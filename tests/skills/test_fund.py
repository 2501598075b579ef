"""The employee education fund （十八） and the 产教融合型企业 credit （五）."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.factories import NANXUN, WUXING, make_org, make_user
from tongban.core.permissions import Role
from tongban.core.services import save_record
from tongban.skills import fund
from tongban.skills.models import EducationFundReport, FundPolicy

pytestmark = pytest.mark.django_db
D = Decimal


def report(enterprise, user, year=2025, **kw) -> EducationFundReport:
    values = {
        "payroll": D("10000000"),
        "extracted": D("800000"),
        "used": D("600000"),
        "used_frontline": D("400000"),
    }
    values.update(kw)
    return save_record(EducationFundReport(enterprise=enterprise, year=year, **values), user=user)


@pytest.fixture
def enterprise(regions):
    org = make_org("湖州精工机械制造有限公司", region=WUXING)
    return org, make_user("ent_hr", Role.ENTERPRISE_HR, organization=org)


def test_a_report_whose_parts_exceed_its_whole_is_refused_and_nothing_saved(enterprise):
    org, user = enterprise
    with pytest.raises(ValidationError) as exc:
        report(org, user, used=D("500000"), used_frontline=D("500001"))
    assert exc.value.message_dict["used_frontline"] == [
        "用于一线职工的经费（500001元）超过使用的职工教育经费总额（500000元）"
    ]
    with pytest.raises(ValidationError) as exc:
        report(org, user, payroll=D("100"), extracted=D("200"))
    assert "提取的职工教育经费（200元）超过工资总额（100元）" in exc.value.message_dict["extracted"]
    with pytest.raises(ValidationError) as exc:
        report(org, user, qualifying_investment=D("1000"))
    assert "只有产教融合型企业可以填报抵免投资额" in str(exc.value)
    assert not EducationFundReport.objects.exists()


def test_the_api_refuses_the_same_report_with_the_field_named(enterprise, client):
    org, user = enterprise
    client.force_login(user)
    response = client.post(
        "/api/skills/education-fund-reports/",
        {
            "enterprise": org.pk,
            "year": 2025,
            "payroll": "1000000",
            "extracted": "80000",
            "used": "50000",
            "used_frontline": "60000",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "超过使用的职工教育经费总额" in response.json()["used_frontline"][0]
    assert not EducationFundReport.objects.exists()


def test_reports_under_the_frontline_share_are_flagged_and_the_share_is_data(enterprise):
    org, user = enterprise
    under = report(org, user, used=D("100"), used_frontline=D("59"))
    assert under.frontline_share == D("0.59")
    assert fund.is_flagged(under)
    assert not fund.is_flagged(report(org, user, year=2024, used=D("100"), used_frontline=D("60")))
    assert not fund.is_flagged(report(org, user, year=2023, used=D("0"), used_frontline=D("0")))
    policy = FundPolicy.current()
    policy.frontline_min_share = D("0.50")
    policy.save()
    assert not fund.is_flagged(under)


def test_flagged_enterprises_are_listed_per_region(enterprise, client):
    org, user = enterprise
    hr = make_user("hr_city", Role.HR_OFFICER, region="330500000000")
    report(org, user, used=D("100"), used_frontline=D("30"))
    nanxun = make_org("南浔电梯部件有限公司", region=NANXUN)
    save_record(
        EducationFundReport(
            enterprise=nanxun,
            year=2025,
            payroll=D("100"),
            extracted=D("8"),
            used=D("8"),
            used_frontline=D("7"),
        ),
        user=make_user("admin", Role.PLATFORM_ADMIN),
    )
    groups = fund.flagged_by_region(EducationFundReport.objects.restrict(hr, "view"))
    assert [(g.region.code, [r.enterprise for r in g.reports], g.total) for g in groups] == [
        (WUXING, [org], 1)
    ]
    client.force_login(hr)
    page = client.get("/skills/education-fund/flags/").content.decode()
    assert "湖州精工机械制造有限公司" in page and "南浔电梯部件有限公司" not in page
    assert "吴兴区" in page
    client.force_login(make_user("hr_nanxun", Role.HR_OFFICER, region=NANXUN))
    assert "湖州精工" not in client.get("/skills/education-fund/flags/").content.decode()


def _years(org, user, *rows):
    for year, investment, due in rows:
        report(
            org,
            user,
            year=year,
            integration_enterprise=True,
            qualifying_investment=D(investment),
            surcharge_due=D(due),
        )


def test_the_credit_is_30_percent_never_more_than_due_and_the_rest_carries_forward(enterprise):
    org, user = enterprise
    _years(org, user, (2023, "1000000", "100000"), (2024, "0", "150000"), (2025, "0", "100000"))
    ledger = {y.year: y for y in fund.credit_ledger(org)}
    assert (ledger[2023].earned, ledger[2023].offset, ledger[2023].carried_forward) == (
        D("300000.00"),
        D("100000"),
        D("200000.00"),
    )
    assert (ledger[2024].carried_in, ledger[2024].offset, ledger[2024].carried_forward) == (
        D("200000.00"),
        D("150000"),
        D("50000.00"),
    )
    assert (ledger[2025].offset, ledger[2025].carried_forward) == (D("50000.00"), D("0"))


def test_the_carry_forward_rule_is_data(enterprise):
    org, user = enterprise
    _years(org, user, (2023, "1000000", "100000"), (2024, "0", "50000"), (2025, "0", "100000"))
    policy = FundPolicy.current()
    policy.carry_forward_years = 1
    policy.save()
    ledger = {y.year: y for y in fund.credit_ledger(org)}
    assert ledger[2024].offset == D("50000")
    assert (ledger[2025].expired, ledger[2025].offset) == (D("150000.00"), D("0"))
    policy.carry_forward_years = 0
    policy.save()
    ledger = {y.year: y for y in fund.credit_ledger(org)}
    assert (ledger[2023].expired, ledger[2023].carried_forward) == (D("200000.00"), D("0"))
    assert ledger[2024].offset == D("0")
