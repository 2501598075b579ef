"""Forms of the mediation pages. They parse input; the rules live in the models and in
``governance.mediation``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tongban.core.forms import RegionField
from tongban.governance.models import (
    Channel,
    MediationCase,
    MediationCentre,
    MediationParty,
    MediationSession,
    Performance,
    Referral,
    ReturnVisit,
    StationedMember,
)
from tongban.governance.models.mediation import PERSON_KINDS

PARTY_SIDES = (("applicant", _("申请人")), ("respondent", _("被申请人")))


class CaseForm(forms.ModelForm):
    """Registration of a dispute with its applicant and respondent (more parties can be
    added on the case page while consent is asked)."""

    region = RegionField(label=_("纠纷发生地（村、社区）"))

    class Meta:
        model = MediationCase
        fields = [
            "centre",
            "region",
            "channel",
            "kind",
            "title",
            "description",
            "mediators",
            "departments",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "mediators": forms.CheckboxSelectMultiple,
            "departments": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        centres = MediationCentre.objects.restrict(user, "view").filter(active=True)
        members = (
            StationedMember.objects.restrict(user, "view")
            .filter(active=True)
            .select_related("centre")
        )
        self.fields["centre"].queryset = centres  # type: ignore[attr-defined]
        self.fields["mediators"].queryset = members.filter(kind__in=PERSON_KINDS)  # type: ignore[attr-defined]
        self.fields["departments"].queryset = members.exclude(kind__in=PERSON_KINDS)  # type: ignore[attr-defined]
        self.fields["channel"].choices = [  # type: ignore[attr-defined]
            c for c in Channel.choices if c[0] != Channel.OPEN311
        ]
        only = list(centres[:2])
        if len(only) == 1 and not self.initial.get("centre"):
            self.initial["centre"] = only[0].pk
        for side, label in PARTY_SIDES:
            self.fields[f"{side}_name"] = forms.CharField(
                label=_("%(side)s姓名或名称") % {"side": label}, max_length=60
            )
            self.fields[f"{side}_id_number"] = forms.CharField(
                label=_("%(side)s证件号码") % {"side": label}, max_length=20, required=False
            )
            self.fields[f"{side}_phone"] = forms.CharField(
                label=_("%(side)s联系电话") % {"side": label}, max_length=20, required=False
            )

    def parties(self) -> list[MediationParty]:
        data = self.cleaned_data
        return [
            MediationParty(
                role=side,
                name=data[f"{side}_name"].strip(),
                id_number=data.get(f"{side}_id_number", "").strip(),
                phone=data.get(f"{side}_phone", "").strip(),
            )
            for side, _label in PARTY_SIDES
        ]


class PartyForm(forms.ModelForm):
    class Meta:
        model = MediationParty
        fields = ["role", "name", "id_number", "phone", "address"]


class SessionForm(forms.ModelForm):
    class Meta:
        model = MediationSession
        fields = ["held_on", "place", "summary"]
        widgets = {
            "held_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }


class AgreementForm(forms.Form):
    terms = forms.CharField(
        label=_("协议内容"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,  # the service refuses empty terms with its own message
    )
    perform_by = forms.DateField(
        label=_("履行期限"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    mediator_name = forms.CharField(label=_("调解员签名"), max_length=60, required=False)
    signed = forms.TypedMultipleChoiceField(
        label=_("已在协议上签名的当事人"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, case: MediationCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signed"].choices = [  # type: ignore[attr-defined]
            (p.pk, f"{p.get_role_display()} {p.name}") for p in case.parties.all()
        ]


class FailForm(forms.Form):
    referral = forms.ChoiceField(label=_("引导去向"), choices=[("", "—"), *Referral.choices])
    reason = forms.CharField(label=_("调解不成的原因"), max_length=500)


class ConfirmationForm(forms.Form):
    applied_on = forms.DateField(
        label=_("申请司法确认日期"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    court = forms.CharField(label=_("受理法院"), max_length=100)


class ReturnVisitForm(forms.ModelForm):
    performance = forms.ChoiceField(label=_("履行情况"), choices=Performance.choices)

    class Meta:
        model = ReturnVisit
        fields = ["visited_on", "performance", "note"]
        widgets = {
            "visited_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
