"""The one transition mechanism.

Every workflow model keeps its state in ``status = FSMField(protected=True)`` and
declares its transitions with django-fsm-2's ``@transition``, giving each a
``permission`` callable (which also checks scope) and ``custom`` metadata:

* ``label``: the button text (a lazy Chinese string);
* ``needs_reason``: reject / return / cancel transitions must say why.

Only ``fire`` changes a state: it locks the row, checks that the transition is
available to the user, calls it, saves, and writes a ``TransitionLog`` row, all
in one transaction. Page buttons and ``POST …/transitions/{name}/`` both come
from ``available``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django_fsm import FSMFieldMixin, Transition, TransitionNotAllowed

from tongban.core.models import TransitionLog

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class AvailableTransition:
    name: str
    label: str
    target: str
    needs_reason: bool
    style: str


def state_field(model: type[models.Model]) -> FSMFieldMixin:
    for field in model._meta.fields:
        if isinstance(field, FSMFieldMixin):
            return field
    raise TypeError(f"{model.__name__} has no FSM field")


def _transitions(obj: models.Model, user: Any) -> Iterator[Transition]:
    field = state_field(type(obj))
    method = getattr(obj, f"get_available_user_{field.name}_transitions")
    yield from method(user)


def available(obj: models.Model, user: Any) -> list[AvailableTransition]:
    """The transitions ``user`` may fire on ``obj`` now, conditions and permission checked."""
    result = []
    for t in _transitions(obj, user):
        custom = t.custom or {}
        result.append(
            AvailableTransition(
                name=t.name,
                label=str(custom.get("label", t.name)),
                target=str(t.target),
                needs_reason=bool(custom.get("needs_reason", False)),
                style=str(custom.get("style", "")),
            )
        )
    return result


def fire(
    obj: M,
    name: str,
    *,
    user: Any,
    reason: str = "",
    data: dict[str, Any] | None = None,
    **kwargs: Any,
) -> M:
    """Fire transition ``name`` on ``obj`` as ``user``; raise ValidationError if refused.

    ``kwargs`` are passed to the transition method (e.g. the unit to dispatch to).
    """
    model = type(obj)
    field = state_field(model)
    reason = (reason or "").strip()
    with transaction.atomic():
        locked: M = model._default_manager.select_for_update().get(pk=obj.pk)
        offered = {t.name: t for t in _transitions(locked, user)}
        if name not in offered:
            raise ValidationError(
                _("当前状态下您不能执行此操作（%(name)s）") % {"name": name}, code="not_allowed"
            )
        transition = offered[name]
        custom = transition.custom or {}
        if custom.get("needs_reason") and not reason:
            raise ValidationError(
                {"reason": _("请填写“%(label)s”的理由") % {"label": custom.get("label", name)}},
                code="reason_required",
            )
        source = getattr(locked, field.name)
        try:
            getattr(locked, name)(**kwargs)
        except TransitionNotAllowed as exc:
            raise ValidationError(str(exc), code="not_allowed") from exc
        # the state itself is guarded by the transitions; a protected field cannot be re-set
        locked.full_clean(exclude=[field.name])
        locked.save()
        TransitionLog.objects.create(
            content_type=ContentType.objects.get_for_model(model),
            object_id=str(locked.pk),
            name=name,
            label=str(custom.get("label", name)),
            source=str(source),
            target=str(getattr(locked, field.name)),
            by=user if getattr(user, "is_authenticated", False) else None,
            reason=reason,
            data=data or {},
        )
    return locked


def timeline(obj: models.Model) -> models.QuerySet[TransitionLog]:
    return TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
    ).select_related("by")


def mermaid(model: type[models.Model]) -> str:
    """The state diagram of ``model`` as Mermaid text (for docs/workflows/)."""
    field = state_field(model)
    choices = dict(field.choices or [])
    lines = ["stateDiagram-v2"]
    for state, label in choices.items():
        lines.append(f"    {state}: {label}")
    seen = set()
    for t in field.get_all_transitions(model):
        label = str((t.custom or {}).get("label", t.name))
        sources = list(choices) if t.source in ("*", "+") else [t.source]
        for source in sources:
            if t.source == "+" and source == t.target:
                continue
            key = (source, t.target, label)
            if key in seen or t.target is None:
                continue
            seen.add(key)
            lines.append(f"    {source} --> {t.target}: {label}")
    return "\n".join(lines) + "\n"
