"""API of the skills app: each viewset names its model, serializer and filterset and
calls one service for anything that writes."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tongban.core.api.errors import as_drf_validation_error
from tongban.core.api.serializers import RevealRequestSerializer, ServiceSavedSerializer
from tongban.core.api.views import ScopedViewSet
from tongban.core.api.workflow import TransitionsMixin
from tongban.core.models import Organization, Person, PersonalDataAccess
from tongban.core.services import get_scoped, reveal_record_fields
from tongban.skills import eligibility, services
from tongban.skills.api import serializers as s
from tongban.skills.filtersets import (
    AppointmentFilterSet,
    ApprenticeshipFilterSet,
    CertificateFilterSet,
    CertificationApplicationFilterSet,
    EvaluationPlanFilterSet,
    LimitBreakingRequestFilterSet,
    OccupationFilterSet,
    SchoolRecordFilterSet,
)
from tongban.skills.models import (
    Appointment,
    Apprenticeship,
    Certificate,
    CertificationApplication,
    EvaluationPlan,
    Evaluator,
    LimitBreakingRequest,
    Objection,
    Occupation,
    SchoolRecord,
    SkillLevel,
)

TRANSITION_ACTIONS = {"transitions", "fire_transition", "timeline"}


class _WorkflowViewSet(TransitionsMixin, ScopedViewSet):
    """Transitions check their own permission; reaching the object needs only ``view``."""

    def scope_action(self) -> str:
        if self.action in TRANSITION_ACTIONS:
            return "view"
        return super().scope_action()


class OccupationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """《职业分类大典》2022：大类、中类、小类、细类（职业），S/L 标识，设置的技能等级。"""

    model = Occupation
    serializer_class = s.OccupationSerializer
    filterset_class = OccupationFilterSet
    ordering_fields = ["code", "name"]
    ordering = ["code"]

    def get_queryset(self) -> QuerySet:
        return (
            super().get_queryset().select_related("parent").prefetch_related("levels", "worklines")
        )


class EligibilityView(APIView):
    """申报条件核验：?person=ID&occupation=职业代码&level=等级代码&on=日期。"""

    @extend_schema(
        parameters=[
            OpenApiParameter("person", int),
            OpenApiParameter("occupation", str),
            OpenApiParameter("level", str, description="level5 … level1"),
            OpenApiParameter("on", str, required=False),
        ],
        responses={200: dict},
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        errors: dict[str, list[str]] = {}
        occupation = Occupation.objects.filter(code=params.get("occupation", "")).first()
        level = SkillLevel.objects.filter(key=params.get("level", "")).first()
        on = None
        if occupation is None:
            errors["occupation"] = [_("未知的职业代码")]
        if level is None:
            errors["level"] = [_("未知的技能等级")]
        if params.get("on"):
            try:
                on = datetime.date.fromisoformat(params["on"])
            except ValueError:
                errors["on"] = [_("日期格式应为2026-11-30")]
        if errors or occupation is None or level is None:
            raise serializers.ValidationError(errors)
        person = get_scoped(Person.objects.all(), request.user, "view", pk=params.get("person"))
        return Response(eligibility.check(person, occupation, level, on=on).as_dict())


class EvaluationPlanViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    _WorkflowViewSet,
):
    """评价计划：机构、职业、等级、考核站点与日期；发布公示、备案发证通过流转操作完成。"""

    model = EvaluationPlan
    serializer_class = s.EvaluationPlanSerializer
    filterset_class = EvaluationPlanFilterSet
    ordering = ["-starts_on"]

    def perform_create(self, serializer: Any) -> None:
        plan = EvaluationPlan(**serializer.validated_data)
        try:
            serializer.instance = services.create_plan(plan, user=self.request.user)
        except DjangoValidationError as exc:
            raise as_drf_validation_error(exc) from exc

    def perform_transition(self, obj: Any, name: str, *, user: Any, reason: str, **kw: Any) -> Any:
        if name == "file":
            services.file_plan(obj, user=user)
            return EvaluationPlan.objects.get(pk=obj.pk)
        return super().perform_transition(obj, name, user=user, reason=reason, **kw)


class CertificationApplicationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    _WorkflowViewSet,
):
    """评价申报：受理时核验申报条件，不符合的说明理由；录入成绩后自动评定结果。"""

    model = CertificationApplication
    serializer_class = s.CertificationApplicationSerializer
    filterset_class = CertificationApplicationFilterSet
    ordering = ["pk"]

    def scope_action(self) -> str:
        if self.action == "scores":
            return "change"
        return super().scope_action()

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        try:
            person = services.applicant(data["document_number"], data["name"])
            serializer.instance = services.apply(data["plan"], person, user=self.request.user)
        except DjangoValidationError as exc:
            raise as_drf_validation_error(exc) from exc

    @extend_schema(request=s.ScoresSerializer)
    @action(detail=True, methods=["post"])
    def scores(self, request: Request, pk: str | None = None) -> Response:
        """录入成绩（0 至满分）。"""
        application = self.get_object()
        try:
            application = services.record_scores(application, dict(request.data), user=request.user)
        except DjangoValidationError as exc:
            raise as_drf_validation_error(exc) from exc
        return Response(self.get_serializer(application).data)


class CertificateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _WorkflowViewSet):
    """职业技能等级证书（含已撤销）。撤销通过流转操作 revoke 完成，须填写理由。"""

    model = Certificate
    serializer_class = s.CertificateSerializer
    filterset_class = CertificateFilterSet
    ordering = ["-issued_on"]

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("occupation", "level", "issuer__organization")

    def transition_kwargs(self, name: str, data: Any) -> dict[str, Any]:
        return {"reason_text": str(data.get("reason", ""))} if name == "revoke" else {}


class RouteSerializer(serializers.Serializer):
    route = serializers.ChoiceField(choices=["direct", "exceptional"])
    document_number = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=60)
    occupation = serializers.SlugRelatedField(
        slug_field="code", queryset=Occupation.objects.filter(is_occupation=True)
    )
    level = serializers.SlugRelatedField(slug_field="key", queryset=SkillLevel.objects.all())
    site_code = serializers.CharField(max_length=6)
    evidence = serializers.CharField(allow_blank=True, default="")
    grounds = serializers.ListField(child=serializers.CharField(), required=False, default=list)


class EmployerRoutesView(APIView):
    """企业直接认定（route=direct）与破格晋升（route=exceptional），由企业人力资源专员提交。"""

    @extend_schema(request=RouteSerializer, responses={201: s.CertificateSerializer})
    def post(self, request: Request) -> Response:
        body = RouteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            person = services.applicant(data["document_number"], data["name"])
            common = {"user": request.user, "site_code": data["site_code"]}
            if data["route"] == "direct":
                cert = services.direct_certification(
                    person,
                    data["occupation"],
                    data["level"],
                    performance=data["evidence"],
                    **common,
                )
            else:
                cert = services.exceptional_promotion(
                    person,
                    data["occupation"],
                    data["level"],
                    grounds=data["grounds"],
                    evidence=data["evidence"],
                    **common,
                )
        except DjangoValidationError as exc:
            raise as_drf_validation_error(exc) from exc
        return Response(s.CertificateSerializer(cert).data, status=201)


class LimitBreakingRequestSerializer(serializers.ModelSerializer):
    document_number = serializers.CharField(write_only=True, max_length=20)
    name = serializers.CharField(write_only=True, max_length=60)
    occupation: Any = serializers.SlugRelatedField(
        slug_field="code", queryset=Occupation.objects.filter(is_occupation=True)
    )
    level: Any = serializers.SlugRelatedField(slug_field="key", queryset=SkillLevel.objects.all())

    class Meta:
        model = LimitBreakingRequest
        fields = [
            "id",
            "person",
            "document_number",
            "name",
            "occupation",
            "level",
            "site_code",
            "evidence",
            "status",
            "certificate",
        ]
        read_only_fields = ["person", "status", "certificate"]


class LimitBreakingRequestViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    _WorkflowViewSet,
):
    """打破学历、资历、年龄、比例限制的直接认定：企业提交（须附业绩材料），人社部门批准后发证。"""

    model = LimitBreakingRequest
    serializer_class = LimitBreakingRequestSerializer
    filterset_class = LimitBreakingRequestFilterSet
    ordering = ["-created_at"]

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        try:
            person = services.applicant(data["document_number"], data["name"])
            serializer.instance = services.request_breaking_limits(
                person,
                data["occupation"],
                data["level"],
                user=self.request.user,
                evidence=data["evidence"],
                site_code=data["site_code"],
            )
        except DjangoValidationError as exc:
            raise as_drf_validation_error(exc) from exc

    def perform_transition(self, obj: Any, name: str, *, user: Any, reason: str, **kw: Any) -> Any:
        if name == "approve":
            services.approve_breaking_limits(obj, user=user)
            return LimitBreakingRequest.objects.get(pk=obj.pk)
        return super().perform_transition(obj, name, user=user, reason=reason, **kw)


class AppointmentSerializer(serializers.ModelSerializer):
    """The person is named by document number + name; the employer by its id."""

    document_number = serializers.CharField(write_only=True, max_length=20)
    name = serializers.CharField(write_only=True, max_length=60)
    employer = serializers.IntegerField(source="employer_id")
    occupation: Any = serializers.SlugRelatedField(
        slug_field="code", queryset=Occupation.objects.filter(is_occupation=True)
    )
    level: Any = serializers.SlugRelatedField(
        slug_field="key", queryset=SkillLevel.objects.filter(key__in=("special", "chief"))
    )

    class Meta:
        model = Appointment
        fields = [
            "id",
            "person",
            "document_number",
            "name",
            "employer",
            "occupation",
            "level",
            "appointed_on",
            "registered_on",
            "status",
        ]
        read_only_fields = ["person", "appointed_on", "registered_on", "status"]


class AppointmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    _WorkflowViewSet,
):
    """特级技师、首席技师聘任：用人单位聘任（POST），人社部门通过流转操作 register 登记。"""

    model = Appointment
    serializer_class = AppointmentSerializer
    filterset_class = AppointmentFilterSet
    ordering = ["-appointed_on"]

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        employer = get_scoped(
            Organization.objects.all(), self.request.user, "view", pk=data["employer_id"]
        )
        try:
            person = services.applicant(data["document_number"], data["name"])
            serializer.instance = services.appoint(
                person, data["occupation"], data["level"], employer=employer, user=self.request.user
            )
        except DjangoValidationError as exc:
            raise as_drf_validation_error(exc) from exc

    def perform_transition(self, obj: Any, name: str, *, user: Any, reason: str, **kw: Any) -> Any:
        if name == "register":
            return services.register_appointment(obj, user=user)
        return super().perform_transition(obj, name, user=user, reason=reason, **kw)


class CompetitionResultSerializer(serializers.Serializer):
    document_number = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=60)
    occupation = serializers.SlugRelatedField(
        slug_field="code", queryset=Occupation.objects.filter(is_occupation=True)
    )
    evaluator = serializers.IntegerField()
    award = serializers.ChoiceField(choices=["gold", "silver", "bronze", "excellence"])
    site_code = serializers.CharField(max_length=6)


class CompetitionResultView(APIView):
    """职业技能竞赛成绩晋级（竞赛模块的入口）：优胜奖及以上晋升技师，已是技师的晋升高级技师；由人社部门提交。"""

    @extend_schema(request=CompetitionResultSerializer, responses={201: s.CertificateSerializer})
    def post(self, request: Request) -> Response:
        body = CompetitionResultSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        evaluator = get_scoped(Evaluator.objects.all(), request.user, "view", pk=data["evaluator"])
        try:
            person = services.applicant(data["document_number"], data["name"])
            certificate = services.competition_result(
                person,
                data["occupation"],
                evaluator=evaluator,
                award=data["award"],
                site_code=data["site_code"],
                user=request.user,
            )
        except DjangoValidationError as exc:
            raise as_drf_validation_error(exc) from exc
        return Response(s.CertificateSerializer(certificate).data, status=201)


class ObjectionSerializer(serializers.ModelSerializer):
    """The objector's contact is shown masked."""

    application = serializers.IntegerField(source="application_id")
    raised_by_contact = serializers.CharField(write_only=True, max_length=60)
    contact = serializers.CharField(source="masked_contact", read_only=True)

    class Meta:
        model = Objection
        fields = [
            "id",
            "application",
            "raised_by_name",
            "raised_by_contact",
            "contact",
            "grounds",
            "filed_on",
            "status",
            "decision_reason",
        ]
        read_only_fields = ["filed_on", "status", "decision_reason"]


