"""Competition pages: entering and ranking refused with reasons, scoped, and the person
page's honours section."""

from __future__ import annotations

import datetime

import pytest

from tests.factories import HUZHOU, NANXUN, make_org, make_person, make_user
from tests.skills import builders
from tongban.core.permissions import Role
from tongban.skills import competitions
from tongban.skills.models import Competition

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr(catalogue):
    return builders.hr_officer("hr_pages")


@pytest.fixture
def contest(hr):
    return competitions.create_competition(
        Competition(
            name="湖州市车工技能大赛",
            level="city",
            occupation=builders.occupation(),
            organiser=make_org("湖州市总工会", kind="social_organization", region=HUZHOU),
            region_id=HUZHOU,
            starts_on=datetime.date(2026, 9, 1),
            ends_on=datetime.date(2026, 9, 2),
        ),
        user=hr,
    )


def test_hr_creates_a_competition_on_the_page(client, hr):
    client.force_login(hr)
    organiser = make_org("湖州市人社局", kind="hr_department", region=HUZHOU)
    response = client.post(
        "/skills/competitions/add/",
        {
            "name": "湖州市焊工大赛",
            "level": "city",
            "occupation": builders.TURNER,
            "organiser": organiser.pk,
            "region": HUZHOU,
            "starts_on": "2026-09-01",
            "ends_on": "2026-08-01",
            "team_size": 1,
        },
    )
    assert "结束日期不能早于开始日期" in response.content.decode()
    assert not Competition.objects.filter(name="湖州市焊工大赛").exists()


def test_entering_someone_unregistered_is_refused_with_the_reason(client, hr, contest):
    client.force_login(hr)
    response = client.post(
        f"/skills/competitions/{contest.pk}/entries/",
        {"document_number_1": "330502199001011234", "name_1": "无名"},
        follow=True,
    )
    assert "证件号码与姓名不符或该人员尚未登记" in response.content.decode()


def test_the_page_enters_and_ranks(client, hr, contest):
    person = make_person("钱选手")
    client.force_login(hr)
    client.post(
        f"/skills/competitions/{contest.pk}/entries/",
        {"document_number_1": person.document_number, "name_1": person.name},
    )
    page = client.post(
        f"/skills/competitions/{contest.pk}/results/",
        {"document_number": person.document_number, "name": person.name, "rank": 2},
        follow=True,
    ).content.decode()
    assert "名次2超出参赛数（共1个参赛队（选手））" in page
    client.post(
        f"/skills/competitions/{contest.pk}/results/",
        {"document_number": person.document_number, "name": person.name, "rank": 1},
    )
    assert contest.entries.get().rank == 1


def test_a_city_contest_without_a_table_cannot_be_published(client, hr, contest):
    person = make_person("孙选手")
    competitions.enter(contest, [person], user=hr)
    competitions.record_result(contest, person, 1, user=hr)
    client.force_login(hr)
    page = client.post(
        f"/skills/competitions/{contest.pk}/transitions/publish/", follow=True
    ).content.decode()
    assert "竞赛级别“市级”尚未设置晋升与表彰规则" in page


def test_competitions_outside_the_officers_region_are_not_found(client, contest):
    client.force_login(make_user("hr_far", Role.HR_OFFICER, region="320000000000"))
    assert client.get(f"/skills/competitions/{contest.pk}/").status_code == 404
    other = make_user("hr_nanxun", Role.HR_OFFICER, region=NANXUN)
    client.force_login(other)
    assert client.get(f"/skills/competitions/{contest.pk}/").status_code == 404


def test_the_person_page_shows_honours_only_to_those_who_may_see_them(client, hr, catalogue):
    from tongban.core.models import Region
    from tongban.skills import awards
    from tongban.skills.models import AwardType

    person = make_person("冯能手")
    awards.confer(
        person,
        AwardType.objects.get(name="省技术能手"),
        conferred_on=datetime.date(2025, 1, 1),
        region=Region.objects.get(pk=HUZHOU),
        user=hr,
    )
    client.force_login(hr)
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert 'id="honours"' in page and "省技术能手" in page and "已具备的破格晋升依据" in page
    client.force_login(make_user("grid", Role.GRID_WORKER, region=HUZHOU))
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert 'id="honours"' not in page and "省技术能手" not in page


def test_a_published_competition_cannot_be_edited(client, hr, contest):
    Competition.objects.filter(pk=contest.pk).update(status="published")
    client.force_login(hr)
    response = client.post(
        f"/skills/competitions/{contest.pk}/edit/",
        {
            "name": "改名",
            "level": "city",
            "occupation": builders.TURNER,
            "organiser": contest.organiser_id,
            "region": HUZHOU,
            "starts_on": "2026-09-01",
            "ends_on": "2026-09-02",
            "team_size": 1,
        },
    )
    assert "竞赛成绩已公布或竞赛已取消，不能再修改" in response.content.decode()
    assert Competition.objects.get(pk=contest.pk).name == "湖州市车工技能大赛"
