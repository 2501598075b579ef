"""The 人民调解协议书 as PDF, in Chinese with reportlab's built-in STSong-Light CID font
(no font file needed). Parties' ID numbers and phones are printed masked; the signature
lines show when each party and the mediator signed."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from tongban.core.masking import mask_document_number, mask_phone
from tongban.governance.models import MediationAgreement

FONT = "STSong-Light"
LINE = 7 * mm


def _font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _wrap(text: str, width: float, size: float) -> list[str]:
    """Break Chinese text into lines that fit ``width`` (character by character)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for char in paragraph:
            if pdfmetrics.stringWidth(line + char, FONT, size) > width:
                lines.append(line)
                line = char
            else:
                line += char
        lines.append(line)
    return lines


def render_agreement(agreement: MediationAgreement) -> bytes:
    _font()
    case = agreement.case
    buffer = io.BytesIO()
    width, height = A4
    c = canvas.Canvas(buffer, pagesize=A4, pageCompression=0)
    c.setTitle(f"人民调解协议书 {case.code}")
    c.setSubject(case.code)
    left, right = 25 * mm, width - 25 * mm
    y = height - 30 * mm

    def line(text: str, size: float = 12, indent: float = 0) -> None:
        nonlocal y
        c.setFont(FONT, size)
        for part in _wrap(text, right - left - indent, size):
            if y < 25 * mm:
                c.showPage()
                y = height - 25 * mm
                c.setFont(FONT, size)
            c.drawString(left + indent, y, part)
            y -= LINE

    c.setFont(FONT, 22)
    c.drawCentredString(width / 2, y, "人民调解协议书")
    y -= 12 * mm
    c.setFont(FONT, 11)
    c.drawRightString(right, y, f"编号：{case.code}")
    y -= LINE * 1.5
    for party in case.parties.all():
        details = [f"{party.get_role_display()}：{party.name}"]
        if party.id_number:
            details.append(f"证件号码：{mask_document_number(party.id_number)}")
        if party.phone:
            details.append(f"联系电话：{mask_phone(party.phone)}")
        line("  ".join(details))
    y -= LINE / 2
    line("纠纷简要情况：", 13)
    line(f"{case.title}。{case.description}", indent=8 * mm)
    y -= LINE / 2
    line("经调解，各方当事人自愿达成如下协议：", 13)
    line(agreement.terms, indent=8 * mm)
    if agreement.perform_by:
        line(f"履行期限：{agreement.perform_by:%Y年%m月%d日}前履行完毕。", indent=8 * mm)
    y -= LINE / 2
    line(
        "本协议自各方当事人签名、调解员签名并加盖调解组织印章之日起生效。"
        f"当事人可以自协议生效之日起三十日内共同向人民法院申请司法确认"
        f"（截止 {agreement.confirmation_due:%Y年%m月%d日}）。",
        11,
    )
    y -= LINE
    for party in case.parties.all():
        signed = f"（{party.signed_at:%Y-%m-%d} 已签名）" if party.signed_at else ""
        line(f"{party.get_role_display()}（签名）：{party.name}{signed}")
    line(f"调解员（签名）：{agreement.mediator_name}")
    line(f"调解组织：{case.centre.name}（印章）")
    line(f"签订日期：{agreement.signed_on:%Y年%m月%d日}")
    c.showPage()
    c.save()
    return buffer.getvalue()
