"""Public verification: number + name or document number + name; no oracle; rate limit."""

from __future__ import annotations

import datetime
import statistics
import time

import pytest
from django.core.cache import cache

from tests.factories import make_person
from tests.skills import builders
from tongban.skills import services

pytestmark = pytest.mark.django_db
API = "/api/public/certificates/verify/"
PUBLIC_FIELDS = {
    "number",
    "name",
    "occupation",
    "level",
    "issuer",
    "issued_on",
    "status",
    "status_label",
}


@pytest.fixture(autouse=True)
def fresh_rate_limit(settings):
    cache.clear()
    settings.TONGBAN_VERIFY_PER_MINUTE = 1000
    yield
    cache.clear()


@pytest.fixture
def certificate(catalogue):
    evaluator = builders.social_evaluator()
    return builders.give_certificate(
        make_person("林工匠"), evaluator, "level3", datetime.date(2026, 11, 30)
    )


def test_verify_by_number_and_name_shows_only_public_fields(client, certificate):
    data = client.get(API, {"number": certificate.number, "name": "林工匠"}).json()
    assert data["found"] is True
    (entry,) = data["certificates"]
    assert set(entry) == PUBLIC_FIELDS
    assert entry["level"] == "三级/高级工" and entry["issuer"] == "湖州市技能评价中心"
    assert certificate.person.document_number not in str(data)


def test_verify_by_document_number_and_name(client, certificate):
    data = client.get(
        API, {"document_number": certificate.person.document_number, "name": "林工匠"}
    ).json()
    assert [c["number"] for c in data["certificates"]] == [certificate.number]


def test_a_revoked_certificate_shows_as_revoked(client, certificate):
    services.revoke_certificate(certificate, user=builders.hr_officer("hr_r"), reason="撤销")
    data = client.get(API, {"number": certificate.number, "name": "林工匠"}).json()
    assert data["certificates"][0]["status_label"] == "已撤销"


def test_not_found_and_name_mismatch_give_the_same_answer_shape_and_timing(client, certificate):
    def ask(params):
        started = time.perf_counter()
        response = client.get(API, params)
        return response, time.perf_counter() - started

    missing, _ = ask({"number": "S" + "9" * 21, "name": "林工匠"})
    wrong_name, _ = ask({"number": certificate.number, "name": "林冒名"})
    assert missing.status_code == wrong_name.status_code == 200
    assert missing.content == wrong_name.content
    assert sorted(missing.headers.items()) == sorted(wrong_name.headers.items())
    by_doc_missing, _ = ask({"document_number": "330502199001010000", "name": "林工匠"})
    by_doc_wrong, _ = ask({"document_number": certificate.person.document_number, "name": "林冒名"})
    assert by_doc_missing.content == by_doc_wrong.content == missing.content
    timings_missing = [ask({"number": "S" + "9" * 21, "name": "林工匠"})[1] for _ in range(30)]
    timings_wrong = [ask({"number": certificate.number, "name": "林冒名"})[1] for _ in range(30)]
    a, b = statistics.median(timings_missing), statistics.median(timings_wrong)
    assert abs(a - b) < max(a, b) * 0.5 + 0.002


def test_requests_are_rate_limited_per_client(client, certificate, settings):
    settings.TONGBAN_VERIFY_PER_MINUTE = 3
    statuses = [
        client.get(API, {"number": certificate.number, "name": "林工匠"}).status_code
        for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    other = client.get(
        API, {"number": certificate.number, "name": "林工匠"}, REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 200
    limited = client.get(API, {"number": certificate.number, "name": "林工匠"})
    assert set(limited.json()) == {"found", "certificates", "message"}


def test_the_public_page_answers_without_signing_in(client, certificate):
    page = client.get("/verify/", {"number": certificate.number, "name": "林工匠"}).content.decode()
    assert "林工匠" in page and "三级/高级工" in page
    miss = client.get("/verify/", {"number": certificate.number, "name": "别人"}).content.decode()
    assert "未查询到与所填信息一致的证书" in miss and "三级/高级工" not in miss


def test_the_public_page_checks_a_scanned_payload(client, certificate):
    page = client.get("/verify/", {"payload": certificate.payload}).content.decode()
    assert "有效：签名正确" in page and "林工匠" in page


def test_verification_answers_are_never_cached(client, certificate):
    found = client.get(API, {"number": certificate.number, "name": "林工匠"})
    missing = client.get(API, {"number": certificate.number, "name": "别人"})
    for response in (found, missing):
        assert "no-store" in response["Cache-Control"]
        assert response["Expires"] == "Thu, 01 Jan 1970 00:00:00 GMT"


def test_behind_the_proxy_verification_is_limited_per_forwarded_client(
    client, certificate, settings
):
    settings.TONGBAN_VERIFY_PER_MINUTE = 1
    settings.TONGBAN_BEHIND_PROXY = True
    query = {"number": certificate.number, "name": "林工匠"}
    first = client.get(API, query, HTTP_X_FORWARDED_FOR="10.0.0.1")
    second = client.get(API, query, HTTP_X_FORWARDED_FOR="10.0.0.2")
    assert (first.status_code, second.status_code) == (200, 200)
    again = client.get(API, query, HTTP_X_FORWARDED_FOR="10.0.0.1")
    assert again.status_code == 429
    assert 1 <= int(again["Retry-After"]) <= 60
    page = client.get("/verify/", query, HTTP_X_FORWARDED_FOR="10.0.0.1")
    assert page.status_code == 429 and "查询过于频繁" in page.content.decode()
    assert 1 <= int(page["Retry-After"]) <= 60
