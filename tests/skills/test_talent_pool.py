"""The high-skilled talent pool: who is in it, the search filters, sorting, saved searches,
shortage flags and the audited, masked export."""

from __future__ import annotations

import datetime

import pytest

from tests.factories import HUZHOU, NANXUN, make_org, make_person, make_user, resident_id
from tests.skills import builders
from tongban.core.models import PersonalDataAccess, Region
from tongban.core.permissions import Role
from tongban.skills import awards, talent_pool
from tongban.skills.models import (
    AwardType,
    SavedSearch,
    ShortageList,
    ShortageOccupation,
    TalentExport,
)
from tongban.skills.models.occupation import level

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(catalogue):
    evaluator = builders.social_evaluator()
    senior = make_person("张高级", document_number=resident_id("330502", datetime.date(1980, 5, 1)))
    technician = make_person(
        "李技师", document_number=resident_id("330502", datetime.date(1995, 5, 1))
    )
    far = make_person("王南浔", county6="330503")
    middle = make_person("赵中级")
    builders.give_certificate(senior, evaluator, "level3", datetime.date(2020, 1, 1))
    builders.give_certificate(technician, evaluator, "level2", datetime.date(2021, 1, 1))
    builders.give_certificate(far, evaluator, "level3", datetime.date(2021, 1, 1))
    builders.give_certificate(middle, evaluator, "level4", datetime.date(2021, 1, 1))
    builders.employ(technician, make_org("湖州精密机械有限公司"), datetime.date(2019, 1, 1))
    return {"senior": senior, "technician": technician, "far": far, "middle": middle}


@pytest.fixture
def hr(people):
    return builders.hr_officer("hr_pool")


def names(user, **params):
    from tongban.skills.filtersets import TalentPoolFilterSet

    fs = TalentPoolFilterSet(params, queryset=talent_pool.pool(user))
    assert fs.is_valid(), fs.errors
    return sorted(p.name for p in fs.qs)


def test_the_pool_holds_only_high_skilled_people(hr):
    assert names(hr) == sorted(["张高级", "李技师", "王南浔"])


def test_search_by_level_region_age_employer_name_and_pinyin(hr):
    assert names(hr, level=level("level2").pk) == ["李技师"]
    assert names(hr, region="330503") == ["王南浔"]
    assert names(hr, region=NANXUN) == ["王南浔"]
    assert names(hr, max_age="35") == ["李技师"]
    assert names(hr, min_age="40") == ["张高级"]
    assert names(hr, employer="精密") == ["李技师"]
    assert names(hr, q="lijishi") == ["李技师"]
    assert names(hr, q="张") == ["张高级"]
    assert names(hr, occupation="6-18") == sorted(["张高级", "李技师", "王南浔"])
    assert names(hr, occupation="4-") == []


def test_search_by_award(hr, people):
    award = AwardType.objects.get(name="全国技术能手")
    awards.confer(
        people["senior"],
        award,
        conferred_on=datetime.date(2024, 1, 1),
        region=Region.objects.get(pk=HUZHOU),
        user=hr,
    )
    assert names(hr, award=award.pk) == ["张高级"]


def test_the_pool_is_scoped_to_the_officer(people):
    nanxun_hr = make_user("hr_nanxun", Role.HR_OFFICER, region=NANXUN)
    assert names(nanxun_hr) == ["王南浔"]


def test_shortage_lists_flag_people_where_they_live(hr, people):
    listing = ShortageList.objects.create(
        region_id="330502000000", year=2026, name="吴兴区2026年紧缺职业目录"
    )
    ShortageOccupation.objects.create(
        shortage_list=listing, occupation=builders.occupation(), min_level=level("level2")
    )
    assert names(hr, shortage="true") == ["李技师"]
    assert talent_pool.shortage_flags(people["technician"])["flags"][0]["list"] == listing
    assert talent_pool.shortage_flags(people["senior"])["flags"] == []  # below the level
    assert talent_pool.shortage_flags(people["far"])["flags"] == []  # lives elsewhere


def test_the_page_sorts_and_pages(client, hr):
    client.force_login(hr)
    page = client.get("/skills/talent-pool/?sort=-top_rank").content.decode()
    assert page.index("李技师") < page.index("张高级")
    assert "330502********" in page  # document numbers masked


def test_saved_searches_belong_to_their_owner(client, hr):
    client.force_login(hr)
    client.post("/skills/talent-pool/searches/", {"name": "吴兴技师", "query": "region=330502"})
    search = SavedSearch.objects.get()
    assert search.owner == hr and search.query == "region=330502"
    assert "吴兴技师" in client.get("/skills/talent-pool/").content.decode()
    other = make_user("hr_other", Role.HR_OFFICER, region=HUZHOU)
    client.force_login(other)
    assert "吴兴技师" not in client.get("/skills/talent-pool/").content.decode()
    assert client.post(f"/skills/talent-pool/searches/{search.pk}/delete/").status_code == 404


def test_export_is_masked_and_audited(client, hr, people):
    client.force_login(hr)
    response = client.get("/skills/talent-pool/?region=330502&_export=csv")
    body = b"".join(response.streaming_content).decode()
    assert "李技师" in body and people["technician"].document_number not in body
    export = TalentExport.objects.get()
    assert export.user == hr and export.rows == 2 and not export.unmasked
    assert export.query == "region=330502"
    assert not PersonalDataAccess.objects.exists()


def test_an_unmasked_export_logs_each_persons_read(client, hr, people):
    client.force_login(hr)
    response = client.get("/skills/talent-pool/?region=330502&_export=csv&_reveal=1")
    body = b"".join(response.streaming_content).decode()
    assert people["technician"].document_number in body
    assert TalentExport.objects.get().unmasked
    assert set(
        PersonalDataAccess.objects.filter(channel="export").values_list("person__name", flat=True)
    ) == {"张高级", "李技师"}


def test_people_without_the_grant_cannot_open_the_pool(client, people):
    client.force_login(make_user("grid", Role.GRID_WORKER, region=HUZHOU))
    assert client.get("/skills/talent-pool/").status_code == 404


def test_hr_publishes_a_shortage_list_on_the_page_and_bad_lines_are_refused(client, hr):
    client.force_login(hr)
    form = {"region": "330502000000", "year": "2026", "name": "吴兴区紧缺职业目录"}
    refused = client.post(
        "/skills/shortage-lists/add/", {**form, "occupations": "6-18-01-01 技师\n9-99-99-99"}
    )
    assert "第2行：未知的职业代码9-99-99-99" in refused.content.decode()
    assert not ShortageList.objects.exists()
    response = client.post(
        "/skills/shortage-lists/add/", {**form, "occupations": "6-18-01-01 技师"}
    )
    listing = ShortageList.objects.get()
    assert response["Location"] == f"/skills/shortage-lists/{listing.pk}/"
    assert listing.items.get().min_level.key == "level2"
    page = client.get("/skills/talent-pool/?shortage=true").content.decode()
    assert "李技师" in page and "张高级" not in page
