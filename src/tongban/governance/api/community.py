"""API of grids, patrols, screening campaigns, volunteers and the practice network, and their
figures. Writes go through the services; phones are read back masked."""

from __future__ import annotations

import datetime
from dataclasses import asdict
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tongban.core import services as core_services
from tongban.core.api.views import ScopedViewSet
from tongban.core.api.workflow import TransitionsMixin
from tongban.core.masking import mask_phone
from tongban.core.permissions import has_any
from tongban.governance import campaigns, patrols, practice, volunteers
from tongban.governance import filtersets as fs
from tongban.governance.models import (
    Category,
    ChecklistItem,
    ChecklistTemplate,
    Grid,
    PatrolAnswer,
    PatrolTask,
    PracticeActivity,
    PracticeSite,
    ScreeningCampaign,
    ScreeningTarget,
    ServiceSession,
    Volunteer,
    VolunteerDemand,
    VolunteerPairing,
    VolunteerResource,
    VolunteerTeam,
)


class MaskedPhones(serializers.ModelSerializer):
    phone_fields: tuple[str, ...] = ()

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        for name in self.phone_fields:
            data[name] = mask_phone(getattr(instance, name))
        return data


class GridSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id")
    workers: serializers.Field = serializers.SlugRelatedField(
        slug_field="username", many=True, read_only=True
    )

    class Meta:
        model = Grid
        fields = ["id", "code", "name", "region", "description", "households", "workers", "active"]


class ChecklistItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = ["id", "position", "question", "options", "passing", "hazard_category"]


class ChecklistTemplateSerializer(serializers.ModelSerializer):
    items = ChecklistItemSerializer(many=True, read_only=True)

    class Meta:
        model = ChecklistTemplate
        fields = ["id", "code", "name", "hazard_category", "active", "items"]


class PatrolAnswerSerializer(serializers.ModelSerializer):
    event: serializers.Field = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )

    class Meta:
        model = PatrolAnswer
        fields = ["item", "answer", "note", "passed", "event"]


class PatrolTaskSerializer(serializers.ModelSerializer):
    answers = PatrolAnswerSerializer(many=True, read_only=True)

    class Meta:
        model = PatrolTask
        fields = [
            "id",
            "grid",
            "template",
            "place",
            "assignee",
            "due_on",
            "status",
            "patrolled_at",
            "failed_checks",
            "answers",
        ]
        read_only_fields = ["status", "patrolled_at", "failed_checks"]


SubmitSerializer = inline_serializer(
    "PatrolSubmission",
    {
        "answers": serializers.ListField(
            child=inline_serializer(
                "PatrolSubmissionAnswer",
                {
                    "item": serializers.IntegerField(),
                    "answer": serializers.CharField(),
                    "note": serializers.CharField(required=False, allow_blank=True),
                },
            )
        )
    },
)


class ScopedCreate(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin):
    def perform_create(self, serializer: Any) -> None:
        instance = serializer.Meta.model(**serializer.validated_data)
        serializer.instance = self.create_record(instance)

    def create_record(self, instance: Any) -> Any:
        return core_services.save_record(instance, user=self.request.user, action="add")  # type: ignore[attr-defined]


class GridViewSet(ScopedCreate, ScopedViewSet):
    """网格（村、社区内划分），含网格员。"""

    model = Grid
    serializer_class = GridSerializer
    filterset_class = fs.GridFilterSet
    ordering = ["code"]


class ChecklistTemplateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """巡查清单及其检查项（可选答案、通过的答案）。"""

    model = ChecklistTemplate
    serializer_class = ChecklistTemplateSerializer
    ordering = ["code"]


