"""Awards and 师带徒 results as 破格晋升 grounds; allowance schemes; the award and
incentive pages."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.factories import HUZHOU, make_person
from tests.skills import builders
from tongban.core.models import Region
from tongban.skills import awards, incentives, services
from tongban.skills.models import (
    AllowanceScheme,
    AwardConferral,
    AwardType,
    MentorshipPair,
)
from tongban.skills.models.occupation import level

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise(catalogue):
    return builders.enterprise_evaluator(top="level2")


@pytest.fixture
def enterprise_hr(enterprise):
    return builders.staff_of(enterprise, "ent_hr")


@pytest.fixture
def hr(catalogue):
    return builders.hr_officer("hr_awards")


def employee(enterprise, name="周师傅"):
    person = make_person(name)
    builders.employ(person, enterprise.organization, datetime.date(2024, 1, 1), frontline=True)
    builders.give_certificate(person, enterprise, "level4", datetime.date(2025, 1, 1))
    return person


def confer(person, name, hr, on=datetime.date(2025, 5, 1)):
    return awards.confer(
        person,
        AwardType.objects.get(name=name),
        conferred_on=on,
        region=Region.objects.get(pk=HUZHOU),
        user=hr,
    )


def test_a_provincial_award_is_a_ground_for_exceptional_promotion_by_itself(
    enterprise, enterprise_hr, hr, on_day
):
    person = employee(enterprise)
    confer(person, "省技术能手", hr)
    certificate = services.exceptional_promotion(
        person, builders.occupation(), level("level3"), user=enterprise_hr,
        grounds=["award"], evidence="", site_code="330502",
    )  # fmt: skip
    assert certificate.route == "exceptional"
    assert "省技术能手（省部级，2025-05-01）" in certificate.evidence


def test_a_city_award_is_not_a_ground(enterprise, enterprise_hr, hr, on_day):
    person = employee(enterprise)
    city = AwardType.objects.create(name="湖州市技术能手", level="city")
    awards.confer(
        person, city, conferred_on=datetime.date(2025, 1, 1),
        region=Region.objects.get(pk=HUZHOU), user=hr,
    )  # fmt: skip
    assert awards.exceptional_grounds(person) == {}
    with pytest.raises(ValidationError) as exc:
        services.exceptional_promotion(
            person, builders.occupation(), level("level3"), user=enterprise_hr,
            grounds=["award"], evidence="", site_code="330502",
        )  # fmt: skip
    assert exc.value.message_dict == {"evidence": ["破格晋升须提供证明材料"]}


def test_outstanding_mentoring_results_feed_the_mentoring_ground(enterprise, enterprise_hr, on_day):
    mentor = employee(enterprise)
    apprentice = make_person("小徒弟")
    MentorshipPair.objects.create(
        employer=enterprise.organization, mentor=mentor, apprentice=apprentice,
        occupation=builders.occupation(), started_on=datetime.date(2024, 3, 1),
        ended_on=datetime.date(2025, 3, 1), result="outstanding",
    )  # fmt: skip
    grounds = awards.exceptional_grounds(mentor)
    assert grounds == {"mentoring": ["带徒小徒弟（2024-03-01至2025-03-01）成绩突出"]}
    certificate = services.exceptional_promotion(
        mentor, builders.occupation(), level("level3"), user=enterprise_hr,
        grounds=["mentoring"], evidence="", site_code="330502",
    )  # fmt: skip
    assert "带徒小徒弟" in certificate.evidence


def test_a_pair_needs_two_people_and_a_result_only_after_it_ends(enterprise):
    person = make_person("独行")
    pair = MentorshipPair(
        employer=enterprise.organization, mentor=person, apprentice=person,
        occupation=builders.occupation(), started_on=datetime.date(2024, 3, 1),
        result="qualified",
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        pair.full_clean()
    assert exc.value.message_dict["apprentice"] == ["师傅和徒弟不能是同一人"]
    assert exc.value.message_dict["result"] == ["出师后方可评定带徒成绩"]


def test_allowance_amounts_are_saved_per_level_and_absurd_ones_refused(enterprise, enterprise_hr):
    scheme = AllowanceScheme(
        employer=enterprise.organization, kind="skill", effective_from=datetime.date(2026, 1, 1)
    )
    with pytest.raises(ValidationError) as exc:
        incentives.save_scheme(scheme, {level("level3"): Decimal("-5")}, user=enterprise_hr)
    assert exc.value.message_dict == {"amount_level3": ["三级/高级工月标准应在0到100000元之间"]}
    assert not AllowanceScheme.objects.exists()
    saved = incentives.save_scheme(
        scheme,
        {level("level3"): Decimal("300"), level("level2"): Decimal("600")},
        user=enterprise_hr,
    )
    assert {r.level.key: r.monthly_amount for r in saved.rates.all()} == {
        "level3": Decimal("300.00"),
        "level2": Decimal("600.00"),
    }


def test_the_allowance_page_saves_a_scheme_with_its_amounts(client, enterprise, enterprise_hr):
    client.force_login(enterprise_hr)
    response = client.post(
        "/skills/allowances/add/",
        {
            "employer": enterprise.organization.pk,
            "kind": "mentoring",
            "effective_from": "2026-01-01",
            "amount_level2": "500",
        },
    )
    scheme = AllowanceScheme.objects.get()
    assert response["Location"] == f"/skills/allowances/{scheme.pk}/"
    assert "500" in client.get(f"/skills/allowances/{scheme.pk}/").content.decode()


def test_the_award_page_refuses_a_second_conferral_with_the_reason(client, hr):
    person = make_person("钱劳模")
    client.force_login(hr)
    form = {
        "document_number": person.document_number,
        "name": person.name,
        "award_type": AwardType.objects.get(name="全国五一劳动奖章").pk,
        "conferred_on": "2025-04-28",
        "region": HUZHOU,
    }
    first = client.post("/skills/awards/add/", form)
    assert first.status_code == 302
    again = client.post("/skills/awards/add/", form)
    assert "钱劳模已获得“全国五一劳动奖章”，不能重复授予" in again.content.decode()
    assert AwardConferral.objects.count() == 1


def test_the_mentorship_page_records_a_pair(client, enterprise, enterprise_hr):
    mentor, apprentice = employee(enterprise, "郑师傅"), employee(enterprise, "吴徒弟")
    client.force_login(enterprise_hr)
    response = client.post(
        "/skills/mentorships/add/",
        {
            "mentor_document_number": mentor.document_number,
            "mentor_name": mentor.name,
            "apprentice_document_number": apprentice.document_number,
            "apprentice_name": apprentice.name,
            "employer": enterprise.organization.pk,
            "occupation": builders.TURNER,
            "started_on": "2025-01-01",
        },
    )
    pair = MentorshipPair.objects.get()
    assert response["Location"] == f"/skills/mentorships/{pair.pk}/"
    assert (pair.mentor, pair.apprentice) == (mentor, apprentice)
