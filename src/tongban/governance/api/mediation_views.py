"""API of mediation (centres, cases and their steps, figures) and of risk warnings.
Every step calls the service the pages call; refusals answer 400 with the field and reason."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tongban.core.api.views import ScopedViewSet
from tongban.core.api.workflow import TransitionsMixin
from tongban.core.models import PersonalDataAccess
from tongban.governance import mediation, risk_warnings
from tongban.governance.agreement_pdf import render_agreement
from tongban.governance.api import mediation_serializers as s
from tongban.governance.filtersets import (
    MediationCaseFilterSet,
    MediationCentreFilterSet,
    RiskWarningFilterSet,
)
from tongban.governance.models import (
    MediationAgreement,
    MediationCase,
    MediationCentre,
    MediationParty,
    MediationSession,
    ReturnVisit,
    RiskWarning,
    StationedMember,
    WarningRule,
)

STEP_ACTIONS = {
    "consent",
    "add_party",
    "add_department",
    "record_session",
    "record_agreement",
    "fail",
    "apply_for_confirmation",
    "record_confirmation_result",
    "return_visit",
}


class MediationCentreViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """矛调中心（县、乡镇、村三级）及其入驻部门和人员。"""

    model = MediationCentre
    serializer_class = s.MediationCentreSerializer
    filterset_class = MediationCentreFilterSet
    ordering = ["region_id", "name"]

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().prefetch_related("members")


class MediationCaseViewSet(
    TransitionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    ScopedViewSet,
):
    """调解案件：登记（含当事人）、征询意愿、调解、协议、引导、司法确认、回访。"""

    model = MediationCase
    serializer_class = s.MediationCaseSerializer
    filterset_class = MediationCaseFilterSet
    ordering_fields = ["created_at", "due_on", "code"]
    ordering = ["-created_at"]

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("centre").prefetch_related("parties")

    def scope_action(self) -> str:
        if self.action in STEP_ACTIONS:
            return "change"
        if self.action == "reveal_party":
            return "reveal"
        if self.action in {"fire_transition", "transitions", "timeline", "agreement_pdf"}:
            return "view"
        if self.action == "figures":
            return "view"
        return super().scope_action()

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        parties = [MediationParty(**p) for p in data.pop("parties")]
        mediators = data.pop("mediators", [])
        departments = data.pop("departments", [])
        serializer.instance = mediation.register_case(
            MediationCase(**data),
            parties,
            user=self.request.user,
            mediators=mediators,
            departments=departments,
        )

    def perform_transition(
        self, obj: Any, name: str, *, user: Any, reason: str, **kwargs: Any
    ) -> Any:
        if name in mediation.SPECIAL_TRANSITIONS:
            raise ValidationError(
                {"transition": _("请使用该步骤的专用接口（%(name)s）") % {"name": name}}
            )
        return super().perform_transition(obj, name, user=user, reason=reason, **kwargs)

    def _answer(self) -> Response:
        case = MediationCase.objects.get(pk=self.kwargs["pk"])
        return Response(self.get_serializer(case).data)

    @extend_schema(request=s.ConsentSerializer, responses=s.MediationCaseSerializer)
    @action(detail=True, methods=["post"])
    def consent(self, request: Request, pk: str | None = None) -> Response:
        """登记当事人的调解意愿；不同意须说明理由，案件随即终止。"""
        case = self.get_object()
        body = s.ConsentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        party = MediationParty.objects.filter(case=case, pk=body.validated_data["party"]).first()
        if party is None:
            raise ValidationError({"party": _("未找到该当事人")})
        mediation.record_consent(
            party,
            consented=body.validated_data["consent"],
            reason=body.validated_data.get("reason", ""),
            user=request.user,
        )
        return self._answer()

    @extend_schema(request=s.PartyRevealSerializer, responses=s.PartyContactSerializer)
    @action(detail=True, methods=["post"], url_path="reveal-party")
    def reveal_party(self, request: Request, pk: str | None = None) -> Response:
        """查看当事人完整证件号码和电话（需授权，每次查看均记录）。"""
        case = self.get_object()
        body = s.PartyRevealSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        party = MediationParty.objects.filter(case=case, pk=body.validated_data["party"]).first()
        if party is None:
            raise ValidationError({"party": _("未找到该当事人")})
        data = mediation.reveal_party(
            party,
            user=request.user,
            channel=PersonalDataAccess.Channel.API,
            purpose=body.validated_data.get("purpose", ""),
            remote_addr=request.META.get("REMOTE_ADDR"),
        )
        return Response(data)

    @extend_schema(request=s.MediationPartySerializer, responses=s.MediationCaseSerializer)
    @action(detail=True, methods=["post"], url_path="parties")
    def add_party(self, request: Request, pk: str | None = None) -> Response:
        """追加当事人（多方纠纷，仅登记阶段）。"""
        case = self.get_object()
        body = s.MediationPartySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        mediation.add_party(case, MediationParty(**body.validated_data), user=request.user)
        return self._answer()

    @extend_schema(request=s.DepartmentInputSerializer, responses=s.MediationCaseSerializer)
    @action(detail=True, methods=["post"], url_path="departments")
    def add_department(self, request: Request, pk: str | None = None) -> Response:
        """联合调处：增加入驻部门。"""
        case = self.get_object()
        body = s.DepartmentInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        member = (
            StationedMember.objects.restrict(request.user, "view")
            .filter(pk=body.validated_data["department"])
            .first()
        )
        if member is None:
            raise ValidationError({"department": _("记录不存在或不在您的管辖范围内")})
        mediation.add_department(case, member, user=request.user)
        return self._answer()

    @extend_schema(request=s.SessionSerializer, responses=s.MediationCaseSerializer)
    @action(detail=True, methods=["post"], url_path="sessions")
    def record_session(self, request: Request, pk: str | None = None) -> Response:
        """记录一次调解经过。"""
        case = self.get_object()
        body = s.SessionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        mediation.record_session(case, MediationSession(**body.validated_data), user=request.user)
        return self._answer()

    @extend_schema(request=s.AgreementInputSerializer, responses=s.MediationCaseSerializer)
    @action(detail=True, methods=["post"], url_path="agreement")
    def record_agreement(self, request: Request, pk: str | None = None) -> Response:
        """登记书面调解协议（须有协议内容和全部当事人签名）。"""
        case = self.get_object()
        body = s.AgreementInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        mediation.record_agreement(
            case,
            terms=data["terms"],
            mediator_name=data["mediator_name"],
            signed_party_ids=data["signed_parties"],
            signed_on=data.get("signed_on"),
            perform_by=data.get("perform_by"),
            user=request.user,
        )
        return self._answer()

    @extend_schema(request=s.FailInputSerializer, responses=s.MediationCaseSerializer)
    @action(detail=True, methods=["post"])
    def fail(self, request: Request, pk: str | None = None) -> Response:
        """调解不成并引导（诉讼、仲裁、行政途径或移交上级矛调中心）。"""
        case = self.get_object()
        body = s.FailInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        mediation.fail_case(
            case,
            referral=body.validated_data["referral"],
            reason=body.validated_data["reason"],
            user=request.user,
        )
        return self._answer()

    @extend_schema(request=s.ConfirmationInputSerializer, responses=s.MediationCaseSerializer)
    @action(detail=True, methods=["post"], url_path="confirmation")
    def apply_for_confirmation(self, request: Request, pk: str | None = None) -> Response:
        """登记双方共同申请司法确认（协议生效后30日内）。"""
        case = self.get_object()
        body = s.ConfirmationInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        mediation.apply_for_confirmation(
            case,
            applied_on=body.validated_data["applied_on"],
            court=body.validated_data["court"],
            user=request.user,
        )
        return self._answer()

    @extend_schema(request=s.RulingInputSerializer, responses=s.MediationCaseSerializer)
    @action(detail=True, methods=["post"], url_path="confirmation-result")
    def record_confirmation_result(self, request: Request, pk: str | None = None) -> Response:
        """登记法院对司法确认申请的裁定（有效 / 驳回）。"""
        case = self.get_object()
        body = s.RulingInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        mediation.record_confirmation_result(
            case, result=body.validated_data["confirmation_result"], user=request.user
        )
        return self._answer()

    @extend_schema(request=s.ReturnVisitSerializer, responses=s.MediationCaseSerializer)
    @action(detail=True, methods=["post"], url_path="return-visit")
    def return_visit(self, request: Request, pk: str | None = None) -> Response:
        """登记回访（协议履行情况），案件结案。"""
        case = self.get_object()
        body = s.ReturnVisitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        mediation.record_return_visit(case, ReturnVisit(**body.validated_data), user=request.user)
        return self._answer()

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            400: OpenApiResponse(description="该案件没有调解协议"),
        }
    )
    @action(detail=True, methods=["get"], url_path="agreement-pdf")
    def agreement_pdf(self, request: Request, pk: str | None = None) -> HttpResponse:
        """调解协议书 PDF。"""
        case = self.get_object()
        agreement = MediationAgreement.objects.filter(case=case).first()
        if agreement is None:
            raise ValidationError({"agreement": _("该案件没有调解协议")})
        response = HttpResponse(render_agreement(agreement), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="agreement-{case.code}.pdf"'
        return response

    @extend_schema(
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, description="登记日期起"),
            OpenApiParameter("end", OpenApiTypes.DATE, description="登记日期止"),
        ],
        responses=s.MediationFiguresSerializer,
    )
    @action(detail=False, methods=["get"])
    def figures(self, request: Request) -> Response:
        """调解统计（按本人管辖范围）：登记、成功、不成、不同意、超期、司法确认、回访。"""
        today = timezone.localdate()
        try:
            start = datetime.date.fromisoformat(request.query_params.get("start") or "")
        except ValueError:
            start = today.replace(month=1, day=1)
        try:
            end = datetime.date.fromisoformat(request.query_params.get("end") or "")
        except ValueError:
            end = today
        result = mediation.figures(self.get_queryset(), start, end)
        data = s.MediationFiguresSerializer(result).data
        return Response(data)


class WarningRuleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """预警规则（数据，由运维人员在系统管理中维护）。"""

    model = WarningRule
    serializer_class = s.WarningRuleSerializer
    ordering = ["code"]


class RiskWarningViewSet(
    TransitionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet
):
    """风险预警：签收、关闭（POST {id}/transitions/{name}/）。"""

    model = RiskWarning
    serializer_class = s.RiskWarningSerializer
    filterset_class = RiskWarningFilterSet
    ordering_fields = ["raised_at", "level", "count"]
    ordering = ["-raised_at"]

    def scope_action(self) -> str:
        if self.action in {"fire_transition", "transitions", "timeline"}:
            return "view"
        return super().scope_action()

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("rule", "owner")

    @extend_schema(responses=s.WarningRegionSerializer(many=True))
    # one row a township: neither paged nor filtered (the schema said both)
    @action(
        detail=False,
        methods=["get"],
        url_path="by-region",
        pagination_class=None,
        filter_backends=[],
    )
    def by_region(self, request: Request) -> Response:
        """各乡镇（街道）未关闭预警数（按等级）。"""
        rows = risk_warnings.open_by_region(self.get_queryset())
        return Response(s.WarningRegionSerializer(rows, many=True).data)
