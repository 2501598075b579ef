"""Per-client limits on the public governance endpoints (Open311 reads, the status page),
and what those endpoints tell the public: no reporter's name or phone, and one answer for
every kind of "not found"."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from tests.governance.conftest import new_event, to_state
from tests.governance.test_open311 import BASE, post, validate, xml
from tongban.core import ratelimit
from tongban.governance.models import Event, Open311Client

pytestmark = pytest.mark.django_db
LIMITED = "查询过于频繁，请稍后再试"
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


@pytest.fixture
def client_key(world) -> str:
    Open311Client.objects.create(name="浙里办", api_key="k-123456")
    return "k-123456"


def without_csrf(page: bytes) -> str:
    """A page with its per-response CSRF token values blanked (they differ every time)."""
    text = page.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "csrf", text)
    return re.sub(r'"X-CSRFToken": "[^"]*"', "csrf", text)


# --- Open311 reads ---------------------------------------------------------------------------


def test_open311_reads_over_the_limit_answer_429_with_the_error_document_in_json(
    client, world, settings
):
    settings.TONGBAN_OPEN311_READ_LIMIT = 3
    event = new_event(world)
    statuses = [
        client.get(f"{BASE}/discovery.json").status_code,
        client.get(f"{BASE}/services.xml").status_code,
        client.get(f"{BASE}/requests/{event.code}.json").status_code,
    ]
    assert statuses == [200, 200, 200]
    refused = client.get(f"{BASE}/requests.json")
    assert refused.status_code == 429
    validate(refused.json(), "errors")
    assert refused.json() == [{"code": 429, "description": LIMITED}]
    assert 1 <= int(refused["Retry-After"]) <= 60


def test_open311_reads_over_the_limit_answer_429_with_the_error_document_in_xml(
    client, world, settings
):
    settings.TONGBAN_OPEN311_READ_LIMIT = 1
    assert client.get(f"{BASE}/services.xml").status_code == 200
    refused = client.get(f"{BASE}/tokens/anything.xml")
    assert refused.status_code == 429
    root = xml(refused)
    assert root.tag == "errors"
    assert [(e.findtext("code"), e.findtext("description")) for e in root] == [("429", LIMITED)]


def test_open311_reads_under_the_limit_answer_200_and_other_clients_are_counted_apart(
    client, world, settings
):
    settings.TONGBAN_OPEN311_READ_LIMIT = 2
    assert [client.get(f"{BASE}/services.json").status_code for _ in range(3)] == [200, 200, 429]
    other = client.get(f"{BASE}/services.json", REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200
    validate(other.json(), "services")


def test_open311_read_limit_has_its_own_window_setting(client, world, settings, monkeypatch):
    settings.TONGBAN_OPEN311_READ_LIMIT = 1
    settings.TONGBAN_OPEN311_READ_WINDOW_SECONDS = 3600
    clock = [1_800_000_000.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: clock[0])
    assert client.get(f"{BASE}/services.json").status_code == 200
    clock[0] += 120  # a minute-long window would have ended
    refused = client.get(f"{BASE}/services.json")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) == 3600 - 120
    clock[0] += 3600
    assert client.get(f"{BASE}/services.json").status_code == 200


def test_open311_posts_with_an_api_key_are_not_counted_as_reads(
    client, world, settings, client_key
):
    settings.TONGBAN_OPEN311_READ_LIMIT = 1
    assert [post(client, "json", world).status_code for _ in range(3)] == [200, 200, 200]
    assert client.get(f"{BASE}/services.json").status_code == 200
    assert client.get(f"{BASE}/services.json").status_code == 429


def test_open311_reads_with_a_registered_api_key_are_not_limited(
    client, world, settings, client_key
):
    settings.TONGBAN_OPEN311_READ_LIMIT = 1
    keyed = [
        client.get(f"{BASE}/requests.json", {"api_key": client_key}).status_code for _ in range(3)
    ]
    assert keyed == [200, 200, 200]
    unknown_key = [
        client.get(f"{BASE}/requests.json", {"api_key": "guessed"}).status_code for _ in range(2)
    ]
    assert unknown_key == [200, 429]
    Open311Client.objects.filter(api_key=client_key).update(active=False)
    from tongban.core import refcache

    refcache.clear_all()
    deactivated = client.get(f"{BASE}/requests.json", {"api_key": client_key})
    assert deactivated.status_code == 429


def test_open311_read_limit_counts_the_address_the_proxy_appended(client, world, settings):
    settings.TONGBAN_OPEN311_READ_LIMIT = 1
    settings.TONGBAN_BEHIND_PROXY = True
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    first = client.get(f"{BASE}/services.json", HTTP_X_FORWARDED_FOR="10.0.0.1", **proxy)
    second = client.get(f"{BASE}/services.json", HTTP_X_FORWARDED_FOR="10.0.0.2", **proxy)
    assert (first.status_code, second.status_code) == (200, 200)
    # an address the client wrote itself in front of the proxy's changes nothing
    spoofed = client.get(f"{BASE}/services.json", HTTP_X_FORWARDED_FOR="1.1.1.1, 10.0.0.1", **proxy)
    assert spoofed.status_code == 429


def test_a_limit_of_zero_turns_the_open311_read_limit_off(client, world, settings):
    settings.TONGBAN_OPEN311_READ_LIMIT = 0
    assert {client.get(f"{BASE}/services.json").status_code for _ in range(5)} == {200}
    assert ratelimit.count("open311-read", "127.0.0.1") == 0


# --- the public status page ------------------------------------------------------------------


def test_status_page_over_the_limit_answers_429_with_a_chinese_message(client, world, settings):
    settings.TONGBAN_STATUS_PAGE_LIMIT = 2
    event = new_event(world)
    statuses = [client.get(f"/e/{event.code}/").status_code for _ in range(2)]
    assert statuses == [200, 200]
    refused = client.get(f"/e/{event.code}/")
    assert refused.status_code == 429
    assert LIMITED in refused.content.decode()
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert client.get(f"/e/{event.code}/", REMOTE_ADDR="10.7.7.7").status_code == 200


def test_status_page_limit_counts_unknown_codes_and_refuses_them_alike(client, world, settings):
    settings.TONGBAN_STATUS_PAGE_LIMIT = 3
    event = new_event(world)
    guesses = [client.get(f"/e/20260101ZZZZZZ{n:02d}/").status_code for n in range(3)]
    assert guesses == [404, 404, 404]
    known = client.get(f"/e/{event.code}/")
    unknown = client.get("/e/20260101ZZZZZZ99/")
    assert known.status_code == unknown.status_code == 429
    # the pages differ only in the path the language switch returns to
    assert without_csrf(known.content).replace(event.code, "CODE") == without_csrf(
        unknown.content
    ).replace("20260101ZZZZZZ99", "CODE")


def test_status_page_rating_attempts_count_against_the_limit(client, world, settings):
    settings.TONGBAN_STATUS_PAGE_LIMIT = 2
    event = to_state(world, new_event(world), "closed")
    for guess in ("wrong-1", "wrong-2"):
        client.post(f"/e/{event.code}/", {"t": guess, "satisfaction": "satisfied"})
    refused = client.post(f"/e/{event.code}/", {"t": event.token, "satisfaction": "satisfied"})
    assert refused.status_code == 429
    assert Event.objects.get(pk=event.pk).satisfaction == ""


def test_status_page_for_unknown_malformed_and_miscased_codes_is_one_answer(client, world):
    event = new_event(world)
    answers = [
        client.get(f"/e/{code}/")
        for code in ("20260101ZZZZZZZZ", "x", event.code.lower(), event.code + "A")
    ]
    assert {a.status_code for a in answers} == {404}
    assert len({a.content for a in answers}) == 1
    assert event.code not in answers[0].content.decode()


def test_status_page_with_a_wrong_token_is_the_page_without_a_token(client, world):
    event = to_state(world, new_event(world), "closed")
    plain = client.get(f"/e/{event.code}/")
    wrong = client.get(f"/e/{event.code}/", {"t": "not-the-token"})
    right = client.get(f"/e/{event.code}/", {"t": event.token})
    assert plain.status_code == wrong.status_code == right.status_code == 200
    assert without_csrf(wrong.content).replace("?t=not-the-token", "") == without_csrf(
        plain.content
    )
    assert 'id="rating"' in right.content.decode() and 'id="rating"' not in plain.content.decode()


# --- no personal data in public answers ------------------------------------------------------


def test_public_answers_carry_no_reporter_name_or_phone(client, world, client_key):
    posted = post(client, "json", world, first_name="小明", last_name="王", phone="13812345678")
    code = posted.json()[0]["service_request_id"]
    token = posted.json()[0]["token"]
    hotline = new_event(
        world, channel="hotline", reporter_name="李四海", reporter_phone="13987654321"
    )
    reporter = Event.objects.get(code=code)
    assert (reporter.reporter_name, reporter.reporter_phone) == ("王小明", "13812345678")
    answers = []
    for fmt in ("json", "xml"):
        for path in (
            f"requests/{code}",
            f"requests/{hotline.code}",
            "requests",
            f"tokens/{token}",
        ):
            response = client.get(f"{BASE}/{path}.{fmt}")
            assert response.status_code == 200
            answers.append(response.content.decode())
    for event in (reporter, hotline):
        answers.append(client.get(f"/e/{event.code}/").content.decode())
    for text in answers:
        for secret in ("王小明", "小明", "13812345678", "李四海", "13987654321", "5678", "4321"):
            assert secret not in text
    (document,) = client.get(f"{BASE}/requests/{code}.json").json()
    assert set(document) == REQUEST_FIELDS
    element = ET.fromstring(client.get(f"{BASE}/requests/{code}.xml").content)  # noqa: S314
    assert {child.tag for child in element.find("request")} == REQUEST_FIELDS


def test_open311_not_found_answers_have_one_shape(client, world):
    event = new_event(world)
    missing = {
        "request": client.get(f"{BASE}/requests/20260101ZZZZZZZZ.json"),
        "miscased request": client.get(f"{BASE}/requests/{event.code.lower()}.json"),
        "token": client.get(f"{BASE}/tokens/not-a-token.json"),
        "service": client.get(f"{BASE}/services/99.99.json"),
    }
    for response in missing.values():
        assert response.status_code == 404
        validate(response.json(), "errors")
        assert [e["code"] for e in response.json()] == [404]
        assert set(response.headers) == set(missing["request"].headers)
    unknown, miscased = missing["request"].json(), missing["miscased request"].json()
    assert unknown[0]["description"].replace("20260101ZZZZZZZZ", "") == miscased[0][
        "description"
    ].replace(event.code.lower(), "")
    root = xml(client.get(f"{BASE}/requests/20260101ZZZZZZZZ.xml"))
    assert [child.tag for child in root] == ["error"]


def test_a_rating_with_a_wrong_token_is_refused_like_one_in_the_wrong_state(client, world):
    closed = to_state(world, new_event(world), "closed")
    still_open = new_event(world)

    def refusal(event: Event, token: str) -> list[str]:
        answer = client.post(
            f"/e/{event.code}/", {"t": token, "satisfaction": "satisfied"}, follow=True
        )
        assert answer.status_code == 200
        return [str(m) for m in answer.context["messages"]]

    wrong_token = refusal(closed, "not-the-token")
    wrong_state = refusal(still_open, still_open.token)
    assert wrong_token == wrong_state and len(wrong_token) == 1
    assert Event.objects.get(pk=closed.pk).satisfaction == ""
