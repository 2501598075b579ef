"""Run one issuance or one transition in a process of its own and SIGKILL it at a chosen
point of its transaction (``tests/crash_child.py``), on the PostgreSQL test database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: the SQLite test database lives in this process's memory, "
            "where another process cannot write (CI runs this on PostgreSQL)"
        )


def child_env(data_dir: Path) -> dict[str, str]:
    params = connection.settings_dict
    url = (
        f"postgres://{params['USER']}:{params['PASSWORD']}@{params['HOST'] or 'localhost'}"
        f":{params['PORT'] or 5432}/{params['NAME']}"
    )
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        TONGBAN_DATA_DIR=str(data_dir),
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    )
    return env


def run(data_dir: Path, *args: str, kill_at: str | None = None) -> list[str]:
    """Run the child; with ``kill_at`` ("saved" or "commit"), SIGKILL it once it says it
    reached that point. Returns the lines it printed."""
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "tests.crash_child", kill_at or "none", *args],
        cwd=ROOT,
        env=child_env(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        lines.append(line.strip())
        if kill_at and line.strip() == f"AT {kill_at}":
            os.kill(process.pid, signal.SIGKILL)
            break
    process.wait(timeout=120)
    if kill_at:
        assert process.returncode == -signal.SIGKILL, (lines, process.stderr.read())  # type: ignore[union-attr]
    else:
        assert process.returncode == 0, (lines, process.stderr.read())  # type: ignore[union-attr]
    return lines
