"""Services: every write to core records goes through here.

Views, serializers, importers and commands parse input and call one of these;
each opens the transaction, validates with the model's own rules, checks the
result against the acting user's scope (rolling back if it left it) and lets
the audit mechanism record the change.
"""

from __future__ import annotations

import contextlib
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from django_fsm import FSMFieldMixin

from tongban.core.masking import masked
from tongban.core.models import Person, PersonalDataAccess
from tongban.core.models.person import PERSONAL_FIELDS
from tongban.core.permissions import Scope, assignments

M = TypeVar("M", bound=models.Model)


class OutOfScope(Http404):
    """Raised when an object is not within the acting user's scope; answers 404."""


def get_scoped(queryset: models.QuerySet[M], user: Any, action: str, **lookup: Any) -> M:
    """The object matching ``lookup`` if ``user`` may ``action`` it; 404 otherwise."""
    restricted = queryset.restrict(user, action)  # type: ignore[attr-defined]
    try:
        found: M = restricted.get(**lookup)
    except (ObjectDoesNotExist, ValueError, ValidationError) as exc:
        raise OutOfScope(_("记录不存在或不在您的管辖范围内")) from exc
    return found


def _scope_error(instance: models.Model) -> ValidationError:
    scope: Scope = getattr(type(instance), "scope", Scope())
    message = _("保存后的记录将超出您的管辖范围，未予保存")
    if scope.error_field:
        return ValidationError({scope.error_field: message}, code="out_of_scope")
    return ValidationError(message, code="out_of_scope")


def duplicate_person_error(person: Person, *, user: Any) -> ValidationError | None:
    """The error for a document or social-security card already registered to someone else,
    saying where only if the user may see that record."""
    keys = {
        "document_number": Q(
            document_type=person.document_type, document_number=person.document_number
        )
    }
    if person.social_security_card_number:
        keys["social_security_card_number"] = Q(
            social_security_card_number=person.social_security_card_number
        )
    errors: dict[str, ValidationError] = {}
    for field, condition in keys.items():
        existing = Person.objects.filter(condition)
        if person.pk is not None:
            existing = existing.exclude(pk=person.pk)
        found = existing.only("pk").first()
        if found is None:
            continue
        label = {
            "document_number": _("证件号码"),
            "social_security_card_number": _("社会保障卡号"),
        }[field]
        if Person.objects.restrict(user, "view").filter(pk=found.pk).exists():
            errors[field] = ValidationError(
                _("该%(label)s已登记，见人员档案 #%(pk)s"),
                code="duplicate",
                params={"label": label, "pk": found.pk},
            )
        else:
            errors[field] = ValidationError(
                _(
                    "该%(label)s已在平台登记，该记录不在您的管辖范围内；如需办理请联系其所在地人社部门"
                ),
                code="duplicate",
                params={"label": label},
            )
    return ValidationError(errors) if errors else None


def save_record(instance: M, *, user: Any, action: str | None = None) -> M:
    """Validate and save one record as ``user``; refuse it if it leaves the user's scope.

    ``action`` defaults to ``add`` for a new record and ``change`` otherwise.
    Nothing is written unless everything passes.
    """
    action = action or ("add" if instance._state.adding else "change")
    model = type(instance)
    if isinstance(instance, Person):
        # normalise first so the duplicate check sees the stored form
        with contextlib.suppress(ValidationError):
            instance.clean()
        if instance.document_number:
            dup = duplicate_person_error(instance, user=user)
            if dup is not None:
                raise dup
        if action == "add" and instance.registered_by_id is None:
            instance.registered_by_id = _acting_organization_id(user)
    # a workflow's state field is guarded by its transitions and cannot be re-set here
    instance.full_clean(exclude=state_fields(model))
    try:
        with transaction.atomic():
            instance.save()
            if not model.objects.restrict(user, action).filter(pk=instance.pk).exists():  # type: ignore[attr-defined]
                raise _scope_error(instance)
    except IntegrityError as exc:
        if instance._state.adding is False and action == "add":
            instance.pk = None
        raise ValidationError(_("与已有记录冲突，未予保存：%(detail)s") % {"detail": exc}) from exc
    except ValidationError:
        if action == "add":
            instance.pk = None
            instance._state.adding = True
        raise
    return instance


