"""API serializers of mediation and risk warnings. Parties' ID numbers and phones are
written in full and always read back masked; a party's address is never read back."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tongban.core.masking import mask_document_number, mask_phone
from tongban.governance.models import (
    MediationAgreement,
    MediationCase,
    MediationCentre,
    MediationParty,
    MediationSession,
    Performance,
    Referral,
    ReturnVisit,
    RiskWarning,
    StationedMember,
    WarningRule,
)
from tongban.governance.models.mediation import PERSON_KINDS


class StationedMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = StationedMember
        fields = ["id", "kind", "name", "organization", "phone", "active"]

    def to_representation(self, instance: StationedMember) -> dict[str, Any]:
        data = super().to_representation(instance)
        if instance.kind in PERSON_KINDS:
            data["phone"] = mask_phone(instance.phone)
        return data


class MediationCentreSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", read_only=True)
    members = StationedMemberSerializer(many=True, read_only=True)

    class Meta:
        model = MediationCentre
        fields = [
            "id",
            "name",
            "level",
            "region",
            "parent",
            "organization",
            "address",
            "phone",
            "active",
            "members",
        ]


class MediationPartySerializer(serializers.ModelSerializer):
    class Meta:
        model = MediationParty
        fields = [
            "id",
            "role",
            "name",
            "id_number",
            "phone",
            "address",
            "consent",
            "consent_at",
            "refusal_reason",
            "signed_at",
        ]
        read_only_fields = ["consent", "consent_at", "refusal_reason", "signed_at"]
        extra_kwargs = {"address": {"write_only": True}}

    def to_representation(self, instance: MediationParty) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["id_number"] = mask_document_number(instance.id_number) if instance.id_number else ""
        data["phone"] = mask_phone(instance.phone) if instance.phone else ""
        return data


class MediationAgreementSerializer(serializers.ModelSerializer):
    class Meta:
        model = MediationAgreement
        fields = [
            "terms",
            "perform_by",
            "mediator_name",
            "signed_on",
            "confirmation_due",
            "confirmation_applied_on",
            "confirmation_court",
            "confirmation_result",
            "return_visit_due",
        ]
        read_only_fields = fields


class MediationCaseSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id")
    parties = MediationPartySerializer(many=True)
    mediators = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=StationedMember.objects.filter(active=True)
    )
    departments = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=StationedMember.objects.filter(active=True)
    )
    agreement = serializers.SerializerMethodField()

    class Meta:
        model = MediationCase
        fields = [
            "id",
            "code",
            "centre",
            "region",
            "channel",
            "event",
            "referred_from",
            "kind",
            "title",
            "description",
            "status",
            "registered_on",
            "due_on",
            "mediators",
            "departments",
            "referral",
            "outcome_note",
            "ended_on",
            "parties",
            "agreement",
            "created_at",
        ]
        read_only_fields = [
            "code",
            "referred_from",
            "status",
            "registered_on",
            "due_on",
            "referral",
            "outcome_note",
            "ended_on",
            "created_at",
        ]

    def get_agreement(self, instance: MediationCase) -> dict[str, Any] | None:
        agreement = MediationAgreement.objects.filter(case=instance).first()
        return MediationAgreementSerializer(agreement).data if agreement else None


class ConsentSerializer(serializers.Serializer):
    party = serializers.IntegerField(label=_("当事人"))
    consent = serializers.BooleanField(label=_("是否同意调解"))
    reason = serializers.CharField(label=_("不同意理由"), required=False, allow_blank=True)


class SessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = MediationSession
        fields = ["id", "held_on", "place", "mediator", "summary"]


class AgreementInputSerializer(serializers.Serializer):
    terms = serializers.CharField(label=_("协议内容"), allow_blank=True)
    mediator_name = serializers.CharField(label=_("调解员签名"), allow_blank=True)
    signed_parties = serializers.ListField(
        child=serializers.IntegerField(), label=_("已签名的当事人")
    )
    signed_on = serializers.DateField(label=_("签订日期"), required=False)
    perform_by = serializers.DateField(label=_("履行期限"), required=False, allow_null=True)


class FailInputSerializer(serializers.Serializer):
    referral = serializers.ChoiceField(label=_("引导去向"), choices=Referral.choices)
    reason = serializers.CharField(label=_("调解不成的原因"))


class ConfirmationInputSerializer(serializers.Serializer):
    applied_on = serializers.DateField(label=_("申请司法确认日期"))
    court = serializers.CharField(label=_("受理法院"))


class ReturnVisitSerializer(serializers.ModelSerializer):
    performance = serializers.ChoiceField(choices=Performance.choices)

    class Meta:
        model = ReturnVisit
        fields = ["id", "visited_on", "performance", "note"]


class DepartmentInputSerializer(serializers.Serializer):
    department = serializers.IntegerField(label=_("入驻部门"))


class MediationFiguresSerializer(serializers.Serializer):
    registered = serializers.IntegerField()
    resolved = serializers.IntegerField()
    closed_after_visit = serializers.IntegerField()
    failed = serializers.IntegerField()
    refused = serializers.IntegerField()
    success_rate = serializers.FloatField(allow_null=True)
    overdue_open = serializers.IntegerField()
    confirmation_open = serializers.IntegerField()
    confirmation_applied = serializers.IntegerField()
    return_visits_due = serializers.IntegerField()


class WarningRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = WarningRule
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "window_days",
            "threshold",
            "baseline_days",
            "factor",
            "level",
            "active",
        ]


class RiskWarningSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", read_only=True)
    rule: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    owner: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = RiskWarning
        fields = [
            "id",
            "rule",
            "subject_label",
            "region",
            "level",
            "count",
            "evidence",
            "owner",
            "status",
            "raised_at",
            "last_evaluated_at",
            "acknowledged_at",
            "closed_at",
        ]
        read_only_fields = fields


class WarningRegionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    counts = serializers.DictField(child=serializers.IntegerField())
    total = serializers.IntegerField()


class PartyRevealSerializer(serializers.Serializer):
    party = serializers.IntegerField(label=_("当事人"))
    purpose = serializers.CharField(label=_("查看事由"), required=False, allow_blank=True)


class PartyContactSerializer(serializers.Serializer):
    id_number = serializers.CharField(label=_("证件号码"))
    phone = serializers.CharField(label=_("联系电话"))


class RulingInputSerializer(serializers.Serializer):
    confirmation_result = serializers.ChoiceField(
        label=_("司法确认结果"),
        choices=[("confirmed", _("裁定有效")), ("rejected", _("裁定驳回"))],
    )
