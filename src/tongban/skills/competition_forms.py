"""Forms of the competition, award, incentive and talent-pool pages: they parse input;
the rules live in the models and services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tongban.core.models import Organization, Region
from tongban.skills.forms import DATE, OccupationCodeField, PersonNamedForm
from tongban.skills.models import (
    AllowanceScheme,
    AwardType,
    Competition,
    Evaluator,
    MentorshipPair,
    SkillLevel,
)
from tongban.skills.models.occupation import CERTIFICATE_LEVELS


class RegionCodeField(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": _("未知的区划代码：%(value)s")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "330500000000"}))
        kwargs.setdefault("help_text", _("12位统计用区划代码"))
        super().__init__(queryset=Region.objects.all(), **kwargs)


class CompetitionForm(forms.ModelForm):
    occupation = OccupationCodeField(label=_("竞赛职业代码"))
    region = RegionCodeField(label=_("主管地区代码"))

    class Meta:
        model = Competition
        fields = [
            "name",
            "level",
            "occupation",
            "organiser",
            "region",
            "starts_on",
            "ends_on",
            "team_size",
            "issuer",
            "site_code",
        ]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = Organization.objects.restrict(user, "view")  # type: ignore[attr-defined]
        self.fields["issuer"].queryset = Evaluator.objects.restrict(user, "view")  # type: ignore[attr-defined]
        if self.instance.pk is None:
            for a in getattr(user, "_tongban_assignments", None) or []:
                if a.region_id:
                    self.initial.setdefault("region", a.region_id)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk and self.instance.status != "open":
            raise forms.ValidationError(_("竞赛成绩已公布或竞赛已取消，不能再修改"))
        return data


class EntryForm(forms.Form):
    """An individual or a team: up to three people named by document number + name."""

    team_name = forms.CharField(label=_("参赛队名称"), max_length=100, required=False)
    document_number_1 = forms.CharField(label=_("选手1证件号码"), max_length=20)
    name_1 = forms.CharField(label=_("选手1姓名"), max_length=60)
    document_number_2 = forms.CharField(label=_("选手2证件号码"), max_length=20, required=False)
    name_2 = forms.CharField(label=_("选手2姓名"), max_length=60, required=False)
    document_number_3 = forms.CharField(label=_("选手3证件号码"), max_length=20, required=False)
    name_3 = forms.CharField(label=_("选手3姓名"), max_length=60, required=False)

    def __init__(self, *args: Any, team_size: int = 1, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(team_size + 1, 4):
            del self.fields[f"document_number_{n}"]
            del self.fields[f"name_{n}"]
        if team_size == 1:
            del self.fields["team_name"]
            self.fields["document_number_1"].label = _("选手证件号码")
            self.fields["name_1"].label = _("选手姓名")

    def people(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [
            (data[f"document_number_{n}"], data[f"name_{n}"])
            for n in (1, 2, 3)
            if data.get(f"document_number_{n}") or data.get(f"name_{n}")
        ]


class ResultForm(forms.Form):
    document_number = forms.CharField(label=_("选手证件号码"), max_length=20)
    name = forms.CharField(label=_("选手姓名"), max_length=60)
    rank = forms.IntegerField(label=_("名次"), min_value=1)


class AwardConferralForm(PersonNamedForm):
    award_type = forms.ModelChoiceField(label=_("奖项"), queryset=AwardType.objects.none())
    conferred_on = forms.DateField(label=_("授予日期"), widget=DATE)
    region = RegionCodeField(label=_("登记地区代码"))
    document = forms.CharField(label=_("表彰文件"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["award_type"].queryset = AwardType.objects.filter(active=True)  # type: ignore[attr-defined]


class MentorshipPairForm(forms.ModelForm):
    """A 师带徒 pair; mentor and apprentice named by document number + name (new pairs)."""

    mentor_document_number = forms.CharField(label=_("师傅证件号码"), max_length=20)
    mentor_name = forms.CharField(label=_("师傅姓名"), max_length=60)
    apprentice_document_number = forms.CharField(label=_("徒弟证件号码"), max_length=20)
    apprentice_name = forms.CharField(label=_("徒弟姓名"), max_length=60)
    occupation = OccupationCodeField(label=_("职业代码"))

    class Meta:
        model = MentorshipPair
        fields = ["employer", "occupation", "started_on", "ended_on", "result", "achievement"]
        widgets = {"started_on": DATE, "ended_on": DATE}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            for name in (
                "mentor_document_number",
                "mentor_name",
                "apprentice_document_number",
                "apprentice_name",
            ):
                del self.fields[name]
        self.fields["employer"].queryset = Organization.objects.restrict(user, "view").filter(  # type: ignore[attr-defined]
            kind="enterprise"
        )

    def clean(self) -> dict[str, Any]:
        from tongban.skills.services import person_in_scope

        data = super().clean() or {}
        if self.instance.pk:
            return data
        for role in ("mentor", "apprentice"):
            number, name = data.get(f"{role}_document_number"), data.get(f"{role}_name")
            if not (number and name):
                continue
            person = person_in_scope(self.user, number, name)
            if person is None:
                self.add_error(
                    f"{role}_document_number",
                    _("未找到该人员（证件号码与姓名须一致），或该人员不在您的管辖范围内"),
                )
            else:
                setattr(self.instance, role, person)
        return data


class AllowanceSchemeForm(forms.ModelForm):
    """A scheme and its monthly amount per level (leave a level empty for none)."""

    class Meta:
        model = AllowanceScheme
        fields = ["employer", "kind", "effective_from", "effective_to", "note"]
        widgets = {"effective_from": DATE, "effective_to": DATE}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = Organization.objects.restrict(user, "view").filter(  # type: ignore[attr-defined]
            kind="enterprise"
        )
        rates = (
            {r.level_id: r.monthly_amount for r in self.instance.rates.all()}
            if self.instance.pk
            else {}
        )
        for level in self.levels():
            self.fields[f"amount_{level.key}"] = forms.DecimalField(
                label=_("%(level)s月标准（元）") % {"level": level},
                required=False,
                max_digits=9,
                decimal_places=2,
                initial=rates.get(level.pk),
            )

    @staticmethod
    def levels() -> list[SkillLevel]:
        keys = (*CERTIFICATE_LEVELS, "special", "chief")
        return list(SkillLevel.objects.filter(key__in=keys).order_by("rank"))

    def amounts(self) -> dict[SkillLevel, Any]:
        return {
            level: self.cleaned_data[f"amount_{level.key}"]
            for level in self.levels()
            if self.cleaned_data.get(f"amount_{level.key}") is not None
        }


class SavedSearchForm(forms.Form):
    name = forms.CharField(label=_("查询名称"), max_length=100)
    query = forms.CharField(max_length=1000, required=False, widget=forms.HiddenInput)


class ShortageListForm(forms.Form):
    region = RegionCodeField(label=_("发布地区代码"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("目录名称"), max_length=200)
    occupations = forms.CharField(
        label=_("紧缺职业"),
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "6-18-01-01 技师"}),
        help_text=_("每行一个：职业代码，可加空格和最低技能等级"),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
