"""Admin pages: accounts with their roles, and the two audit logs (read-only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tongban.core import services
from tongban.core.models import (
    CalendarDay,
    ExportRecord,
    ImportBatch,
    ImportJob,
    Organization,
    Person,
    PersonalDataAccess,
    PublishedSchedule,
    Region,
    RoleAssignment,
    TransitionLog,
)
from tongban.core.validators import normalize_document_number


class AccountForm(UserChangeForm):
    person_document_number = forms.CharField(
        label=_("本人居民身份证号码"),
        required=False,
        help_text=_("劳动者（个人）账号：填写本人证件号码，把账号关联到其人员档案"),
    )

    def clean_person_document_number(self) -> Person | None:
        number = normalize_document_number(self.cleaned_data.get("person_document_number", ""))
        if not number:
            return None
        person = Person.objects.filter(document_number=number).first()
        if person is None:
            raise forms.ValidationError(_("平台中没有该证件号码的人员"))
        return person


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1
    autocomplete_fields = ["region", "organization"]


admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    form = AccountForm
    inlines = [RoleAssignmentInline]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("人员档案"), {"fields": ["person_document_number"]}),
    )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        person = form.cleaned_data.get("person_document_number")
        if person is not None:
            try:
                services.link_person_account(person, obj, user=request.user)
            except ValidationError as exc:
                self.message_user(request, "；".join(exc.messages), level=messages.ERROR)
            else:
                self.message_user(request, _("已关联人员档案：%(name)s") % {"name": person.name})


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    show_full_result_count = False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "kind", "region"]
    list_filter = ["kind"]
    search_fields = ["name", "credit_code"]
    autocomplete_fields = ["region", "parent"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "region", "organization", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username"]
    autocomplete_fields = ["user", "region", "organization"]


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    list_display = [
        "at",
        "user",
        "person",
        "content_type",
        "object_id",
        "fields",
        "channel",
        "purpose",
        "remote_addr",
    ]
    list_filter = ["channel", "content_type"]
    search_fields = ["user__username", "person__name"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"


@admin.register(PublishedSchedule)
class PublishedScheduleAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "entered_by", "entered_at"]
    readonly_fields = ["entered_by", "entered_at"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.entered_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(TransitionLog)
class TransitionLogAdmin(admin.ModelAdmin):
    list_display = ["at", "content_type", "object_id", "label", "source", "target", "by"]
    list_filter = ["content_type", "name"]
    search_fields = ["object_id", "by__username", "reason"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    """Bulk imports and their batches (the audit of bulk writes)."""

    list_display = [
        "pk", "created_at", "user", "kind", "mode", "channel", "status", "rows_read",
        "created_count", "updated_count", "error_count",
    ]  # fmt: skip
    list_filter = ["kind", "status", "channel"]
    search_fields = ["user__username", "filename"]


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ["job", "number", "first_row", "last_row", "created_count", "updated_count", "error_count", "at"]  # fmt: skip


@admin.register(ExportRecord)
class ExportRecordAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "kind", "file_format", "channel", "row_count", "revealed"]
    list_filter = ["kind", "channel", "revealed"]
    search_fields = ["user__username"]
    date_hierarchy = "at"
