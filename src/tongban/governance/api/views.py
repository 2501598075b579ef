"""API of the governance loop: events (with their transitions and timeline) and categories."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from tongban.core.api.serializers import RevealRequestSerializer
from tongban.core.api.views import ScopedViewSet
from tongban.core.api.workflow import TransitionsMixin
from tongban.core.models import PersonalDataAccess
from tongban.governance import services
from tongban.governance.api.serializers import (
    CategorySerializer,
    EventSerializer,
    ReporterPhoneSerializer,
)
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
        if self.action == "reveal_phone":
            return "reveal"
        return super().scope_action()

    @extend_schema(request=RevealRequestSerializer, responses=ReporterPhoneSerializer)
    @action(detail=True, methods=["post"], url_path="reveal-phone")
    def reveal_phone(self, request: Request, pk: str | None = None) -> Response:
        """查看反映人完整电话（需授权，每次查看均记录）。"""
        event = self.get_object()
        body = RevealRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            phone = services.reveal_reporter_phone(
                event,
                user=request.user,
                channel=PersonalDataAccess.Channel.API,
                purpose=body.validated_data.get("purpose", ""),
                remote_addr=request.META.get("REMOTE_ADDR"),
            )
        except ValidationError as exc:
            raise DRFValidationError(exc.message_dict) from exc
        return Response({"reporter_phone": phone})

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
