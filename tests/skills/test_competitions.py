"""Competitions: the promotion and honour table, entering, results and publishing once."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.factories import HUZHOU, make_org, make_person
from tests.skills import builders
from tongban.core.models import Region
from tongban.skills import awards, competitions
from tongban.skills.models import (
    AwardConferral,
    AwardType,
    Certificate,
    Competition,
    CompetitionEntrant,
    CompetitionRule,
)

pytestmark = pytest.mark.django_db


def national_rule() -> CompetitionRule:
    return CompetitionRule.objects.get(level="national")


# the table, case by case


@pytest.mark.parametrize(
    ("rank", "entries", "medal"),
    [
        (1, 20, "gold"),
        (2, 20, "silver"),
        (3, 20, "bronze"),
        (4, 20, "excellence"),
        (10, 20, "excellence"),
        (11, 20, ""),
        (5, 11, "excellence"),
        (6, 11, ""),
        (3, 3, "bronze"),
        (2, 2, "silver"),
    ],
)
def test_national_table_gives_three_medals_and_excellence_to_the_top_half(
    regions, rank, entries, medal
):
    assert competitions.medal_for(rank, entries, national_rule()) == medal


@pytest.mark.parametrize(
    ("medal", "promoted"),
    [("gold", True), ("silver", True), ("bronze", True), ("excellence", True), ("", False)],
)
def test_national_table_promotes_excellence_or_better(regions, medal, promoted):
    assert competitions.promotes(medal, national_rule()) is promoted


def test_a_table_promoting_only_medallists_leaves_excellence_unpromoted(regions):
    rule = CompetitionRule(level="provincial", promotion_from="bronze")
    assert competitions.promotes("bronze", rule) and not competitions.promotes("excellence", rule)
    assert not competitions.promotes("gold", CompetitionRule(level="city", promotion_from=""))


@pytest.mark.parametrize(
    ("team_size", "rank", "honoured"),
    [(1, 5, True), (1, 6, False), (2, 3, True), (2, 4, False), (3, 2, True), (3, 3, False)],
)
def test_national_honour_goes_to_top_5_individuals_top_3_pairs_top_2_trios(
    regions, team_size, rank, honoured
):
    assert competitions.honoured(rank, team_size, national_rule()) is honoured


def test_the_excellence_share_is_data(regions):
    rule = CompetitionRule(level="city", medal_places=1, excellence_fraction=Decimal("0.30"))
    assert [competitions.medal_for(r, 10, rule) for r in range(1, 5)] == [
        "gold",
        "excellence",
        "excellence",
        "",
    ]


# entering and results


@pytest.fixture
def hr(catalogue):
    return builders.hr_officer("hr_contest")


@pytest.fixture
def contest(hr):
    issuer = builders.social_evaluator()
    return competitions.create_competition(
        Competition(
            name="2026年全国车工职业技能竞赛",
            level="national",
            occupation=builders.occupation(),
            organiser=make_org("湖州市人力资源和社会保障局", kind="hr_department", region=HUZHOU),
            region_id=HUZHOU,
            starts_on=datetime.date(2026, 10, 10),
            ends_on=datetime.date(2026, 10, 12),
            issuer=issuer,
            site_code="330502",
        ),
        user=hr,
    )


def field_of(contest, hr, n, team_size=1):
    people = []
    for i in range(n):
        team = [make_person(f"选手{i}-{j}") for j in range(team_size)]
        competitions.enter(contest, team, user=hr, name=f"队{i}" if team_size > 1 else "")
        people.append(team)
    return people


def test_a_result_for_someone_not_entered_is_refused(contest, hr):
    field_of(contest, hr, 3)
    with pytest.raises(ValidationError) as exc:
        competitions.record_result(contest, make_person("旁观者"), 1, user=hr)
    assert exc.value.message_dict == {"person": ["旁观者未报名参加本竞赛，不能录入成绩"]}


def test_a_rank_beyond_the_entrant_count_is_refused(contest, hr):
    (first, *_rest) = field_of(contest, hr, 3)
    with pytest.raises(ValidationError) as exc:
        competitions.record_result(contest, first[0], 4, user=hr)
    assert exc.value.message_dict == {"rank": ["名次4超出参赛数（共3个参赛队（选手））"]}


def test_a_rank_is_held_by_one_entry(contest, hr):
    a, b = field_of(contest, hr, 2)
    competitions.record_result(contest, a[0], 1, user=hr)
    with pytest.raises(ValidationError) as exc:
        competitions.record_result(contest, b[0], 1, user=hr)
    assert "第1名已录入" in exc.value.message_dict["rank"][0]


def test_a_team_contest_needs_teams_of_its_size(contest, hr):
    Competition.objects.filter(pk=contest.pk).update(team_size=2)
    contest = Competition.objects.get(pk=contest.pk)
    with pytest.raises(ValidationError) as exc:
        competitions.enter(contest, [make_person("单人")], user=hr)
    assert exc.value.message_dict == {"person": ["本竞赛为双人团体赛，每个参赛队应有2名选手"]}


def test_someone_cannot_enter_twice(contest, hr):
    person = make_person("重复报名")
    competitions.enter(contest, [person], user=hr)
    with pytest.raises(ValidationError) as exc:
        competitions.enter(contest, [person], user=hr)
    assert exc.value.message_dict == {"person": ["重复报名已报名本竞赛"]}


# publishing


def test_publishing_promotes_medallists_and_honours_the_top_five(contest, hr, on_day):
    people = field_of(contest, hr, 12)
    technician = people[1][0]
    builders.give_certificate(technician, contest.issuer, "level2", datetime.date(2020, 1, 1))
    for rank, team in enumerate(people, start=1):
        competitions.record_result(contest, team[0], rank, user=hr)
    report = competitions.publish_results(contest, user=hr)

    contest = Competition.objects.get(pk=contest.pk)
    assert contest.status == "published"
    medals = [e.medal for e in contest.entries.order_by("rank")]
    assert medals == ["gold", "silver", "bronze"] + ["excellence"] * 3 + [""] * 6
    promoted = {c.person.name: c.level.key for c in report.certificates}
    assert len(promoted) == 6
    assert promoted[technician.name] == "level1"  # an existing 技师 becomes 高级技师
    assert promoted[people[0][0].name] == "level2"
    assert all(c.route == "competition" for c in report.certificates)
    honoured = sorted(c.person.name for c in report.conferrals)
    assert honoured == sorted(team[0].name for team in people[:5])
    assert {c.award_type.name for c in report.conferrals} == {"全国技术能手"}
    # traceable: each certificate and conferral points at the result that earned it
    winner = CompetitionEntrant.objects.get(competition=contest, person=people[0][0])
    assert winner.certificate is not None and winner.certificate.person == people[0][0]
    assert "第1名" in winner.certificate.evidence
    assert winner.conferrals.get().award_type.name == "全国技术能手"


def test_publishing_twice_creates_nothing_more(contest, hr, on_day):
    people = field_of(contest, hr, 4)
    for rank, team in enumerate(people, start=1):
        competitions.record_result(contest, team[0], rank, user=hr)
    first = competitions.publish_results(contest, user=hr)
    certificates, conferrals = Certificate.objects.count(), AwardConferral.objects.count()
    second = competitions.publish_results(contest, user=hr)
    assert len(first.certificates) == 3 and len(first.conferrals) == 4
    assert second.certificates == [] and second.conferrals == []
    assert (Certificate.objects.count(), AwardConferral.objects.count()) == (
        certificates,
        conferrals,
    )


def test_results_cannot_change_after_publishing(contest, hr, on_day):
    (a,) = field_of(contest, hr, 1)
    competitions.record_result(contest, a[0], 1, user=hr)
    competitions.publish_results(contest, user=hr)
    with pytest.raises(ValidationError) as exc:
        competitions.record_result(contest, a[0], 1, user=hr)
    assert "不能再修改" in exc.value.message_dict["competition"][0]


def test_team_members_are_each_promoted_and_pairs_honoured_to_third_place(contest, hr, on_day):
    Competition.objects.filter(pk=contest.pk).update(team_size=2)
    contest = Competition.objects.get(pk=contest.pk)
    teams = field_of(contest, hr, 8, team_size=2)
    for rank, team in enumerate(teams, start=1):
        competitions.record_result(contest, team[0], rank, user=hr)
    report = competitions.publish_results(contest, user=hr)
    assert len(report.certificates) == 8  # ranks 1-4 (3 medals + 优胜奖), two people each
    assert len(report.conferrals) == 6  # top 3 two-person teams


def test_a_senior_technician_is_not_promoted_again(contest, hr, on_day):
    (a,) = field_of(contest, hr, 1)
    builders.give_certificate(a[0], contest.issuer, "level1", datetime.date(2020, 1, 1))
    competitions.record_result(contest, a[0], 1, user=hr)
    report = competitions.publish_results(contest, user=hr)
    assert report.certificates == []
    assert CompetitionEntrant.objects.get(person=a[0]).promotion_note == "已是高级技师，不再晋升"


def test_publishing_without_a_table_for_the_level_is_refused(contest, hr, on_day):
    Competition.objects.filter(pk=contest.pk).update(level="county")
    contest = Competition.objects.get(pk=contest.pk)
    (a,) = field_of(contest, hr, 1)
    competitions.record_result(contest, a[0], 1, user=hr)
    with pytest.raises(ValidationError) as exc:
        competitions.publish_results(contest, user=hr)
    assert exc.value.message_dict == {"level": ["竞赛级别“县级”尚未设置晋升与表彰规则"]}
    contest = Competition.objects.get(pk=contest.pk)
    assert contest.status == "open"


# awards


def test_an_award_conferred_twice_is_refused(catalogue, hr):
    person = make_person("劳模")
    award = AwardType.objects.get(name="全国五一劳动奖章")
    awards.confer(
        person,
        award,
        conferred_on=datetime.date(2025, 4, 28),
        region=Region.objects.get(pk=HUZHOU),
        user=hr,
    )
    with pytest.raises(ValidationError) as exc:
        awards.confer(
            person,
            award,
            conferred_on=datetime.date(2026, 4, 28),
            region=Region.objects.get(pk=HUZHOU),
            user=hr,
        )
    assert exc.value.message_dict == {"award_type": ["劳模已获得“全国五一劳动奖章”，不能重复授予"]}


def test_archive_entries_list_results_promotions_and_awards(contest, hr, on_day):
    (a,) = field_of(contest, hr, 1)
    competitions.record_result(contest, a[0], 1, user=hr)
    competitions.publish_results(contest, user=hr)
    entries = awards.archive_entries(a[0])
    assert [e["kind"] for e in entries] == ["competition", "promotion", "award"]
    assert entries[0]["title"] == contest.name and entries[0]["detail"] == "第1名 金牌"
    assert entries[1]["title"] == "竞赛晋升二级/技师"
    assert entries[2]["title"] == "全国技术能手"
    assert all(set(e) == {"on", "kind", "title", "detail", "url"} for e in entries)


def test_publishing_is_refused_when_the_issuer_is_outside_the_officers_area(contest, on_day):
    from tests.factories import make_user
    from tongban.core.permissions import Role

    wuxing_hr = make_user("hr_wuxing_only", Role.HR_OFFICER, region="330502000000")
    Competition.objects.filter(pk=contest.pk).update(region_id="330502000000")
    contest = Competition.objects.get(pk=contest.pk)
    issuer_org = contest.issuer.organization
    type(issuer_org).objects.filter(pk=issuer_org.pk).update(region_id="330503000000")
    (a,) = field_of(contest, wuxing_hr, 1)
    competitions.record_result(contest, a[0], 1, user=wuxing_hr)
    with pytest.raises(ValidationError) as exc:
        competitions.publish_results(contest, user=wuxing_hr)
    assert "晋升证书发证机构不在您的管辖范围内" in exc.value.message_dict["issuer"][0]
    assert Competition.objects.get(pk=contest.pk).status == "open"


def test_a_provinces_own_table_applies_to_its_contests(contest, hr, on_day):
    CompetitionRule.objects.create(
        level="national", region_id="330000000000", medal_places=1, promotion_from="gold"
    )
    assert competitions.rule_for(contest).medal_places == 1
    elsewhere = Competition(level="national", region_id="320500000000")
    assert competitions.rule_for(elsewhere).medal_places == 3
