"""API viewsets: each names its model, serializer and filterset; the queryset is
always ``restrict(user, action)`` for the action the HTTP method means."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from tongban.core import services
from tongban.core.api import serializers as s
from tongban.core.audit import bind_request_actor
from tongban.core.filtersets import (
    EmploymentFilterSet,
    OrganizationFilterSet,
    PersonFilterSet,
    RegionFilterSet,
)
from tongban.core.models import Employment, Organization, Person, PersonalDataAccess, Region
from tongban.core.permissions import has_any

METHOD_ACTION = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class ScopedViewSet(viewsets.GenericViewSet):
    """Scope every queryset through ``restrict`` with the action the request means."""

    model: ClassVar[type[Any]]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        bind_request_actor(request.user)

    def scope_action(self) -> str:
        return METHOD_ACTION.get(self.request.method or "GET", "view")

    def get_queryset(self) -> QuerySet:
        restricted: QuerySet = self.model.objects.restrict(self.request.user, self.scope_action())
        return restricted

    def check_permissions(self, request: Request) -> None:
        super().check_permissions(request)
        if self.action == "create" and not has_any(
            request.user, self.model._meta.label_lower, "add"
        ):
            raise PermissionDenied(_("您没有新增此类记录的权限"))

    def perform_destroy(self, instance: Any) -> None:
        services.delete_record(instance, user=self.request.user)


class RegionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """行政区划（统计用区划代码，12位）。"""

    model = Region
    lookup_field = "code"
    lookup_value_regex = r"\d{12}"
    serializer_class = s.RegionSerializer
    filterset_class = RegionFilterSet
    ordering_fields = ["code", "name"]
    ordering = ["code"]


class OrganizationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ScopedViewSet,
):
    """单位：企业、院校、培训和评价机构、政府部门等。"""

    model = Organization
    serializer_class = s.OrganizationSerializer
    filterset_class = OrganizationFilterSet
    ordering_fields = ["name", "credit_code", "created_at"]
    ordering = ["name"]

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("region")


class PersonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ScopedViewSet,
):
    """实名人员。证件号码、手机号码、社会保障卡号始终以脱敏形式返回。"""

    model = Person
    serializer_class = s.PersonSerializer
    filterset_class = PersonFilterSet
    ordering_fields = ["name_pinyin", "birth_date", "created_at"]
    ordering = ["name_pinyin"]

    def scope_action(self) -> str:
        if self.action == "reveal":
            return "reveal"
        return super().scope_action()

    @extend_schema(request=s.RevealRequestSerializer, responses=s.PersonalDataSerializer)
    @action(detail=True, methods=["post"])
    def reveal(self, request: Request, pk: str | None = None) -> Response:
        """查看完整个人信息（需授权，每次查看均记录）。"""
        person = self.get_object()
        body = s.RevealRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = services.reveal_personal_data(
            person,
            user=request.user,
            channel=PersonalDataAccess.Channel.API,
            purpose=body.validated_data.get("purpose", ""),
            remote_addr=request.META.get("REMOTE_ADDR"),
        )
        return Response(data, status=status.HTTP_200_OK)


class EmploymentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ScopedViewSet,
):
    """从业经历。"""

    model = Employment
    serializer_class = s.EmploymentSerializer
    filterset_class = EmploymentFilterSet
    ordering_fields = ["start_date", "end_date"]
    ordering = ["-start_date"]
