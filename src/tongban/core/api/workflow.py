"""API side of the transition mechanism: list and fire the transitions a user may make."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tongban.core import workflow
from tongban.core.api.errors import as_drf_validation_error

AvailableTransitionSerializer = inline_serializer(
    "AvailableTransition",
    {
        "name": serializers.CharField(),
        "label": serializers.CharField(),
        "target": serializers.CharField(),
        "needs_reason": serializers.BooleanField(),
    },
    many=True,
)
FireTransitionSerializer = inline_serializer(
    "FireTransition", {"reason": serializers.CharField(required=False, allow_blank=True)}
)
TimelineEntrySerializer = inline_serializer(
    "TimelineEntry",
    {
        "name": serializers.CharField(),
        "label": serializers.CharField(),
        "source": serializers.CharField(),
        "target": serializers.CharField(),
        "by": serializers.CharField(allow_null=True),
        "reason": serializers.CharField(),
        "data": serializers.JSONField(),
        "at": serializers.DateTimeField(),
    },
    many=True,
)


def available_as_data(obj: Any, user: Any) -> list[dict[str, Any]]:
    return [asdict(t) for t in workflow.available(obj, user)]


def timeline_as_data(obj: Any) -> list[dict[str, Any]]:
    return [
        {
            "name": e.name,
            "label": e.label,
            "source": e.source,
            "target": e.target,
            "by": e.by.username if e.by else None,
            "reason": e.reason,
            "data": e.data,
            "at": e.at.isoformat(),
        }
        for e in workflow.timeline(obj)
    ]


class TransitionsMixin:
    """Adds ``GET {id}/transitions/``, ``POST {id}/transitions/{name}/`` and ``GET {id}/timeline/``.

    A viewset may override ``transition_kwargs(name, data)`` to parse extra input
    (e.g. the unit an event is dispatched to) into the transition's arguments.
    """

    def transition_kwargs(self, name: str, data: Any) -> dict[str, Any]:
        return {}

    def perform_transition(
        self, obj: Any, name: str, *, user: Any, reason: str, **kwargs: Any
    ) -> Any:
        """Fire ``name``; a viewset whose transition has consequences (e.g. issuing
        certificates when a plan is filed) overrides this to call its service."""
        return workflow.fire(obj, name, user=user, reason=reason, **kwargs)

    @extend_schema(responses={200: AvailableTransitionSerializer})
    # lists, neither paged nor filtered (the schema would otherwise say both)
    @action(
        detail=True,
        methods=["get"],
        url_path="transitions",
        pagination_class=None,
        filter_backends=[],
    )
    def transitions(self, request: Request, pk: str | None = None) -> Response:
        obj = self.get_object()  # type: ignore[attr-defined]
        return Response(available_as_data(obj, request.user))

    @extend_schema(request=FireTransitionSerializer)
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<transition>[a-z_]+)")
    def fire_transition(self, request: Request, transition: str, pk: str | None = None) -> Response:
        obj = self.get_object()  # type: ignore[attr-defined]
        reason = request.data.get("reason", "")
        if not isinstance(reason, str):
            raise serializers.ValidationError({"reason": ["理由应为文字"]})
        try:
            obj = self.perform_transition(
                obj,
                transition,
                user=request.user,
                reason=reason,
                **self.transition_kwargs(transition, request.data),
            )
        except DjangoValidationError as exc:
            raise as_drf_validation_error(exc) from exc
        serializer = self.get_serializer(obj)  # type: ignore[attr-defined]
        return Response(serializer.data)

    @extend_schema(responses={200: TimelineEntrySerializer})
    @action(
        detail=True, methods=["get"], url_path="timeline", pagination_class=None, filter_backends=[]
    )
    def timeline(self, request: Request, pk: str | None = None) -> Response:
        obj = self.get_object()  # type: ignore[attr-defined]
        return Response(timeline_as_data(obj))