class ObjectorContactSerializer(serializers.Serializer):
    raised_by_contact = serializers.CharField()


class ObjectionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    _WorkflowViewSet,
):
    """公示异议：公示期内登记；评价机构或人社部门以理由决定成立（uphold，终止该结果）或不成立（reject）。"""

    model = Objection
    serializer_class = ObjectionSerializer
    ordering = ["-created_at"]

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("application")

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        application = get_scoped(
            CertificationApplication.objects.select_related("plan__evaluator__organization"),
            self.request.user,
            "view",
            pk=data["application_id"],
        )
        try:
            serializer.instance = services.file_objection(
                application,
                user=self.request.user,
                raised_by_name=data["raised_by_name"],
                raised_by_contact=data["raised_by_contact"],
                grounds=data["grounds"],
            )
        except DjangoValidationError as exc:
            raise as_drf_validation_error(exc) from exc

    def perform_transition(self, obj: Any, name: str, *, user: Any, reason: str, **kw: Any) -> Any:
        return services.decide_objection(obj, name, user=user, reason=reason)

    def scope_action(self) -> str:
        if self.action == "reveal":
            return "reveal"
        return super().scope_action()

    @extend_schema(request=RevealRequestSerializer, responses=ObjectorContactSerializer)
    @action(detail=True, methods=["post"])
    def reveal(self, request: Request, pk: str | None = None) -> Response:
        """查看异议人完整联系方式（需授权，每次查看均记录）。"""
        objection = self.get_object()
        body = RevealRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = reveal_record_fields(
            objection,
            user=request.user,
            channel=PersonalDataAccess.Channel.API,
            purpose=body.validated_data.get("purpose", ""),
            remote_addr=request.META.get("REMOTE_ADDR"),
        )
        return Response(data)


