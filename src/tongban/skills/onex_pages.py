"""Pages for 1+X (学历 records and X certificates, listed per school) and the credit bank
(credits with their sources, the credit rules and the qualifications framework)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tongban.skills.filtersets import (
    CreditEntryFilterSet,
    EducationRecordFilterSet,
    XCertificateFilterSet,
)
from tongban.skills.models import (
    CreditEntry,
    CreditRule,
    EducationRecord,
    QualificationLevel,
    XCertificate,
)
from tongban.skills.training_forms import EducationRecordForm, XCertificateForm
from tongban.web.generic import Column, ObjectDetailView, ObjectEditView, ObjectListView


class XCertificateList(ObjectListView):
    url_namespace = "skills"
    model = XCertificate
    filterset_class = XCertificateFilterSet
    default_sort = "-issued_on"
    columns = [
        Column("person.name", _("姓名"), link=True),
        Column("title", _("证书名称"), sort="title"),
        Column("level", _("证书等级"), sort="level"),
        Column("issuer", _("培训评价组织")),
        Column("school", _("就读学校")),
        Column("number", _("证书编号")),
        Column("issued_on", _("发证日期"), sort="issued_on"),
    ]
    select_related = ("person", "issuer", "school")


class XCertificateDetail(ObjectDetailView):
    url_namespace = "skills"
    model = XCertificate
    fields = [
        Column("person", _("持证人")),
        Column("title", _("证书名称")),
        Column("level", _("证书等级")),
        Column("issuer", _("培训评价组织")),
        Column("school", _("就读学校")),
        Column("number", _("证书编号")),
        Column("issued_on", _("发证日期")),
    ]


class XCertificateEdit(ObjectEditView):
    url_namespace = "skills"
    model = XCertificate
    form_class = XCertificateForm


class EducationRecordList(ObjectListView):
    url_namespace = "skills"
    model = EducationRecord
    filterset_class = EducationRecordFilterSet
    default_sort = "-enrolled_on"
    columns = [
        Column("person.name", _("姓名"), link=True),
        Column("school", _("学校")),
        Column("education", _("学历层次")),
        Column("major", _("专业")),
        Column("enrolled_on", _("入学日期"), sort="enrolled_on"),
        Column("graduated_on", _("毕业日期"), sort="graduated_on"),
    ]
    select_related = ("person", "school")


class EducationRecordDetail(ObjectDetailView):
    url_namespace = "skills"
    model = EducationRecord
    template_name = "skills/educationrecord_detail.html"
    fields = [
        Column("person", _("学生")),
        Column("school", _("学校")),
        Column("education", _("学历层次")),
        Column("major", _("专业")),
        Column("enrolled_on", _("入学日期")),
        Column("graduated_on", _("毕业日期")),
    ]

    def extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        """The "X" beside the "1": the student's 1+X certificates."""
        return {
            "x_certificates": XCertificate.objects.restrict(request.user, "view")
            .filter(person=obj.person)
            .select_related("issuer")
        }


class EducationRecordEdit(ObjectEditView):
    url_namespace = "skills"
    model = EducationRecord
    form_class = EducationRecordForm


class CreditEntryList(ObjectListView):
    url_namespace = "skills"
    model = CreditEntry
    filterset_class = CreditEntryFilterSet
    default_sort = "-earned_on"
    columns = [
        Column("person.name", _("姓名"), link=True),
        Column("title", _("学习成果")),
        Column("source", _("学分来源"), sort="source"),
        Column("credits", _("学分"), sort="credits"),
        Column("rule", _("学分规则")),
        Column("institution", _("登记机构")),
        Column("other_institution", _("原发放机构（外机构）")),
        Column("earned_on", _("取得日期"), sort="earned_on"),
    ]
    select_related = ("person", "rule__skill_level", "institution")


class CreditEntryDetail(ObjectDetailView):
    url_namespace = "skills"
    model = CreditEntry
    fields = [
        Column("person", _("人员")),
        Column("title", _("学习成果")),
        Column("source", _("学分来源")),
        Column("source_id", _("来源记录")),
        Column("rule", _("学分规则")),
        Column("credits", _("学分")),
        Column("earned_on", _("取得日期")),
        Column("institution", _("登记机构")),
        Column("other_institution", _("原发放机构（外机构）")),
        Column("evidence", _("认定依据")),
    ]


@login_required
def credit_rules(request: HttpRequest) -> HttpResponse:
    """The credit rules and the qualifications framework as they stand (edited in the admin)."""
    return render(
        request,
        "skills/credit_rules.html",
        {
            "title": gettext("学分规则与资历框架"),
            "rules": CreditRule.objects.filter(active=True).select_related("skill_level"),
            "levels": QualificationLevel.objects.select_related("min_skill_level"),
        },
    )
