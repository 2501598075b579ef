"""API for training, the e-archive, the credit bank, 1+X and the education fund. Each
viewset names its model, serializer and filterset; every write calls one service."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tongban.core.api.errors import as_drf_validation_error
from tongban.core.api.serializers import ServiceSavedSerializer
from tongban.core.api.views import ScopedViewSet
from tongban.core.models import Person
from tongban.core.services import get_scoped
from tongban.skills import archive_export, credits, fund, training
from tongban.skills.api.views import _PersonRecordSerializer, _WorkflowViewSet
from tongban.skills.archive import archive_for, may_read_archives
from tongban.skills.filtersets import (
    AttendanceFilterSet,
    CreditEntryFilterSet,
    EducationFundReportFilterSet,
    EducationRecordFilterSet,
    EnrolmentFilterSet,
    TrainingClassFilterSet,
    TrainingProgrammeFilterSet,
    XCertificateFilterSet,
)
from tongban.skills.models import (
    Attendance,
    CreditEntry,
    CreditRule,
    EducationFundReport,
    EducationRecord,
    Enrolment,
    Occupation,
    QualificationLevel,
    SkillLevel,
    TrainingClass,
    TrainingProgramme,
    TrainingSession,
    XCertificate,
)


def _service(call: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return call(*args, **kwargs)
    except DjangoValidationError as exc:
        raise as_drf_validation_error(exc) from exc


# --- training --------------------------------------------------------------------------------


class TrainingProgrammeSerializer(ServiceSavedSerializer):
    occupation: Any = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Occupation.objects.filter(is_occupation=True),
        required=False,
        allow_null=True,
    )
    level: Any = serializers.SlugRelatedField(
        slug_field="key", queryset=SkillLevel.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = TrainingProgramme
        fields = ["id", "provider", "name", "occupation", "level", "kind", "delivery", "hours"]


class TrainingProgrammeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ScopedViewSet,
):
    """培训项目：职业、等级、学时、类别（岗前/在岗/转岗/技能提升）、线上或线下。"""

    model = TrainingProgramme
    serializer_class = TrainingProgrammeSerializer
    filterset_class = TrainingProgrammeFilterSet
    ordering = ["-created_at"]


class TrainingSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrainingSession
        fields = ["id", "topic", "starts_at", "ends_at"]


class TrainingClassSerializer(ServiceSavedSerializer):
    sessions = TrainingSessionSerializer(many=True, read_only=True)

    class Meta:
        model = TrainingClass
        fields = [
            "id",
            "programme",
            "name",
            "starts_on",
            "ends_on",
            "status",
            "closed_on",
            "sessions",
        ]
        read_only_fields = ["status", "closed_on"]


EnrolInput = inline_serializer(
    "EnrolInput", {"numbers": serializers.CharField(help_text="每行一个证件号码或社会保障卡号")}
)


class SessionInput(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    topic = serializers.CharField(required=False, allow_blank=True)


class AttendanceInput(serializers.Serializer):
    session = serializers.IntegerField()
    enrolment = serializers.IntegerField()
    arrived_at = serializers.DateTimeField(required=False)
    left_at = serializers.DateTimeField(required=False)


class EnrolmentSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "training_class",
            "person",
            "person_name",
            "enrolled_on",
            "result",
            "hours_completed",
        ]
        read_only_fields = fields


class AttendanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attendance
        fields = ["id", "session", "enrolment", "arrived_at", "left_at", "recorded_at"]
        read_only_fields = fields


class TrainingClassViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    _WorkflowViewSet,
):
    """培训班：实名报名（证件号码或社会保障卡号）、课次、出勤（防作弊规则）、结班（核定学时与结业）。"""

    model = TrainingClass
    serializer_class = TrainingClassSerializer
    filterset_class = TrainingClassFilterSet
    ordering = ["-starts_on"]

    def scope_action(self) -> str:
        if self.action in ("enrol", "add_session", "attend"):
            return "change"
        return super().scope_action()

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().prefetch_related("sessions")

    def perform_transition(self, obj: Any, name: str, *, user: Any, reason: str, **kw: Any) -> Any:
        if name == "close":
            return training.close_class(obj, user=user)
        return super().perform_transition(obj, name, user=user, reason=reason, **kw)

    @extend_schema(request=EnrolInput, responses={201: EnrolmentSerializer(many=True)})
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def enrol(self, request: Request, pk: str | None = None) -> Response:
        numbers = request.data.get("numbers", "")
        if isinstance(numbers, list):
            numbers = "\n".join(str(n) for n in numbers)
        enrolments = _service(training.enrol, self.get_object(), str(numbers), user=request.user)
        return Response(EnrolmentSerializer(enrolments, many=True).data, status=201)

    @extend_schema(request=SessionInput, responses={201: TrainingSessionSerializer})
    @action(detail=True, methods=["post"], url_path="sessions")
    def add_session(self, request: Request, pk: str | None = None) -> Response:
        data = SessionInput(data=request.data)
        data.is_valid(raise_exception=True)
        session = _service(
            training.add_session, self.get_object(), user=request.user, **data.validated_data
        )
        return Response(TrainingSessionSerializer(session).data, status=201)

    @extend_schema(request=AttendanceInput, responses={201: AttendanceSerializer})
    @action(detail=True, methods=["post"], url_path="attendance")
    def attend(self, request: Request, pk: str | None = None) -> Response:
        training_class = self.get_object()
        data = AttendanceInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        session = training_class.sessions.filter(pk=values["session"]).first()
        enrolment = training_class.enrolments.filter(pk=values["enrolment"]).first()
        errors = {}
        if session is None:
            errors["session"] = [_("该课次不属于本培训班")]
        if enrolment is None:
            errors["enrolment"] = [_("该学员未报名本培训班")]
        if errors:
            raise serializers.ValidationError(errors)
        attendance = _service(
            training.record_attendance,
            session,
            enrolment,
            user=request.user,
            arrived_at=values.get("arrived_at"),
            left_at=values.get("left_at"),
        )
        return Response(AttendanceSerializer(attendance).data, status=201)


class EnrolmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """培训报名与结果（结班时核定学时、结业或未结业）。"""

    model = Enrolment
    serializer_class = EnrolmentSerializer
    filterset_class = EnrolmentFilterSet
    ordering = ["training_class", "pk"]

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("person")


class AttendanceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """出勤记录（签到、签退）。"""

    model = Attendance
    serializer_class = AttendanceSerializer
    filterset_class = AttendanceFilterSet
    ordering = ["arrived_at"]


# --- credit bank -----------------------------------------------------------------------------


class CreditRuleSerializer(serializers.ModelSerializer):
    skill_level: Any = serializers.SlugRelatedField(
        slug_field="key", read_only=True, allow_null=True
    )

    class Meta:
        model = CreditRule
        fields = [
            "id",
            "source",
            "skill_level",
            "education",
            "x_level",
            "per_hours",
            "credits",
            "active",
        ]


class CreditRuleViewSet(mixins.ListModelMixin, ScopedViewSet):
    """学分规则（数据，可由管理员修改）：培训学时、证书等级、学历、1+X证书折算学分。"""

    model = CreditRule
    serializer_class = CreditRuleSerializer
    ordering = ["source", "pk"]


class QualificationLevelSerializer(serializers.ModelSerializer):
    min_skill_level: Any = serializers.SlugRelatedField(
        slug_field="key", read_only=True, allow_null=True
    )

    class Meta:
        model = QualificationLevel
        fields = ["rank", "name", "min_credits", "min_skill_level", "description"]


class QualificationLevelViewSet(mixins.ListModelMixin, ScopedViewSet):
    """资历框架等级（数据，可配置）。"""

    model = QualificationLevel
    serializer_class = QualificationLevelSerializer
    ordering = ["rank"]


class CreditEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = CreditEntry
        fields = [
            "id",
            "person",
            "source",
            "source_id",
            "rule",
            "title",
            "credits",
            "earned_on",
            "institution",
            "other_institution",
            "evidence",
        ]
        read_only_fields = ["source", "source_id", "rule", "institution"]

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        request = self.context.get("request")
        person = fields["person"]
        if request is not None and isinstance(person, serializers.PrimaryKeyRelatedField):
            person.queryset = Person.objects.restrict(request.user, "view")
            person.error_messages["does_not_exist"] = _("记录不存在或不在您的管辖范围内")
        return fields


class CreditEntryViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet
):
    """学分记录，每条可追溯到来源；POST 为外机构学分认定（须填原发放机构和认定依据）。"""

    model = CreditEntry
    serializer_class = CreditEntrySerializer
    filterset_class = CreditEntryFilterSet
    ordering = ["-earned_on"]

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        person = data.pop("person")
        serializer.instance = _service(
            credits.recognise,
            person,
            user=self.request.user,
            credits=data["credits"],
            title=data["title"],
            other_institution=data.get("other_institution", ""),
            evidence=data.get("evidence", ""),
            earned_on=data["earned_on"],
        )


# --- 1+X -------------------------------------------------------------------------------------


class XCertificateSerializer(_PersonRecordSerializer):
    organization_field = "school"
    occupation = None

    class Meta:
        model = XCertificate
        fields = [
            "id",
            "person",
            "person_name",
            "school",
            "issuer",
            "title",
            "level",
            "number",
            "issued_on",
        ]


class XCertificateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ScopedViewSet,
):
    """1+X职业技能等级证书（初级/中级/高级，培训评价组织颁发）；?school=学校ID 按学校列出。"""

    model = XCertificate
    serializer_class = XCertificateSerializer
    filterset_class = XCertificateFilterSet
    ordering = ["-issued_on"]


class EducationRecordSerializer(_PersonRecordSerializer):
    organization_field = "school"
    occupation = None

    class Meta:
        model = EducationRecord
        fields = [
            "id",
            "person",
            "person_name",
            "school",
            "education",
            "major",
            "enrolled_on",
            "graduated_on",
        ]


class EducationRecordViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ScopedViewSet,
):
    """学历记录（1+X 的“1”）。"""

    model = EducationRecord
    serializer_class = EducationRecordSerializer
    filterset_class = EducationRecordFilterSet
    ordering = ["-enrolled_on"]


# --- education fund ---------------------------------------------------------------------------


class EducationFundReportSerializer(ServiceSavedSerializer):
    frontline_share = serializers.DecimalField(
        max_digits=6, decimal_places=4, read_only=True, allow_null=True
    )
    flagged = serializers.SerializerMethodField()

    class Meta:
        model = EducationFundReport
        fields = [
            "id",
            "enterprise",
            "year",
            "payroll",
            "extracted",
            "used",
            "used_frontline",
            "frontline_share",
            "flagged",
            "integration_enterprise",
            "qualifying_investment",
            "surcharge_due",
        ]

    def get_flagged(self, obj: EducationFundReport) -> bool:
        return fund.is_flagged(obj)


class CreditYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    earned = serializers.DecimalField(max_digits=16, decimal_places=2)
    carried_in = serializers.DecimalField(max_digits=16, decimal_places=2)
    due = serializers.DecimalField(max_digits=16, decimal_places=2)
    offset = serializers.DecimalField(max_digits=16, decimal_places=2)
    expired = serializers.DecimalField(max_digits=16, decimal_places=2)
    carried_forward = serializers.DecimalField(max_digits=16, decimal_places=2)


class EducationFundReportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ScopedViewSet,
):
    """职工教育经费年度报告；flagged 表示用于一线职工的比例低于下限（60%）。"""

    model = EducationFundReport
    serializer_class = EducationFundReportSerializer
    filterset_class = EducationFundReportFilterSet
    ordering = ["-year"]

    @extend_schema(responses={200: CreditYearSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def ledger(self, request: Request, pk: str | None = None) -> Response:
        """产教融合型企业抵免台账（逐年：可抵免、结转、应缴、抵免、过期、结转以后年度）。"""
        report = self.get_object()
        # through the serializer: amounts as the schema's decimal strings, not floats
        ledger = fund.credit_ledger(report.enterprise)
        return Response(CreditYearSerializer(ledger, many=True).data)


# --- archive ---------------------------------------------------------------------------------


ArchiveSerializer = inline_serializer(
    "Archive",
    {
        "person": serializers.IntegerField(),
        "name": serializers.CharField(),
        "credits": serializers.DecimalField(max_digits=9, decimal_places=2),
        "framework_level": serializers.CharField(allow_null=True),
        "entries": inline_serializer(
            "ArchiveEntry",
            {
                "on": serializers.DateField(),
                "kind": serializers.CharField(),
                "title": serializers.CharField(),
                "detail": serializers.CharField(),
                "url": serializers.CharField(allow_null=True),
                "source": serializers.CharField(),
            },
            many=True,
        ),
    },
)


def archive_data(person: Person) -> dict[str, Any]:
    standing = credits.standing(person)
    return {
        "person": person.pk,
        "name": person.name,
        "credits": standing.total,
        "framework_level": standing.level.name if standing.level else None,
        "entries": [
            {
                "on": e.on,
                "kind": e.kind,
                "title": e.title,
                "detail": e.detail,
                "url": e.url,
                "source": e.source,
            }
            for e in archive_for(person)
        ],
    }


class ArchiveView(APIView):
    """终身职业技能培训档案：本人（person=mine）或管辖范围内的人员；?signed=1 返回签名JSON。"""

    @extend_schema(responses={200: ArchiveSerializer})
    def get(self, request: Request, person: str) -> Response:
        if person == "mine":
            found = Person.objects.filter(user_id=request.user.pk or 0).first()
            if found is None:
                raise Http404
        else:
            if not may_read_archives(request.user):
                raise Http404
            found = get_scoped(Person.objects.all(), request.user, "view", pk=person)
        if request.query_params.get("signed"):
            return Response(archive_export.signed_document(found))
        # through the serializer: the credit total as the schema's decimal string
        return Response(ArchiveSerializer.to_representation(archive_data(found)))
