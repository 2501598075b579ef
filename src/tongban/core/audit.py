"""The audit mechanism.

* Field changes of core records: django-auditlog, registered here once; the
  acting user comes from the request (``AuditlogMiddleware``, and
  ``bind_request_actor`` for token-authenticated API calls) or from
  ``acting_as`` in commands and background jobs.
* Reads of personal data: ``PersonalDataAccess`` rows written by
  ``services.reveal_personal_data`` (the one unmasking path).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from auditlog.context import auditlog_value, set_actor
from auditlog.registry import auditlog

PII_MASKED_IN_LOG = ["document_number", "mobile", "social_security_card_number"]


def register_models() -> None:
    from tongban.core.models import Employment, Organization, Person, RoleAssignment

    auditlog.register(Person, mask_fields=PII_MASKED_IN_LOG, exclude_fields=["name_pinyin"])
    auditlog.register(Organization)
    auditlog.register(Employment)
    auditlog.register(RoleAssignment)


@contextmanager
def acting_as(user: Any, remote_addr: str | None = None) -> Iterator[None]:
    """Record audit entries made inside the block as done by ``user``."""
    with set_actor(user, remote_addr=remote_addr):
        yield


def bind_request_actor(user: Any) -> None:
    """Attach a user authenticated after the middleware ran (API tokens) to the audit context."""
    try:
        context = auditlog_value.get()
    except LookupError:
        return
    if user is not None and user.is_authenticated and context.get("actor") is None:
        context["actor"] = user