class PatrolTaskViewSet(TransitionsMixin, ScopedCreate, ScopedViewSet):
    """巡查任务：POST {id}/submit/ 提交检查结果，未通过项生成安全隐患事件。"""

    model = PatrolTask
    serializer_class = PatrolTaskSerializer
    filterset_class = fs.PatrolTaskFilterSet
    ordering = ["status", "due_on"]

    def scope_action(self) -> str:
        if self.action in {"fire_transition", "transitions", "timeline", "submit"}:
            return "view"
        return super().scope_action()

    def create_record(self, instance: Any) -> Any:
        return patrols.assign_patrol(instance, user=self.request.user)

    @extend_schema(request=SubmitSerializer, responses=PatrolTaskSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        task = self.get_object()
        rows = request.data.get("answers") if isinstance(request.data, dict) else None
        if not isinstance(rows, list):
            raise serializers.ValidationError({"answers": ["请以列表提交每个检查项的回答"]})
        given: dict[int, patrols.Answer] = {}
        for row in rows:
            try:
                given[int(row["item"])] = patrols.Answer(
                    str(row.get("answer", "")), str(row.get("note", ""))
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise serializers.ValidationError(
                    {"answers": ["每个回答须包含检查项编号 item 和回答 answer"]}
                ) from exc
        task = patrols.submit_patrol(task, given, user=request.user)
        return Response(PatrolTaskSerializer(task).data)


CoverageSerializer = inline_serializer(
    "Coverage",
    {
        "listed": serializers.IntegerField(),
        "visited": serializers.IntegerField(),
        "percent": serializers.FloatField(allow_null=True),
        "disputes": serializers.IntegerField(),
        "hazards": serializers.IntegerField(),
    },
)


def coverage_data(c: campaigns.Coverage) -> dict[str, Any]:
    return {**asdict(c), "percent": c.percent}


class CampaignSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id")
    coverage = serializers.SerializerMethodField()

    class Meta:
        model = ScreeningCampaign
        fields = ["id", "name", "kind", "region", "start", "end", "coverage"]

    @extend_schema_field(CoverageSerializer)
    def get_coverage(self, obj: ScreeningCampaign) -> dict[str, Any]:
        return coverage_data(campaigns.campaign_coverage(obj, self.context["request"].user))


class CampaignViewSet(ScopedCreate, ScopedViewSet):
    """两个排查见底：排查行动（区域、期间）及其走访覆盖率。"""

    model = ScreeningCampaign
    serializer_class = CampaignSerializer
    filterset_class = fs.ScreeningCampaignFilterSet
    ordering = ["-start"]

    def create_record(self, instance: Any) -> Any:
        return campaigns.create_campaign(instance, user=self.request.user)


class TargetSerializer(MaskedPhones):
    phone_fields = ("contact_phone",)
    region = serializers.CharField(source="region_id")

    class Meta:
        model = ScreeningTarget
        fields = [
            "id",
            "campaign",
            "kind",
            "name",
            "address",
            "contact_phone",
            "region",
            "grid",
            "visited_on",
            "disputes_found",
            "hazards_found",
            "findings",
            "events",
        ]
        read_only_fields = ["visited_on", "disputes_found", "hazards_found", "findings"]

    events: serializers.Field = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )


class ScreeningVisitSerializer(serializers.Serializer):
    visited_on = serializers.DateField()
    disputes_found = serializers.IntegerField(min_value=0, required=False)
    hazards_found = serializers.IntegerField(min_value=0, required=False)
    findings = serializers.CharField(required=False, allow_blank=True)
    report_category = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Category.objects.filter(active=True),
        required=False,
        allow_null=True,
    )


class TargetViewSet(ScopedCreate, ScopedViewSet):
    """排查对象（住户、企业）：POST {id}/visit/ 登记走访及发现的矛盾纠纷、安全隐患。"""

    model = ScreeningTarget
    serializer_class = TargetSerializer
    filterset_class = fs.ScreeningTargetFilterSet
    ordering = ["campaign", "pk"]

    def scope_action(self) -> str:
        return "change" if self.action == "visit" else super().scope_action()

    @extend_schema(request=ScreeningVisitSerializer, responses=TargetSerializer)
    @action(detail=True, methods=["post"])
    def visit(self, request: Request, pk: str | None = None) -> Response:
        target = self.get_object()
        body = ScreeningVisitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        target = campaigns.record_visit(
            target,
            user=request.user,
            visited_on=data["visited_on"],
            disputes=data.get("disputes_found", 0),
            hazards=data.get("hazards_found", 0),
            findings=data.get("findings", ""),
            report_category=data.get("report_category"),
        )
        return Response(TargetSerializer(target).data)


