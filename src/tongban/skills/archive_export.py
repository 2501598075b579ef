"""The archive exported: signed JSON that anyone can check offline, and a PDF.

The JSON document is ``{"format", "algorithm", "key_id", "content", "signature"}``;
the signature is Ed25519 over the canonical JSON of ``content`` (sorted keys, no
spaces, UTF-8), made with the platform's active certificate signing key
(``skills/signing.py``: same key ids, same rotation, same published keys). The PDF
carries the same signed document, so ``tongban verify-archive`` checks either file.
"""

from __future__ import annotations

import base64
import datetime
import io
import json
import re
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from tongban.core.masking import mask_document_number, mask_social_security_card
from tongban.core.models import Person
from tongban.skills.archive import ArchiveEntry, archive_for, kind_label
from tongban.skills.models import SigningKey
from tongban.skills.pdf import FONT, _font
from tongban.skills.signing import _b64, _unb64, active_key

FORMAT = "tongban-archive/1"
PDF_MARK = "TBA1:"
PDF_RE = re.compile(rb"TBA1:([A-Za-z0-9_\-]+)")


def canonical(content: dict[str, Any]) -> bytes:
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def content_of(person: Person, entries: list[ArchiveEntry] | None = None) -> dict[str, Any]:
    """What the export says: the person (ID numbers masked) and the timeline."""
    entries = archive_for(person) if entries is None else entries
    return {
        "person": {
            "name": person.name,
            "document_number": mask_document_number(person.document_number),
            "social_security_card_number": mask_social_security_card(
                person.social_security_card_number
            ),
        },
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "entries": [
            {
                "on": e.on.isoformat(),
                "kind": e.kind,
                "title": e.title,
                "detail": e.detail,
                "source": e.source,
            }
            for e in entries
        ],
    }


def signed_document(person: Person) -> dict[str, Any]:
    content = content_of(person)
    key, private = active_key()
    return {
        "format": FORMAT,
        "algorithm": "Ed25519",
        "key_id": key.key_id,
        "content": content,
        "signature": _b64(private.sign(canonical(content))),
    }


def signed_json(person: Person) -> bytes:
    return json.dumps(signed_document(person), ensure_ascii=False, indent=2).encode()


@dataclass(frozen=True)
class ArchiveVerdict:
    status: str  # valid / tampered / unknown_key / malformed
    message: str
    content: dict[str, Any] | None = None


MESSAGES = {
    "valid": "有效：签名正确，档案内容未被改动",
    "tampered": "内容被篡改：签名与内容不符",
    "unknown_key": "无法核验：签名密钥不在已发布的公钥中",
    "malformed": "无法识别：不是本平台导出的签名档案",
}


def verify_document(document: Any, keys: dict[str, str] | None = None) -> ArchiveVerdict:
    """Check a signed archive offline against the published keys (``keys``: key id →
    base64 public key; default the local key table)."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        return ArchiveVerdict("malformed", MESSAGES["malformed"])
    content = document.get("content")
    key_id = document.get("key_id")
    signature = document.get("signature")
    if not isinstance(content, dict) or not isinstance(signature, str):
        return ArchiveVerdict("malformed", MESSAGES["malformed"])
    if keys is None:
        keys = dict(SigningKey.objects.values_list("key_id", "public_key"))
    if key_id not in keys:
        return ArchiveVerdict("unknown_key", MESSAGES["unknown_key"])
    public = Ed25519PublicKey.from_public_bytes(_unb64(keys[str(key_id)]))
    try:
        public.verify(_unb64(signature), canonical(content))
    except (InvalidSignature, ValueError):
        return ArchiveVerdict("tampered", MESSAGES["tampered"], content)
    return ArchiveVerdict("valid", MESSAGES["valid"], content)


def document_from_bytes(data: bytes) -> Any:
    """The signed document in a JSON file or embedded in an archive PDF (None if neither)."""
    match = PDF_RE.search(data)
    if data.lstrip().startswith(b"%PDF"):
        if match is None:
            return None
        data = base64.urlsafe_b64decode(match.group(1) + b"=" * (-len(match.group(1)) % 4))
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


# --- PDF ---------------------------------------------------------------------------------------


def _wrap(text: str, width: int) -> list[str]:
    """Split text into lines of at most ``width`` characters (Chinese has no spaces)."""
    return [text[i : i + width] for i in range(0, len(text), width)] or [""]


def render_pdf(person: Person) -> bytes:
    _font()
    document = signed_document(person)
    content = document["content"]
    buffer = io.BytesIO()
    width, height = A4
    c = canvas.Canvas(buffer, pagesize=A4, pageCompression=0)
    c.setTitle(f"终身职业技能培训电子档案 {person.name}")
    embedded = _b64(json.dumps(document, ensure_ascii=False).encode())
    c.setKeywords(PDF_MARK + embedded)
    c.setFont(FONT, 20)
    c.drawCentredString(width / 2, height - 25 * mm, "终身职业技能培训电子档案")
    c.setFont(FONT, 11)
    y = height - 38 * mm
    who = content["person"]
    for line in (
        f"姓名：{who['name']}",
        f"证件号码：{who['document_number']}    社会保障卡号：{who['social_security_card_number'] or '—'}",
        f"生成时间：{content['generated_at']}    签名密钥：{document['key_id']}",
    ):
        c.drawString(20 * mm, y, line)
        y -= 7 * mm
    y -= 3 * mm
    for entry in content["entries"]:
        lines = _wrap(f"{entry['title']}", 40) + _wrap(entry["detail"], 46)
        needed = 6 * mm * len(lines) + 4 * mm
        if y - needed < 20 * mm:
            c.showPage()
            c.setFont(FONT, 11)
            y = height - 20 * mm
        c.setFont(FONT, 10)
        c.drawString(20 * mm, y, entry["on"])
        c.drawString(45 * mm, y, kind_label(entry["kind"]))
        for i, line in enumerate(lines):
            c.setFont(FONT, 11 if i == 0 else 9)
            c.drawString(80 * mm, y, line)
            y -= 6 * mm
        y -= 4 * mm
    if not content["entries"]:
        c.drawString(20 * mm, y, "暂无记录")
    c.setFont(FONT, 8)
    c.drawString(
        20 * mm,
        12 * mm,
        "本档案附带平台签名，可用 tongban verify-archive 离线核验（公钥见 /certificates/keys.json）",
    )
    c.showPage()
    c.save()
    return buffer.getvalue()


def filename(person: Person, ext: str) -> str:
    return f"archive-{person.pk}-{datetime.date.today():%Y%m%d}.{ext}"  # noqa: DTZ011
