"""Forms: they parse input and choose widgets; the rules live in models and services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tongban.skills.access import is_staff_of
from tongban.skills.models import EvaluationPlan, Evaluator, Occupation, SkillLevel
from tongban.skills.models.occupation import CERTIFICATE_LEVELS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OccupationCodeField(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": _("未知的职业代码：%(value)s")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "6-18-01-01"}))
        super().__init__(
            queryset=Occupation.objects.filter(is_occupation=True), to_field_name="code", **kwargs
        )


def certificate_levels() -> Any:
    return SkillLevel.objects.filter(key__in=CERTIFICATE_LEVELS).order_by("rank")


class EvaluationPlanForm(forms.ModelForm):
    occupation = OccupationCodeField(label=_("职业代码"))

    class Meta:
        model = EvaluationPlan
        fields = [
            "evaluator",
            "occupation",
            "level",
            "site_code",
            "site_name",
            "starts_on",
            "ends_on",
            "publicity_days",
        ]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        evaluators = [
            e.pk
            for e in Evaluator.objects.select_related("organization")
            if is_staff_of(user, e.organization_id)
        ]
        self.fields["evaluator"].queryset = Evaluator.objects.filter(pk__in=evaluators)  # type: ignore[attr-defined]
        self.fields["level"].queryset = certificate_levels()  # type: ignore[attr-defined]
        if len(evaluators) == 1 and not self.instance.pk and not self.initial.get("evaluator"):
            self.initial["evaluator"] = evaluators[0]


class ApplyForm(forms.Form):
    document_number = forms.CharField(label=_("申报人证件号码"), max_length=20)
    name = forms.CharField(label=_("申报人姓名"), max_length=60)


class EligibilityForm(forms.Form):
    document_number = forms.CharField(label=_("证件号码"), max_length=20, required=False)
    occupation = OccupationCodeField(label=_("职业代码"))
    level = forms.ModelChoiceField(label=_("技能等级"), queryset=SkillLevel.objects.none())
    on = forms.DateField(label=_("核验日期"), required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = certificate_levels()  # type: ignore[attr-defined]


class VerifyForm(forms.Form):
    number = forms.CharField(label=_("证书编号"), max_length=22, required=False)
    document_number = forms.CharField(label=_("证件号码"), max_length=20, required=False)
    name = forms.CharField(label=_("姓名"), max_length=60)
