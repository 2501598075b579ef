"""Admin pages for the skills reference data the operator edits: occupations and their
levels, 工种, application conditions, assessment parts and equivalences; school and
apprenticeship records; competition rule tables, award types and shortage lists. Workflows (plans, certificates) change only through their pages."""

from __future__ import annotations

from django.contrib import admin

from tongban.skills.models import (
    ApplicationCondition,
    Apprenticeship,
    AssessmentPart,
    AwardType,
    CompetitionRule,
    CreditRule,
    EducationEquivalence,
    FiledScope,
    FundPolicy,
    Occupation,
    OfficialEmployment,
    QualificationLevel,
    SchoolRecord,
    ShortageList,
    ShortageOccupation,
    SkillTarget,
    TitleEquivalence,
    TrainingPolicy,
    Workline,
)


class WorklineInline(admin.TabularInline):
    model = Workline
    extra = 0


class ConditionInline(admin.StackedInline):
    model = ApplicationCondition
    extra = 0


class PartInline(admin.TabularInline):
    model = AssessmentPart
    extra = 0


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "digital", "green", "is_occupation"]
    list_filter = ["kind", "digital", "green", "is_occupation"]
    search_fields = ["code", "name"]
    filter_horizontal = ["levels"]
    raw_id_fields = ["parent"]
    inlines = [WorklineInline, ConditionInline, PartInline]


@admin.register(TitleEquivalence)
class TitleEquivalenceAdmin(admin.ModelAdmin):
    list_display = ["level", "years", "title_level"]


@admin.register(EducationEquivalence)
class EducationEquivalenceAdmin(admin.ModelAdmin):
    list_display = ["school_class", "education"]


@admin.register(FiledScope)
class FiledScopeAdmin(admin.ModelAdmin):
    list_display = ["evaluator", "occupation", "top_level"]
    raw_id_fields = ["occupation"]


@admin.register(SchoolRecord)
class SchoolRecordAdmin(admin.ModelAdmin):
    list_display = ["person", "school", "school_class", "graduated_on"]
    raw_id_fields = ["person", "school", "occupation"]


@admin.register(Apprenticeship)
class ApprenticeshipAdmin(admin.ModelAdmin):
    list_display = ["person", "employer", "occupation", "started_on", "completed_on"]
    raw_id_fields = ["person", "employer", "occupation"]


# --- competitions, awards, shortage lists: the tables the operator edits ------------------


@admin.register(CompetitionRule)
class CompetitionRuleAdmin(admin.ModelAdmin):
    list_display = [
        "level",
        "region",
        "medal_places",
        "excellence_fraction",
        "promotion_from",
        "honour",
        "honour_places_individual",
        "honour_places_pair",
        "honour_places_trio",
    ]
    raw_id_fields = ["region"]


@admin.register(AwardType)
class AwardTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "conferred_by", "active"]
    list_filter = ["level", "active"]
    search_fields = ["name"]


class ShortageOccupationInline(admin.TabularInline):
    model = ShortageOccupation
    extra = 0
    raw_id_fields = ["occupation"]


@admin.register(ShortageList)
class ShortageListAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "year"]
    raw_id_fields = ["region"]
    inlines = [ShortageOccupationInline]


# --- rules the operator edits: training limits, credit rules, the framework, fund rules ----


@admin.register(TrainingPolicy)
class TrainingPolicyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "daily_hours_cap", "completion_share"]


@admin.register(CreditRule)
class CreditRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "source", "skill_level", "education", "x_level", "active"]
    list_filter = ["source", "active"]


@admin.register(QualificationLevel)
class QualificationLevelAdmin(admin.ModelAdmin):
    list_display = ["rank", "name", "min_credits", "min_skill_level"]


@admin.register(FundPolicy)
class FundPolicyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "frontline_min_share", "credit_rate", "carry_forward_years"]


@admin.register(SkillTarget)
class SkillTargetAdmin(admin.ModelAdmin):
    """The targets of （二） and the provinces each applies to (the eastern set is data)."""

    list_display = ["name", "skilled_share", "high_skilled_share", "provinces", "is_default"]


@admin.register(OfficialEmployment)
class OfficialEmploymentAdmin(admin.ModelAdmin):
    list_display = ["region", "year", "employed", "source"]
    list_filter = ["year"]
    raw_id_fields = ["region"]
