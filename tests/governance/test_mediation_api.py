"""The mediation and warning API: registration with parties (masked on the way out), the
steps and their refusals, the PDF, figures, scope, warnings' transitions, the schema."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.governance.conftest import new_event
from tests.governance.mediation_world import centres, new_case  # noqa: F401
from tongban.governance import risk_warnings
from tongban.governance.models import MediationCase, RiskWarning, WarningRule

pytestmark = pytest.mark.django_db
URL = "/api/governance/mediation-cases/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def body(c, **kw):
    data = {
        "centre": c.station.pk,
        "region": c.village.code,
        "channel": "dispute_qr",
        "kind": "neighbour",
        "title": "噪音纠纷",
        "description": "夜间装修噪音",
        "mediators": [c.mediator.pk],
        "parties": [
            {"role": "applicant", "name": "赵一", "phone": "13812345678"},
            {"role": "respondent", "name": "钱二"},
        ],
    }
    data.update(kw)
    return data


def test_a_case_is_registered_through_the_api_and_read_back_masked(centres):  # noqa: F811
    response = api(centres.station_user).post(URL, body(centres), format="json")
    assert response.status_code == 201, response.content
    assert response.data["status"] == "registered"
    assert response.data["parties"][0]["phone"] == "138****5678"
    party = response.data["parties"][0]["id"]
    revealed = api(centres.station_user).post(
        f"{URL}{response.data['id']}/reveal-party/", {"party": party}
    )
    assert revealed.status_code == 200 and revealed.data["phone"] == "13812345678"


def test_a_case_through_the_api_runs_to_the_return_visit(centres):  # noqa: F811
    client = api(centres.station_user)
    case = client.post(URL, body(centres), format="json").data
    url = f"{URL}{case['id']}/"
    for party in case["parties"]:
        assert (
            client.post(f"{url}consent/", {"party": party["id"], "consent": True}).status_code
            == 200
        )
    refused = client.post(f"{url}transitions/agree/", {}, format="json")
    assert refused.status_code == 400
    assert client.post(f"{url}transitions/start/", {}, format="json").data["status"] == "mediating"
    no_terms = client.post(
        f"{url}agreement/",
        {
            "terms": "",
            "mediator_name": "陈调解",
            "signed_parties": [p["id"] for p in case["parties"]],
        },
        format="json",
    )
    assert no_terms.status_code == 400 and "terms" in no_terms.data
    agreed = client.post(
        f"{url}agreement/",
        {
            "terms": "夜间22点后停止施工",
            "mediator_name": "陈调解",
            "signed_parties": [p["id"] for p in case["parties"]],
        },
        format="json",
    )
    assert agreed.data["status"] == "agreed" and agreed.data["agreement"]["confirmation_due"]
    pdf = client.get(f"{url}agreement-pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    visited = client.post(f"{url}return-visit/", {"performance": "performed"}, format="json")
    assert visited.data["status"] == "closed"
    figures = client.get(f"{URL}figures/").data
    assert (figures["registered"], figures["resolved"]) == (1, 1)


def test_a_refusal_without_reason_answers_400_naming_the_field(centres):  # noqa: F811
    case = new_case(centres)
    party = case.parties.first()
    response = api(centres.station_user).post(
        f"{URL}{case.pk}/consent/", {"party": party.pk, "consent": False}
    )
    assert response.status_code == 400 and "refusal_reason" in response.data


def test_another_station_gets_404(centres):  # noqa: F811
    case = new_case(centres)
    client = api(centres.other_station_user)
    assert client.get(f"{URL}{case.pk}/").status_code == 404
    assert client.get(URL).data["count"] == 0


def test_warnings_through_the_api(world):
    WarningRule.objects.create(
        code="addr", name="同一地址", kind="repeat_address", threshold=2, level="blue"
    )
    for _ in range(2):
        new_event(world, address="幸福小区3幢")
    risk_warnings.evaluate()
    warning = RiskWarning.objects.get()
    client = api(world.dispatcher)
    listed = client.get("/api/governance/warnings/?status=open")
    assert listed.data["count"] == 1 and listed.data["results"][0]["rule"] == "addr"
    by_region = client.get("/api/governance/warnings/by-region/").data
    assert by_region[0]["counts"]["blue"] == 1 and by_region[0]["name"] == world.township.name
    closed = client.post(
        f"/api/governance/warnings/{warning.pk}/transitions/close/", {"reason": "已处置"}
    )
    assert closed.status_code == 200 and closed.data["status"] == "closed"
    assert client.get("/api/governance/warning-rules/").data["count"] == 1


def test_the_schema_lists_mediation_and_warnings(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert "/api/governance/mediation-cases/{id}/agreement/" in paths
    assert "/api/governance/warnings/{id}/transitions/{transition}/" in paths
    assert MediationCase.objects.count() == 0
