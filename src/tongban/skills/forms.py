"""Forms: they parse input and choose widgets; the rules live in models and services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tongban.core.forms import RegionField
from tongban.core.models import Organization
from tongban.core.permissions import assignments, is_platform_admin
from tongban.skills.access import is_staff_of
from tongban.skills.models import (
    ApplicationStatus,
    Apprenticeship,
    CertificationApplication,
    EvaluationPlan,
    Evaluator,
    Occupation,
    OfficialEmployment,
    SchoolRecord,
    SkillLevel,
    WageReport,
)
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


class ObjectionForm(forms.Form):
    """An objection to one result of a plan in 公示; the rules are in ``services.file_objection``."""

    application = forms.ModelChoiceField(
        label=_("异议对象"), queryset=EvaluationPlan.objects.none(), empty_label=None
    )
    raised_by_name = forms.CharField(label=_("异议人姓名"), max_length=60)
    raised_by_contact = forms.CharField(label=_("异议人联系方式"), max_length=60)
    grounds = forms.CharField(label=_("异议事实与理由"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, plan: EvaluationPlan | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        applications = (
            plan.applications.filter(status=ApplicationStatus.PASSED).select_related("person")
            if plan is not None
            else CertificationApplication.objects.none()
        )
        field = self.fields["application"]
        field.queryset = applications  # type: ignore[attr-defined]
        field.label_from_instance = lambda a: a.person.name  # type: ignore[attr-defined]


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


# --- the other certification routes: forms hand their data to one service each --------------


class PersonNamedForm(forms.Form):
    """The person is named as on the ID card presented: document number + name."""

    document_number = forms.CharField(label=_("证件号码"), max_length=20)
    name = forms.CharField(label=_("姓名"), max_length=60)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user


class EmployerRouteForm(PersonNamedForm):
    occupation = OccupationCodeField(label=_("职业代码"))
    level = forms.ModelChoiceField(label=_("技能等级"), queryset=SkillLevel.objects.none())
    site_code = forms.CharField(label=_("考核站点代码"), max_length=6, help_text=_("6位数字"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = certificate_levels()  # type: ignore[attr-defined]


class DirectCertificationForm(EmployerRouteForm):
    performance = forms.CharField(
        label=_("日常表现和工作业绩"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ExceptionalPromotionForm(EmployerRouteForm):
    grounds = forms.ChoiceField(label=_("破格情形"), choices=())
    evidence = forms.CharField(
        label=_("证明材料"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("已登记的省部级及以上表彰、带徒成绩突出记录自动作为依据"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from tongban.skills.services import EXCEPTIONAL_GROUNDS

        super().__init__(*args, **kwargs)
        self.fields["grounds"].choices = list(EXCEPTIONAL_GROUNDS.items())  # type: ignore[attr-defined]


class LimitBreakingRequestForm(EmployerRouteForm):
    evidence = forms.CharField(label=_("业绩证明材料"), widget=forms.Textarea(attrs={"rows": 3}))


class AppointmentForm(PersonNamedForm):
    employer = forms.ModelChoiceField(label=_("用人单位"), queryset=Organization.objects.none())
    occupation = OccupationCodeField(label=_("职业代码"))
    level = forms.ModelChoiceField(label=_("岗位等级"), queryset=SkillLevel.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        employers = [
            a.organization_id for a in assignments(self.user) if a.organization_id is not None
        ]
        organizations = (
            Organization.objects.all()
            if is_platform_admin(self.user)
            else Organization.objects.filter(pk__in=employers)
        )
        self.fields["employer"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["level"].queryset = SkillLevel.objects.filter(  # type: ignore[attr-defined]
            key__in=("special", "chief")
        ).order_by("rank")
        if len(employers) == 1:
            self.initial.setdefault("employer", employers[0])


# --- eligibility inputs: 技工院校 records and apprenticeships ------------------------------


class _PersonRecordForm(forms.ModelForm):
    """A record of a person in the user's scope, named by document number + name (new
    records only; an existing record keeps its person)."""

    document_number = forms.CharField(label=_("证件号码"), max_length=20)
    name = forms.CharField(label=_("姓名"), max_length=60)
    organization_field: str = ""
    organization_kinds: tuple[str, ...] = ()

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            del self.fields["document_number"]
            del self.fields["name"]
        organizations = Organization.objects.restrict(user, "view")
        if self.organization_kinds:
            organizations = organizations.filter(kind__in=self.organization_kinds)
        self.fields[self.organization_field].queryset = organizations  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        from tongban.skills.services import person_in_scope

        data = super().clean() or {}
        if not self.instance.pk and data.get("document_number") and data.get("name"):
            person = person_in_scope(self.user, data["document_number"], data["name"])
            if person is None:
                self.add_error(
                    "document_number",
                    _("未找到该人员（证件号码与姓名须一致），或该人员不在您的管辖范围内"),
                )
            else:
                self.instance.person = person
        return data


class SchoolRecordForm(_PersonRecordForm):
    occupation = OccupationCodeField(label=_("对应职业代码"), required=False)
    organization_field = "school"
    organization_kinds = ("vocational_school",)

    class Meta:
        model = SchoolRecord
        fields = ["school", "school_class", "occupation", "graduated_on"]
        widgets = {"graduated_on": DATE}


class ApprenticeshipForm(_PersonRecordForm):
    occupation = OccupationCodeField(label=_("职业代码"))
    organization_field = "employer"

    class Meta:
        model = Apprenticeship
        fields = ["employer", "occupation", "started_on", "completed_on"]
        widgets = {"started_on": DATE, "completed_on": DATE}


# --- wage prices and official employment counts --------------------------------------------


class WageReportForm(forms.ModelForm):
    """An employer's report of one worker's annual pay (no name)."""

    occupation = OccupationCodeField(label=_("职业代码"))
    region = RegionField(label=_("工作地区"))

    class Meta:
        model = WageReport
        fields = ["employer", "occupation", "level", "region", "year", "annual_pay"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        employers = Organization.objects.restrict(user, "view").filter(kind="enterprise")
        if not is_platform_admin(user):
            own = [a.organization_id for a in assignments(user) if a.organization_id]
            if own:
                employers = employers.filter(pk__in=own)
        self.fields["employer"].queryset = employers  # type: ignore[attr-defined]
        self.fields["level"].queryset = SkillLevel.objects.order_by("rank")  # type: ignore[attr-defined]
        if employers.count() == 1 and not self.instance.pk:
            only = employers.get()
            self.initial.setdefault("employer", only.pk)
            self.initial.setdefault("region", only.region_id)


class OfficialEmploymentForm(forms.ModelForm):
    region = RegionField(label=_("行政区划"))

    class Meta:
        model = OfficialEmployment
        fields = ["region", "year", "employed", "source"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
