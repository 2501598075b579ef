"""The ladder as data and the occupation catalogue (loader, markers, pages, API)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from tests.factories import make_user
from tests.skills import builders
from tongban.core.permissions import Role
from tongban.skills.models import Occupation, SkillLevel
from tongban.skills.occupations import load_occupations

pytestmark = pytest.mark.django_db


def test_the_ladder_has_eight_levels_in_order_and_high_skill_starts_at_senior_worker():
    names = list(SkillLevel.objects.order_by("rank").values_list("name", flat=True))
    assert names == [
        "学徒工",
        "初级工",
        "中级工",
        "高级工",
        "技师",
        "高级技师",
        "特级技师",
        "首席技师",
    ]
    high = set(SkillLevel.objects.filter(high_skill=True).values_list("name", flat=True))
    assert high == {"高级工", "技师", "高级技师", "特级技师", "首席技师"}
    assert SkillLevel.objects.get(key="level4").grade_name == "四级"


def test_loader_reports_counts_per_level_against_the_published_catalogue(catalogue):
    report = load_occupations(builders.SAMPLE)
    lines = "\n".join(report.lines())
    assert "大类: 2 / 大典 8（差 6）" in lines
    assert "细类（职业）: 4 / 大典 1639（差 1635）" in lines
    assert "工种: 0 / 大典 2967" in lines
    assert report.duplicates == ["6-18-01-02"]
    assert report.rejected == ["x-1"]


def test_loader_command_prints_the_gap(catalogue):
    out = io.StringIO()
    call_command("load_occupations", file=str(builders.SAMPLE), stdout=out)
    assert "小类: 3 / 大典 450（差 447）" in out.getvalue()


def test_codes_build_the_four_level_tree(catalogue):
    turner = Occupation.objects.get(code="6-18-01-01")
    assert turner.kind == "unit" and turner.is_occupation
    assert turner.parent.code == "6-18-01-00"
    assert turner.parent.parent.code == "6-18-00-00"
    assert turner.parent.parent.parent.code == "6-00-00-00"
    # a 小类 the catalogue does not divide further is itself an occupation
    assert Occupation.objects.get(code="2-02-99-00").is_occupation


def test_digital_and_green_markers_are_split_from_names(catalogue):
    security = Occupation.objects.get(code="4-04-05-05")
    assert (security.name, security.digital, security.green) == (
        "网络与信息安全管理员",
        True,
        False,
    )
    waste = Occupation.objects.get(code="4-04-05-06")
    assert (waste.name, waste.markers) == ("工业固体废物处理处置工", "L/S")


def test_occupations_of_skilled_categories_get_the_five_certificate_levels(catalogue):
    turner = Occupation.objects.get(code="6-18-01-01")
    assert list(turner.levels.values_list("key", flat=True).order_by("rank")) == [
        "level5",
        "level4",
        "level3",
        "level2",
        "level1",
    ]
    assert not Occupation.objects.get(code="2-02-99-00").levels.exists()


def test_reloading_keeps_links_and_operator_edits_of_levels(catalogue):
    turner = Occupation.objects.get(code="6-18-01-01")
    turner.levels.remove(SkillLevel.objects.get(key="level1"))
    report = load_occupations(builders.SAMPLE)
    assert report.created == 0
    again = Occupation.objects.get(code="6-18-01-01")
    assert again.pk == turner.pk
    assert not again.levels.filter(key="level1").exists()


def test_catalogue_is_browsable_and_searchable(client, catalogue):
    client.force_login(make_user("w", Role.WORKER))
    page = client.get("/skills/occupations/", {"q": "车"})
    text = page.content.decode()
    assert page.status_code == 200 and "6-18-01-01" in text and "铣工" not in text
    by_code = client.get("/skills/occupations/", {"q": "4-04"}).content.decode()
    assert "网络与信息安全管理员" in by_code and "车工" not in by_code
    turner = Occupation.objects.get(code="6-18-01-01")
    detail = client.get(f"/skills/occupations/{turner.pk}/").content.decode()
    assert "取得五级证书后从事本职业工作满4年" in detail
    assert "综合评审" in detail  # 技师 and 高级技师


def test_catalogue_api_lists_occupations_with_levels(client, catalogue):
    client.force_login(make_user("w", Role.WORKER))
    data = client.get("/api/skills/occupations/", {"q": "车工"}).json()
    assert data["count"] == 1
    assert data["results"][0]["levels"][0] == "level5"
