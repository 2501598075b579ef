"""Mediation under the 人民调解法: one door, consent of every party, the written agreement,
failure with referral, the court-confirmation deadline, the time limit and the return visit."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from tests.governance.conftest import new_event
from tests.governance.mediation_world import centres, consent_all, new_case  # noqa: F401
from tongban.core import workflow
from tongban.governance import mediation
from tongban.governance.models import (
    MediationAgreement,
    MediationCase,
    MediationCentre,
    MediationParty,
    MediationPolicy,
    MediationSession,
    ReturnVisit,
)

pytestmark = pytest.mark.django_db


def agree(c, case, **kw):
    ids = list(case.parties.values_list("pk", flat=True))
    values = {
        "terms": "一、王大明于十日内修复卫生间防水；二、维修费用由王大明承担。",
        "mediator_name": "陈调解",
        "signed_party_ids": ids,
        "user": c.station_user,
    }
    values.update(kw)
    return mediation.record_agreement(case, **values)


def mediating(c, **kw):
    case = new_case(c, **kw)
    user = kw.get("user", c.station_user)
    consent_all(c, case, user)
    return workflow.fire(case, "start", user=user)


def test_a_dispute_is_registered_with_its_parties_and_a_one_month_limit(centres):  # noqa: F811
    case = new_case(centres)
    assert case.status == "registered" and case.code.startswith("T")
    assert case.parties.count() == 2
    assert case.due_on is not None
    assert (case.due_on - case.registered_on).days >= 30


def test_the_time_limit_is_data_per_region(centres):  # noqa: F811
    MediationPolicy.objects.create(region=centres.township_region, time_limit_days=15)
    case = new_case(centres, registered_on=datetime.date(2026, 6, 1))
    assert case.due_on == datetime.date(2026, 6, 16)


def test_a_case_needs_an_applicant_and_a_respondent(centres):  # noqa: F811
    with pytest.raises(ValidationError) as exc:
        new_case(centres, "王大明")
    assert "请填写被申请人" in str(exc.value)
    assert not MediationCase.objects.exists()


def test_a_dispute_outside_the_centres_area_is_refused(centres):  # noqa: F811
    other = centres.other_station_user.role_assignments.get().region
    with pytest.raises(ValidationError) as exc:
        new_case(centres, region=other)
    assert "不在" in str(exc.value) and not MediationCase.objects.exists()


def test_an_event_enters_mediation_once(world, centres):  # noqa: F811
    event = new_event(world, category=world.consultation, description="邻居噪音纠纷")
    parties = [
        MediationParty(role="applicant", name="甲"),
        MediationParty(role="respondent", name="乙"),
    ]
    case = mediation.case_from_event(
        event, centres.station, parties, user=world.dispatcher, kind="neighbour"
    )
    assert case.event == event and case.channel == "grid"
    again = [
        MediationParty(role="applicant", name="甲"),
        MediationParty(role="respondent", name="乙"),
    ]
    with pytest.raises(ValidationError) as exc:
        mediation.case_from_event(
            event, centres.station, again, user=world.dispatcher, kind="neighbour"
        )
    assert case.code in str(exc.value)
    assert MediationCase.objects.count() == 1


def test_mediation_refused_without_every_partys_consent(centres):  # noqa: F811
    case = new_case(centres)
    first = case.parties.get(role="applicant")
    mediation.record_consent(first, consented=True, user=centres.station_user)
    with pytest.raises(ValidationError) as exc:
        workflow.fire(case, "start", user=centres.station_user)
    assert "李小红" in str(exc.value) and "尚未同意调解" in str(exc.value)
    assert MediationCase.objects.get().status == "registered"


def test_mediation_starts_once_every_party_consented(centres):  # noqa: F811
    case = mediating(centres)
    assert case.status == "mediating"


def test_a_partys_refusal_ends_the_case_with_that_reason(centres):  # noqa: F811
    case = new_case(centres)
    respondent = case.parties.get(role="respondent")
    case = mediation.record_consent(
        respondent, consented=False, user=centres.station_user, reason="已向法院起诉"
    )
    assert case.status == "refused"
    last = workflow.timeline(case).last()
    assert "李小红" in last.reason and "已向法院起诉" in last.reason
    assert MediationParty.objects.get(pk=respondent.pk).refusal_reason == "已向法院起诉"


def test_a_refusal_without_a_reason_is_refused(centres):  # noqa: F811
    case = new_case(centres)
    with pytest.raises(ValidationError) as exc:
        mediation.record_consent(case.parties.first(), consented=False, user=centres.station_user)
    assert "理由" in str(exc.value)
    assert MediationCase.objects.get().status == "registered"


def test_a_session_is_recorded_only_while_mediating(centres):  # noqa: F811
    case = new_case(centres)
    with pytest.raises(ValidationError):
        mediation.record_session(
            case, MediationSession(summary="第一次调解"), user=centres.station_user
        )
    case = mediating(centres, title="另一纠纷")
    mediation.record_session(case, MediationSession(summary="双方陈述"), user=centres.station_user)
    assert case.sessions.count() == 1


def test_an_agreement_without_terms_is_refused(centres):  # noqa: F811
    case = mediating(centres)
    with pytest.raises(ValidationError) as exc:
        agree(centres, case, terms="   ")
    assert "协议内容" in str(exc.value)
    assert MediationCase.objects.get().status == "mediating"
    assert not MediationAgreement.objects.exists()


def test_an_agreement_needs_every_partys_signature(centres):  # noqa: F811
    case = mediating(centres)
    one = case.parties.get(role="applicant").pk
    with pytest.raises(ValidationError) as exc:
        agree(centres, case, signed_party_ids=[one])
    assert "李小红" in str(exc.value) and "签名" in str(exc.value)
    assert MediationCase.objects.get().status == "mediating"


def test_an_agreement_ends_the_mediation_with_the_court_confirmation_deadline(centres):  # noqa: F811
    case = mediating(centres)
    case = agree(centres, case, signed_on=datetime.date(2026, 9, 1))
    agreement = case.agreement
    assert case.status == "agreed"
    # 30 days after 1 September is 1 October, a holiday: the deadline moves to 8 October
    assert agreement.confirmation_due == datetime.date(2026, 10, 8)
    assert all(p.signed_at for p in case.parties.all())


def test_court_confirmation_after_the_deadline_is_refused(centres):  # noqa: F811
    case = agree(centres, mediating(centres), signed_on=datetime.date(2026, 9, 1))
    with pytest.raises(ValidationError) as exc:
        mediation.apply_for_confirmation(
            case,
            applied_on=datetime.date(2026, 10, 9),
            court="吴兴区人民法院",
            user=centres.station_user,
        )
    assert "2026-10-08" in str(exc.value)
    agreement = mediation.apply_for_confirmation(
        case,
        applied_on=datetime.date(2026, 10, 8),
        court="吴兴区人民法院",
        user=centres.station_user,
    )
    assert agreement.confirmation_applied_on == datetime.date(2026, 10, 8)
    agreement = mediation.record_confirmation_result(
        case, result="confirmed", user=centres.station_user
    )
    assert agreement.confirmation_result == "confirmed"


def test_a_ruling_needs_an_application_first(centres):  # noqa: F811
    case = agree(centres, mediating(centres))
    with pytest.raises(ValidationError) as exc:
        mediation.record_confirmation_result(case, result="confirmed", user=centres.station_user)
    assert "司法确认申请" in str(exc.value)


def test_the_return_visit_is_due_in_working_days_and_closes_the_case(centres):  # noqa: F811
    case = agree(
        centres,
        mediating(centres),
        signed_on=datetime.date(2026, 9, 24),
        perform_by=datetime.date(2026, 9, 30),
    )
    # ten working days after 30 September, across the National Day holiday
    assert case.agreement.return_visit_due == datetime.date(2026, 10, 20)
    with pytest.raises(ValidationError):
        workflow.fire(case, "close", user=centres.station_user)
    case = mediation.record_return_visit(
        case, ReturnVisit(performance="performed", note="已修复"), user=centres.station_user
    )
    assert case.status == "closed"


def test_failure_refers_the_parties_to_litigation(centres):  # noqa: F811
    case = mediating(centres)
    with pytest.raises(ValidationError):
        mediation.fail_case(case, referral="", reason="分歧较大", user=centres.station_user)
    case, upper = mediation.fail_case(
        case, referral="litigation", reason="分歧较大", user=centres.station_user
    )
    assert (case.status, case.referral, upper) == ("failed", "litigation", None)


def test_referral_to_the_higher_centre_registers_the_dispute_there(centres):  # noqa: F811
    case = mediating(centres)
    case, upper = mediation.fail_case(
        case, referral="higher_centre", reason="涉及多个部门", user=centres.station_user
    )
    assert upper is not None and upper.centre == centres.township
    assert upper.referred_from == case and upper.status == "registered"
    assert {p.consent for p in upper.parties.all()} == {"pending"}
    assert MediationCase.objects.restrict(centres.township_dispatcher).filter(pk=upper.pk).exists()


def test_referral_above_a_county_centre_is_refused(centres):  # noqa: F811
    case = mediating(centres, centre=centres.county, user=centres.township_dispatcher)
    with pytest.raises(ValidationError) as exc:
        mediation.fail_case(
            case, referral="higher_centre", reason="x", user=centres.township_dispatcher
        )
    assert "没有上级" in str(exc.value)


def test_joint_handling_adds_a_stationed_department(centres):  # noqa: F811
    case = new_case(centres)
    mediation.add_department(case, centres.police, user=centres.township_dispatcher)
    assert list(case.departments.all()) == [centres.police]
    with pytest.raises(ValidationError):
        mediation.add_department(case, centres.mediator, user=centres.township_dispatcher)


def test_another_station_cannot_see_or_act_on_the_case(centres):  # noqa: F811
    case = new_case(centres)
    assert not MediationCase.objects.restrict(centres.other_station_user).exists()
    with pytest.raises(Http404):
        mediation.record_consent(
            case.parties.first(), consented=True, user=centres.other_station_user
        )


def test_figures_count_resolved_and_failed_cases(centres):  # noqa: F811
    agree(centres, mediating(centres))
    mediation.fail_case(
        mediating(centres, title="第二件"),
        referral="arbitration",
        reason="x",
        user=centres.station_user,
    )
    today = timezone.localdate()
    figures = mediation.figures(
        MediationCase.objects.restrict(centres.township_dispatcher), today.replace(day=1), today
    )
    assert (figures.registered, figures.resolved, figures.failed) == (2, 1, 1)
    assert figures.success_rate == 0.5


def test_a_centre_sits_in_a_region_of_its_level_under_its_parent(centres):  # noqa: F811
    station = MediationCentre(
        name="错层调解站", level="village", region=centres.township_region, parent=centres.township
    )
    with pytest.raises(ValidationError) as exc:
        station.full_clean()
    assert "region" in exc.value.message_dict
    wrong_parent = MediationCentre(
        name="越级调解站", level="village", region=centres.village, parent=centres.county
    )
    with pytest.raises(ValidationError) as exc:
        wrong_parent.full_clean()
    assert "parent" in exc.value.message_dict
