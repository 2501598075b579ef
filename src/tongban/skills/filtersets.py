"""Filters declared once, used by the API and the list pages."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from tongban.core.filtersets import IntegerFilter
from tongban.core.models import Employment, Organization, OrganizationKind, Person
from tongban.skills.models import (
    AllowanceKind,
    AllowanceScheme,
    ApplicationStatus,
    Appointment,
    AppointmentStatus,
    Apprenticeship,
    Attendance,
    AwardConferral,
    AwardLevel,
    AwardType,
    Certificate,
    CertificateStatus,
    CertificationApplication,
    ClassStatus,
    Competition,
    CompetitionEntrant,
    CompetitionLevel,
    CompetitionStatus,
    CreditEntry,
    CreditSource,
    Delivery,
    EducationFundReport,
    EducationRecord,
    Enrolment,
    EnrolmentResult,
    EvaluationPlan,
    Evaluator,
    EvaluatorKind,
    EvaluatorStatus,
    LimitBreakingRequest,
    MentoringResult,
    MentorshipPair,
    Occupation,
    OccupationKind,
    OfficialEmployment,
    PlanStatus,
    RequestStatus,
    Route,
    SchoolClass,
    SchoolRecord,
    ShortageList,
    SkillLevel,
    TrainingClass,
    TrainingKind,
    TrainingProgramme,
    WageReport,
    XCertificate,
    XLevel,
)


class OccupationFilterSet(filters.FilterSet):
    q = filters.CharFilter(label=_("职业名称或代码"), method="search")
    kind = filters.ChoiceFilter(label=_("层级"), choices=OccupationKind.choices)
    digital = filters.BooleanFilter(label=_("数字职业（S）"))
    green = filters.BooleanFilter(label=_("绿色职业（L）"))
    is_occupation = filters.BooleanFilter(label=_("可评价的职业"))
    parent = filters.CharFilter(label=_("上级代码"), field_name="parent__code")

    class Meta:
        model = Occupation
        fields = ["q", "kind", "digital", "green", "is_occupation", "parent"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if value[:1].isdigit():
            return queryset.filter(code__startswith=value)
        return queryset.filter(Q(name__contains=value) | Q(definition__contains=value))


class EvaluatorFilterSet(filters.FilterSet):
    name = filters.CharFilter(
        label=_("机构名称"), field_name="organization__name", lookup_expr="contains"
    )
    kind = filters.ChoiceFilter(label=_("评价方式"), choices=EvaluatorKind.choices)
    status = filters.ChoiceFilter(label=_("状态"), choices=EvaluatorStatus.choices)

    class Meta:
        model = Evaluator
        fields = ["name", "kind", "status"]


class EvaluationPlanFilterSet(filters.FilterSet):
    occupation = filters.CharFilter(label=_("职业代码"), field_name="occupation__code")
    level = filters.CharFilter(label=_("技能等级"), field_name="level__key")
    status = filters.ChoiceFilter(label=_("状态"), choices=PlanStatus.choices)
    evaluator_kind = filters.ChoiceFilter(
        label=_("评价方式"), field_name="evaluator__kind", choices=EvaluatorKind.choices
    )

    class Meta:
        model = EvaluationPlan
        fields = ["occupation", "level", "status", "evaluator_kind"]


class CertificationApplicationFilterSet(filters.FilterSet):
    plan = IntegerFilter(label=_("评价计划"), field_name="plan_id")
    status = filters.ChoiceFilter(label=_("状态"), choices=ApplicationStatus.choices)

    class Meta:
        model = CertificationApplication
        fields = ["plan", "status"]


class CertificateFilterSet(filters.FilterSet):
    number = filters.CharFilter(label=_("证书编号"), lookup_expr="startswith")
    holder_name = filters.CharFilter(label=_("姓名"), lookup_expr="contains")
    occupation = filters.CharFilter(label=_("职业代码"), field_name="occupation__code")
    status = filters.ChoiceFilter(label=_("状态"), choices=CertificateStatus.choices)
    route = filters.ChoiceFilter(label=_("取得途径"), choices=Route.choices)

    class Meta:
        model = Certificate
        fields = ["number", "holder_name", "occupation", "status", "route"]


class LimitBreakingRequestFilterSet(filters.FilterSet):
    occupation = filters.CharFilter(label=_("职业代码"), field_name="occupation__code")
    status = filters.ChoiceFilter(label=_("状态"), choices=RequestStatus.choices)

    class Meta:
        model = LimitBreakingRequest
        fields = ["occupation", "status"]


class AppointmentFilterSet(filters.FilterSet):
    occupation = filters.CharFilter(label=_("职业代码"), field_name="occupation__code")
    level = filters.CharFilter(label=_("岗位等级"), field_name="level__key")
    status = filters.ChoiceFilter(label=_("状态"), choices=AppointmentStatus.choices)

    class Meta:
        model = Appointment
        fields = ["occupation", "level", "status"]


class SchoolRecordFilterSet(filters.FilterSet):
    name = filters.CharFilter(label=_("姓名"), field_name="person__name", lookup_expr="contains")
    school_class = filters.ChoiceFilter(label=_("班级类别"), choices=SchoolClass.choices)

    class Meta:
        model = SchoolRecord
        fields = ["name", "school_class"]


class ApprenticeshipFilterSet(filters.FilterSet):
    name = filters.CharFilter(label=_("姓名"), field_name="person__name", lookup_expr="contains")
    occupation = filters.CharFilter(label=_("职业代码"), field_name="occupation__code")
    completed = filters.BooleanFilter(
        label=_("已期满"), field_name="completed_on", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Apprenticeship
        fields = ["name", "occupation", "completed"]


class CompetitionFilterSet(filters.FilterSet):
    name = filters.CharFilter(label=_("竞赛名称"), lookup_expr="contains")
    level = filters.ChoiceFilter(label=_("竞赛级别"), choices=CompetitionLevel.choices)
    status = filters.ChoiceFilter(label=_("状态"), choices=CompetitionStatus.choices)
    occupation = filters.CharFilter(
        label=_("职业代码"), field_name="occupation__code", lookup_expr="startswith"
    )

    class Meta:
        model = Competition
        fields = ["name", "level", "status", "occupation"]


class CompetitionEntrantFilterSet(filters.FilterSet):
    competition = filters.NumberFilter(label=_("竞赛"), field_name="competition_id")
    name = filters.CharFilter(label=_("姓名"), field_name="person__name", lookup_expr="contains")
    ranked = filters.BooleanFilter(
        label=_("已录名次"), field_name="entry__rank", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = CompetitionEntrant
        fields = ["competition", "name", "ranked"]


class AwardConferralFilterSet(filters.FilterSet):
    name = filters.CharFilter(label=_("姓名"), field_name="person__name", lookup_expr="contains")
    award_type = filters.ModelChoiceFilter(label=_("奖项"), queryset=AwardType.objects.all())
    level = filters.ChoiceFilter(
        label=_("奖项级别"), field_name="award_type__level", choices=AwardLevel.choices
    )

    class Meta:
        model = AwardConferral
        fields = ["name", "award_type", "level"]


class MentorshipPairFilterSet(filters.FilterSet):
    mentor = filters.CharFilter(label=_("师傅"), field_name="mentor__name", lookup_expr="contains")
    result = filters.ChoiceFilter(label=_("带徒成绩"), choices=MentoringResult.choices)

    class Meta:
        model = MentorshipPair
        fields = ["mentor", "result"]


class AllowanceSchemeFilterSet(filters.FilterSet):
    employer = filters.CharFilter(
        label=_("企业"), field_name="employer__name", lookup_expr="contains"
    )
    kind = filters.ChoiceFilter(label=_("津贴类别"), choices=AllowanceKind.choices)

    class Meta:
        model = AllowanceScheme
        fields = ["employer", "kind"]


class ShortageListFilterSet(filters.FilterSet):
    year = IntegerFilter(label=_("年度"), max_value=9999)
    region = filters.CharFilter(label=_("地区代码"), method="region_subtree")

    class Meta:
        model = ShortageList
        fields = ["year", "region"]

    def region_subtree(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(region__code__startswith=_prefix(value))


def _prefix(code: str) -> str:
    """A region code's subtree prefix: ``330502000000`` and ``330502`` both give ``330502``."""
    code = code.strip()
    stripped = code.rstrip("0")
    for length in (2, 4, 6, 9, 12):
        if len(stripped) <= length:
            return code.ljust(12, "0")[:length]
    return code


