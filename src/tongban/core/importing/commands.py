"""Who a command acts as: the platform operator, or ``--as USERNAME``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

OPERATOR = "operator"


def acting_user(username: str | None) -> Any:
    """The named user, or the platform operator account (a superuser, created if missing,
    unusable for logging in) that commands act as by default."""
    users = get_user_model()
    if username:
        try:
            return users.objects.get(username=username)
        except users.DoesNotExist as exc:
            raise CommandError(f"no user {username!r}") from exc
    operator, created = users.objects.get_or_create(
        username=OPERATOR, defaults={"is_superuser": True, "is_staff": False}
    )
    if created:
        operator.set_unusable_password()
        operator.save(update_fields=["password"])
    return operator