class _PersonRecordSerializer(ServiceSavedSerializer):
    """Person and organisation by id, each only within the user's scope; saved through
    ``save_record``, which refuses a record left outside the user's scope."""

    occupation: Any = serializers.SlugRelatedField(
        slug_field="code", queryset=Occupation.objects.filter(is_occupation=True)
    )
    person_name = serializers.CharField(source="person.name", read_only=True)
    organization_field = ""

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            for name, model in (("person", Person), (self.organization_field, Organization)):
                field = fields[name]
                assert isinstance(field, serializers.PrimaryKeyRelatedField)  # noqa: S101
                field.queryset = model.objects.restrict(request.user, "view")
                field.error_messages["does_not_exist"] = _("记录不存在或不在您的管辖范围内")
        return fields


class SchoolRecordSerializer(_PersonRecordSerializer):
    organization_field = "school"
    occupation: Any = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Occupation.objects.filter(is_occupation=True),
        required=False,
        allow_null=True,
    )

    class Meta:
        model = SchoolRecord
        fields = [
            "id",
            "person",
            "person_name",
            "school",
            "school_class",
            "occupation",
            "graduated_on",
        ]


class ApprenticeshipSerializer(_PersonRecordSerializer):
    organization_field = "employer"

    class Meta:
        model = Apprenticeship
        fields = [
            "id",
            "person",
            "person_name",
            "employer",
            "occupation",
            "started_on",
            "completed_on",
        ]


class SchoolRecordViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ScopedViewSet,
):
    """技工院校学习记录（申报条件的依据之一）。"""

    model = SchoolRecord
    serializer_class = SchoolRecordSerializer
    filterset_class = SchoolRecordFilterSet
    ordering = ["-graduated_on"]


class ApprenticeshipViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ScopedViewSet,
):
    """学徒培养记录（申报条件的依据之一）。"""

    model = Apprenticeship
    serializer_class = ApprenticeshipSerializer
    filterset_class = ApprenticeshipFilterSet
    ordering = ["-started_on"]