class TalentPoolFilterSet(filters.FilterSet):
    """The talent pool's search (page, export and API)."""

    q = filters.CharFilter(label=_("姓名或拼音"), method="name_or_pinyin")
    occupation = filters.CharFilter(label=_("职业代码（含下级）"), method="occupation_subtree")
    level = filters.ModelChoiceFilter(
        label=_("最低技能等级"),
        queryset=SkillLevel.objects.filter(high_skill=True),
        method="at_least",
    )
    region = filters.CharFilter(label=_("常住地区代码（含下级）"), method="region_subtree")
    min_age = IntegerFilter(min_value=0, max_value=150, label=_("最小年龄"), method="age_range")
    max_age = IntegerFilter(min_value=0, max_value=150, label=_("最大年龄"), method="age_range")
    award = filters.ModelChoiceFilter(
        label=_("获得奖项"), queryset=AwardType.objects.all(), method="with_award"
    )
    employer = filters.CharFilter(label=_("用人单位"), method="employed_by")
    shortage = filters.BooleanFilter(label=_("紧缺职业人才"), method="in_shortage")

    class Meta:
        model = Person
        fields = ["q", "occupation", "level", "region", "min_age", "max_age", "award", "employer"]

    def name_or_pinyin(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(
            Q(name__contains=value) | Q(name_pinyin__contains=value.lower().replace(" ", ""))
        )

    def occupation_subtree(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        held = Certificate.objects.filter(
            status=CertificateStatus.VALID,
            level__high_skill=True,
            occupation__code__startswith=value.strip(),
        )
        return queryset.filter(pk__in=held.values("person_id"))

    def at_least(self, queryset: QuerySet, name: str, value: SkillLevel) -> QuerySet:
        held = Certificate.objects.filter(
            status=CertificateStatus.VALID, level__rank__gte=value.rank
        ).values("person_id")
        posts = Appointment.objects.filter(
            status=AppointmentStatus.REGISTERED, level__rank__gte=value.rank
        ).values("person_id")
        return queryset.filter(Q(pk__in=held) | Q(pk__in=posts))

    def region_subtree(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(residence_region__code__startswith=_prefix(value))

    def age_range(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        from tongban.skills.talent_pool import born_between, today

        if value is None:
            return queryset
        bounds = {"min_age": None, "max_age": None, name: int(value)}
        return queryset.filter(born_between(bounds["min_age"], bounds["max_age"], today()))

    def with_award(self, queryset: QuerySet, name: str, value: AwardType) -> QuerySet:
        return queryset.filter(
            pk__in=AwardConferral.objects.filter(award_type=value).values("person_id")
        )

    def employed_by(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        current = Employment.objects.filter(
            organization__name__contains=value.strip(), end_date__isnull=True
        )
        return queryset.filter(pk__in=current.values("person_id"))

    def in_shortage(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        from tongban.skills.talent_pool import shortage_people

        if value is None:
            return queryset
        if value:
            return queryset.filter(pk__in=shortage_people())
        return queryset.exclude(pk__in=shortage_people())


class TrainingProgrammeFilterSet(filters.FilterSet):
    name = filters.CharFilter(label=_("项目名称"), lookup_expr="contains")
    kind = filters.ChoiceFilter(label=_("培训类别"), choices=TrainingKind.choices)
    delivery = filters.ChoiceFilter(label=_("培训方式"), choices=Delivery.choices)
    occupation = filters.CharFilter(label=_("职业代码"), field_name="occupation__code")

    class Meta:
        model = TrainingProgramme
        fields = ["name", "kind", "delivery", "occupation"]


class TrainingClassFilterSet(filters.FilterSet):
    name = filters.CharFilter(label=_("班次名称"), lookup_expr="contains")
    programme = IntegerFilter(label=_("培训项目"), field_name="programme_id")
    status = filters.ChoiceFilter(label=_("状态"), choices=ClassStatus.choices)

    class Meta:
        model = TrainingClass
        fields = ["name", "programme", "status"]


class EnrolmentFilterSet(filters.FilterSet):
    training_class = IntegerFilter(label=_("培训班"), field_name="training_class_id")
    name = filters.CharFilter(label=_("姓名"), field_name="person__name", lookup_expr="contains")
    result = filters.ChoiceFilter(label=_("培训结果"), choices=EnrolmentResult.choices)

    class Meta:
        model = Enrolment
        fields = ["training_class", "name", "result"]


class AttendanceFilterSet(filters.FilterSet):
    session = IntegerFilter(label=_("课次"), field_name="session_id")
    training_class = IntegerFilter(label=_("培训班"), field_name="session__training_class_id")

    class Meta:
        model = Attendance
        fields = ["session", "training_class"]


class XCertificateFilterSet(filters.FilterSet):
    name = filters.CharFilter(label=_("姓名"), field_name="person__name", lookup_expr="contains")
    school = filters.ModelChoiceFilter(
        label=_("就读学校"),
        queryset=Organization.objects.filter(kind=OrganizationKind.VOCATIONAL_SCHOOL),
    )
    level = filters.ChoiceFilter(label=_("证书等级"), choices=XLevel.choices)
    title = filters.CharFilter(label=_("证书名称"), lookup_expr="contains")

    class Meta:
        model = XCertificate
        fields = ["name", "school", "level", "title"]


class EducationRecordFilterSet(filters.FilterSet):
    name = filters.CharFilter(label=_("姓名"), field_name="person__name", lookup_expr="contains")
    school = filters.ModelChoiceFilter(
        label=_("学校"),
        queryset=Organization.objects.filter(kind=OrganizationKind.VOCATIONAL_SCHOOL),
    )

    class Meta:
        model = EducationRecord
        fields = ["name", "school"]


class CreditEntryFilterSet(filters.FilterSet):
    name = filters.CharFilter(label=_("姓名"), field_name="person__name", lookup_expr="contains")
    person = IntegerFilter(label=_("人员"), field_name="person_id")
    source = filters.ChoiceFilter(label=_("学分来源"), choices=CreditSource.choices)

    class Meta:
        model = CreditEntry
        fields = ["name", "person", "source"]


class EducationFundReportFilterSet(filters.FilterSet):
    year = IntegerFilter(label=_("年度"), max_value=9999)
    enterprise = filters.CharFilter(
        label=_("企业名称"), field_name="enterprise__name", lookup_expr="contains"
    )
    region = filters.CharFilter(
        label=_("地区代码"), field_name="enterprise__region__code", lookup_expr="startswith"
    )

    class Meta:
        model = EducationFundReport
        fields = ["year", "enterprise", "region"]


class WageReportFilterSet(filters.FilterSet):
    year = IntegerFilter(label=_("年度"), max_value=9999)
    occupation = filters.CharFilter(
        label=_("职业代码"), field_name="occupation__code", lookup_expr="startswith"
    )
    level = filters.CharFilter(label=_("技能等级"), field_name="level__key")
    region = filters.CharFilter(
        label=_("地区代码前缀"), field_name="region__code", lookup_expr="startswith"
    )

    class Meta:
        model = WageReport
        fields = ["year", "occupation", "level", "region"]


class OfficialEmploymentFilterSet(filters.FilterSet):
    year = IntegerFilter(label=_("年份"), max_value=9999)
    region = filters.CharFilter(
        label=_("地区代码前缀"), field_name="region__code", lookup_expr="startswith"
    )

    class Meta:
        model = OfficialEmployment
        fields = ["year", "region"]
