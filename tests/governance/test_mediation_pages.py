"""Mediation and warning pages: register, consent, agreement with its PDF, return visit,
refusals with their reasons on the page, scope (404), the warning page by region."""

from __future__ import annotations

import pytest

from tests.factories import make_user
from tests.governance.conftest import new_event
from tests.governance.mediation_world import centres, consent_all, new_case  # noqa: F401
from tongban.core import workflow
from tongban.core.permissions import Role
from tongban.governance import risk_warnings
from tongban.governance.models import (
    MediationCase,
    PartyContactAccess,
    RiskWarning,
    WarningRule,
)

pytestmark = pytest.mark.django_db


def register_form(c, **kw):
    data = {
        "centre": c.station.pk,
        "region": c.village.code,
        "channel": "walk_in",
        "kind": "neighbour",
        "title": "楼上漏水",
        "description": "楼上漏水，维修费用有争议",
        "mediators": [c.mediator.pk],
        "applicant_name": "王大明",
        "respondent_name": "李小红",
        "respondent_phone": "13912345678",
    }
    data.update(kw)
    return data


def test_a_station_registers_a_dispute_on_the_page(client, centres):  # noqa: F811
    client.force_login(centres.station_user)
    response = client.post("/mediation/cases/new/", register_form(centres))
    case = MediationCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/mediation/cases/{case.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "王大明" in page and "139****5678" in page and "13912345678" not in page


def test_registration_without_a_respondent_names_the_field(client, centres):  # noqa: F811
    client.force_login(centres.station_user)
    response = client.post("/mediation/cases/new/", register_form(centres, respondent_name=""))
    assert response.status_code == 200 and "被申请人姓名或名称" in response.content.decode()
    assert not MediationCase.objects.exists()


def test_an_event_is_taken_into_mediation_from_its_page(client, world, centres):  # noqa: F811
    event = new_event(world, category=world.consultation, description="邻居噪音")
    client.force_login(world.dispatcher)
    assert "转入矛调中心调解" in client.get(f"/events/{event.pk}/").content.decode()
    form = client.get(f"/mediation/cases/new/?event={event.pk}").content.decode()
    assert "邻居噪音" in form
    client.post("/mediation/cases/new/", register_form(centres, event=event.pk))
    assert MediationCase.objects.get().event == event
    assert "调解案件" in client.get(f"/events/{event.pk}/").content.decode()


def test_starting_without_consent_shows_the_reason(client, centres):  # noqa: F811
    case = new_case(centres)
    client.force_login(centres.station_user)
    response = client.post(f"/mediation/cases/{case.pk}/transitions/start/", follow=True)
    assert "尚未同意调解" in response.content.decode()


def test_agreement_pdf_and_return_visit_through_the_pages(client, centres):  # noqa: F811
    case = new_case(centres)
    consent_all(centres, case)
    client.force_login(centres.station_user)
    client.post(f"/mediation/cases/{case.pk}/transitions/start/")
    ids = list(case.parties.values_list("pk", flat=True))
    empty = client.post(
        f"/mediation/cases/{case.pk}/do/agreement/",
        {"agreement-terms": "", "agreement-mediator_name": "陈调解", "agreement-signed": ids},
        follow=True,
    )
    assert "协议内容" in empty.content.decode()
    client.post(
        f"/mediation/cases/{case.pk}/do/agreement/",
        {
            "agreement-terms": "王大明十日内修复防水并承担费用",
            "agreement-mediator_name": "陈调解",
            "agreement-signed": ids,
        },
    )
    assert MediationCase.objects.get().status == "agreed"
    pdf = client.get(f"/mediation/cases/{case.pk}/agreement.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]
    client.post(
        f"/mediation/cases/{case.pk}/do/visit/",
        {
            "visit-visited_on": "2026-12-01",
            "visit-performance": "performed",
            "visit-note": "已修复",
        },
    )
    assert MediationCase.objects.get().status == "closed"


def test_another_station_gets_404(client, centres):  # noqa: F811
    case = new_case(centres)
    client.force_login(centres.other_station_user)
    assert client.get(f"/mediation/cases/{case.pk}/").status_code == 404
    assert client.post(f"/mediation/cases/{case.pk}/do/consent/").status_code == 404


def test_the_township_dashboard_counts_resolved_cases(client, centres):  # noqa: F811
    case = new_case(centres)
    consent_all(centres, case)
    workflow.fire(case, "start", user=centres.station_user)
    client.force_login(centres.township_dispatcher)
    page = client.get("/governance/dashboard/").content.decode()
    assert 'id="mediation"' in page and 'id="warnings"' in page


def test_the_warning_page_lists_open_warnings_by_region(client, world):
    WarningRule.objects.create(
        code="addr", name="同一地址", kind="repeat_address", threshold=2, level="red"
    )
    for _ in range(2):
        new_event(world, address="幸福小区3幢")
    risk_warnings.evaluate()
    client.force_login(world.dispatcher)
    page = client.get("/warnings/").content.decode()
    assert world.township.name in page and "幸福小区3幢" in page
    warning = RiskWarning.objects.get()
    assert "签收预警" in client.get(f"/warnings/{warning.pk}/").content.decode()
    client.post(f"/warnings/{warning.pk}/transitions/acknowledge/")
    assert RiskWarning.objects.get().status == "acknowledged"
    assert client.get("/warnings/all/").status_code == 200


def test_a_partys_contact_is_revealed_only_with_the_right_and_every_read_is_logged(
    client,
    world,
    centres,  # noqa: F811
):
    case = new_case(centres)
    party = case.parties.get(role="respondent")
    party.phone = "13912345678"
    party.save()
    client.force_login(centres.station_user)
    url = f"/mediation/cases/{case.pk}/parties/{party.pk}/reveal/"
    assert "查看完整信息" in client.get(f"/mediation/cases/{case.pk}/").content.decode()
    assert "13912345678" in client.post(url).content.decode()
    assert PartyContactAccess.objects.get().user == centres.station_user
    client.force_login(world.reviewer)
    assert client.get(f"/mediation/cases/{case.pk}/").status_code == 200
    assert client.post(url).status_code == 404
    client.force_login(centres.other_station_user)
    assert client.post(url).status_code == 404
    assert PartyContactAccess.objects.count() == 1


def test_dashboard_figures_are_scoped_and_exported(client, centres):  # noqa: F811
    new_case(centres)
    client.force_login(centres.township_dispatcher)
    export = client.get("/governance/dashboard/?_export=csv").content.decode()
    assert "矛盾纠纷调解,登记纠纷,1" in export
    other = centres.other_station_user.role_assignments.get().region.code[:9] + "000"
    elsewhere = make_user("elsewhere", Role.GOVERNANCE_DISPATCHER, region=other)
    client.force_login(elsewhere)
    assert (
        "矛盾纠纷调解,登记纠纷,0"
        in client.get("/governance/dashboard/?_export=csv").content.decode()
    )
