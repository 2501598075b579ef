from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.factories import make_person
from tongban.core.models import Region
from tongban.core.regions import read_rows, select_rows

pytestmark = pytest.mark.django_db


def test_packaged_file_holds_the_national_tree():
    counts: dict[str, int] = {}
    for row in read_rows():
        counts[row.level] = counts.get(row.level, 0) + 1
    assert counts["province"] == 31
    assert counts["city"] >= 330 and counts["county"] >= 2900
    assert counts["township"] > 40000 and counts["village"] > 600000


def test_default_selection_is_country_to_county_and_zhejiang_to_village():
    rows = list(select_rows(read_rows(), full=False, deep_prefixes=("33",)))
    deep = [r for r in rows if r.level in ("township", "village")]
    assert deep and all(r.code.startswith("33") for r in deep)
    assert any(r.code == "110101000000" for r in rows)  # 北京市东城区


def test_codes_and_parents_are_consistent(regions):
    village = Region.objects.filter(code__startswith="330502", level="village").first()
    chain = village.ancestors()
    assert [r.level for r in chain] == ["province", "city", "county", "township"]
    assert village.full_name.startswith("浙江省湖州市吴兴区")
    assert village.parent.code == village.code[:9] + "000"


def test_reload_keeps_links_and_does_not_duplicate(regions):
    person = make_person()
    region = person.residence_region
    Region.objects.filter(code=region.code).update(name="旧名称")
    before = Region.objects.count()
    call_command("load_regions", "--province", "3305")
    assert Region.objects.count() == before
    region.refresh_from_db()
    assert region.name != "旧名称"
    person.refresh_from_db()
    assert person.residence_region_id == region.code


def test_region_pages_and_api(regions, client, django_user_model):
    user = django_user_model.objects.create_user("u", password="x")
    client.force_login(user)
    html = client.get("/regions/", {"q": "吴兴"}).content.decode()
    assert "330502000000" in html
    assert "湖州市" in client.get("/regions/330500000000/").content.decode()
    data = client.get("/api/regions/", {"parent": "330500000000"}).json()
    assert {r["code"] for r in data["results"]} >= {"330502000000", "330503000000"}
