"""Pages for what a person brings to an application besides certificates: 技工院校
records and apprenticeships, editable by HR (and the school or employer) in their scope."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tongban.skills.filtersets import ApprenticeshipFilterSet, SchoolRecordFilterSet
from tongban.skills.forms import ApprenticeshipForm, SchoolRecordForm
from tongban.skills.models import Apprenticeship, SchoolRecord
from tongban.web.generic import Column, ObjectDetailView, ObjectEditView, ObjectListView


class SchoolRecordList(ObjectListView):
    url_namespace = "skills"
    model = SchoolRecord
    filterset_class = SchoolRecordFilterSet
    default_sort = "-graduated_on"
    columns = [
        Column("person.name", _("姓名"), link=True),
        Column("school", _("院校")),
        Column("school_class", _("班级类别")),
        Column("occupation.name", _("对应职业")),
        Column("graduated_on", _("毕业日期"), sort="graduated_on"),
    ]
    select_related = ("person", "school", "occupation")


class SchoolRecordDetail(ObjectDetailView):
    url_namespace = "skills"
    model = SchoolRecord
    fields = [
        Column("person", _("姓名")),
        Column("school", _("院校")),
        Column("school_class", _("班级类别")),
        Column("occupation", _("对应职业")),
        Column("graduated_on", _("毕业日期")),
    ]


class SchoolRecordEdit(ObjectEditView):
    url_namespace = "skills"
    model = SchoolRecord
    form_class = SchoolRecordForm


class ApprenticeshipList(ObjectListView):
    url_namespace = "skills"
    model = Apprenticeship
    filterset_class = ApprenticeshipFilterSet
    default_sort = "-started_on"
    columns = [
        Column("person.name", _("姓名"), link=True),
        Column("employer", _("用人单位")),
        Column("occupation.name", _("职业")),
        Column("started_on", _("开始日期"), sort="started_on"),
        Column("completed_on", _("期满日期"), sort="completed_on"),
    ]
    select_related = ("person", "employer", "occupation")


class ApprenticeshipDetail(ObjectDetailView):
    url_namespace = "skills"
    model = Apprenticeship
    fields = [
        Column("person", _("姓名")),
        Column("employer", _("用人单位")),
        Column("occupation", _("职业")),
        Column("started_on", _("开始日期")),
        Column("completed_on", _("期满日期")),
    ]


class ApprenticeshipEdit(ObjectEditView):
    url_namespace = "skills"
    model = Apprenticeship
    form_class = ApprenticeshipForm
