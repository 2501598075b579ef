from __future__ import annotations

from typing import Any

from rest_framework import serializers

from tongban.skills.models import (
    Certificate,
    CertificationApplication,
    EvaluationPlan,
    Occupation,
    SkillLevel,
)


class SkillLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = SkillLevel
        fields = ["key", "rank", "name", "grade_name", "high_skill"]


class OccupationSerializer(serializers.ModelSerializer):
    parent: Any = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    levels: Any = serializers.SlugRelatedField(slug_field="key", many=True, read_only=True)
    worklines: Any = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = Occupation
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "parent",
            "digital",
            "green",
            "is_occupation",
            "definition",
            "levels",
            "worklines",
        ]


class EvaluationPlanSerializer(serializers.ModelSerializer):
    occupation = serializers.SlugRelatedField(
        slug_field="code", queryset=Occupation.objects.filter(is_occupation=True)
    )
    level = serializers.SlugRelatedField(slug_field="key", queryset=SkillLevel.objects.all())

    class Meta:
        model = EvaluationPlan
        fields = [
            "id",
            "evaluator",
            "occupation",
            "level",
            "site_code",
            "site_name",
            "starts_on",
            "ends_on",
            "publicity_days",
            "publicity_starts_on",
            "publicity_ends_on",
            "status",
        ]
        read_only_fields = ["publicity_starts_on", "publicity_ends_on", "status"]


class CertificationApplicationSerializer(serializers.ModelSerializer):
    """The applicant is named by document number + name (as on the ID card presented)."""

    person_name = serializers.CharField(source="person.name", read_only=True)
    document_number = serializers.CharField(write_only=True, max_length=20)
    name = serializers.CharField(write_only=True, max_length=60)
    scores = serializers.SerializerMethodField()

    class Meta:
        model = CertificationApplication
        fields = [
            "id",
            "plan",
            "person",
            "person_name",
            "document_number",
            "name",
            "status",
            "eligibility",
            "scores",
        ]
        read_only_fields = ["person", "status", "eligibility"]

    def get_scores(self, obj: CertificationApplication) -> dict[str, str]:
        return {s.part: str(s.score) for s in obj.scores.all()}


class ScoresSerializer(serializers.Serializer):
    theory = serializers.CharField(required=False, allow_blank=True)
    practical = serializers.CharField(required=False, allow_blank=True)
    review = serializers.CharField(required=False, allow_blank=True)


class CertificateSerializer(serializers.ModelSerializer):
    occupation: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)
    level: Any = serializers.SlugRelatedField(slug_field="key", read_only=True)
    issuer = serializers.CharField(source="issuer.organization.name", read_only=True)

    class Meta:
        model = Certificate
        fields = [
            "id",
            "number",
            "person",
            "holder_name",
            "occupation",
            "level",
            "issuer",
            "issued_on",
            "route",
            "status",
            "revoked_reason",
            "payload",
        ]
        read_only_fields = fields
