"""Forms of the grid, patrol, screening, volunteer and practice pages. They parse input and
offer only records in the user's scope; the rules live in the models and services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from tongban.core.forms import RegionField, ScopedModelForm
from tongban.core.permissions import (
    Role,
    assignments,
    is_platform_admin,
    user_region_prefixes,
)
from tongban.governance.models import (
    Category,
    ChecklistTemplate,
    Grid,
    PatrolTask,
    PracticeActivity,
    PracticeSite,
    ScreeningCampaign,
    ServiceSession,
    Volunteer,
    VolunteerDemand,
    VolunteerPairing,
    VolunteerResource,
    VolunteerTeam,
)


def grid_workers_for(user: Any) -> Any:
    """Grid workers whose region lies within one of the user's regions."""
    from django.db.models import Q

    workers = User.objects.filter(role_assignments__role=Role.GRID_WORKER)
    if is_platform_admin(user):
        return workers.distinct()
    condition = Q(pk__in=[])
    for prefix in user_region_prefixes(user, [a.role for a in assignments(user)]):
        condition |= Q(role_assignments__region__code__startswith=prefix)
    return workers.filter(condition).distinct()


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CommunityForm(ScopedModelForm):
    """Choices of linked records limited to what the user may view."""

    scoped = {
        "grid": Grid,
        "team": VolunteerTeam,
        "volunteer": Volunteer,
        "resource": VolunteerResource,
        "site": PracticeSite,
        "parent": PracticeSite,
    }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        for name, model in self.scoped.items():
            field = self.fields.get(name)
            if isinstance(field, forms.ModelChoiceField):
                field.queryset = model.objects.restrict(user, "view")  # type: ignore[attr-defined]


class GridForm(CommunityForm):
    region = RegionField(label=_("所在村（社区）"))
    workers = forms.ModelMultipleChoiceField(
        label=_("网格员"),
        queryset=User.objects.none(),
        required=False,
    )

    class Meta:
        model = Grid
        fields = ["region", "code", "name", "description", "households", "workers", "active"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["workers"].queryset = grid_workers_for(user)  # type: ignore[attr-defined]

    def save_m2m(self) -> None:
        """The grid's workers, once the grid itself is saved through the service."""
        self.instance.workers.set(self.cleaned_data["workers"])


class PatrolTaskForm(CommunityForm):
    template = forms.ModelChoiceField(
        label=_("巡查清单"), queryset=ChecklistTemplate.objects.filter(active=True)
    )
    assignee = forms.ModelChoiceField(
        label=_("巡查网格员"),
        queryset=User.objects.none(),
        required=False,
    )

    class Meta:
        model = PatrolTask
        fields = ["grid", "template", "place", "assignee", "due_on"]
        widgets = {"due_on": DATE}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["assignee"].queryset = grid_workers_for(user)  # type: ignore[attr-defined]
        if self.instance.pk is None and getattr(user, "is_authenticated", False):
            self.instance.created_by = user


class CampaignForm(CommunityForm):
    region = RegionField(label=_("排查区域"))

    class Meta:
        model = ScreeningCampaign
        fields = ["name", "kind", "region", "start", "end"]
        widgets = {"start": DATE, "end": DATE}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        if self.instance.pk is None and getattr(user, "is_authenticated", False):
            self.instance.created_by = user


class TargetsForm(forms.Form):
    targets = forms.CharField(
        label=_("排查对象名单"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "每行一户（家）：类型（住户或企业）,户主或企业名称,地址,村（社区）代码[,联系电话]"
        ),
    )


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("走访日期"), widget=DATE)
    disputes = forms.IntegerField(label=_("发现矛盾纠纷数"), min_value=0, initial=0)
    hazards = forms.IntegerField(label=_("发现安全隐患数"), min_value=0, initial=0)
    findings = forms.CharField(
        label=_("排查情况"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    report_category = forms.ModelChoiceField(
        label=_("同时上报为事件"),
        queryset=Category.objects.filter(active=True, kind__in=["dispute", "hazard"]).order_by(
            "code"
        ),
        required=False,
        help_text=_("选择分类后，排查情况作为一件事件进入事件闭环"),
    )


class TeamForm(CommunityForm):
    region = RegionField(label=_("所在地区"))

    class Meta:
        model = VolunteerTeam
        fields = ["name", "region", "service_type", "leader_name", "leader_phone", "active"]


class VolunteerForm(CommunityForm):
    region = RegionField(label=_("所在地区"))

    class Meta:
        model = Volunteer
        fields = ["name", "phone", "region", "team", "skills", "active"]


class ResourceForm(CommunityForm):
    region = RegionField(label=_("服务地区"))

    class Meta:
        model = VolunteerResource
        fields = ["title", "service_type", "team", "volunteer", "region", "description", "active"]


class DemandForm(CommunityForm):
    region = RegionField(label=_("所在村（社区）"))

    class Meta:
        model = VolunteerDemand
        fields = [
            "title",
            "service_type",
            "region",
            "address",
            "requester_name",
            "requester_phone",
            "wanted_on",
            "description",
        ]
        widgets = {"wanted_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}
        labels = {"title": _("需求名称"), "requester_name": _("点单人姓名")}


class PairingForm(CommunityForm):
    class Meta:
        model = VolunteerPairing
        fields = ["team", "volunteer", "resource"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        for name in ("team", "volunteer", "resource"):
            field = self.fields[name]
            field.queryset = field.queryset.filter(active=True)  # type: ignore[attr-defined]


class SessionForm(forms.ModelForm):
    class Meta:
        model = ServiceSession
        fields = ["served_on", "hours", "volunteers", "people_served", "note"]
        widgets = {"served_on": DATE}


class PracticeSiteForm(CommunityForm):
    region = RegionField(label=_("所在地区"))

    class Meta:
        model = PracticeSite
        fields = ["name", "level", "region", "parent", "address", "active"]


class PracticeActivityForm(CommunityForm):
    class Meta:
        model = PracticeActivity
        fields = ["site", "title", "held_on", "participants", "volunteers", "team", "description"]
        widgets = {"held_on": DATE}
