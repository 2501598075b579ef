"""The e-certificate as PDF: Chinese text (reportlab's built-in STSong-Light CID font, no
font file needed) and a QR code (segno) holding the signed payload, which is also
stored in the PDF's Subject so ``tongban verify-certificate FILE`` can read it back."""

from __future__ import annotations

import io
import re

import segno
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from tongban.skills.models import Certificate, CertificateStatus
from tongban.skills.signing import SCHEME

FONT = "STSong-Light"
PAYLOAD_RE = re.compile(
    rb"(" + SCHEME.encode() + rb"\.[A-Za-z0-9_\-]+\.[A-Za-z0-9]+\.[A-Za-z0-9_\-]+)"
)


def _font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _qr(c: canvas.Canvas, payload: str, x: float, y: float, size: float) -> None:
    qr = segno.make(payload, error="m", micro=False)
    rows = list(qr.matrix_iter(scale=1, border=2))
    cell = size / len(rows)
    c.setFillColorRGB(0, 0, 0)
    for r, row in enumerate(rows):
        for col, dark in enumerate(row):
            if dark:
                c.rect(x + col * cell, y + size - (r + 1) * cell, cell, cell, stroke=0, fill=1)


def render(certificate: Certificate) -> bytes:
    _font()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    c = canvas.Canvas(buffer, pagesize=(width, height), pageCompression=0)
    c.setTitle(f"职业技能等级证书 {certificate.number}")
    c.setSubject(certificate.payload)
    c.setFont(FONT, 28)
    c.drawCentredString(width / 2, height - 40 * mm, "职业技能等级证书")
    rows = [
        ("姓名", certificate.holder_name),
        ("职业（工种）", f"{certificate.occupation.code} {certificate.occupation.name}"),
        ("技能等级", str(certificate.level)),
        ("证书编号", certificate.number),
        ("发证机构", certificate.issuer.organization.name),
        ("发证日期", certificate.issued_on.strftime("%Y-%m-%d")),
    ]
    c.setFont(FONT, 14)
    y = height - 65 * mm
    for label, value in rows:
        c.drawString(35 * mm, y, f"{label}：{value}")
        y -= 11 * mm
    if certificate.status == CertificateStatus.REVOKED:
        c.setFillColorRGB(0.7, 0, 0)
        c.setFont(FONT, 20)
        c.drawString(35 * mm, y - 5 * mm, "本证书已撤销")
        c.setFillColorRGB(0, 0, 0)
    _qr(c, certificate.payload, width - 95 * mm, 30 * mm, 65 * mm)
    c.setFont(FONT, 9)
    c.drawString(width - 95 * mm, 24 * mm, "扫码或在 /verify/ 核验本证书")
    c.showPage()
    c.save()
    return buffer.getvalue()


def payload_from_pdf(data: bytes) -> str | None:
    match = PAYLOAD_RE.search(data)
    return match.group(1).decode("ascii") if match else None
