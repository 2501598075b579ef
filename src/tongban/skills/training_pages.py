"""Pages for training: programmes, classes (enrolment by ID numbers, sessions, attendance,
closing), declared with the generic views; the writes go through ``skills.training``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from tongban.core import workflow
from tongban.core.services import get_scoped
from tongban.skills import training
from tongban.skills.filtersets import TrainingClassFilterSet, TrainingProgrammeFilterSet
from tongban.skills.models import (
    ClassStatus,
    Enrolment,
    TrainingClass,
    TrainingProgramme,
    TrainingSession,
)
from tongban.skills.training_forms import (
    AttendanceForm,
    EnrolForm,
    SessionForm,
    TrainingClassForm,
    TrainingProgrammeForm,
)
from tongban.web.generic import Column, ObjectDetailView, ObjectEditView, ObjectListView


def messages_of(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "；".join(str(m) for errors in exc.message_dict.values() for m in errors)
    return "；".join(str(m) for m in exc.messages)


def form_errors(form: Any) -> str:
    return "；".join(
        f"{form.fields[name].label}：{error}" if name in form.fields else str(error)
        for name, errors in form.errors.items()
        for error in errors
    )


class TrainingProgrammeList(ObjectListView):
    url_namespace = "skills"
    model = TrainingProgramme
    filterset_class = TrainingProgrammeFilterSet
    default_sort = "-created_at"
    columns = [
        Column("name", _("项目名称"), sort="name", link=True),
        Column("provider", _("培训机构")),
        Column("occupation.name", _("职业")),
        Column("level", _("技能等级")),
        Column("kind", _("培训类别")),
        Column("delivery", _("培训方式")),
        Column("hours", _("计划学时")),
    ]
    select_related = ("provider", "occupation", "level")


class TrainingProgrammeDetail(ObjectDetailView):
    url_namespace = "skills"
    model = TrainingProgramme
    template_name = "skills/trainingprogramme_detail.html"
    fields = [
        Column("name", _("项目名称")),
        Column("provider", _("培训机构")),
        Column("occupation", _("职业")),
        Column("level", _("技能等级")),
        Column("kind", _("培训类别")),
        Column("delivery", _("培训方式")),
        Column("hours", _("计划学时")),
    ]

    def extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"classes": obj.classes.restrict(request.user, "view")}


class TrainingProgrammeEdit(ObjectEditView):
    url_namespace = "skills"
    model = TrainingProgramme
    form_class = TrainingProgrammeForm


class TrainingClassList(ObjectListView):
    url_namespace = "skills"
    model = TrainingClass
    filterset_class = TrainingClassFilterSet
    default_sort = "-starts_on"
    columns = [
        Column("name", _("班次名称"), sort="name", link=True),
        Column("programme", _("培训项目")),
        Column("programme.provider", _("培训机构")),
        Column("starts_on", _("开班日期"), sort="starts_on"),
        Column("ends_on", _("结班日期"), sort="ends_on"),
        Column("status", _("状态"), sort="status"),
    ]
    select_related = ("programme__provider",)


class TrainingClassEdit(ObjectEditView):
    url_namespace = "skills"
    model = TrainingClass
    form_class = TrainingClassForm

    def initial(self, request: HttpRequest) -> dict[str, Any]:
        return {"programme": request.GET.get("programme")}

    def dispatch(self, request: HttpRequest, pk: Any) -> HttpResponse:
        """A closed or cancelled class keeps its record as it was."""
        if pk is not None:
            training_class = get_scoped(TrainingClass.objects.all(), request.user, "change", pk=pk)
            refusal = training.class_open_refusal(training_class)
            if refusal:
                return _back(training_class.pk, refusal)
        return super().dispatch(request, pk)


class TrainingClassDetail(ObjectDetailView):
    url_namespace = "skills"
    model = TrainingClass
    template_name = "skills/trainingclass_detail.html"
    fields = [
        Column("name", _("班次名称")),
        Column("programme", _("培训项目")),
        Column("programme.provider", _("培训机构")),
        Column("programme.kind", _("培训类别"), render=lambda c: c.programme.get_kind_display()),
        Column(
            "programme.delivery",
            _("培训方式"),
            render=lambda c: c.programme.get_delivery_display(),
        ),
        Column("programme.hours", _("计划学时")),
        Column("starts_on", _("开班日期")),
        Column("ends_on", _("结班日期")),
        Column("closed_on", _("实际结班日期")),
        Column("status", _("状态")),
    ]

    def extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        may_run = (
            obj.status == ClassStatus.OPEN
            and TrainingClass.objects.restrict(request.user, "change").filter(pk=obj.pk).exists()
        )
        sessions = list(obj.sessions.prefetch_related("attendance__enrolment__person"))
        enrolments = list(
            Enrolment.objects.restrict(request.user, "view")
            .filter(training_class=obj)
            .select_related("person")
            .prefetch_related("attendance")
        )
        return {
            **({} if obj.status == ClassStatus.OPEN else {"edit_url": None}),
            "may_run": may_run,
            "sessions": [
                {
                    "session": s,
                    "start": timezone.localtime(s.starts_at),
                    "end": timezone.localtime(s.ends_at),
                    "present": [a.enrolment.person.name for a in s.attendance.all()],
                }
                for s in sessions
            ],
            "enrolments": [
                {"enrolment": e, "attended": training.attended_hours(e)} for e in enrolments
            ],
            "enrol_form": EnrolForm(),
            "session_form": SessionForm(),
            "attendance_form": AttendanceForm(training_class=obj),
            "transitions": workflow.available(obj, request.user),
            "transition_url_prefix": reverse("skills:trainingclass_detail", args=[obj.pk])
            + "transitions/",
            "timeline": workflow.timeline(obj),
            "error": request.GET.get("error", ""),
        }


def _back(pk: int, error: str = "") -> HttpResponseRedirect:
    url = reverse("skills:trainingclass_detail", args=[pk])
    return HttpResponseRedirect(url + ("?" + urlencode({"error": error}) if error else ""))


@login_required
@require_POST
def class_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = get_scoped(TrainingClass.objects.all(), request.user, "change", pk=pk)
    form = EnrolForm(request.POST)
    if not form.is_valid():
        return _back(pk, form_errors(form))
    try:
        training.enrol(training_class, form.cleaned_data["numbers"], user=request.user)
    except ValidationError as exc:
        return _back(pk, messages_of(exc))
    return _back(pk)


@login_required
@require_POST
def class_session(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = get_scoped(TrainingClass.objects.all(), request.user, "change", pk=pk)
    form = SessionForm(request.POST)
    if not form.is_valid():
        return _back(pk, form_errors(form))
    starts_at, ends_at = form.moments()
    try:
        training.add_session(
            training_class,
            starts_at=starts_at,
            ends_at=ends_at,
            topic=form.cleaned_data["topic"],
            user=request.user,
        )
    except ValidationError as exc:
        return _back(pk, messages_of(exc))
    return _back(pk)


@login_required
@require_POST
def class_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = get_scoped(TrainingClass.objects.all(), request.user, "change", pk=pk)
    form = AttendanceForm(request.POST, training_class=training_class)
    if not form.is_valid():
        return _back(pk, form_errors(form))
    arrived_at, left_at = form.moments()
    session: TrainingSession = form.cleaned_data["session"]
    try:
        training.record_attendance(
            session,
            form.cleaned_data["enrolment"],
            user=request.user,
            arrived_at=arrived_at,
            left_at=left_at,
        )
    except ValidationError as exc:
        return _back(pk, messages_of(exc))
    return _back(pk)


@login_required
@require_POST
def class_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    training_class = get_scoped(TrainingClass.objects.all(), request.user, "view", pk=pk)
    try:
        if name == "close":
            training.close_class(training_class, user=request.user)
        else:
            workflow.fire(
                training_class, name, user=request.user, reason=request.POST.get("reason", "")
            )
    except ValidationError as exc:
        return _back(pk, messages_of(exc))
    return _back(pk)
