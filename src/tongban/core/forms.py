"""Forms for the registry pages. Validation lives in the models (``clean``) and the
services; forms only parse input and choose widgets."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tongban.core.models import Employment, Organization, Person, Region


class LookupInput(forms.TextInput):
    """A text box that suggests values from an htmx-filled <datalist>."""

    def __init__(self, source_url_name: str, placeholder: str) -> None:
        super().__init__(attrs={"placeholder": placeholder, "autocomplete": "off"})
        self.source_url_name = source_url_name

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        from django.urls import reverse

        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        list_id = f"{widget_attrs.get('id', name)}-options"
        widget_attrs.update(
            {
                "list": list_id,
                "hx-get": reverse(self.source_url_name),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": f"#{list_id}",
                "name": name,
            }
        )
        context["widget"]["datalist_id"] = list_id
        return context

    template_name = "web/widgets/lookup.html"


class RegionField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": _("未知的行政区划代码：%(value)s"),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", LookupInput("core:region_options", str(_("输入地区名称或12位区划代码")))
        )
        super().__init__(queryset=Region.objects.all(), **kwargs)


class OrganizationField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": _("未知的单位或不在您的管辖范围内：%(value)s"),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", LookupInput("core:organization_options", str(_("输入单位名称或信用代码")))
        )
        super().__init__(queryset=Organization.objects.none(), **kwargs)


class ScopedModelForm(forms.ModelForm):
    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            if isinstance(field, OrganizationField):
                field.queryset = Organization.objects.restrict(user, "view")


class OrganizationForm(ScopedModelForm):
    region = RegionField(label=_("所在地区"))
    parent = OrganizationField(label=_("上级单位"), required=False)

    class Meta:
        model = Organization
        fields = ["name", "credit_code", "kind", "region", "parent"]


class PersonForm(ScopedModelForm):
    residence_region = RegionField(label=_("常住地区"))

    class Meta:
        model = Person
        fields = [
            "name",
            "document_type",
            "document_number",
            "gender",
            "birth_date",
            "social_security_card_number",
            "mobile",
            "residence_region",
            "education",
        ]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"})}
        help_texts = {
            "gender": _("居民身份证和港澳台居民居住证可不填，由证件号码确定"),
            "birth_date": _("可不填，由证件号码确定"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # an existing record keeps its document; show it masked, never in an input
            for name in ("document_type", "document_number"):
                self.fields.pop(name)
            self.fields["mobile"].widget = forms.TextInput(
                attrs={"placeholder": str(_("留空则不修改"))}
            )
            self.initial["mobile"] = ""
            self.fields["social_security_card_number"].widget = forms.TextInput(
                attrs={"placeholder": str(_("留空则不修改"))}
            )
            self.initial["social_security_card_number"] = ""

    def clean_mobile(self) -> str:
        value: str = self.cleaned_data.get("mobile", "")
        if self.instance.pk and not value:
            return self.instance.mobile
        return value

    def clean_social_security_card_number(self) -> str:
        value: str = self.cleaned_data.get("social_security_card_number", "")
        if self.instance.pk and not value:
            return self.instance.social_security_card_number
        return value


class EmploymentForm(ScopedModelForm):
    organization = OrganizationField(label=_("用人单位"))

    class Meta:
        model = Employment
        fields = [
            "person",
            "organization",
            "post",
            "occupation_code",
            "start_date",
            "end_date",
            "frontline",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
            "person": forms.HiddenInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person_field = self.fields["person"]
        assert isinstance(person_field, forms.ModelChoiceField)  # noqa: S101
        person_field.queryset = Person.objects.restrict(self.user, "view")
        person_field.error_messages["invalid_choice"] = _("人员不存在或不在您的管辖范围内")
