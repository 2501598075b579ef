"""A large file is validated in worker processes a few chunks ahead of the writing: the
rows stored, the counts and the error report are exactly those of validating in the
importing process. Real processes on a real (SQLite) database file."""

from __future__ import annotations

import csv
import datetime
import sqlite3
import subprocess
from pathlib import Path

import pytest
from stdnum.cn import ric

from tests.importing.conftest import PEOPLE_HEADER
from tests.importing.test_crash_safety import COLUMNS, environment, tongban

ROWS = 3000
CHUNK = 250


def resident(county: str, i: int) -> str:
    born = datetime.date(1960, 1, 1) + datetime.timedelta(days=(i * 37) % 15000)
    body = f"{county}{born:%Y%m%d}{i % 997:03d}"
    return body + ric.calc_check_digit(body + "0")


def troubled_file(path: Path) -> Path:
    """Good rows with, spread over the chunks: a wrong check digit, an unknown region,
    a phone that is not a phone, a person repeated from an earlier chunk, and a
    social-security card number repeated from an earlier chunk."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(PEOPLE_HEADER)
        for i in range(ROWS):
            county = ("330502", "330503", "330521")[i % 3]
            number = resident(county, i)
            region = county + "000000"
            mobile = f"139{i:08d}"
            card = f"A{i:08d}" if i % 5 == 0 else ""
            if i % 401 == 7:
                number = number[:-1] + ("0" if number[-1] != "0" else "1")
            if i % 433 == 11:
                region = "999999000000"
            if i % 457 == 13:
                mobile = "12345"
            if i % 509 == 300:
                number = resident(("330502", "330503", "330521")[(i - 290) % 3], i - 290)
                county = ("330502", "330503", "330521")[(i - 290) % 3]
                region = county + "000000"
            if i % 613 == 600:
                card = "A00000000"
            writer.writerow(
                [f"工人{i}", "居民身份证", number, "", "", card, mobile, region, "初中"]
            )
    return path


def run_import(tmp_path: Path, name: str, source: Path, workers: int) -> tuple[list, list, str]:
    data_dir = tmp_path / name
    env = environment()
    env.update(TONGBAN_IMPORT_WORKERS=str(workers), TONGBAN_IMPORT_WORKERS_FROM_BYTES="0")
    for args in (("migrate", "-v0"), ("load_regions", "--province", "3305")):
        subprocess.run(tongban(*args, data_dir=data_dir), env=env, check=True, capture_output=True)
    report = tmp_path / f"{name}-errors.csv"
    done = subprocess.run(
        tongban(
            "import", "people", str(source), "--mode", "partial", "--chunk-size", str(CHUNK),
            "--errors", str(report), data_dir=data_dir,
        ),
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(data_dir / "tongban.sqlite3") as conn:
        people = sorted(conn.execute(f"SELECT {COLUMNS} FROM core_person"))  # noqa: S608
        job = list(
            conn.execute(
                "SELECT rows_read, created_count, updated_count, error_count FROM core_importjob"
            )
        )
    with report.open(encoding="utf-8-sig") as handle:
        errors = list(csv.reader(handle))
    return people, errors, str(job)


@pytest.mark.slow
def test_validating_in_workers_stores_and_reports_exactly_what_one_process_does(tmp_path):
    source = troubled_file(tmp_path / "people.csv")
    alone = run_import(tmp_path, "alone", source, workers=0)
    ahead = run_import(tmp_path, "ahead", source, workers=2)
    people, errors, job = alone
    assert len(errors) > 1 + 5  # the header and one row for each kind of fault at least
    reasons = " ".join(e[3] for e in errors[1:])
    assert "校验" in reasons and "重复" in reasons and "电话号码" in reasons
    assert 0 < len(people) < ROWS
    assert ahead == alone
