"""Training: real-name enrolment, attendance and its fraud rules, closing a class."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_person
from tests.skills import training_builders as tb
from tongban.core import workflow
from tongban.core.models import TransitionLog
from tongban.core.services import OutOfScope
from tongban.skills import training
from tongban.skills.models import (
    Attendance,
    ClassStatus,
    CreditEntry,
    Enrolment,
    EnrolmentResult,
    TrainingPolicy,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(regions):
    org = tb.institution()
    teacher = tb.staff(org)
    prog = tb.programme(org, teacher, hours="8")
    cls = tb.training_class(prog, teacher)
    return org, teacher, prog, cls


def messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(str(m) for ms in exc.value.message_dict.values() for m in ms)


def test_enrolment_by_document_or_social_security_card_number(setup):
    _org, teacher, _prog, cls = setup
    zhang = make_person("张三")
    li = make_person("李四", social_security_card_number="A12345678")
    done = training.enrol(cls, f"{zhang.document_number} 张三\nA12345678", user=teacher)
    assert [e.person for e in done] == [zhang, li]


def test_enrolment_of_an_unknown_person_refuses_the_whole_list(setup):
    _org, teacher, _prog, cls = setup
    zhang = make_person("张三")
    with pytest.raises(ValidationError) as exc:
        training.enrol(cls, f"{zhang.document_number}\n330502199001019999", user=teacher)
    assert "未找到该证件号码或社会保障卡号对应的登记人员" in messages(exc)
    assert "330502199001019999" in messages(exc)
    assert not Enrolment.objects.exists()


def test_enrolment_refused_when_the_name_does_not_match(setup):
    _org, teacher, _prog, cls = setup
    zhang = make_person("张三")
    with pytest.raises(ValidationError) as exc:
        training.enrol(cls, f"{zhang.document_number} 张冒名", user=teacher)
    assert "姓名不符" in messages(exc)


def test_enrolment_of_a_duplicate_person_is_refused(setup):
    _org, teacher, _prog, cls = setup
    zhang = make_person("张三")
    training.enrol(cls, zhang.document_number, user=teacher)
    with pytest.raises(ValidationError) as exc:
        training.enrol(cls, zhang.document_number, user=teacher)
    assert "张三已报名本培训班" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        training.enrol(
            tb.training_class(cls.programme, teacher, "第2期"),
            f"{zhang.document_number}\n{zhang.document_number}",
            user=teacher,
        )
    assert "已报名本培训班" in messages(exc)
    assert Enrolment.objects.count() == 1


def test_staff_of_another_institution_cannot_enrol(setup):
    _org, _teacher, _prog, cls = setup
    other = tb.staff(tb.institution("别的培训学校"), "other_teacher")
    with pytest.raises(OutOfScope):
        training.enrol(cls, make_person("张三").document_number, user=other)


def test_session_outside_the_class_dates_is_refused(setup):
    _org, teacher, _prog, cls = setup
    with pytest.raises(ValidationError) as exc:
        tb.session(cls, teacher, 8, 12, day=tb.DAY.replace(day=20))
    assert "不在培训班起止日期" in messages(exc)


def _enrolled(cls, teacher, person):
    return training.enrol(cls, person.document_number, user=teacher)[0]


def test_attendance_defaults_to_the_session_time(setup):
    _org, teacher, _prog, cls = setup
    session = tb.session(cls, teacher, 8, 12)
    enrolment = _enrolled(cls, teacher, make_person("张三"))
    attendance = training.record_attendance(session, enrolment, user=teacher)
    assert attendance.hours == Decimal("4")


def test_attendance_outside_session_time_is_refused(setup):
    _org, teacher, _prog, cls = setup
    session = tb.session(cls, teacher, 8, 12)
    enrolment = _enrolled(cls, teacher, make_person("张三"))
    with pytest.raises(ValidationError) as exc:
        training.record_attendance(
            session, enrolment, user=teacher, arrived_at=tb.at(tb.DAY, 7, 30)
        )
    assert "签到时间2026-12-07 07:30不在本课次时间（2026-12-07 08:00至2026-12-07 12:00）内" in (
        messages(exc)
    )
    with pytest.raises(ValidationError) as exc:
        training.record_attendance(session, enrolment, user=teacher, left_at=tb.at(tb.DAY, 13))
    assert "签退时间2026-12-07 13:00不在本课次时间" in messages(exc)
    assert not Attendance.objects.exists()


def test_one_person_cannot_attend_two_overlapping_sessions(setup):
    _org, teacher, prog, cls = setup
    other_class = tb.training_class(prog, teacher, "夜校班")
    morning = tb.session(cls, teacher, 8, 12)
    clash = tb.session(other_class, teacher, 10, 14)
    zhang = make_person("张三")
    training.record_attendance(morning, _enrolled(cls, teacher, zhang), user=teacher)
    with pytest.raises(ValidationError) as exc:
        training.record_attendance(clash, _enrolled(other_class, teacher, zhang), user=teacher)
    assert "同一人不能同时参加两个时间重叠的课次" in messages(exc)
    assert "2026-12-07 08:00至2026-12-07 12:00已在“2026年第1期”出勤" in messages(exc)
    # leaving the first class at 12:00 and arriving at the second at 12:00 is fine
    training.record_attendance(
        clash,
        Enrolment.objects.get(training_class=other_class),
        user=teacher,
        arrived_at=tb.at(tb.DAY, 12),
    )


def test_daily_hours_are_capped_by_the_configurable_policy(setup):
    _org, teacher, _prog, cls = setup
    policy = TrainingPolicy.current()
    policy.daily_hours_cap = Decimal("6")
    policy.save()
    enrolment = _enrolled(cls, teacher, make_person("张三"))
    morning = tb.session(cls, teacher, 8, 12)
    afternoon = tb.session(cls, teacher, 13, 17)
    training.record_attendance(morning, enrolment, user=teacher)
    with pytest.raises(ValidationError) as exc:
        training.record_attendance(afternoon, enrolment, user=teacher)
    assert "张三在2026-12-07已有4学时，再计4学时将超过每日上限6学时" in messages(exc)
    policy.daily_hours_cap = Decimal("8")
    policy.save()
    training.record_attendance(afternoon, enrolment, user=teacher)
    assert Attendance.objects.count() == 2


def test_no_attendance_after_the_class_is_closed(setup):
    _org, teacher, _prog, cls = setup
    session = tb.session(cls, teacher, 8, 12)
    enrolment = _enrolled(cls, teacher, make_person("张三"))
    training.close_class(cls, user=teacher, on=tb.DAY)
    with pytest.raises(ValidationError) as exc:
        training.record_attendance(session, enrolment, user=teacher)
    assert "已结班，不能再修改、登记出勤或报名" in messages(exc)
    with pytest.raises(ValidationError):
        training.enrol(cls, make_person("李四").document_number, user=teacher)
    with pytest.raises(ValidationError):
        tb.session(cls, teacher, 13, 17)


def test_closing_a_class_sets_hours_results_and_training_credits(setup):
    _org, teacher, _prog, cls = setup
    morning = tb.session(cls, teacher, 8, 12)
    afternoon = tb.session(cls, teacher, 13, 17)
    zhang = _enrolled(cls, teacher, make_person("张三"))
    li = _enrolled(cls, teacher, make_person("李四"))
    for s in (morning, afternoon):
        training.record_attendance(s, zhang, user=teacher)
    training.record_attendance(morning, li, user=teacher)
    closed = training.close_class(cls, user=teacher, on=tb.DAY)
    assert closed.status == ClassStatus.CLOSED
    zhang.refresh_from_db()
    li.refresh_from_db()
    assert (zhang.result, zhang.hours_completed) == (EnrolmentResult.COMPLETED, Decimal("8"))
    # 4 of 8 hours is below the 80 % the policy asks for
    assert (li.result, li.hours_completed) == (EnrolmentResult.NOT_COMPLETED, Decimal("4"))
    credit = CreditEntry.objects.get()
    assert (credit.person, credit.source, credit.source_id) == (zhang.person, "training", zhang.pk)
    assert credit.credits == Decimal("0.50")  # 8 hours at 1 credit per 16 hours
    log = TransitionLog.objects.get(name="close")
    assert (log.source, log.target, log.by) == ("open", "closed", teacher)


def test_cancelling_a_class_needs_a_reason_and_other_staff_see_no_buttons(setup):
    _org, teacher, _prog, cls = setup
    other = tb.staff(tb.institution("别的培训学校"), "other_teacher")
    assert workflow.available(cls, other) == []
    assert {t.name for t in workflow.available(cls, teacher)} == {"close", "cancel"}
    with pytest.raises(ValidationError) as exc:
        workflow.fire(cls, "cancel", user=teacher)
    assert "请填写“撤销培训班”的理由" in messages(exc)
    cls = workflow.fire(cls, "cancel", user=teacher, reason="报名人数不足")
    assert cls.status == ClassStatus.CANCELLED
