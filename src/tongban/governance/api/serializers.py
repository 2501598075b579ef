"""API serializers of the governance app. Reporter contact details are written in full and
always read back masked."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tongban.core.masking import mask_name, mask_phone
from tongban.governance.models import Category, Event, Grid


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "parent",
            "description",
            "limit_normal",
            "limit_urgent",
            "active",
        ]


class EventSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Category.objects.filter(active=True),
        error_messages={"does_not_exist": "未知的事件分类：{value}"},
    )
    region = serializers.CharField(source="region_id")
    grid = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Grid.objects.filter(active=True),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": "未知的网格：{value}"},
    )
    reporter_name = serializers.CharField(required=False, allow_blank=True, max_length=50)
    reporter_phone = serializers.CharField(required=False, allow_blank=True, max_length=20)

    class Meta:
        model = Event
        fields = [
            "id",
            "code",
            "channel",
            "category",
            "urgency",
            "region",
            "address",
            "grid",
            "grid_label",
            "latitude",
            "longitude",
            "description",
            "anonymous",
            "reporter_name",
            "reporter_phone",
            "status",
            "unit",
            "handoffs",
            "deadline",
            "deadline_provisional",
            "result",
            "satisfaction",
            "created_at",
        ]
        read_only_fields = [
            "grid_label",
            "code",
            "status",
            "unit",
            "handoffs",
            "deadline",
            "deadline_provisional",
            "result",
            "satisfaction",
            "created_at",
        ]

    def to_representation(self, instance: Event) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["reporter_name"] = mask_name(instance.reporter_name)
        data["reporter_phone"] = mask_phone(instance.reporter_phone)
        return data


class ReporterPhoneSerializer(serializers.Serializer):
    reporter_phone = serializers.CharField(label=_("反映人电话"))
