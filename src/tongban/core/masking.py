"""Masking of personal data for display. The only unmasking path is
``services.reveal_personal_data``, which logs the read."""

from __future__ import annotations

MASK = "*"


def mask_document_number(value: str) -> str:
    """``330502199001011234`` → ``330502********1234``: keep the region and the last four."""
    if not value:
        return ""
    if len(value) >= 15:
        return value[:6] + MASK * (len(value) - 10) + value[-4:]
    if len(value) > 4:
        return value[:2] + MASK * (len(value) - 4) + value[-2:]
    return MASK * len(value)


def mask_phone(value: str) -> str:
    """``13812345678`` → ``138****5678``."""
    if not value:
        return ""
    if len(value) == 11 and value.isdigit():
        return value[:3] + MASK * 4 + value[-4:]
    if len(value) > 6:
        return value[:4] + MASK * (len(value) - 8 if len(value) > 8 else 2) + value[-4:]
    return MASK * len(value)


def mask_social_security_card(value: str) -> str:
    if not value:
        return ""
    if len(value) == 18:
        return mask_document_number(value)
    return value[:1] + MASK * (len(value) - 3) + value[-2:]


def mask_name(value: str) -> str:
    """For public pages: ``张三丰`` → ``张**``."""
    if not value:
        return ""
    return value[0] + MASK * (len(value) - 1)


MASKERS = {
    "document_number": mask_document_number,
    "mobile": mask_phone,
    "social_security_card_number": mask_social_security_card,
}


def masked(field: str, value: str) -> str:
    return MASKERS[field](value)
