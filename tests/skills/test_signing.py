"""Signed e-certificates: Ed25519 over the content, key ids and rotation, PDF with QR,
and the offline ``verify-certificate`` command."""

from __future__ import annotations

import base64
import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import make_person, make_user
from tests.skills import builders
from tongban.core.permissions import Role
from tongban.skills import services, signing
from tongban.skills.pdf import payload_from_pdf, render

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 30)


@pytest.fixture
def certificate(catalogue):
    evaluator = builders.social_evaluator()
    return builders.give_certificate(make_person("林工匠"), evaluator, "level3", DAY)


def _tamper(payload: str, **changes: str) -> str:
    scheme, body, key_id, signature = payload.split(".")
    content = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    content.update(changes)
    raw = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    new_body = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    return f"{scheme}.{new_body}.{key_id}.{signature}"


def test_a_signed_certificate_verifies_as_valid(certificate):
    verdict = signing.verify(certificate.payload)
    assert verdict.status == "valid"
    assert verdict.content["name"] == "林工匠" and verdict.content["number"] == certificate.number


def test_a_signature_over_altered_content_is_refused_as_tampered(certificate):
    forged = _tamper(certificate.payload, level="一级/高级技师")
    verdict = signing.verify(forged)
    assert verdict.status == "tampered"
    assert verdict.message == "内容被篡改：签名与内容不符"


def test_a_revoked_certificate_verifies_as_revoked(certificate):
    services.revoke_certificate(certificate, user=builders.hr_officer("hr_x"), reason="撤销")
    assert signing.verify(certificate.payload).status == "revoked"


def test_key_rotation_keeps_old_certificates_verifiable(certificate):
    old_key = certificate.payload.split(".")[2]
    new = signing.rotate_key()
    assert new.key_id != old_key
    later = builders.give_certificate(make_person("新学员"), certificate.issuer, "level3", DAY)
    assert later.payload.split(".")[2] == new.key_id
    assert signing.verify(certificate.payload).status == "valid"
    assert signing.verify(later.payload).status == "valid"
    keys = {k["key_id"]: k for k in signing.published_keys()}
    assert keys[old_key]["active"] is False and keys[new.key_id]["active"] is True


def test_public_keys_are_published_at_a_fixed_url(client, certificate):
    data = client.get("/certificates/keys.json").json()
    assert data["algorithm"] == "Ed25519"
    assert data["keys"][0]["key_id"] == certificate.payload.split(".")[2]


def test_an_unknown_key_or_garbage_is_not_valid(certificate):
    scheme, body, _key, sig = certificate.payload.split(".")
    assert signing.verify(f"{scheme}.{body}.kunknown.{sig}").status == "unknown_key"
    assert signing.verify("hello").status == "malformed"


def test_the_pdf_carries_chinese_text_and_the_payload(certificate):
    data = render(certificate)
    assert data.startswith(b"%PDF")
    assert b"STSong-Light" in data
    assert payload_from_pdf(data) == certificate.payload


def test_verify_command_checks_a_payload_offline(certificate):
    out = io.StringIO()
    call_command("verify_certificate", certificate.payload, stdout=out)
    assert out.getvalue().startswith("valid: ")


def test_verify_command_checks_a_pdf_file(certificate, tmp_path):
    path = tmp_path / "cert.pdf"
    path.write_bytes(render(certificate))
    out = io.StringIO()
    call_command("verify_certificate", str(path), stdout=out)
    assert "林工匠" in out.getvalue()


def test_verify_command_says_tampered_and_fails(certificate):
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_certificate", _tamper(certificate.payload, name="张冒名"), stdout=out)
    assert out.getvalue().startswith("tampered")


def test_verify_command_uses_a_published_key_file(certificate, tmp_path):
    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps({"keys": signing.published_keys()}))
    out = io.StringIO()
    call_command(
        "verify_certificate", certificate.payload, keys=str(keys), signature_only=True, stdout=out
    )
    assert out.getvalue().startswith("valid")


def test_certificate_pdf_is_downloadable_by_those_who_may_see_it(client, certificate):
    client.force_login(make_user("hr", Role.HR_OFFICER, region="330500000000"))
    response = client.get(f"/skills/certificates/{certificate.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    client.force_login(make_user("hr2", Role.HR_OFFICER, region="330503000000"))
    assert client.get(f"/skills/certificates/{certificate.pk}/pdf/").status_code == 404
