"""Intake forms: the hotline form and the phone-sized grid report form. They parse input;
the rules live in ``Event.clean`` and ``services.report_event``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tongban.core.forms import RegionField
from tongban.governance.models import Category, Channel, Event, Grid


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"})
        )
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(PhotosField, self).clean(f, initial) for f in files]


class CategoryChoice(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": _("未知的事件分类：%(value)s")}

    def label_from_instance(self, obj: Category) -> str:
        return f"{obj.code} {obj.name}"


class GridChoice(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": _("未知的网格或不在您的管辖范围内：%(value)s")}

    def label_from_instance(self, obj: Grid) -> str:
        return f"{obj.code} {obj.name}"


class EventForm(forms.ModelForm):
    category = CategoryChoice(
        label=_("事件分类"), queryset=Category.objects.filter(active=True).order_by("code")
    )
    region = RegionField(label=_("所在村（社区）"))
    grid = GridChoice(
        label=_("网格"),
        queryset=Grid.objects.none(),
        required=False,
        help_text=_("留空时：网格员本人所在网格，或该村（社区）唯一的网格"),
    )
    photos = PhotosField(label=_("照片"), help_text=_("JPEG、PNG 或 WebP，每张不超过 5 MB"))

    class Meta:
        model = Event
        fields = [
            "channel",
            "category",
            "urgency",
            "region",
            "address",
            "grid",
            "latitude",
            "longitude",
            "description",
            "anonymous",
            "reporter_name",
            "reporter_phone",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, user: Any = None, grid: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grids = Grid.objects.restrict(user, "view").filter(active=True) if user else Grid.objects
        self.fields["grid"].queryset = grids.select_related("region")  # type: ignore[attr-defined]
        self.fields["channel"].choices = [  # type: ignore[attr-defined]
            c for c in Channel.choices if c[0] not in {Channel.OPEN311, Channel.GRID}
        ]
        if grid:
            for name in ("channel", "anonymous", "reporter_name", "reporter_phone"):
                del self.fields[name]


class GridEventForm(EventForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, grid=True, **kwargs)
