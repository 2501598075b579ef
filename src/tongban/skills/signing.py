"""Ed25519 signatures over certificate content, with key ids and rotation.

A QR payload is ``TBC1.<content>.<key id>.<signature>`` where ``content`` is the
canonical JSON of the printed fields (base64url) and the signature covers
``TBC1.<content>.<key id>``. Public keys are published at ``/certificates/keys.json``;
retired keys keep verifying the certificates they signed. Private keys live in the
data directory (``signing/<key id>.key``), never in the database.
"""

from __future__ import annotations

import base64
import datetime
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tongban.skills.models import Certificate, CertificateStatus, SigningKey

SCHEME = "TBC1"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def key_dir() -> Path:
    return Path(settings.DATA_DIR) / "signing"


def _private_path(key_id: str) -> Path:
    return key_dir() / f"{key_id}.key"


def rotate_key() -> SigningKey:
    """Make a new active key; the previous one is retired but still verifies."""
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    key_id = "k" + timezone.now().strftime("%Y%m%d%H%M%S%f")[:17]
    key_dir().mkdir(parents=True, exist_ok=True)
    path = _private_path(key_id)
    raw = private.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(raw)
    with transaction.atomic():
        SigningKey.objects.filter(active=True).update(active=False, retired_at=timezone.now())
        return SigningKey.objects.create(key_id=key_id, public_key=_b64(public), active=True)


def active_key() -> tuple[SigningKey, Ed25519PrivateKey]:
    key = SigningKey.objects.filter(active=True).first()
    if key is None or not _private_path(key.key_id).exists():
        key = rotate_key()
    private = Ed25519PrivateKey.from_private_bytes(_private_path(key.key_id).read_bytes())
    return key, private


def content_of(certificate: Certificate) -> dict[str, str]:
    """What the certificate says (and what the signature covers)."""
    return {
        "number": certificate.number,
        "name": certificate.holder_name,
        "occupation_code": certificate.occupation.code,
        "occupation": certificate.occupation.name,
        "level": str(certificate.level),
        "issuer": certificate.issuer.organization.name,
        "issued_on": certificate.issued_on.isoformat(),
    }


def sign(content: dict[str, str]) -> str:
    key, private = active_key()
    body = _b64(
        json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    )
    signed = f"{SCHEME}.{body}.{key.key_id}"
    return f"{signed}.{_b64(private.sign(signed.encode('ascii')))}"


def published_keys() -> list[dict[str, Any]]:
    return [
        {
            "key_id": k.key_id,
            "algorithm": "Ed25519",
            "public_key": k.public_key,
            "active": k.active,
            "created_at": k.created_at.isoformat(),
            "retired_at": k.retired_at.isoformat() if k.retired_at else None,
        }
        for k in SigningKey.objects.order_by("created_at")
    ]


@dataclass
class Verdict:
    status: str  # valid / tampered / revoked / unknown_key / malformed / not_in_register
    message: str
    content: dict[str, str] | None = None
    checked_at: datetime.datetime | None = None


MESSAGES = {
    "valid": "有效：签名正确，证书在登记库中为有效状态",
    "tampered": "内容被篡改：签名与内容不符",
    "revoked": "已撤销：签名正确，但证书已于登记库中撤销",
    "unknown_key": "无法核验：签名密钥不在已发布的公钥中",
    "malformed": "无法识别：不是本平台的电子证书内容",
    "not_in_register": "签名正确，但本地登记库中没有该证书（请同步后再查）",
}


def verify(
    payload: str, keys: dict[str, str] | None = None, *, check_register: bool = True
) -> Verdict:
    """Check a QR payload offline: the signature against the published keys (``keys``:
    key id → base64 public key, default the local copy), then the local register's status."""
    payload = payload.strip()
    parts = payload.split(".")
    if len(parts) != 4 or parts[0] != SCHEME:
        return Verdict("malformed", MESSAGES["malformed"])
    _scheme, body, key_id, signature = parts
    if keys is None:
        keys = dict(SigningKey.objects.values_list("key_id", "public_key"))
    if key_id not in keys:
        return Verdict("unknown_key", MESSAGES["unknown_key"])
    public = Ed25519PublicKey.from_public_bytes(_unb64(keys[key_id]))
    try:
        public.verify(_unb64(signature), f"{SCHEME}.{body}.{key_id}".encode("ascii"))
        content = json.loads(_unb64(body))
    except (InvalidSignature, ValueError):
        return Verdict("tampered", MESSAGES["tampered"])
    if not check_register:
        return Verdict("valid", "签名正确", content)
    cert = Certificate.objects.filter(number=content.get("number", "")).first()
    now = timezone.now()
    if cert is None:
        return Verdict("not_in_register", MESSAGES["not_in_register"], content, now)
    if cert.payload != payload:
        return Verdict("tampered", MESSAGES["tampered"], content, now)
    if cert.status == CertificateStatus.REVOKED:
        return Verdict("revoked", MESSAGES["revoked"], content, now)
    return Verdict("valid", MESSAGES["valid"], content, now)
