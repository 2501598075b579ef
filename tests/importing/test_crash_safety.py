"""A run killed with SIGKILL halfway leaves whole chunks only; a re-run completes, and the
data equals that of one uninterrupted run. Real processes on a real (SQLite) database."""

from __future__ import annotations

import csv
import datetime
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from stdnum.cn import ric

from tests.importing.conftest import PEOPLE_HEADER

ROWS = 12_000
CHUNK = 500
COUNTIES = ["330502", "330503", "330521", "330522", "330523"]
COLUMNS = (
    "name, document_type, document_number, gender, birth_date, social_security_card_number, "
    "mobile, residence_region_id, education, name_pinyin, registered_by_id, user_id"
)


def tongban(*args: str, data_dir: Path) -> list[str]:
    return [sys.executable, "-m", "tongban", *args, "--data-dir", str(data_dir)]


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    src = str(Path(__file__).resolve().parents[2] / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    return env


def people_file(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(PEOPLE_HEADER)
        for i in range(ROWS):
            county = COUNTIES[i % len(COUNTIES)]
            born = datetime.date(1960, 1, 1) + datetime.timedelta(days=(i * 37) % 15000)
            body = f"{county}{born:%Y%m%d}{i % 997:03d}"
            number = body + ric.calc_check_digit(body + "0")
            mobile = f"139{i:08d}"
            writer.writerow(
                [f"工人{i}", "居民身份证", number, "", "", "", mobile, county + "000000", "初中"]
            )
    return path


def rows_of(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return sorted(conn.execute(f"SELECT {COLUMNS} FROM core_person"))  # noqa: S608


def count(db: Path, table: str) -> int:
    with sqlite3.connect(db, timeout=30) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608


def _processes_running(argument: str, wait: float = 10.0) -> list[int]:
    """Processes (forked workers share their parent's command line) still running with
    ``argument`` on their command line, after giving them ``wait`` seconds to end."""
    deadline = time.monotonic() + wait
    while True:
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                cmdline = (entry / "cmdline").read_bytes().split(b"\0")
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if argument.encode() in cmdline and state != "Z":
                found.append(int(entry.name))
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


@pytest.mark.slow
def test_import_killed_with_sigkill_then_rerun_equals_an_uninterrupted_run(tmp_path):
    data_dir = tmp_path / "data"
    env = environment()
    # validate in worker processes, as a large file is: they must die with the importer
    env.update(TONGBAN_IMPORT_WORKERS="2", TONGBAN_IMPORT_WORKERS_FROM_BYTES="0")
    for args in (("migrate", "-v0"), ("load_regions", "--province", "3305")):
        subprocess.run(tongban(*args, data_dir=data_dir), env=env, check=True, capture_output=True)
    db = data_dir / "tongban.sqlite3"
    source = people_file(tmp_path / "people.csv")
    command = tongban(
        "import", "people", str(source), "--mode", "partial", "--chunk-size", str(CHUNK),
        data_dir=data_dir,
    )  # fmt: skip

    victim = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if count(db, "core_importbatch") >= 3:
                break
        except sqlite3.OperationalError:
            pass
        assert victim.poll() is None, "the import finished before it could be killed"
        time.sleep(0.05)
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    assert victim.returncode == -signal.SIGKILL

    assert not _processes_running(str(source)), "a worker outlived the killed import"

    killed_at = count(db, "core_person")
    assert 0 < killed_at < ROWS
    assert killed_at % CHUNK == 0, "a chunk was half written"
    assert count(db, "core_importbatch") == killed_at // CHUNK

    rerun = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert rerun.returncode == 0, rerun.stderr
    assert "created" in rerun.stdout
    resumed = rows_of(db)
    assert len(resumed) == ROWS

    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM core_person")
    clean = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert clean.returncode == 0, clean.stderr
    assert rows_of(db) == resumed