class TeamSerializer(MaskedPhones):
    phone_fields = ("leader_phone",)
    region = serializers.CharField(source="region_id")

    class Meta:
        model = VolunteerTeam
        fields = ["id", "name", "region", "service_type", "leader_name", "leader_phone", "active"]


class VolunteerSerializer(MaskedPhones):
    phone_fields = ("phone",)
    region = serializers.CharField(source="region_id")

    class Meta:
        model = Volunteer
        fields = ["id", "name", "phone", "region", "team", "skills", "active"]


class ResourceSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id")

    class Meta:
        model = VolunteerResource
        fields = [
            "id",
            "title",
            "service_type",
            "team",
            "volunteer",
            "region",
            "description",
            "active",
            "created_at",
        ]
        read_only_fields = ["created_at"]


class DemandSerializer(MaskedPhones):
    phone_fields = ("requester_phone",)
    region = serializers.CharField(source="region_id")

    class Meta:
        model = VolunteerDemand
        fields = [
            "id",
            "title",
            "service_type",
            "description",
            "region",
            "address",
            "requester_name",
            "requester_phone",
            "wanted_on",
            "status",
            "created_at",
        ]
        read_only_fields = ["status", "created_at"]


class PairingSerializer(serializers.ModelSerializer):
    class Meta:
        model = VolunteerPairing
        fields = [
            "id",
            "demand",
            "team",
            "volunteer",
            "resource",
            "status",
            "rating",
            "rating_comment",
            "created_at",
        ]
        read_only_fields = ["status", "rating", "rating_comment", "created_at"]


class SessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceSession
        fields = ["id", "pairing", "served_on", "hours", "volunteers", "people_served", "note"]
        # the mediation session serializer has the same class name: keep the two apart
        ref_name = "ServiceSession"


class TeamViewSet(ScopedCreate, ScopedViewSet):
    """志愿服务队。"""

    model = VolunteerTeam
    serializer_class = TeamSerializer
    filterset_class = fs.VolunteerTeamFilterSet
    ordering = ["name"]


class VolunteerViewSet(ScopedCreate, ScopedViewSet):
    """志愿者（电话脱敏）。"""

    model = Volunteer
    serializer_class = VolunteerSerializer
    filterset_class = fs.VolunteerFilterSet
    ordering = ["name"]


class ResourceViewSet(ScopedCreate, ScopedViewSet):
    """资源清单：队伍或志愿者提供的服务。"""

    model = VolunteerResource
    serializer_class = ResourceSerializer
    filterset_class = fs.VolunteerResourceFilterSet
    ordering = ["-created_at"]


class DemandViewSet(TransitionsMixin, ScopedCreate, ScopedViewSet):
    """需求清单（点单）；派单见 volunteer-pairings。"""

    model = VolunteerDemand
    serializer_class = DemandSerializer
    filterset_class = fs.VolunteerDemandFilterSet
    ordering = ["-created_at"]

    def scope_action(self) -> str:
        if self.action in {"fire_transition", "transitions", "timeline"}:
            return "view"
        return super().scope_action()

    def create_record(self, instance: Any) -> Any:
        return volunteers.register_demand(instance, user=self.request.user)


