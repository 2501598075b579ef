"""API of the governance loop: events (with their transitions and timeline) and categories."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import mixins

from tongban.core.api.views import ScopedViewSet
from tongban.core.api.workflow import TransitionsMixin
from tongban.governance import services
from tongban.governance.api.serializers import CategorySerializer, EventSerializer
from tongban.governance.filtersets import EventFilterSet
from tongban.governance.models import Category, Event


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


class EventViewSet(
    TransitionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    ScopedViewSet,
):
    """治理事件：上报、查询、流转（GET {id}/transitions/，POST {id}/transitions/{name}/）。"""

    model = Event
    serializer_class = EventSerializer
    filterset_class = EventFilterSet
    ordering_fields = ["created_at", "deadline", "code"]
    ordering = ["-created_at"]

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("category")

    def scope_action(self) -> str:
        if self.action in {"fire_transition", "transitions", "timeline"}:
            return "view"  # the transition's own permission decides who may fire it
        return super().scope_action()

    def perform_create(self, serializer: Any) -> None:
        event = Event(**serializer.validated_data)
        serializer.instance = services.report_event(event, user=self.request.user)

    def transition_kwargs(self, name: str, data: Any) -> dict[str, Any]:
        event = self.get_object()
        extra = services.TransitionInput(
            unit_id=_int(data.get("unit")) or None,
            merge_into=str(data.get("merge_into", "")),
            cancel_kind=str(data.get("cancel_kind", "")),
            days=_int(data.get("days")),
        )
        kwargs, _log = services.transition_arguments(
            event, name, user=self.request.user, reason=str(data.get("reason", "")), extra=extra
        )
        return kwargs


class CategoryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """事件分类（含各紧急程度的办理时限，工作日）。"""

    model = Category
    serializer_class = CategorySerializer
    lookup_field = "code"
    ordering = ["code"]
