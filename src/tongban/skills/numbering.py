"""Certificate numbers (22 characters), gap-free per (issuer, site, year, level).

``Y``/``S`` + 4-digit institution code + 2-digit province + 6-digit site code +
2-digit year + 1-digit level (5 = 五级 … 1 = 一级) + 6-digit serial. The serial comes
from a counter row locked with ``select_for_update`` inside the issuing transaction,
so concurrent issuers wait for each other and a rolled-back issue leaves no gap.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tongban.skills.models import CertificateCounter, Evaluator, SkillLevel


def prefix(evaluator: Evaluator, site_code: str, year: int, level: SkillLevel) -> str:
    if level.number_digit is None:
        raise ValidationError({"level": _("%(level)s不颁发职业技能等级证书") % {"level": level}})
    if not (len(site_code) == 6 and site_code.isdigit()):
        raise ValidationError({"site_code": _("考核站点代码应为6位数字")})
    province = evaluator.organization.region_id[:2]
    return (
        f"{evaluator.letter}{evaluator.institution_code}{province}{site_code}"
        f"{year % 100:02d}{level.number_digit}"
    )


def next_number(evaluator: Evaluator, site_code: str, on: datetime.date, level: SkillLevel) -> str:
    """Take the next serial; must run inside the transaction that saves the certificate."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside the issuing transaction")
    key = prefix(evaluator, site_code, on.year, level)
    try:
        with transaction.atomic():
            CertificateCounter.objects.create(prefix=key)
    except IntegrityError:
        pass  # another transaction created it first
    counter = CertificateCounter.objects.select_for_update().get(prefix=key)
    counter.last += 1
    if counter.last > 999_999:
        raise ValidationError(_("该批次证书流水号已用完"))
    counter.save(update_fields=["last"])
    return f"{key}{counter.last:06d}"
