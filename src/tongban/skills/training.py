"""Training rules and services: real-name enrolment, attendance with its fraud rules,
and closing a class (hours and results, then credits).

The rules are plain functions returning the refusals in words; the services call
them inside one transaction and write nothing unless every check passes.

Fraud rules on attendance:

* a person cannot attend two sessions at overlapping times;
* no attendance once the class is closed (or cancelled);
* a person's training hours in one day are capped (``TrainingPolicy.daily_hours_cap``);
* arrival and departure must lie inside the session's time.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.core import workflow
from tongban.core.models import Person
from tongban.core.services import get_scoped, save_record
from tongban.core.validators import normalize_document_number
from tongban.skills.models import (
    Attendance,
    ClassStatus,
    Enrolment,
    EnrolmentResult,
    TrainingClass,
    TrainingPolicy,
    TrainingSession,
)
from tongban.skills.models.training import hours_between


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}"


# --- rules ------------------------------------------------------------------------------------


def class_open_refusal(training_class: TrainingClass) -> str | None:
    if training_class.status == ClassStatus.OPEN:
        return None
    return _("培训班“%(name)s”已%(status)s，不能再修改、登记出勤或报名") % {
        "name": training_class.name,
        "status": _("结班") if training_class.status == ClassStatus.CLOSED else _("撤销"),
    }


def outside_session_refusal(
    session: TrainingSession, arrived_at: datetime.datetime, left_at: datetime.datetime
) -> dict[str, str]:
    errors: dict[str, str] = {}
    window = {"start": _local(session.starts_at), "end": _local(session.ends_at)}
    if left_at <= arrived_at:
        errors["left_at"] = _("签退时间应晚于签到时间")
    if arrived_at < session.starts_at or arrived_at >= session.ends_at:
        errors["arrived_at"] = _("签到时间%(at)s不在本课次时间（%(start)s至%(end)s）内") % {
            "at": _local(arrived_at),
            **window,
        }
    if left_at > session.ends_at or left_at <= session.starts_at:
        errors["left_at"] = _("签退时间%(at)s不在本课次时间（%(start)s至%(end)s）内") % {
            "at": _local(left_at),
            **window,
        }
    return errors


def overlap_refusal(
    person: Person,
    session: TrainingSession,
    arrived_at: datetime.datetime,
    left_at: datetime.datetime,
) -> str | None:
    clash = (
        Attendance.objects.filter(
            enrolment__person=person, arrived_at__lt=left_at, left_at__gt=arrived_at
        )
        .exclude(session=session)
        .select_related("session__training_class")
        .first()
    )
    if clash is None:
        return None
    return _(
        "%(person)s在%(start)s至%(end)s已在“%(other)s”出勤，同一人不能同时参加两个时间重叠的课次"
    ) % {
        "person": person.name,
        "start": _local(clash.arrived_at),
        "end": _local(clash.left_at),
        "other": clash.session.training_class.name,
    }


def daily_cap_refusal(
    person: Person,
    arrived_at: datetime.datetime,
    left_at: datetime.datetime,
    policy: TrainingPolicy,
) -> str | None:
    day = timezone.localtime(arrived_at).date()
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
    end = start + datetime.timedelta(days=1)
    already = sum(
        (
            a.hours
            for a in Attendance.objects.filter(
                enrolment__person=person, arrived_at__gte=start, arrived_at__lt=end
            )
        ),
        Decimal("0"),
    )
    adding = hours_between(arrived_at, left_at)
    if already + adding <= policy.daily_hours_cap:
        return None
    return _(
        "%(person)s在%(day)s已有%(already)s学时，再计%(adding)s学时将超过每日上限%(cap)s学时"
    ) % {
        "person": person.name,
        "day": day.isoformat(),
        "already": _hours(already),
        "adding": _hours(adding),
        "cap": _hours(policy.daily_hours_cap),
    }


# --- enrolment ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Trainee:
    line: str
    number: str
    name: str


def parse_trainees(text: str) -> list[Trainee]:
    """One trainee a line: a document or social-security-card number, optionally the name."""
    out = []
    for raw in text.splitlines():
        parts = raw.replace(",", " ").replace("，", " ").split()
        if parts:
            out.append(Trainee(raw.strip(), parts[0], " ".join(parts[1:])))
    return out


def find_trainee(number: str, name: str = "") -> Person | None:
    """The registered person holding this document or social-security-card number (and
    this name, when given)."""
    normal = normalize_document_number(number)
    person = Person.objects.filter(
        Q(document_number=normal) | Q(social_security_card_number=number.strip().upper())
    ).first()
    if person is None or (name and person.name != name.strip()):
        return None
    return person


def enrol(
    training_class: TrainingClass,
    numbers: str,
    *,
    user: Any,
    on: datetime.date | None = None,
) -> list[Enrolment]:
    """Enrol everyone listed (real name: by document or social-security-card number);
    refuse the whole list, saying which lines are wrong, if any line is."""
    training_class = get_scoped(TrainingClass.objects.all(), user, "change", pk=training_class.pk)
    closed = class_open_refusal(training_class)
    if closed:
        raise ValidationError({"numbers": closed}, code="class_closed")
    trainees = parse_trainees(numbers)
    if not trainees:
        raise ValidationError({"numbers": _("请填写学员的证件号码或社会保障卡号，每行一人")})
    errors: list[str] = []
    people: list[Person] = []
    for trainee in trainees:
        person = find_trainee(trainee.number, trainee.name)
        if person is None:
            errors.append(
                _("“%(line)s”：未找到该证件号码或社会保障卡号对应的登记人员（或姓名不符）")
                % {"line": trainee.line}
            )
        elif (
            person in people
            or Enrolment.objects.filter(training_class=training_class, person=person).exists()
        ):
            errors.append(
                _("“%(line)s”：%(name)s已报名本培训班")
                % {"line": trainee.line, "name": person.name}
            )
        else:
            people.append(person)
    if errors:
        raise ValidationError({"numbers": errors}, code="bad_trainees")
    on = on or timezone.localdate()
    with transaction.atomic():
        return [
            save_record(
                Enrolment(training_class=training_class, person=person, enrolled_on=on),
                user=user,
                action="add",
            )
            for person in people
        ]


# --- sessions and attendance -----------------------------------------------------------------


def add_session(
    training_class: TrainingClass,
    *,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    topic: str = "",
    user: Any,
) -> TrainingSession:
    training_class = get_scoped(TrainingClass.objects.all(), user, "change", pk=training_class.pk)
    closed = class_open_refusal(training_class)
    if closed:
        raise ValidationError({"starts_at": closed}, code="class_closed")
    session = TrainingSession(
        training_class=training_class, starts_at=starts_at, ends_at=ends_at, topic=topic
    )
    day = timezone.localtime(starts_at).date()
    if not training_class.starts_on <= day <= training_class.ends_on:
        raise ValidationError(
            {
                "starts_at": _("课次日期%(day)s不在培训班起止日期（%(start)s至%(end)s）内")
                % {
                    "day": day.isoformat(),
                    "start": training_class.starts_on.isoformat(),
                    "end": training_class.ends_on.isoformat(),
                }
            },
            code="outside_class",
        )
    return save_record(session, user=user, action="add")


def record_attendance(
    session: TrainingSession,
    enrolment: Enrolment,
    *,
    user: Any,
    arrived_at: datetime.datetime | None = None,
    left_at: datetime.datetime | None = None,
) -> Attendance:
    """Record one person's attendance at one session after the fraud rules; refuse with
    the reason (nothing is saved)."""
    with transaction.atomic():
        training_class = get_scoped(
            TrainingClass.objects.select_for_update(),
            user,
            "change",
            pk=session.training_class_id,
        )
        closed = class_open_refusal(training_class)
        if closed:
            raise ValidationError({"session": closed}, code="class_closed")
        if enrolment.training_class_id != training_class.pk:
            raise ValidationError({"enrolment": _("该学员未报名本培训班")}, code="not_enrolled")
        arrived_at = arrived_at or session.starts_at
        left_at = left_at or session.ends_at
        outside = outside_session_refusal(session, arrived_at, left_at)
        if outside:
            raise ValidationError(outside, code="outside_session")
        if Attendance.objects.filter(session=session, enrolment=enrolment).exists():
            raise ValidationError(
                {"enrolment": _("%(name)s本课次的出勤已登记") % {"name": enrolment.person.name}},
                code="duplicate",
            )
        # lock the person so two classes cannot record overlapping hours at once
        person = Person.objects.select_for_update().get(pk=enrolment.person_id)
        overlap = overlap_refusal(person, session, arrived_at, left_at)
        if overlap:
            raise ValidationError({"arrived_at": overlap}, code="overlapping")
        capped = daily_cap_refusal(person, arrived_at, left_at, TrainingPolicy.current())
        if capped:
            raise ValidationError({"left_at": capped}, code="daily_cap")
        return save_record(
            Attendance(
                session=session, enrolment=enrolment, arrived_at=arrived_at, left_at=left_at
            ),
            user=user,
            action="add",
        )


# --- completion -----------------------------------------------------------------------------


def attended_hours(enrolment: Enrolment) -> Decimal:
    return sum((a.hours for a in enrolment.attendance.all()), Decimal("0"))


def close_class(
    training_class: TrainingClass, *, user: Any, on: datetime.date | None = None
) -> TrainingClass:
    """Close the class: each enrolment gets its attended hours and a result (结业 when
    the attended share of the programme's hours reaches the policy's), and completed
    training earns credits by the credit rules."""
    from tongban.skills import credits

    on = on or timezone.localdate()
    policy = TrainingPolicy.current()
    with transaction.atomic():
        closed = workflow.fire(training_class, "close", user=user, on=on)
        required = closed.programme.hours * policy.completion_share
        for enrolment in Enrolment.objects.filter(training_class=closed).prefetch_related(
            "attendance"
        ):
            enrolment.hours_completed = attended_hours(enrolment)
            enrolment.result = (
                EnrolmentResult.COMPLETED
                if enrolment.hours_completed >= required and enrolment.hours_completed > 0
                else EnrolmentResult.NOT_COMPLETED
            )
            enrolment.save(update_fields=["hours_completed", "result"])
            if enrolment.result == EnrolmentResult.COMPLETED:
                credits.credit_training(enrolment)
    return closed