def state_fields(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.fields if isinstance(f, FSMFieldMixin)]


def delete_record(instance: models.Model, *, user: Any) -> None:
    model = type(instance)
    get_scoped(model.objects.all(), user, "delete", pk=instance.pk)  # type: ignore[attr-defined]
    with transaction.atomic():
        instance.delete()


def _acting_organization_id(user: Any) -> int | None:
    for assignment in assignments(user):
        if assignment.organization_id:
            return assignment.organization_id
    return None


def link_person_account(person: Person, account: Any, *, user: Any) -> Person:
    """Make ``account`` the self-service login of ``person`` (the worker role's scope).

    Only a platform administrator links accounts; a person has at most one account and
    an account belongs to at most one person.
    """
    from tongban.core.permissions import is_platform_admin

    if not is_platform_admin(user):
        raise OutOfScope(_("记录不存在或不在您的管辖范围内"))
    taken = Person.objects.filter(user=account).exclude(pk=person.pk).first()
    if taken is not None:
        raise ValidationError(
            {"user": _("该账号已关联人员档案 #%(pk)s") % {"pk": taken.pk}}, code="taken"
        )
    if person.user_id not in (None, account.pk):
        raise ValidationError({"user": _("该人员已关联其他账号")}, code="taken")
    with transaction.atomic():
        person.user = account
        person.save(update_fields=["user", "updated_at"])
    return person


def masked_personal_data(person: Person) -> dict[str, str]:
    return {name: masked(name, getattr(person, name)) for name in PERSONAL_FIELDS}


def reveal_personal_data(
    person: Person,
    *,
    user: Any,
    channel: str,
    purpose: str = "",
    remote_addr: str | None = None,
    fields: tuple[str, ...] = PERSONAL_FIELDS,
) -> dict[str, str]:
    """Return the unmasked personal data of ``person`` and record the read.

    Raises ``OutOfScope`` (404) unless the user holds ``reveal`` over the person.
    """
    get_scoped(Person.objects.all(), user, "reveal", pk=person.pk)
    unknown = set(fields) - set(PERSONAL_FIELDS)
    if unknown:
        raise ValueError(f"not personal fields: {sorted(unknown)}")
    with transaction.atomic():  # the access row commits whole; its chain link follows the commit
        PersonalDataAccess.objects.create(
            user=user if user.is_authenticated else None,
            person=person,
            fields=",".join(fields),
            purpose=purpose[:200],
            channel=channel,
            remote_addr=remote_addr,
        )
    return {name: getattr(person, name) for name in fields}


def reveal_record_fields(
    record: Any,
    *,
    user: Any,
    channel: str,
    purpose: str = "",
    remote_addr: str | None = None,
) -> dict[str, str]:
    """Return the unmasked personal fields of a record that is not a person (the model
    lists them in ``PERSONAL_FIELDS``) and record the read, like ``reveal_personal_data``.

    Raises ``OutOfScope`` (404) unless the user holds ``reveal`` over the record.
    """
    from django.contrib.contenttypes.models import ContentType

    model = type(record)
    fields: tuple[str, ...] = getattr(model, "PERSONAL_FIELDS", ())
    if not fields:
        raise ValueError(f"{model.__name__} declares no PERSONAL_FIELDS")
    get_scoped(model.objects.all(), user, "reveal", pk=record.pk)
    with transaction.atomic():  # the access row commits whole; its chain link follows the commit
        PersonalDataAccess.objects.create(
            user=user if user.is_authenticated else None,
            content_type=ContentType.objects.get_for_model(model),
            object_id=str(record.pk),
            fields=",".join(fields),
            purpose=purpose[:200],
            channel=channel,
            remote_addr=remote_addr,
        )
    return {name: getattr(record, name) for name in fields}
