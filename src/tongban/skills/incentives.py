"""Incentives （八）: saving an allowance scheme with its amounts per level."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tongban.core.services import save_record
from tongban.skills.models import AllowanceRate, AllowanceScheme, SkillLevel
from tongban.skills.models.incentive import MONTHLY_CEILING


def save_scheme(
    scheme: AllowanceScheme, amounts: dict[SkillLevel, Decimal], *, user: Any
) -> AllowanceScheme:
    """Save the scheme and replace its monthly amounts; refused for a negative or absurd
    amount (above the ceiling) or a scheme without any amount."""
    errors = {}
    for level, amount in amounts.items():
        if amount < 0 or amount > MONTHLY_CEILING:
            errors[f"amount_{level.key}"] = _("%(level)s月标准应在0到%(max)s元之间") % {
                "level": level,
                "max": MONTHLY_CEILING,
            }
    if not amounts:
        errors["kind"] = _("请至少填写一个等级的月标准")
    if errors:
        raise ValidationError(errors, code="amount")
    with transaction.atomic():
        scheme = save_record(scheme, user=user)
        scheme.rates.all().delete()
        for level, amount in amounts.items():
            rate = AllowanceRate(scheme=scheme, level=level, monthly_amount=amount)
            rate.full_clean()
            rate.save()
    return scheme