class PairingViewSet(TransitionsMixin, ScopedCreate, ScopedViewSet):
    """派单清单：POST 派单；{id}/transitions/ 接单、拒单、服务完成、评单（score 1–5）。"""

    model = VolunteerPairing
    serializer_class = PairingSerializer
    filterset_class = fs.VolunteerPairingFilterSet
    ordering = ["-created_at"]

    def scope_action(self) -> str:
        if self.action in {"fire_transition", "transitions", "timeline"}:
            return "view"
        return super().scope_action()

    def create_record(self, instance: Any) -> Any:
        return volunteers.pair_demand(instance, user=self.request.user)

    def transition_kwargs(self, name: str, data: Any) -> dict[str, Any]:
        if name == "rate":
            return {"score": data.get("score"), "comment": str(data.get("comment", ""))}
        return {}

    def perform_transition(
        self, obj: Any, name: str, *, user: Any, reason: str, **kwargs: Any
    ) -> Any:
        return volunteers.fire_pairing_transition(obj, name, user=user, reason=reason, **kwargs)


class SessionViewSet(ScopedCreate, ScopedViewSet):
    """服务记录：时长、参与志愿者人数、服务人数。"""

    model = ServiceSession
    serializer_class = SessionSerializer
    filterset_class = fs.ServiceSessionFilterSet
    ordering = ["-served_on"]

    def create_record(self, instance: Any) -> Any:
        return volunteers.record_session(instance, user=self.request.user)


class PracticeSiteSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id")

    class Meta:
        model = PracticeSite
        fields = ["id", "name", "level", "region", "parent", "address", "active"]


class PracticeActivitySerializer(serializers.ModelSerializer):
    class Meta:
        model = PracticeActivity
        fields = [
            "id",
            "site",
            "title",
            "held_on",
            "participants",
            "volunteers",
            "team",
            "description",
        ]


class PracticeSiteViewSet(ScopedCreate, ScopedViewSet):
    """新时代文明实践阵地（市、县中心，乡镇所，村站，基地）。"""

    model = PracticeSite
    serializer_class = PracticeSiteSerializer
    filterset_class = fs.PracticeSiteFilterSet
    ordering = ["level", "name"]


class PracticeActivityViewSet(ScopedCreate, ScopedViewSet):
    """文明实践活动。"""

    model = PracticeActivity
    serializer_class = PracticeActivitySerializer
    filterset_class = fs.PracticeActivityFilterSet
    ordering = ["-held_on"]


FiguresSerializer = inline_serializer(
    "CommunityFigures",
    {
        "start": serializers.DateField(),
        "end": serializers.DateField(),
        "patrols": serializers.DictField(),
        "volunteers": serializers.DictField(),
        "practice_levels": serializers.ListField(child=serializers.DictField()),
        "campaigns": serializers.ListField(child=serializers.DictField()),
    },
)


def _date(value: str | None, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError as exc:
        if value:
            raise serializers.ValidationError({"start": ["日期格式应为 YYYY-MM-DD"]}) from exc
        return default


class CommunityFiguresView(APIView):
    """网格巡查、两个排查覆盖率、志愿服务（需求、资源、派单、服务场次、服务人次）和文明实践
    各层级阵地、活动数，按用户管辖范围、区划和期间统计。"""

    @extend_schema(
        parameters=[
            OpenApiParameter("start", str, description="YYYY-MM-DD"),
            OpenApiParameter("end", str, description="YYYY-MM-DD"),
            OpenApiParameter("within", str, description="区划代码（含下级）"),
        ],
        responses=FiguresSerializer,
    )
    def get(self, request: Request) -> Response:
        from django.http import Http404

        if not has_any(request.user, "governance.grid", "view"):
            raise Http404
        today = timezone.localdate()
        start = _date(request.query_params.get("start"), today.replace(month=1, day=1))
        end = max(start, _date(request.query_params.get("end"), today))
        within = request.query_params.get("within", "")
        counts = volunteers.counts(request.user, start, end, within)
        return Response(
            {
                "start": start,
                "end": end,
                "patrols": asdict(patrols.figures(request.user, start, end, within)),
                "volunteers": {**asdict(counts), "hours": str(counts.hours)},
                "practice_levels": [
                    asdict(r) for r in practice.counts_per_level(request.user, start, end, within)
                ],
                "campaigns": [
                    {"id": c.pk, "name": c.name, **coverage_data(cov)}
                    for c, cov in campaigns.campaigns_in_period(request.user, start, end, within)
                ],
            }
        )
