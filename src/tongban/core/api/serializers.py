"""Serializers parse and render; every write goes through ``services.save_record``,
so the API refuses exactly what the pages refuse, with the same messages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tongban.core import services
from tongban.core.api.errors import as_drf_validation_error
from tongban.core.masking import masked
from tongban.core.models import Employment, Organization, Person, Region


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent", "dataset"]


class ServiceSavedSerializer(serializers.ModelSerializer):
    """Create and update through the service, as the requesting user."""

    def _save(self, instance: Any, data: dict[str, Any]) -> Any:
        for name, value in data.items():
            setattr(instance, name, value)
        try:
            return services.save_record(instance, user=self.context["request"].user)
        except DjangoValidationError as exc:
            raise as_drf_validation_error(exc) from exc

    def create(self, validated_data: dict[str, Any]) -> Any:
        model: Any = self.Meta.model
        return self._save(model(), validated_data)

    def update(self, instance: Any, validated_data: dict[str, Any]) -> Any:
        return self._save(instance, validated_data)


class RegionCodeField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {
        "does_not_exist": _("未知的行政区划代码：{pk_value}"),
        "incorrect_type": _("行政区划代码应为12位数字"),
    }


class OrganizationSerializer(ServiceSavedSerializer):
    region = RegionCodeField(queryset=Region.objects.all(), label=_("所在地区"))
    credit_code = serializers.CharField(
        label=_("统一社会信用代码"), required=False, allow_blank=True, allow_null=True
    )

    class Meta:
        model = Organization
        fields = ["id", "name", "credit_code", "kind", "region", "parent", "created_at"]
        read_only_fields = ["created_at"]

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            parent = fields["parent"]
            assert isinstance(parent, serializers.PrimaryKeyRelatedField)  # noqa: S101
            parent.queryset = Organization.objects.restrict(request.user)
        return fields


class PersonSerializer(ServiceSavedSerializer):
    """Personal fields are written in full and always read back masked;
    ``POST /api/people/{id}/reveal/`` returns them unmasked and logs the read."""

    residence_region = RegionCodeField(queryset=Region.objects.all(), label=_("常住地区"))
    document_number = serializers.CharField(label=_("证件号码"), max_length=20)
    mobile = serializers.CharField(label=_("手机号码"), required=False, allow_blank=True)
    social_security_card_number = serializers.CharField(
        label=_("社会保障卡号"), required=False, allow_blank=True
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "document_type",
            "document_number",
            "gender",
            "birth_date",
            "social_security_card_number",
            "mobile",
            "residence_region",
            "education",
            "registered_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["registered_by", "created_at", "updated_at"]
        # the service reports duplicates in Chinese, saying whether the record is visible
        validators: list[Any] = []

    def to_representation(self, instance: Person) -> dict[str, Any]:
        data = super().to_representation(instance)
        for name in ("document_number", "mobile", "social_security_card_number"):
            data[name] = masked(name, getattr(instance, name))
        return data

    def update(self, instance: Person, validated_data: dict[str, Any]) -> Person:
        for name in ("document_type", "document_number"):
            new = validated_data.get(name)
            if new is not None and new.strip().upper() != getattr(instance, name):
                raise serializers.ValidationError({name: [_("证件类型和证件号码登记后不能修改")]})
            validated_data.pop(name, None)
        updated: Person = super().update(instance, validated_data)
        return updated


class PersonalDataSerializer(serializers.Serializer):
    document_number = serializers.CharField()
    mobile = serializers.CharField()
    social_security_card_number = serializers.CharField()


class RevealRequestSerializer(serializers.Serializer):
    purpose = serializers.CharField(label=_("查看事由"), required=False, allow_blank=True)


class EmploymentSerializer(ServiceSavedSerializer):
    class Meta:
        model = Employment
        fields = [
            "id",
            "person",
            "organization",
            "post",
            "occupation_code",
            "start_date",
            "end_date",
            "frontline",
        ]
        validators: list[Any] = []

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            for name, model in (("person", Person), ("organization", Organization)):
                field = fields[name]
                assert isinstance(field, serializers.PrimaryKeyRelatedField)  # noqa: S101
                field.queryset = model.objects.restrict(request.user)
                field.error_messages["does_not_exist"] = (
                    "记录不存在或不在您的管辖范围内：{pk_value}"
                )
        return fields
