"""Competition results imported by contest and entrant: the rank rules of the results
form, nothing published, the round trip and the responsible region's scope."""

from __future__ import annotations

import csv
import datetime

import openpyxl
import pytest
from django.core.management import call_command

from tests.factories import HUZHOU, NANXUN, make_org, make_person, make_user
from tests.importing.conftest import write_csv
from tests.skills import builders
from tongban.core.importing.jobs import create_job, run_job
from tongban.skills import competitions
from tongban.skills.models import (
    AwardConferral,
    Certificate,
    Competition,
    CompetitionEntry,
    Evaluator,
)

HEADER = ["竞赛名称", "竞赛开始日期", "证件类型", "证件号码", "姓名", "参赛队名称", "名次"]
NAME = "2026年湖州市车工职业技能竞赛"


@pytest.fixture
def hr(regions, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    builders.load_sample()
    return builders.hr_officer("hr_contest")


def contest(hr, team_size=1, name=NAME):
    return competitions.create_competition(
        Competition(
            name=name,
            level="national",
            occupation=builders.occupation(),
            organiser=make_org("湖州市人力资源和社会保障局", kind="hr_department", region=HUZHOU),
            region_id=HUZHOU,
            starts_on=datetime.date(2026, 10, 10),
            ends_on=datetime.date(2026, 10, 12),
            team_size=team_size,
            issuer=Evaluator.objects.first() or builders.social_evaluator(),
            site_code="330502",
        ),
        user=hr,
    )


def field(match, hr, n, team_size=1):
    teams = []
    for i in range(n):
        team = [make_person(f"选手{i}-{j}") for j in range(team_size)]
        competitions.enter(match, team, user=hr, name=f"队{i}" if team_size > 1 else "")
        teams.append(team)
    return teams


def row(person, rank, team="", name=None, match_name=NAME):
    return [match_name, "2026-10-10", "", person.document_number,
            person.name if name is None else name, team, str(rank)]  # fmt: skip


def run(path, user, mode="partial"):
    job = create_job(
        "competition-results", path, user=user, mode=mode, filename=path.name, channel="command"
    )
    return run_job(job, user=user)


def report(job) -> list[list[str]]:
    if not job.error_report:
        return []
    with open(job.error_report, encoding="utf-8-sig", newline="") as handle:
        return [line[:4] for line in list(csv.reader(handle))[1:]]


def ranks(match) -> dict[str, int | None]:
    return {str(e): e.rank for e in CompetitionEntry.objects.filter(competition=match)}


def test_template_says_importing_does_not_publish(tmp_path, db):
    target = tmp_path / "results.xlsx"
    call_command("import", "competition-results", "--template", str(target))
    data, notes = openpyxl.load_workbook(target).worksheets
    assert [c.value for c in data[1]] == HEADER
    explained = {r[0].value: r[2].value for r in notes.iter_rows(min_row=2) if r[0].value}
    assert "不公布成绩" in explained["名次"] and "须已报名" in explained["名次"]


def test_results_set_ranks_and_publish_nothing_and_a_rerun_changes_nothing(tmp_path, hr):
    match = contest(hr)
    a, b, c = field(match, hr, 3)
    path = write_csv(tmp_path / "r.csv", HEADER, [row(a[0], 1), row(b[0], 2), row(c[0], 3)])
    job = run(path, hr, mode="strict")
    assert (job.status, job.updated_count, job.error_count) == ("done", 3, 0)
    assert ranks(match) == {"选手0-0": 1, "选手1-0": 2, "选手2-0": 3}
    assert Competition.objects.get(pk=match.pk).status == "open"
    assert set(CompetitionEntry.objects.values_list("medal", flat=True)) == {""}
    assert not Certificate.objects.exists() and not AwardConferral.objects.exists()

    job = run(path, hr)
    assert (job.created_count, job.updated_count, job.error_count) == (0, 3, 0)
    assert ranks(match) == {"选手0-0": 1, "选手1-0": 2, "选手2-0": 3}

    # a file may move ranks between entries; publishing stays the officer's act
    swapped = [row(a[0], 2), row(b[0], 1), row(c[0], 3)]
    assert run(write_csv(path, HEADER, swapped), hr, mode="strict").status == "done"
    assert ranks(match) == {"选手0-0": 2, "选手1-0": 1, "选手2-0": 3}
    report_ = competitions.publish_results(match, user=hr)
    assert len(report_.certificates) == 3


def test_bad_rows_are_refused_with_the_rule_of_the_results_form(tmp_path, hr):
    match = contest(hr)
    a, b, c = field(match, hr, 3)
    competitions.record_result(match, c[0], 3, user=hr)
    outsider = make_person("旁观者")
    rows = [
        row(a[0], 4),  # beyond the 3 entries
        row(b[0], 3),  # held by c, which the file does not change
        row(outsider, 1),  # not entered
        row(a[0], 1, match_name="没有这个竞赛"),
        row(b[0], "第一"),
        row(c[0], 3, name="别人"),
    ]
    job = run(write_csv(tmp_path / "r.csv", HEADER, rows), hr)
    assert report(job) == [
        ["2", "名次", "4", "名次4超出参赛数（共3个参赛队（选手））"],
        ["3", "名次", "3", "第3名已录入为“选手2-0”"],
        ["4", "证件号码", outsider.document_number, "该人员未报名参加本竞赛，不能录入成绩"],
        ["5", "竞赛名称", "没有这个竞赛",
         "未找到该竞赛（竞赛名称、开始日期须与平台一致），或您无权管理该竞赛"],
        ["6", "名次", "第一", "名次应为正整数，如1"],
        ["7", "姓名", "别人", "姓名与该证件号码登记的姓名不符"],
    ]  # fmt: skip
    assert ranks(match) == {"选手2-0": 3, "选手0-0": None, "选手1-0": None}


def test_team_members_must_agree_and_published_results_are_closed(tmp_path, hr):
    match = contest(hr, team_size=2)
    (a1, a2), (b1, b2) = field(match, hr, 2, team_size=2)
    rows = [row(a1, 1, "队0"), row(a2, 2, "队0"), row(b1, 2, "队1"), row(b2, 2, "队1")]
    job = run(write_csv(tmp_path / "r.csv", HEADER, rows), hr, mode="strict")
    assert job.status == "failed"
    assert report(job) == [
        ["3", "名次", "2", "同一参赛队的选手名次和参赛队名称应一致（与文件第2行不同）"]
    ]
    rows[1][6] = "1"
    assert run(write_csv(tmp_path / "r.csv", HEADER, rows), hr, mode="strict").status == "done"
    assert ranks(match) == {"队0": 1, "队1": 2}

    competitions.publish_results(match, user=hr)
    rows[0][6] = rows[1][6] = "2"
    rows[2][6] = rows[3][6] = "1"
    job = run(write_csv(tmp_path / "r.csv", HEADER, rows), hr)
    assert {tuple(line[1:]) for line in report(job)} == {
        ("竞赛名称", NAME, "竞赛成绩已公布或竞赛已取消，不能再修改报名和成绩")
    }
    assert ranks(match) == {"队0": 1, "队1": 2}


def test_an_officer_outside_the_responsible_region_is_refused(tmp_path, hr):
    match = contest(hr)
    (a,) = field(match, hr, 1)[0:1]
    nanxun = make_user("hr-nanxun", "hr_officer", region=NANXUN)
    job = run(write_csv(tmp_path / "r.csv", HEADER, [row(a[0], 1)]), nanxun)
    assert report(job)[0][:2] == ["2", "竞赛名称"]
    assert "您无权管理该竞赛" in report(job)[0][3]
    assert ranks(match) == {"选手0-0": None}


def test_round_trip_export_import_gives_identical_data(tmp_path, hr):
    match = contest(hr, team_size=2)
    (a1, a2), (b1, _b2), _c = field(match, hr, 3, team_size=2)
    competitions.record_result(match, a1, 2, user=hr)
    competitions.record_result(match, b1, 1, user=hr)
    other = contest(hr, name="2026年湖州市焊工职业技能竞赛")
    field(other, hr, 1)
    before = sorted(CompetitionEntry.objects.values_list("competition_id", "name", "rank"))
    for fmt in ("xlsx", "csv"):
        target = tmp_path / f"results.{fmt}"
        call_command("export", "competition-results", str(target))
        CompetitionEntry.objects.update(rank=None, name="")
        call_command("import", "competition-results", str(target))
        assert sorted(CompetitionEntry.objects.values_list("competition_id", "name", "rank")) == (
            before
        )
    lines = list(csv.reader((tmp_path / "results.csv").open(encoding="utf-8-sig")))
    assert lines[0] == HEADER and len(lines) == 1 + 7
    assert [a1.name, "队0", "2"] in [line[4:] for line in lines]
    ranked = tmp_path / "ranked.csv"
    call_command("export", "competition-results", str(ranked), "--filter", "ranked=true")
    lines = list(csv.reader(ranked.open(encoding="utf-8-sig")))
    assert sorted(line[4] for line in lines[1:]) == sorted(p.name for p in (a1, a2, b1, _b2))
