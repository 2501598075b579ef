"""Open311 GeoReport v2 conformance, in JSON and XML, validated against JSON Schemas written
from the specification (tests/governance/schemas/)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry, Resource

from tests.governance.conftest import fire, new_event, to_state
from tongban.governance.models import Event, Open311Client

pytestmark = pytest.mark.django_db
SCHEMAS = Path(__file__).parent / "schemas"
BASE = "/open311/v2"


def _registry() -> Registry:
    resources = [
        (p.name, Resource.from_contents(json.loads(p.read_text(encoding="utf-8"))))
        for p in SCHEMAS.glob("*.json")
    ]
    return Registry().with_resources(resources)


REGISTRY = _registry()


def validate(document: object, schema: str) -> None:
    contents = json.loads((SCHEMAS / f"{schema}.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(
        contents, registry=REGISTRY, format_checker=jsonschema.FormatChecker()
    )
    validator.validate(document)


def xml(response) -> ET.Element:
    assert response["Content-Type"].startswith("text/xml")
    return ET.fromstring(response.content)  # noqa: S314 (our own output)


@pytest.fixture
def client_key(world) -> str:
    Open311Client.objects.create(name="浙里办", api_key="k-123456")
    return "k-123456"


def post(client, fmt: str, world, **fields):
    data = {
        "api_key": "k-123456",
        "service_code": world.fire_exit.code,
        "address_id": world.village.code,
        "address_string": "幸福小区3幢",
        "lat": "30.870000",
        "long": "120.100000",
        "description": "楼道堆放杂物",
        "first_name": "小明",
        "last_name": "王",
        "phone": "13812345678",
    }
    data.update(fields)
    return client.post(f"{BASE}/requests.{fmt}", data)


def test_discovery_in_both_formats(client, world):
    response = client.get(f"{BASE}/discovery.json")
    assert response.status_code == 200
    validate(response.json(), "discovery")
    root = xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    assert root.find("endpoints/endpoint/specification").text.endswith("GeoReport_v2")
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "text/xml",
        "application/json",
    ]


def test_services_list_the_active_categories(client, world):
    document = client.get(f"{BASE}/services.json").json()
    validate(document, "services")
    assert [s["service_code"] for s in document] == ["04", "04.01", "06"]
    root = xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    assert root.find("service/metadata").text == "false"
    assert [s.find("service_code").text for s in root.findall("service")] == ["04", "04.01", "06"]


def test_service_definition_and_unknown_service_is_404(client, world):
    document = client.get(f"{BASE}/services/04.01.json").json()
    validate(document, "service-definition")
    assert xml(client.get(f"{BASE}/services/04.01.xml")).find("service_code").text == "04.01"
    missing = client.get(f"{BASE}/services/99.json")
    assert missing.status_code == 404
    validate(missing.json(), "errors")
    root = xml(client.get(f"{BASE}/services/99.xml"))
    assert (root.tag, root.find("error/code").text) == ("errors", "404")


def test_post_request_creates_an_event_and_the_token_finds_it(client, world, client_key):
    response = post(client, "json", world)
    assert response.status_code == 200
    body = response.json()
    validate(body, "post-request-response")
    event = Event.objects.get(code=body[0]["service_request_id"])
    assert (event.channel, event.status, event.reporter_name) == ("open311", "reported", "王小明")
    token = client.get(f"{BASE}/tokens/{body[0]['token']}.json")
    validate(token.json(), "token")
    assert token.json()[0]["service_request_id"] == event.code
    root = xml(post(client, "xml", world))
    assert root.tag == "service_requests" and root.find("request/service_request_id").text


def test_post_without_a_valid_api_key_is_403(client, world, client_key):
    for fmt in ("json", "xml"):
        response = post(client, fmt, world, api_key="wrong")
        assert response.status_code == 403
    validate(post(client, "json", world, api_key="").json(), "errors")
    assert not Event.objects.exists()


def test_post_with_unknown_service_code_is_400(client, world, client_key):
    response = post(client, "json", world, service_code="77")
    assert response.status_code == 400
    validate(response.json(), "errors")
    assert "service_code" in response.json()[0]["description"]
    assert xml(post(client, "xml", world, service_code="77")).find("error/code").text == "400"


def test_post_outside_the_jurisdiction_is_400_and_nothing_is_saved(client, world, client_key):
    from tests.factories import NANXUN, WUXING, village_of
    from tongban.governance.models import Jurisdiction

    Jurisdiction.objects.all().delete()
    Jurisdiction.objects.create(jurisdiction_id="wuxing", region_id=WUXING)
    response = post(client, "json", world, address_id=village_of(NANXUN).code)
    assert response.status_code == 400
    validate(response.json(), "errors")
    assert "不在本平台管辖范围" in response.json()[0]["description"]
    unknown = post(client, "json", world, address_id="110101001001")
    assert unknown.status_code == 400
    assert not Event.objects.exists()


def test_requests_map_states_to_open_and_closed_with_notes(client, world):
    open_event = to_state(world, new_event(world), "dispatched")
    closed_event = to_state(world, new_event(world), "closed")
    cancelled = fire(world, new_event(world), "cancel", "dispatcher", "误报", cancel_kind="invalid")
    document = client.get(f"{BASE}/requests.json").json()
    validate(document, "requests")
    by_id = {r["service_request_id"]: r for r in document}
    assert by_id[open_event.code]["status"] == "open"
    assert by_id[open_event.code]["agency_responsible"] == world.village_unit.name
    assert by_id[closed_event.code]["status"] == "closed"
    assert by_id[cancelled.code]["status"] == "closed"
    assert "作废" in by_id[cancelled.code]["status_notes"]
    assert "王" not in json.dumps(document, ensure_ascii=False)  # no reporter names
    root = xml(client.get(f"{BASE}/requests.xml"))
    assert {r.find("status").text for r in root.findall("request")} == {"open", "closed"}


def test_requests_filters_and_default_window(client, world):
    from datetime import timedelta

    from django.utils import timezone

    recent = new_event(world)
    old = new_event(world)
    Event.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=91))
    other = new_event(world, category=world.hazards)
    codes = {r["service_request_id"] for r in client.get(f"{BASE}/requests.json").json()}
    assert codes == {recent.code, other.code}
    filtered = client.get(f"{BASE}/requests.json", {"service_code": "04.01", "status": "open"})
    assert [r["service_request_id"] for r in filtered.json()] == [recent.code]
    by_id = client.get(f"{BASE}/requests.json", {"service_request_id": f"{old.code},{other.code}"})
    assert {r["service_request_id"] for r in by_id.json()} == {old.code, other.code}
    bad = client.get(f"{BASE}/requests.json", {"status": "pending"})
    assert bad.status_code == 400
    validate(bad.json(), "errors")


def test_request_detail_and_unknown_id_is_404(client, world):
    event = new_event(world)
    document = client.get(f"{BASE}/requests/{event.code}.json").json()
    validate(document, "requests")
    assert document[0]["service_request_id"] == event.code
    root = xml(client.get(f"{BASE}/requests/{event.code}.xml"))
    assert root.find("request/status").text == "open"
    assert client.get(f"{BASE}/requests/NOPE.json").status_code == 404
    assert client.get(f"{BASE}/tokens/NOPE.xml").status_code == 404


def test_jurisdiction_id_is_accepted_and_an_unknown_one_is_404(client, world):
    assert (
        client.get(f"{BASE}/services.json", {"jurisdiction_id": "huzhou.gov.cn"}).status_code == 200
    )
    response = client.get(f"{BASE}/services.json", {"jurisdiction_id": "elsewhere"})
    assert response.status_code == 404
    validate(response.json(), "errors")


def test_post_keeps_the_clients_media_url_and_publishes_it(client, world, client_key):
    photo = "https://app.example.cn/uploads/fire-exit.jpg"
    body = post(client, "json", world, media_url=photo).json()
    event = Event.objects.get(code=body[0]["service_request_id"])
    assert event.media_url == photo
    document = client.get(f"{BASE}/requests/{event.code}.json").json()
    validate(document, "requests")
    assert document[0]["media_url"] == photo
    # without one, the document points to the public status page
    other = post(client, "json", world).json()[0]["service_request_id"]
    plain = client.get(f"{BASE}/requests/{other}.json").json()[0]["media_url"]
    assert plain.endswith(f"/e/{other}/")


def test_post_with_a_media_url_that_is_not_a_web_address_is_400_naming_it(
    client, world, client_key
):
    for bad in ("javascript:alert(1)", "ftp://files.example.cn/a.jpg", "不是地址"):
        response = post(client, "json", world, media_url=bad)
        assert response.status_code == 400
        validate(response.json(), "errors")
        assert response.json()[0]["description"].startswith("media_url")
    assert not Event.objects.exists()
