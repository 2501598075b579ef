"""Admin pages for the skills reference data the operator edits: occupations and their
levels, 工种, application conditions, assessment parts and equivalences; school and
apprenticeship records. Workflows (plans, certificates) change only through their pages."""

from __future__ import annotations

from django.contrib import admin

from tongban.skills.models import (
    ApplicationCondition,
    Apprenticeship,
    AssessmentPart,
    EducationEquivalence,
    FiledScope,
    Occupation,
    OfficialEmployment,
    SchoolRecord,
    SkillTarget,
    TitleEquivalence,
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


@admin.register(SkillTarget)
class SkillTargetAdmin(admin.ModelAdmin):
    """The targets of （二） and the provinces each applies to (the eastern set is data)."""

    list_display = ["name", "skilled_share", "high_skilled_share", "provinces", "is_default"]


@admin.register(OfficialEmployment)
class OfficialEmploymentAdmin(admin.ModelAdmin):
    list_display = ["region", "year", "employed", "source"]
    list_filter = ["year"]
    raw_id_fields = ["region"]
