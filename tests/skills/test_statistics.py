"""Statistics against the national targets: the tally kept exact as records change, the
rebuild that recounts it, and the ratios on a crafted region tree."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from tests.factories import NANXUN, WUXING, make_org, make_person
from tests.skills import builders
from tongban.core.models import Employment, Region
from tongban.skills import services, statistics, tally
from tongban.skills.models import SkillTarget
from tongban.skills.tally import Facts, Held, Job

D = datetime.date
pytestmark = pytest.mark.django_db


def townships(county: str) -> list[str]:
    return list(
        Region.objects.filter(parent_id=county).order_by("code").values_list("code", flat=True)
    )


@pytest.fixture
def evaluator(catalogue):
    return builders.social_evaluator()


def test_contribution_counts_year_end_states_by_the_rules():
    facts = Facts(
        "330502001000",
        jobs=[
            Job(1, D(2018, 3, 1), D(2021, 6, 30), "6-18-01-01"),
            Job(2, D(2020, 1, 1), None, "4-04-05-05"),
        ],
        held=[
            Held(1, D(2019, 5, 1), 1, False, "6-18-01-01"),  # 五级
            Held(2, D(2022, 5, 1), 3, True, "4-04-05-05"),  # 三级 (高技能)
        ],
    )
    rows = tally.contribution(facts)
    town = "330502001"
    # employed from 2018 in category 6; from 2020 the later job (category 4) counts
    assert rows[(2018, town, "6", "employed")] == 1
    assert rows[(2020, town, "6", "employed")] == -1
    assert rows[(2020, town, "4", "employed")] == 1
    # skilled from 2019 (category 6), moving to category 4 and high-skilled in 2022
    assert rows[(2019, town, "6", "skilled")] == 1
    assert rows[(2022, town, "6", "skilled")] == -1
    assert rows[(2022, town, "4", "skilled")] == 1
    assert rows[(2022, town, "4", "high_skilled")] == 1
    # the same changes at the county, city and province
    assert rows[(2022, "330502", "4", "high_skilled")] == 1
    assert rows[(2022, "3305", "4", "high_skilled")] == 1
    assert rows[(2022, "33", "4", "high_skilled")] == 1
    # a job ending in 2021 is over at the end of 2021 (already replaced in 2020: no change)
    assert (2021, town, "6", "employed") not in rows


def test_employment_ending_within_its_first_year_never_counts():
    facts = Facts("330502001000", jobs=[Job(1, D(2023, 2, 1), D(2023, 11, 30), "6-18-01-01")])
    assert tally.contribution(facts) == {}


def test_incremental_tally_equals_rebuild_after_a_series_of_changes(evaluator, on_day):
    on_day(D(2026, 11, 30))
    wuxing, nanxun = townships(WUXING), townships(NANXUN)
    employer = make_org("统计测试机械厂")
    hr = builders.hr_officer("hr_stats")
    a = make_person("甲", region=wuxing[0])
    b = make_person("乙", region=wuxing[1])
    c = make_person("丙", region=nanxun[0])
    builders.employ(a, employer, D(2015, 1, 1))
    job_b = builders.employ(b, employer, D(2019, 4, 1), code="4-04-05-05")
    builders.employ(c, employer, D(2020, 1, 1), until=D(2024, 6, 30))
    builders.give_certificate(a, evaluator, "level5", D(2017, 6, 1))
    cert_a = builders.give_certificate(a, evaluator, "level3", D(2021, 6, 1))
    builders.give_certificate(b, evaluator, "level4", D(2022, 6, 1))
    builders.give_certificate(c, evaluator, "level2", D(2023, 6, 1))
    # changes: a revocation, an employment ended, edited and deleted, a person moving
    services.revoke_certificate(cert_a, user=hr, reason="材料造假")
    job_b.end_date = D(2025, 3, 31)
    job_b.save()
    job_b.occupation_code = "6-18-01-02"
    job_b.save()
    Employment.objects.filter(person=c).get().delete()
    builders.employ(c, employer, D(2025, 1, 1), code="6-18-01-02")
    a.residence_region_id = nanxun[1]
    a.save()
    d = make_person("丁", region=wuxing[0])
    builders.employ(d, employer, D(2026, 1, 1))
    d.delete()

    incremental = tally.current_rows()
    assert incremental
    rows = tally.rebuild()
    assert rows == len(incremental)
    assert tally.current_rows() == incremental


def test_ratios_on_a_crafted_region_tree(evaluator, on_day):
    """湖州市 with two counties: 吴兴区 (two townships) and 南浔区 (one)."""
    on_day(D(2026, 11, 30))
    wuxing, nanxun = townships(WUXING), townships(NANXUN)
    employer = make_org("区域统计测试厂")
    people = {}
    # (township, employed since, certificate level or None)
    plan = {
        "w1": (wuxing[0], [("level5", 2020), ("level3", 2024), (None, 0), (None, 0)]),
        "w2": (wuxing[1], [("level4", 2025), ("level2", 2025), (None, 0), (None, 0), (None, 0)]),
        "n1": (nanxun[0], [("level1", 2023), (None, 0), (None, 0)]),
    }
    for key, (town, members) in plan.items():
        for i, (level_key, year) in enumerate(members):
            person = make_person(f"{key}号{i}", region=town)
            builders.employ(person, employer, D(2019, 1, 1))
            if level_key:
                builders.give_certificate(person, evaluator, level_key, D(year, 3, 1))
            people[(key, i)] = person

    county = statistics.build(WUXING[:6], year=2026)
    assert (county.current.employed, county.current.skilled, county.current.high_skilled) == (
        9,
        4,
        2,
    )
    assert county.current.skilled_share == pytest.approx(4 / 9)
    assert county.current.high_skilled_share == pytest.approx(2 / 4)
    # Zhejiang is eastern: 35 % of skilled workers high-skilled
    assert county.target.high_skilled_share == Decimal("0.3500")
    assert county.skilled_met is True and county.high_skilled_met is True
    by_town = {c.prefix: c.figures for c in county.children}
    assert by_town[wuxing[0][:9]].skilled == 2 and by_town[wuxing[0][:9]].high_skilled == 1
    assert by_town[wuxing[1][:9]].skilled_share == pytest.approx(2 / 5)

    city = statistics.build("3305", year=2026)
    assert (city.current.employed, city.current.skilled, city.current.high_skilled) == (12, 5, 3)
    assert {c.prefix for c in city.children} == {WUXING[:6], NANXUN[:6]}
    # the trend: in 2023 only 吴兴 w1's 五级 and 南浔's 一级 were held
    by_year = {f.year: f for f in city.years}
    assert (by_year[2023].skilled, by_year[2023].high_skilled) == (2, 1)
    assert (by_year[2024].skilled, by_year[2024].high_skilled) == (3, 2)
    assert by_year[2019].employed == 12 and by_year[2018].employed == 0

    # a category filter: everyone works and is certified as 6 (production)
    assert statistics.build("3305", year=2026, category="6").current.skilled == 5
    assert statistics.build("3305", year=2026, category="4").current.skilled == 0

    # a non-eastern province takes the national default
    assert statistics.target_for("51").high_skilled_share == Decimal("0.3333")
    SkillTarget.objects.filter(is_default=True).update(skilled_share=Decimal("0.5"))
    assert statistics.target_for("51").skilled_share == Decimal("0.5")


def test_official_counts_replace_the_registry_employed_when_chosen(evaluator, on_day):
    from tongban.skills.models import OfficialEmployment

    on_day(D(2026, 11, 30))
    person = make_person("官方口径", region=townships(WUXING)[0])
    builders.employ(person, make_org("口径测试厂"), D(2019, 1, 1))
    builders.give_certificate(person, evaluator, "level3", D(2024, 3, 1))
    OfficialEmployment.objects.create(region_id=WUXING, year=2026, employed=40)
    board = statistics.build(WUXING[:6], year=2026, source=statistics.Source.OFFICIAL)
    assert board.current.employed == 40
    assert board.current.skilled_share == pytest.approx(1 / 40)
    assert {f.year: f.employed for f in board.years}[2025] is None  # not imported


def test_rebuild_skill_tally_command_recounts_after_a_bulk_insert(evaluator, on_day, capsys):
    on_day(D(2026, 11, 30))
    person = make_person("批量", region=townships(WUXING)[0])
    Employment.objects.bulk_create(
        [Employment(person=person, organization=make_org("批量厂"), start_date=D(2020, 1, 1))]
    )
    assert statistics.build(WUXING[:6], year=2026).current.employed == 0  # bypassed save()
    call_command("rebuild_skill_tally")
    assert "tally rows" in capsys.readouterr().out
    assert statistics.build(WUXING[:6], year=2026).current.employed == 1


def test_a_residence_recorded_only_to_the_county_counts_in_no_township():
    facts = Facts("330502000000", jobs=[Job(1, D(2020, 1, 1), None, "6-18-01-01")])
    regions = {region for (_year, region, _cat, _measure) in tally.contribution(facts)}
    assert regions == {"33", "3305", "330502"}


def test_a_failed_write_leaves_the_tally_exact(evaluator, on_day):
    from django.db import IntegrityError, transaction

    on_day(D(2026, 11, 30))
    person = make_person("失败写入", region=townships(WUXING)[0])
    job = builders.employ(person, make_org("失败写入厂"), D(2020, 1, 1))
    job.end_date = D(2019, 1, 1)  # before the start: the database refuses it
    with pytest.raises(IntegrityError), transaction.atomic():
        job.save()
    job.refresh_from_db()
    job.end_date = D(2024, 6, 30)
    job.save()
    builders.give_certificate(person, evaluator, "level4", D(2023, 1, 1))
    incremental = tally.current_rows()
    tally.rebuild()
    assert tally.current_rows() == incremental
    assert statistics.build(WUXING[:6], year=2026).current.employed == 0
    assert statistics.build(WUXING[:6], year=2023).current.employed == 1
