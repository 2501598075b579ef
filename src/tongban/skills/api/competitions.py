"""API of competitions, awards, incentives and the talent pool: viewsets name their model,
serializer and filterset; writes go through the services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from tongban.core.api.errors import as_drf_validation_error
from tongban.core.api.serializers import RegionCodeField, ServiceSavedSerializer
from tongban.core.api.views import ScopedViewSet
from tongban.core.api.workflow import TransitionsMixin
from tongban.core.masking import mask_document_number
from tongban.core.models import Person, Region
from tongban.core.permissions import has_any
from tongban.skills import awards, competitions, services
from tongban.skills.filtersets import (
    AllowanceSchemeFilterSet,
    AwardConferralFilterSet,
    CompetitionFilterSet,
    MentorshipPairFilterSet,
    ShortageListFilterSet,
    TalentPoolFilterSet,
)
from tongban.skills.models import (
    AllowanceScheme,
    AwardConferral,
    AwardType,
    Competition,
    CompetitionEntry,
    MentorshipPair,
    Occupation,
    ShortageList,
)
from tongban.skills.talent_pool import pool


class EntrantSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person_id")
    name = serializers.CharField(source="person.name")
    certificate = serializers.CharField(source="certificate.number", default=None, allow_null=True)
    promotion_note = serializers.CharField()


class EntrySerializer(serializers.ModelSerializer):
    entrants = EntrantSerializer(many=True, read_only=True)

    class Meta:
        model = CompetitionEntry
        fields = ["id", "name", "rank", "medal", "entrants"]


class CompetitionSerializer(ServiceSavedSerializer):
    occupation = serializers.SlugRelatedField(
        slug_field="code", queryset=Occupation.objects.filter(is_occupation=True)
    )
    region = RegionCodeField(queryset=Region.objects.all())
    entries = EntrySerializer(many=True, read_only=True)

    class Meta:
        model = Competition
        fields = [
            "id",
            "name",
            "level",
            "occupation",
            "organiser",
            "region",
            "starts_on",
            "ends_on",
            "team_size",
            "issuer",
            "site_code",
            "published_on",
            "status",
            "entries",
        ]
        read_only_fields = ["published_on", "status"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None and self.instance.status != "open":
            raise serializers.ValidationError(_("竞赛成绩已公布或竞赛已取消，不能再修改"))
        return attrs


class PersonNamed(serializers.Serializer):
    document_number = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=60)


class EnterSerializer(serializers.Serializer):
    team_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    people = PersonNamed(many=True)


class ResultSerializer(PersonNamed):
    rank = serializers.IntegerField(min_value=1)


def _applicant(data: dict[str, Any]) -> Person:
    return services.applicant(data["document_number"], data["name"])


class CompetitionViewSet(
    TransitionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ScopedViewSet,
):
    """职业技能竞赛：报名（个人或2/3人团体）、录入名次、公布成绩（``publish``，按竞赛级别的
    晋升与表彰规则晋升技能等级并授予荣誉，只执行一次）。"""

    model = Competition
    serializer_class = CompetitionSerializer
    filterset_class = CompetitionFilterSet
    ordering = ["-starts_on"]

    def scope_action(self) -> str:
        if self.action in ("transitions", "fire_transition", "timeline"):
            return "view"
        if self.action in ("entries", "results"):
            return "change"
        return super().scope_action()

    def get_queryset(self) -> QuerySet:
        return (
            super()
            .get_queryset()
            .prefetch_related("entries__entrants__person", "entries__entrants__certificate")
        )

    def perform_transition(self, obj: Any, name: str, *, user: Any, reason: str, **kw: Any) -> Any:
        if name == "publish":
            competitions.publish_results(obj, user=user)
            return Competition.objects.get(pk=obj.pk)
        return super().perform_transition(obj, name, user=user, reason=reason, **kw)

    @extend_schema(request=EnterSerializer, responses={201: EntrySerializer})
    @action(detail=True, methods=["post"])
    def entries(self, request: Request, pk: str | None = None) -> Response:
        """报名：一个参赛队（个人赛为1人）。"""
        competition = self.get_object()
        body = EnterSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            people = [_applicant(p) for p in body.validated_data["people"]]
            entry = competitions.enter(
                competition,
                people,
                user=request.user,
                name=body.validated_data.get("team_name", ""),
            )
        except DjangoValidationError as exc:
            raise as_drf_validation_error(exc) from exc
        return Response(EntrySerializer(entry).data, status=201)

    @extend_schema(request=ResultSerializer, responses={200: EntrySerializer})
    @action(detail=True, methods=["post"])
    def results(self, request: Request, pk: str | None = None) -> Response:
        """录入名次：未报名者、超出参赛数的名次均不予录入。"""
        competition = self.get_object()
        body = ResultSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            entry = competitions.record_result(
                competition,
                _applicant(body.validated_data),
                body.validated_data["rank"],
                user=request.user,
            )
        except DjangoValidationError as exc:
            raise as_drf_validation_error(exc) from exc
        return Response(EntrySerializer(entry).data)


class AwardConferralSerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="person_id", read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True)
    award_type = serializers.SlugRelatedField(slug_field="name", queryset=AwardType.objects.all())
    region = RegionCodeField(queryset=Region.objects.all())
    document_number = serializers.CharField(write_only=True, max_length=20)
    name = serializers.CharField(write_only=True, max_length=60)
    result = serializers.IntegerField(source="result_id", read_only=True, allow_null=True)

    class Meta:
        model = AwardConferral
        fields = [
            "id",
            "person",
            "person_name",
            "award_type",
            "conferred_on",
            "region",
            "document",
            "result",
            "document_number",
            "name",
        ]

    def create(self, validated_data: dict[str, Any]) -> AwardConferral:
        try:
            return awards.confer(
                _applicant(validated_data),
                validated_data["award_type"],
                conferred_on=validated_data["conferred_on"],
                region=validated_data["region"],
                user=self.context["request"].user,
                document=validated_data.get("document", ""),
            )
        except DjangoValidationError as exc:
            raise as_drf_validation_error(exc) from exc


class AwardConferralViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet
):
    """表彰奖励：同一奖项不重复授予；省部级及以上表彰自动作为破格晋升依据。"""

    model = AwardConferral
    serializer_class = AwardConferralSerializer
    filterset_class = AwardConferralFilterSet
    ordering = ["-conferred_on"]


class MentorshipPairSerializer(ServiceSavedSerializer):
    occupation = serializers.SlugRelatedField(
        slug_field="code", queryset=Occupation.objects.filter(is_occupation=True)
    )

    class Meta:
        model = MentorshipPair
        fields = [
            "id",
            "employer",
            "mentor",
            "apprentice",
            "occupation",
            "apprenticeship",
            "started_on",
            "ended_on",
            "result",
            "achievement",
        ]


class MentorshipPairViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ScopedViewSet,
):
    """师带徒结对及带徒成绩（成绩突出者自动作为师傅破格晋升的依据）。"""

    model = MentorshipPair
    serializer_class = MentorshipPairSerializer
    filterset_class = MentorshipPairFilterSet
    ordering = ["-started_on"]


class AllowanceSchemeSerializer(serializers.ModelSerializer):
    rates = serializers.SerializerMethodField()

    class Meta:
        model = AllowanceScheme
        fields = ["id", "employer", "kind", "effective_from", "effective_to", "note", "rates"]

    def get_rates(self, obj: AllowanceScheme) -> dict[str, str]:
        return {r.level.key: str(r.monthly_amount) for r in obj.rates.select_related("level")}


class AllowanceSchemeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """企业津贴制度（技能津贴、班组长津贴、带徒津贴）及各等级月标准。"""

    model = AllowanceScheme
    serializer_class = AllowanceSchemeSerializer
    filterset_class = AllowanceSchemeFilterSet
    ordering = ["-effective_from"]


class ShortageListSerializer(serializers.ModelSerializer):
    occupations = serializers.SerializerMethodField()

    class Meta:
        model = ShortageList
        fields = ["id", "region", "year", "name", "occupations"]

    def get_occupations(self, obj: ShortageList) -> list[dict[str, Any]]:
        return [
            {"code": i.occupation.code, "name": i.occupation.name, "min_level": i.min_level_id}
            for i in obj.items.select_related("occupation")
        ]


class ShortageListViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """紧缺职业目录（人才引进目录），按地区和年度发布。"""

    model = ShortageList
    serializer_class = ShortageListSerializer
    filterset_class = ShortageListFilterSet
    ordering = ["-year"]


class TalentSerializer(serializers.ModelSerializer):
    document_number = serializers.SerializerMethodField()
    top_level = serializers.CharField(source="top_level_name", default=None)
    top_occupation = serializers.CharField(source="top_occupation_name", default=None)
    in_shortage = serializers.BooleanField()

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "gender",
            "birth_date",
            "residence_region",
            "document_number",
            "top_level",
            "top_occupation",
            "in_shortage",
        ]

    def get_document_number(self, obj: Person) -> str:
        return mask_document_number(obj.document_number)


class TalentPoolViewSet(mixins.ListModelMixin, ScopedViewSet):
    """高技能人才库检索（高级工及以上）：按职业（含下级）、等级、地区（含下级）、年龄、奖项、
    用人单位、姓名或拼音、紧缺职业筛选；证件号码脱敏。"""

    model = Person
    permission_label = "skills.talentpool"  # the grant of the search, not of people at large
    serializer_class = TalentSerializer
    filterset_class = TalentPoolFilterSet
    ordering_fields = ["name_pinyin", "birth_date", "top_rank"]
    ordering = ["name_pinyin"]

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # the schema: no user, no scope
            return Person.objects.none()
        if not has_any(self.request.user, self.permission_label, "view"):
            raise NotFound()
        return pool(self.request.user, "view")
