"""Forms for training, 1+X, credits and the education fund: they parse input and choose
widgets; the rules live in the models and in ``training`` / ``credits`` / ``fund``."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongban.core.models import Organization, OrganizationKind
from tongban.skills.forms import DATE, OccupationCodeField, _PersonRecordForm, certificate_levels
from tongban.skills.models import (
    EducationFundReport,
    EducationRecord,
    Enrolment,
    TrainingClass,
    TrainingProgramme,
    TrainingSession,
    XCertificate,
)

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
TRAINING_KINDS = (OrganizationKind.TRAINING_INSTITUTION, OrganizationKind.VOCATIONAL_SCHOOL)


class TrainingProgrammeForm(forms.ModelForm):
    occupation = OccupationCodeField(label=_("职业代码"), required=False)

    class Meta:
        model = TrainingProgramme
        fields = ["provider", "name", "occupation", "level", "kind", "delivery", "hours"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        providers = Organization.objects.restrict(user, "view").filter(kind__in=TRAINING_KINDS)
        self.fields["provider"].queryset = providers  # type: ignore[attr-defined]
        self.fields["level"].queryset = certificate_levels()  # type: ignore[attr-defined]
        if providers.count() == 1 and not self.instance.pk:
            self.initial.setdefault("provider", providers.first())


class TrainingClassForm(forms.ModelForm):
    class Meta:
        model = TrainingClass
        fields = ["programme", "name", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = TrainingProgramme.objects.restrict(user, "change")  # type: ignore[attr-defined]


class EnrolForm(forms.Form):
    numbers = forms.CharField(
        label=_("学员证件号码或社会保障卡号"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一人，可在号码后写姓名核对"),
    )


class SessionForm(forms.Form):
    day = forms.DateField(label=_("上课日期"), widget=DATE)
    starts = forms.TimeField(label=_("开始时间"), widget=TIME)
    ends = forms.TimeField(label=_("结束时间"), widget=TIME)
    topic = forms.CharField(label=_("课程内容"), max_length=120, required=False)

    def moments(self) -> tuple[datetime.datetime, datetime.datetime]:
        tz = timezone.get_current_timezone()
        day = self.cleaned_data["day"]
        return (
            datetime.datetime.combine(day, self.cleaned_data["starts"], tzinfo=tz),
            datetime.datetime.combine(day, self.cleaned_data["ends"], tzinfo=tz),
        )


class AttendanceForm(forms.Form):
    session = forms.ModelChoiceField(
        label=_("课次"), queryset=TrainingSession.objects.none(), empty_label=None
    )
    enrolment = forms.ModelChoiceField(
        label=_("学员"), queryset=Enrolment.objects.none(), empty_label=None
    )
    arrived = forms.TimeField(
        label=_("签到时间"), widget=TIME, required=False, help_text=_("留空为课次开始时间")
    )
    left = forms.TimeField(
        label=_("签退时间"), widget=TIME, required=False, help_text=_("留空为课次结束时间")
    )

    def __init__(self, *args: Any, training_class: TrainingClass, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        session = self.fields["session"]
        session.queryset = training_class.sessions.all()  # type: ignore[attr-defined]
        session.label_from_instance = lambda s: (  # type: ignore[attr-defined]
            f"{timezone.localtime(s.starts_at):%Y-%m-%d %H:%M}-"
            f"{timezone.localtime(s.ends_at):%H:%M} {s.topic}"
        )
        enrolment = self.fields["enrolment"]
        enrolment.queryset = training_class.enrolments.select_related("person")  # type: ignore[attr-defined]
        enrolment.label_from_instance = lambda e: e.person.name  # type: ignore[attr-defined]

    def moments(self) -> tuple[datetime.datetime | None, datetime.datetime | None]:
        session: TrainingSession = self.cleaned_data["session"]
        day = timezone.localtime(session.starts_at).date()
        tz = timezone.get_current_timezone()

        def at(value: datetime.time | None) -> datetime.datetime | None:
            return datetime.datetime.combine(day, value, tzinfo=tz) if value else None

        return at(self.cleaned_data.get("arrived")), at(self.cleaned_data.get("left"))


class XCertificateForm(_PersonRecordForm):
    organization_field = "school"
    organization_kinds = (OrganizationKind.VOCATIONAL_SCHOOL,)

    class Meta:
        model = XCertificate
        fields = ["school", "issuer", "title", "level", "number", "issued_on"]
        widgets = {"issued_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = Organization.objects.filter(  # type: ignore[attr-defined]
            kind=OrganizationKind.EVALUATION_ORGANIZATION
        )


class EducationRecordForm(_PersonRecordForm):
    organization_field = "school"
    organization_kinds = (OrganizationKind.VOCATIONAL_SCHOOL,)

    class Meta:
        model = EducationRecord
        fields = ["school", "education", "major", "enrolled_on", "graduated_on"]
        widgets = {"enrolled_on": DATE, "graduated_on": DATE}


class EducationFundReportForm(forms.ModelForm):
    class Meta:
        model = EducationFundReport
        fields = [
            "enterprise",
            "year",
            "payroll",
            "extracted",
            "used",
            "used_frontline",
            "integration_enterprise",
            "qualifying_investment",
            "surcharge_due",
        ]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        enterprises = Organization.objects.restrict(user, "view").filter(
            kind=OrganizationKind.ENTERPRISE
        )
        self.fields["enterprise"].queryset = enterprises  # type: ignore[attr-defined]
        if enterprises.count() == 1 and not self.instance.pk:
            self.initial.setdefault("enterprise", enterprises.first())


class RecognitionForm(forms.Form):
    title = forms.CharField(label=_("学习成果"), max_length=200)
    credits = forms.DecimalField(
        label=_("学分"), min_value=Decimal("0.01"), max_digits=7, decimal_places=2
    )
    other_institution = forms.CharField(label=_("原发放机构（外机构）"), max_length=200)
    evidence = forms.CharField(label=_("认定依据"), max_length=200)
    earned_on = forms.DateField(label=_("取得日期"), widget=DATE)


class ArchiveSearchForm(forms.Form):
    number = forms.CharField(label=_("证件号码或社会保障卡号"), max_length=20)
